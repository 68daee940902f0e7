import pytest
from lxml import html

from masthead.comments.models import Comment
from tests import factories
from tests.comments.conftest import member, post, sign_in

pytestmark = pytest.mark.django_db


def _doc(response):
    return html.fromstring(response.content)


def test_signed_in_member_posts_and_sees_comment(reader_client, story):
    """A member's comment under post-moderation is published at once and counted."""
    response = post(reader_client, story, "First!\n\nSecond paragraph.", display_name="Ana")
    assert response.status_code == 302
    page = reader_client.get(f"/comments/{story.pk}/")
    doc = _doc(page)
    bodies = doc.xpath('//div[@class="comment__body"]')
    assert [p.text_content() for p in bodies[0].xpath("p")] == ["First!", "Second paragraph."]
    assert doc.xpath('//span[@class="comment__by"]')[0].text_content() == "Ana"
    assert "1 comment" in doc.xpath('//p[@class="comments__summary"]')[0].text_content()
    assert "no-cache" in page["Cache-Control"]


def test_signed_out_reader_sees_sign_in_prompt(client, story):
    """A reader who is not signed in gets a sign-in link, not an error or a form."""
    response = client.get(f"/comments/{story.pk}/")
    assert response.status_code == 200
    doc = _doc(response)
    link = doc.xpath('//p[@class="comments__sign-in"]/a/@href')[0]
    assert link == f"/account/sign-in/?next=%2Fcomments%2F{story.pk}%2F"
    assert not doc.xpath('//textarea[@name="body"]')


def test_signed_out_post_is_refused(client, story):
    """Posting while signed out stores nothing and leads to sign-in."""
    response = post(client, story)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")
    assert Comment.objects.count() == 0


def test_post_without_csrf_token_is_refused(reader, story):
    """A cross-site POST without a token is refused and stores nothing."""
    from django.test import Client

    csrf_client = sign_in(Client(enforce_csrf_checks=True), reader)
    response = post(csrf_client, story, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_form_on_thread_page_carries_token(reader_client, story):
    """The thread page form posts with a CSRF token when the client enforces checks."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.cookies = reader_client.cookies
    doc = _doc(client.get(f"/comments/{story.pk}/"))
    token = doc.xpath('//input[@name="csrfmiddlewaretoken"]/@value')[0]
    key = doc.xpath('//input[@name="submission_key"]/@value')[0]
    response = client.post(
        f"/comments/{story.pk}/post/",
        {
            "body": "Tokens work.",
            "display_name": "Ana",
            "csrfmiddlewaretoken": token,
            "submission_key": key,
        },
    )
    assert response.status_code == 302
    assert Comment.objects.get().body == "Tokens work."


def test_resubmitted_form_creates_one_comment(reader_client, story):
    """Sending the same form twice (double click, reload) stores the comment once."""
    for _ in range(2):
        assert post(reader_client, story, "Once only.", submission_key="abc").status_code == 302
    assert Comment.objects.count() == 1


def test_pre_moderation_holds_comment_and_tells_writer(client, db):
    """Under pre-moderation a comment waits, is not shown, and its writer is told."""
    from tests.comments.conftest import policy

    section = factories.section()
    policy(section, moderation="pre")
    story = factories.article(section)
    writer = member()
    sign_in(client, writer)
    response = post(client, story, "Waiting for review.")
    page = client.get(response["Location"])
    doc = _doc(page)
    assert "once a moderator has approved it" in page.content.decode()
    assert doc.xpath('//section[@class="comments__pending"]')
    assert not doc.xpath('//ol[@class="comment-list"]')
    assert Comment.objects.get().status == "pending"
    other = _doc(factories_client().get(f"/comments/{story.pk}/"))
    assert "Waiting for review." not in html.tostring(other, encoding="unicode")


def factories_client():
    from django.test import Client

    return Client()


def test_first_comment_moderation_trusts_after_one_approval(client, db):
    """New members wait until one comment is approved; after that they post at once."""
    from masthead.comments import services
    from tests.comments.conftest import policy

    section = factories.section()
    policy(section, moderation="first")
    story = factories.article(section)
    writer = member()
    sign_in(client, writer)
    post(client, story, "My first comment.")
    first = Comment.objects.get()
    assert first.status == "pending"
    services.comments_moderate(comment_ids=[first.pk], action="approve", user=None)
    post(client, story, "My second comment.")
    assert Comment.objects.get(body="My second comment.").status == "approved"


def test_subsection_inherits_section_policy(client, db):
    """A subsection without its own policy follows its parent's moderation setting."""
    from tests.comments.conftest import policy

    parent = factories.section()
    policy(parent, moderation="pre")
    child = factories.section(parent)
    story = factories.article(child)
    sign_in(client, member())
    post(client, story, "Inherited policy.")
    assert Comment.objects.get().status == "pending"


def test_comments_close_after_section_days(client, db):
    """Comments close N days after publication, as the (inherited) section setting says."""
    import time_machine
    from django.utils import timezone

    from tests.comments.conftest import policy

    parent = factories.section()
    policy(parent, moderation="post", close_after_days=3)
    story = factories.article(factories.section(parent))
    sign_in(client, member())
    with time_machine.travel(timezone.now() + timezone.timedelta(days=2, hours=23)):
        assert post(client, story, "Still open.").status_code == 302
    with time_machine.travel(timezone.now() + timezone.timedelta(days=3, hours=1)):
        response = post(client, story, "Too late.")
        assert response.status_code == 403
        assert "close 3 days after publication" in response.content.decode()
    assert list(Comment.objects.values_list("body", flat=True)) == ["Still open."]


def test_editor_closed_thread_refuses_comments(reader_client, story):
    """An editor can close any thread; the form disappears and posts are refused."""
    from masthead.comments import services

    services.thread_close(article_id=story.pk, user=None)
    response = post(reader_client, story, "Closed?")
    assert response.status_code == 403
    assert "closed by the editors" in response.content.decode()
    assert not Comment.objects.exists()
