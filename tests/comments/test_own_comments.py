import pytest
import time_machine
from django.utils import timezone

from masthead.comments.models import Comment
from tests.comments.conftest import member, post, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_comment(reader_client, story):
    post(reader_client, story, "Original text.")
    return Comment.objects.get()


def test_author_edits_within_window(reader_client, own_comment):
    """The author may change the text shortly after posting; it is marked edited."""
    response = reader_client.post(f"/comments/c/{own_comment.pk}/edit/", {"body": "Fixed text."})
    assert response.status_code == 302
    page = reader_client.get(f"/comments/{own_comment.article_id}/").content.decode()
    assert "Fixed text." in page and "(edited)" in page and "Original text." not in page


def test_edit_after_window_refused(reader_client, own_comment):
    """After the edit window the text cannot change."""
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=16)):
        response = reader_client.post(f"/comments/c/{own_comment.pk}/edit/", {"body": "Late."})
    assert response.status_code == 403
    own_comment.refresh_from_db()
    assert own_comment.body == "Original text."


def test_other_member_cannot_edit_or_delete(client, own_comment):
    """Another member gets a refusal and the comment is unchanged."""
    sign_in(client, member())
    assert client.post(f"/comments/c/{own_comment.pk}/edit/", {"body": "Hijack"}).status_code == 403
    assert client.post(f"/comments/c/{own_comment.pk}/delete/").status_code == 403
    own_comment.refresh_from_db()
    assert own_comment.body == "Original text." and own_comment.deleted_at is None


def test_signed_out_cannot_edit_or_delete(own_comment):
    """Signed-out requests are sent to sign in and change nothing."""
    from django.test import Client

    anon = Client()
    assert anon.post(f"/comments/c/{own_comment.pk}/delete/").status_code == 302
    own_comment.refresh_from_db()
    assert own_comment.deleted_at is None


def test_delete_with_replies_leaves_placeholder(client, reader_client, own_comment):
    """A deleted comment with replies shows a placeholder; the replies stay; count drops."""
    from tests.comments.conftest import sign_in as sign

    other = sign(client.__class__(), member())
    post(other, own_comment.article, "A reply.", parent=own_comment.pk)
    reader_client.post(f"/comments/c/{own_comment.pk}/delete/")
    page = reader_client.get(f"/comments/{own_comment.article_id}/").content.decode()
    assert "This comment was deleted." in page
    assert "Original text." not in page and "A reply." in page
    assert own_comment.article.comment_thread.__class__.objects.get().approved_count == 1


def test_delete_without_replies_disappears(reader_client, own_comment):
    """A deleted comment without replies leaves nothing behind."""
    reader_client.post(f"/comments/c/{own_comment.pk}/delete/")
    page = reader_client.get(f"/comments/{own_comment.article_id}/").content.decode()
    assert "This comment was deleted." not in page and "Original text." not in page


def test_replies_two_levels_then_flattened(client, story):
    """Replies to replies show under the top comment, naming who they answer."""
    from lxml import html

    a, b, c = member(display_name="Ana"), member(display_name="Bo"), member(display_name="Cy")
    sign_in(client, a)
    post(client, story, "Top.", display_name="Ana")
    top = Comment.objects.get()
    sign_in(client, b)
    post(client, story, "Reply one.", display_name="Bo", parent=top.pk)
    reply = Comment.objects.get(body="Reply one.")
    sign_in(client, c)
    post(client, story, "Reply two.", display_name="Cy", parent=reply.pk)
    deep = Comment.objects.get(body="Reply two.")
    assert deep.root_id == top.pk
    doc = html.fromstring(client.get(f"/comments/{story.pk}/").content)
    nested = doc.xpath('//ol[@class="comment-list"]/li/ol[@class="comment-replies"]/li/article')
    assert [n.get("id") for n in nested] == [f"comment-{reply.pk}", f"comment-{deep.pk}"]
    assert not doc.xpath('//ol[@class="comment-replies"]//ol')
    in_reply = nested[1].xpath('.//span[@class="comment__in-reply-to"]')[0].text_content()
    assert " ".join(in_reply.split()) == "in reply to Bo"
    assert not nested[0].xpath('.//span[@class="comment__in-reply-to"]')


def test_sorting_oldest_and_newest(reader_client, story):
    """Oldest first is the default; newest first reverses top-level comments."""
    for i in range(3):
        with time_machine.travel(timezone.now() + timezone.timedelta(seconds=i)):
            post(reader_client, story, f"Comment number {i}.")
    oldest = reader_client.get(f"/comments/{story.pk}/").content.decode()
    newest = reader_client.get(f"/comments/{story.pk}/?sort=newest").content.decode()
    assert oldest.index("number 0") < oldest.index("number 2")
    assert newest.index("number 2") < newest.index("number 0")


def test_long_thread_shows_first_replies_and_links_to_all(client, story, settings):
    """Past the reply limit a thread offers 'Show all N replies', which lists every one."""
    settings.COMMENTS_REPLIES_SHOWN = 2
    sign_in(client, member())
    post(client, story, "Popular.")
    top = Comment.objects.get()
    for i in range(3):
        sign_in(client, member())
        post(client, story, f"Answer {i}.", parent=top.pk)
    page = client.get(f"/comments/{story.pk}/").content.decode()
    assert "Answer 1." in page and "Answer 2." not in page
    assert f"?thread={top.pk}" in page and "Show all 3 replies" in page
    full = client.get(f"/comments/{story.pk}/?thread={top.pk}").content.decode()
    assert all(f"Answer {i}." in full for i in range(3))
