import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html

from masthead.comments import services, signals
from masthead.comments.models import Comment
from tests import factories
from tests.comments.conftest import member, policy, post, sign_in

pytestmark = pytest.mark.django_db


def test_article_page_shows_count_and_link_without_reader_state(client, reader, story):
    """The cached article page carries the count and a plain link, no token and no cookie."""
    writer = sign_in(client.__class__(), reader)
    post(writer, story, "Counted.")
    response = client.get(story.url)
    doc = html.fromstring(response.content)
    assert doc.xpath("//*[@data-comment-count]")[0].text_content() == "1"
    link = doc.xpath('//a[normalize-space()="Read and join the discussion"]/@href')
    assert link == [f"/comments/{story.pk}/"]
    assert doc.xpath('//input[@name="csrfmiddlewaretoken"]/@value') in ([], [""])
    assert not response.cookies
    assert not doc.xpath("//script[not(@src) and not(@type='application/ld+json')]")


def test_article_page_same_bytes_for_signed_in_member(client, reader, story):
    """A signed-in member gets the same article HTML as an anonymous reader."""
    anonymous = client.__class__().get(story.url).content
    signed_in = sign_in(client, reader).get(story.url).content
    assert anonymous == signed_in


def test_fragment_is_shared_and_cacheable(client, reader, story):
    """The comment fragment is public, cacheable and sets no cookie or token."""
    post(sign_in(client.__class__(), reader), story, "In the fragment.")
    response = client.get(f"/comments/{story.pk}/fragment/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    assert not response.cookies
    assert b"csrfmiddlewaretoken" not in response.content
    assert b"In the fragment." in response.content


def test_approval_announces_the_urls_to_refresh(client, django_capture_on_commit_callbacks):
    """Approving sends comment_was_approved and the thread-change hook with the fragment URL."""
    section = factories.section()
    policy(section, moderation="pre")
    story = factories.article(section)
    sign_in(client, member())
    post(client, story, "Approve me.")
    seen = []

    def on_approved(sender, comment, article_id, **kw):
        seen.append(("approved", comment.body, article_id))

    def on_changed(sender, article_id, urls, **kw):
        seen.append(("changed", article_id, urls))

    signals.comment_was_approved.connect(on_approved)
    signals.comment_thread_changed.connect(on_changed)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.comments_moderate(
                comment_ids=[Comment.objects.get().pk], action="approve", user=None
            )
    finally:
        signals.comment_was_approved.disconnect(on_approved)
        signals.comment_thread_changed.disconnect(on_changed)
    assert ("approved", "Approve me.", story.pk) in seen
    assert ("changed", story.pk, [f"/comments/{story.pk}/fragment/"]) in seen


def test_listing_shows_counts_with_fixed_queries(client, db, settings):
    """Section listings show each story's comment count without a query per card."""
    settings.MASTHEAD_PAGE_CACHE = False  # measure the render, not the page cache
    section = factories.section()
    policy(section, moderation="post")
    stories = [factories.article(section) for _ in range(3)]
    writer = sign_in(client.__class__(), member())
    post(writer, stories[1], "One.")
    post(writer, stories[1], "Two.")
    response = client.get(section.url)
    doc = html.fromstring(response.content)
    counts = doc.xpath('//a[@class="story-card__comments"]')
    assert [c.text_content() for c in counts] == ["2 comments"]
    with CaptureQueriesContext(connection) as few:
        client.get(section.url)
    for _ in range(4):
        post(writer, factories.article(section), "More stories, more counts.")
        writer = sign_in(client.__class__(), member())
    client.get(section.url)  # publishing resets Wagtail's cached site paths; warm them again
    with CaptureQueriesContext(connection) as many:
        client.get(section.url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_removing_a_comment_refreshes_cached_article_count(
    client, reader, story, django_capture_on_commit_callbacks
):
    """Rejecting a visible comment purges the cached article page, whose count then drops."""
    writer = sign_in(client.__class__(), reader)
    post(writer, story, "Soon gone.")
    first = client.get(story.url)
    assert client.get(story.url)["X-Masthead-Cache"] == "hit"
    assert html.fromstring(first.content).xpath("//*[@data-comment-count]")[0].text == "1"
    with django_capture_on_commit_callbacks(execute=True):
        services.comments_moderate(
            comment_ids=[Comment.objects.get().pk], action="reject", user=None
        )
    after = client.get(story.url)
    assert after["X-Masthead-Cache"] != "hit"
    assert html.fromstring(after.content).xpath("//*[@data-comment-count]")[0].text == "0"
