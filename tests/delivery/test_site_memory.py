"""What a miss keeps in process memory (navigation, breadcrumbs, signup box, view
restrictions) is refreshed by the publish that changes it, and saves its queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html
from wagtail.models import PageViewRestriction

from tests import factories

pytestmark = pytest.mark.django_db


def _doc(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return html.fromstring(response.content)


def _nav(doc):
    return [a.text_content() for a in doc.xpath('//nav[@class="site-nav"]//a')]


def test_a_new_section_appears_in_the_navigation_of_the_next_page_rendered(client, site):
    assert _nav(_doc(client, site["article"].url)) == ["Harbour News"]
    weather = factories.section(title="Weather", slug="weather")
    later = factories.article(site["section"], title="Fog delays the ferry")
    assert _nav(_doc(client, later.url)) == ["Harbour News", "Weather"]
    weather.unpublish()
    assert _nav(_doc(client, site["article"].url)) == ["Harbour News"]


def test_a_renamed_section_shows_in_breadcrumbs_and_navigation(client, site):
    _doc(client, site["article"].url)
    section = site["section"]
    section.title = "Harbour and Docks"
    section.save_revision().publish()
    doc = _doc(client, site["article"].url)
    assert "Harbour and Docks" in [
        a.text_content() for a in doc.xpath('//nav[@class="breadcrumbs"]//a')
    ]
    assert _nav(doc) == ["Harbour and Docks"]


def test_a_renamed_newsletter_list_shows_in_the_signup_box(client, site):
    letter = factories.newsletter_list(name="Morning briefing", is_public=True)
    box = '//section[@class="newsletter-box"]'
    assert "Morning briefing" in _doc(client, site["article"].url).xpath(box)[0].text_content()
    letter.name = "Evening briefing"
    letter.save()
    text = _doc(client, site["article"].url).xpath(box)[0].text_content()
    assert "Evening briefing" in text and "Morning briefing" not in text


def test_the_signup_box_names_the_story_it_was_shown_on(client, site):
    other = factories.article(site["section"], title="Second story")
    for story in (site["article"], other):
        doc = _doc(client, story.url)
        assert doc.xpath('//section[@class="newsletter-box"]//input[@name="source"]/@value') == [
            story.url
        ]


def test_a_view_restriction_added_after_a_miss_is_honoured(client, site, settings):
    """The site had no restriction when the first page rendered; one added later applies
    at once to every page under it, and they leave the public listings."""
    settings.MASTHEAD_PAGE_CACHE = False
    story = site["article"]
    assert client.get(story.url).status_code == 200
    PageViewRestriction.objects.create(
        page=site["section"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    response = client.get(story.url)
    assert response.status_code == 200  # Wagtail's password form, not the story
    assert b"Cranes return to the quay" not in response.content or b"password" in (
        response.content.lower()
    )
    assert b'name="password"' in response.content
    assert "Harbour News" not in _nav(_doc(client, site["home"].url))


def test_an_article_miss_costs_a_fixed_handful_of_queries(client, site):
    """Route, the story's kept part (none yet), bylines, topics, the pictures' renditions,
    corrections, then keeping the part in one transaction: nothing per card or per
    picture, and nothing site-wide once the site's sections are known ("More on this" is
    weighed from lists kept since the last publish, its cards kept too)."""
    section = site["section"]
    picture = factories.image()
    stories = [
        factories.article(section, topics=["Shipping"], lead_image=picture, title=f"Story {i}")
        for i in range(5)
    ]
    # The site's sections, navigation, the picture's renditions and every story's card.
    client.get(stories[0].url)
    client.get(stories[1].url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(stories[2].url)
    assert response.status_code == 200
    assert response["X-Masthead-Cache"] == "miss"
    assert len(response.content) > 0
    statements = [q["sql"] or "(a prepared statement)" for q in ctx.captured_queries]
    reads = statements[: next(n for n, sql in enumerate(statements) if "SAVEPOINT" in sql)]
    assert len(reads) <= 6, "\n".join(statements)
    assert statements[-1].startswith("RELEASE SAVEPOINT")


def test_more_on_this_shows_a_related_story_as_last_published(client, site):
    """A card kept in memory for "More on this" is refreshed by the related story's publish."""
    related = factories.article(site["section"], topics=["Shipping"], title="Quay reopens")
    reader = factories.article(site["section"], topics=["Shipping"], title="Reader story")
    cards = '//aside[@class="related"]//h3'
    assert "Quay reopens" in [h.text_content() for h in _doc(client, reader.url).xpath(cards)]
    related.title = "Quay reopens after repairs"
    related.save_revision().publish()
    headlines = [h.text_content() for h in _doc(client, site["article"].url).xpath(cards)]
    assert "Quay reopens after repairs" in headlines
    assert "Quay reopens" not in headlines


