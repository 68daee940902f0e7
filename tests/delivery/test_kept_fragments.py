"""A story's own part of its page, kept across page-cache misses (masthead.delivery.fragments,
masthead.news.story): used when nothing it shows has changed, never otherwise."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.rich_text import RichText

from masthead.delivery.cache import page_cache
from masthead.delivery.models import KeptFragment
from masthead.delivery.services import page_cache_purge
from tests import factories

pytestmark = pytest.mark.django_db

MARKER = "Marked while kept"


def _empty_page_cache():
    """What an eviction or expiry does: entries gone, no purge (so the site facts a
    process remembers stay too), kept fragments left."""
    cache = page_cache()
    cache.local.clear()
    if cache.config.shared:
        cache.store.delete_pattern("pagecache:e*")


def _mark_kept(client, story):
    """Render the story once (its part is kept), then write a marker over the kept headline:
    a page showing the marker was built from the kept part."""
    assert client.get(story.url).headers["X-Masthead-Cache"] == "miss"
    fragment = KeptFragment.objects.get(name=f"story:{story.pk}")
    fragment.parts = fragment.parts.replace(story.title, MARKER)
    fragment.save()
    _empty_page_cache()


def _shows(client, url, text):
    response = client.get(url)
    assert response.status_code == 200
    return text in response.content.decode()


def test_a_miss_of_a_story_whose_part_is_kept_renders_the_same_page_with_two_queries(client, site):
    story = site["article"]
    factories.article(site["section"], topics=["Shipping"], title="A related story")
    first = client.get(story.url)
    assert first.headers["X-Masthead-Cache"] == "miss"
    assert KeptFragment.objects.filter(name=f"story:{story.pk}").exists()
    _empty_page_cache()
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(story.url)
    assert again.headers["X-Masthead-Cache"] == "miss"
    assert again.content == first.content
    # The route and the kept part ("More on this" is remembered since the first miss).
    assert len(ctx.captured_queries) <= 2, "\n".join(q["sql"] for q in ctx.captured_queries)


def test_the_kept_part_is_what_the_page_shows_until_the_story_is_published_again(client, site):
    story = site["article"]
    _mark_kept(client, story)
    assert _shows(client, story.url, MARKER)
    _empty_page_cache()
    assert _shows(client, story.url, MARKER)
    story.dek = "A new standfirst"
    story.save_revision().publish()
    assert not _shows(client, story.url, MARKER)
    assert _shows(client, story.url, "A new standfirst")


@pytest.mark.parametrize(
    "change",
    ["author renamed", "topic renamed", "image described anew", "section renamed"],
)
def test_a_change_to_what_the_part_shows_renders_it_anew(client, site, change):
    picture = factories.image(alt_text="Cranes at rest")
    story = factories.article(
        site["section"],
        authors=[site["author"]],
        topics=["Shipping"],
        lead_image=picture,
        title="Kept story",
    )
    _mark_kept(client, story)
    assert _shows(client, story.url, MARKER)
    if change == "author renamed":
        expected = site["author"].name = "Ines Varga-Holm"
        site["author"].save()
    elif change == "topic renamed":
        topic = story.topics.get()
        expected = topic.name = "Shipping and ports"
        topic.save()
    elif change == "image described anew":
        expected = picture.alt_text = "Two cranes over an empty berth"
        picture.save()
    else:
        section = site["section"]
        expected = section.title = "Port and Harbour"
        section.save_revision().publish()
    page = client.get(story.url).content.decode()
    assert MARKER not in page
    assert expected in page


def test_a_page_the_body_links_to_moving_renders_the_link_anew(client, site):
    target = factories.article(site["section"], title="Linked story", slug="linked-story")
    story = factories.article(
        site["section"],
        title="Linking story",
        body=[
            (
                "paragraph",
                RichText(f'<p>See <a linktype="page" id="{target.pk}">the earlier report</a>.</p>'),
            )
        ],
    )
    link = '<a href="/harbour/{}/">the earlier report</a>'
    assert link.format("linked-story") in client.get(story.url).content.decode()
    target.slug = "linked-story-renamed"
    target.save_revision().publish()
    assert link.format("linked-story-renamed") in client.get(story.url).content.decode()


def test_a_site_setting_shown_in_the_part_renders_it_anew(client, site, settings):
    story = site["article"]
    _mark_kept(client, story)
    settings.MASTHEAD_PUBLICATION_NAME = "The Quayside Record"
    page = client.get(story.url).content.decode()
    assert MARKER not in page
    assert '<meta property="og:site_name" content="The Quayside Record">' in page


def test_a_part_outlives_the_page_cache_entries_but_not_its_own_timeout(client, site, settings):
    """A story read again two days on still skips its render; one read after the kept
    part's timeout is rendered anew."""
    story = site["article"]
    _mark_kept(client, story)
    kept = KeptFragment.objects.filter(name=f"story:{story.pk}")
    days_ago = timezone.now() - timedelta(seconds=page_cache().config.timeout * 2)
    kept.update(rendered_at=days_ago)
    assert page_cache().config.timeout * 2 < settings.MASTHEAD_KEPT_PART_TIMEOUT
    assert _shows(client, story.url, MARKER)
    _empty_page_cache()
    expired = timezone.now() - timedelta(seconds=settings.MASTHEAD_KEPT_PART_TIMEOUT + 60)
    kept.update(rendered_at=expired)
    assert not _shows(client, story.url, MARKER)
    assert _shows(client, story.url, story.title)