def _pictures(doc):
    return doc.xpath("//picture")


def test_a_picture_shown_again_keeps_its_sources_sizes_and_alt_text(client, site):
    """The second story with the same lead picture gets the same full markup (kept from
    the first), and a picture whose alt text changed shows the new text."""
    picture = factories.image(alt_text="Cranes at rest on the quay")
    first = factories.article(site["section"], lead_image=picture, title="First picture story")
    second = factories.article(
        site["section"],
        lead_image=picture,
        title="Second picture story",
        body=[("image", {"image": picture, "caption": ""})],
    )
    lead_first = _pictures(_doc(client, first.url))[0]
    lead_second, in_body = _pictures(_doc(client, second.url))[:2]
    assert html.tostring(lead_second) == html.tostring(lead_first)
    (webp,) = lead_second.xpath(".//source")
    assert webp.get("type") == "image/webp"
    assert [w.split()[-1] for w in webp.get("srcset").split(", ")] == ["400w", "800w", "1200w"]
    (img,) = lead_second.xpath(".//img")
    assert img.get("alt") == "Cranes at rest on the quay"
    assert img.get("fetchpriority") == "high" and img.get("loading") is None
    assert ".jpg 400w" in img.get("srcset") and img.get("sizes")
    assert img.get("width") and img.get("height")
    # The body picture is the same image with other attributes: lazy, not high priority.
    (body_img,) = in_body.xpath(".//img")
    assert body_img.get("loading") == "lazy" and body_img.get("decoding") == "async"
    assert body_img.get("fetchpriority") is None

    picture.alt_text = "Two cranes lowered over an empty berth"
    picture.save()
    third = factories.article(site["section"], lead_image=picture, title="Third picture story")
    (img,) = _pictures(_doc(client, third.url))[0].xpath(".//img")
    assert img.get("alt") == "Two cranes lowered over an empty berth"


def test_page_urls_follow_a_second_site_once_it_is_saved(client, site):
    """Page URLs come from site root paths kept in memory: adding a site for another host
    (a purge) makes the next render link pages of both sites by their full URLs."""
    from wagtail.models import Site

    other_home = factories.section(title="Sister paper", slug="sister")
    doc = _doc(client, site["article"].url)
    assert doc.xpath('//nav[@class="site-nav"]//a[text()="Sister paper"]/@href') == ["/sister/"]
    Site.objects.create(hostname="sister.example.org", port=80, root_page=other_home)
    doc = _doc(client, site["article"].url)
    assert doc.xpath('//nav[@class="site-nav"]//a[text()="Sister paper"]/@href') == [
        "http://sister.example.org/"
    ]
    assert site["article"].get_url() == site["article"].url  # this site's pages stay local