def test_editors_and_previews_never_see_a_kept_part(client, site, admin_client):
    story = site["article"]
    _mark_kept(client, story)
    response = admin_client.get(story.url)
    assert response.headers.get("X-Masthead-Cache") == "bypass"
    assert MARKER not in response.content.decode()
    draft = story.get_latest_revision_as_object()
    draft.title = "Draft headline"
    draft.save_revision()
    preview = admin_client.get(f"/admin/pages/{story.pk}/view_draft/")
    assert preview.status_code == 200
    assert "Draft headline" in preview.content.decode()
    assert MARKER not in preview.content.decode()
    assert MARKER in KeptFragment.objects.get(name=f"story:{story.pk}").parts


def test_a_part_rendered_while_a_purge_came_in_is_not_kept(client, site, monkeypatch):
    """The author is renamed while the story renders: what the render read may be from
    before the change, so it is not kept."""
    from masthead.news import story as story_module

    story = site["article"]
    render = story_module.render_parts

    def render_then_rename(request, context):
        parts = render(request, context)
        site["author"].name = "Ines Varga-Holm"
        site["author"].save()
        return parts

    monkeypatch.setattr(story_module, "render_parts", render_then_rename)
    assert client.get(story.url).status_code == 200
    assert not KeptFragment.objects.filter(name=f"story:{story.pk}").exists()
    monkeypatch.setattr(story_module, "render_parts", render)
    assert _shows(client, story.url, "Ines Varga-Holm")


def test_the_scheduler_tick_deletes_parts_too_old_to_be_used(client, site, settings):
    from masthead.cli import scheduler_tick

    story, other = site["article"], factories.article(site["section"], title="Other story")
    client.get(story.url)
    client.get(other.url)
    old = timezone.now() - timedelta(seconds=settings.MASTHEAD_KEPT_PART_TIMEOUT + 60)
    KeptFragment.objects.filter(name=f"story:{story.pk}").update(rendered_at=old)
    scheduler_tick()
    assert list(KeptFragment.objects.values_list("name", flat=True)) == [f"story:{other.pk}"]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_part_is_written_after_the_response(client, site):
    """As in production (no request transaction): the keeper thread writes it."""
    from masthead.delivery.fragments import flush

    story = site["article"]
    first = client.get(story.url)
    flush()
    assert KeptFragment.objects.filter(name=f"story:{story.pk}").exists()
    _empty_page_cache()
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(story.url)
    assert again.content == first.content
    assert len(ctx.captured_queries) <= 2
    # Written with its tags: a purge of what the part shows drops it.
    page_cache_purge(tags={f"author:{site['author'].pk}"})
    assert not KeptFragment.objects.filter(name=f"story:{story.pk}").exists()