def test_a_miss_never_asks_the_cache_for_site_root_paths(client, site, monkeypatch):
    """Wagtail would read them from the cache for every page instance a render builds a URL
    for (the story, its breadcrumbs, its cards): once per purge in each process instead."""
    from wagtail.models import Site

    factories.article(site["section"], title="Second story", topics=["Shipping"])
    _doc(client, site["article"].url)
    asked = []
    real = Site.get_site_root_paths
    monkeypatch.setattr(
        Site, "get_site_root_paths", staticmethod(lambda: asked.append(1) or real())
    )
    other = factories.article(site["section"], title="Third story", topics=["Shipping"])
    asked.clear()  # the publish purged: the first render after it asks once
    _doc(client, other.url)
    _doc(client, site["article"].url + "?page=2")
    assert len(asked) <= 1


@pytest.fixture
def shared_store(settings):
    """The page cache on Redis, as in production (the suite's own Redis when it runs on
    one; otherwise the machine's, under a key prefix of this test's own)."""
    import uuid

    import redis

    from masthead.delivery.cache import page_cache, reset_page_cache

    if not settings.MASTHEAD_PAGE_CACHE_SHARED:
        try:
            redis.Redis(host="127.0.0.1", port=6379, socket_timeout=0.5).ping()
        except redis.RedisError:
            pytest.skip("needs a Redis on 127.0.0.1:6379")
        settings.CACHES = {
            **settings.CACHES,
            "pages": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/15",
                "KEY_PREFIX": f"site-memory-{uuid.uuid4().hex}",
            },
        }
        settings.MASTHEAD_PAGE_CACHE_ALIAS = "pages"
        settings.MASTHEAD_PAGE_CACHE_SHARED = True
    yield page_cache()
    page_cache().store.clear()
    reset_page_cache()


def _site_lookups(client, url):
    """The SQL of a miss of `url` that reads the Site or the pages that hold other pages
    (the front page and the sections: masthead.delivery.routing)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert response["X-Masthead-Cache"] == "miss"
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"]
        and ('FROM "wagtailcore_site"' in q["sql"] or '"content_type_id" IN (' in q["sql"])
    ]


def test_a_story_published_keeps_what_the_site_structure_decides(client, site, shared_store):
    """A story's publish purges its pages, not what every page knows of the site: the next
    miss of another story finds the site, its sections and the front page without asking
    the database, and still shows the new headline in its "More on this"."""
    section = site["section"]
    first = factories.article(section, topics=["Shipping"], title="Pilot boat retired")
    reader = factories.article(section, topics=["Shipping"], title="Harbour dues rise")
    assert _site_lookups(client, first.url)  # the first miss of this process reads them
    assert _site_lookups(client, site["article"].url) == []
    first.title = "Pilot boat retired after forty years"
    first.save_revision().publish()
    assert _site_lookups(client, reader.url) == []
    headlines = [h.text_content() for h in _doc(client, reader.url).xpath("//aside//h3")]
    assert "Pilot boat retired after forty years" in headlines


def test_a_section_published_refreshes_what_the_site_structure_decides(client, site, shared_store):
    """A section's publish purges everything: the next miss reads the site again and shows
    the section's new name in the navigation and breadcrumbs of every story."""
    _doc(client, site["article"].url)
    other = factories.article(site["section"], title="Tug crews strike")
    assert _site_lookups(client, other.url) == []
    section = site["section"]
    section.title = "Harbour and Docks"
    section.save_revision().publish()
    assert _site_lookups(client, site["article"].url)
    doc = _doc(client, other.url)
    assert _nav(doc) == ["Harbour and Docks"]
    assert "Harbour and Docks" in [
        a.text_content() for a in doc.xpath('//nav[@class="breadcrumbs"]//a')
    ]


def test_the_site_generation_changes_with_a_purge_of_everything_only(site, shared_store):
    before = shared_store.site_generation_or_none()
    shared_store.purge({f"page:{site['article'].pk}", "feeds", "comments:1"})
    assert shared_store.site_generation_or_none() == before
    shared_store.purge({"all"})
    after = shared_store.site_generation_or_none()
    assert after not in (before, None)
    # An emptied store starts a new one: no process goes on with what it kept.
    shared_store.store.clear()
    assert shared_store.site_generation_or_none() not in (after, None)
