from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree
from wagtail.models import Site

from masthead.discovery.models import DiscoverySettings
from tests import factories
from tests.discovery.helpers import hidden_articles

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("sitemap.xsd"))))


def _xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    tree = etree.fromstring(response.content)
    SCHEMA.assertValid(tree)
    return tree


def _locs(tree):
    return tree.xpath("//sm:loc/text()", namespaces=NS)


@pytest.fixture
def site_with_sections():
    politics = factories.section(title="Politics", slug="politics")
    elections = factories.section(politics, title="Elections", slug="elections")
    sport = factories.section(title="Sport", slug="sport")
    return politics, elections, sport


def test_index_lists_a_sitemap_per_section_and_the_news_sitemap(client, site_with_sections):
    """The index points at the pages sitemap, one per top-level section and Google News."""
    politics, _, _ = site_with_sections
    factories.article(politics)
    tree = _xml(client, "/sitemap.xml")
    assert _locs(tree) == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-section-politics.xml",
        "http://testserver/sitemap-section-sport.xml",
        "http://testserver/sitemap-news.xml",
    ]
    assert tree.xpath("//sm:sitemap[2]/sm:lastmod/text()", namespaces=NS)
    for url in ("/sitemap.xml", "/sitemap-section-politics.xml", "/robots.txt"):
        response = client.get(url)
        assert "public" in response["Cache-Control"] and not response.cookies, url


def test_section_sitemap_has_its_articles_with_lastmod_and_images(client, site_with_sections):
    """A section's sitemap lists its and its subsections' stories with lastmod and image."""
    politics, elections, sport = site_with_sections
    a = factories.article(politics, lead_image=factories.image())
    b = factories.article(elections)
    factories.article(sport)
    tree = _xml(client, "/sitemap-section-politics.xml")
    assert sorted(_locs(tree)) == sorted(["http://testserver" + a.url, "http://testserver" + b.url])
    url = tree.xpath("//sm:url[sm:loc=$loc]", loc="http://testserver" + a.url, namespaces=NS)[0]
    assert url.xpath("sm:lastmod/text()", namespaces=NS)[0].startswith(str(timezone.now().year))
    image = url.xpath("image:image/image:loc/text()", namespaces=NS)[0]
    assert image.startswith("http://testserver/media/") and image.endswith(".jpg")


def test_section_sitemaps_paginate_past_the_limit(client, settings, site_with_sections):
    """Past the URL limit a sitemap continues on ?p=2, and the index lists both pages."""
    settings.MASTHEAD_SITEMAP_LIMIT = 3
    politics, _, _ = site_with_sections
    stories = [factories.article(politics) for _ in range(5)]
    index = _locs(_xml(client, "/sitemap.xml"))
    assert "http://testserver/sitemap-section-politics.xml?p=2" in index
    first = _locs(_xml(client, "/sitemap-section-politics.xml"))
    second = _locs(_xml(client, "/sitemap-section-politics.xml?p=2"))
    assert len(first) == 3 and len(second) == 2
    assert sorted(first + second) == sorted("http://testserver" + s.url for s in stories)
    assert client.get("/sitemap-section-politics.xml?p=3").status_code == 404


def test_pages_sitemap_lists_front_sections_authors_and_topics(client, site_with_sections):
    """The pages sitemap has the front page, sections, and author and topic pages in use."""
    politics, elections, _ = site_with_sections
    ana = factories.author(slug="ana-ruiz")
    factories.author(slug="no-stories-yet")
    factories.article(politics, authors=[ana], topics=["Ferries"])
    factories.article(politics, topics=["Draft topic"], publish=False)
    locs = _locs(_xml(client, "/sitemap-pages.xml"))
    assert "http://testserver/" in locs
    assert "http://testserver" + elections.url in locs
    assert "http://testserver/authors/ana-ruiz/" in locs
    assert "http://testserver/topics/ferries/" in locs
    assert not [u for u in locs if "no-stories-yet" in u or "draft-topic" in u]


def test_news_sitemap_holds_only_the_last_48_hours(client, no_page_cache, site_with_sections):
    """Google News gets stories from the last 48 hours with publication, date and title."""
    politics, _, _ = site_with_sections
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        fresh = factories.article(
            politics, title="Fresh & new", published_at=now - timedelta(hours=47)
        )
        factories.article(politics, title="Two days old", published_at=now - timedelta(hours=49))
        tree = _xml(client, "/sitemap-news.xml")
    assert _locs(tree) == ["http://testserver" + fresh.url]
    news = tree.xpath("//news:news", namespaces=NS)[0]
    assert news.xpath("news:publication/news:name/text()", namespaces=NS) == [
        "The Northgate Courier"
    ]
    assert news.xpath("news:publication/news:language/text()", namespaces=NS) == ["en"]
    assert news.xpath("news:title/text()", namespaces=NS) == ["Fresh & new"]
    date = news.xpath("news:publication_date/text()", namespaces=NS)[0]
    assert date.startswith((now - timedelta(hours=47)).strftime("%Y-%m-%dT%H:%M"))
    with time_machine.travel(now + timedelta(hours=2), tick=False):
        assert _locs(_xml(client, "/sitemap-news.xml")) == []


@pytest.mark.parametrize(
    ("language", "expected"), [("en-GB", "en"), ("pt_BR", "pt"), ("zh-TW", "zh-tw"), ("de", "de")]
)
def test_news_sitemap_language_is_a_code_google_news_takes(client, settings, language, expected):
    """Google News takes ISO 639 codes (regional ones only for Chinese), whatever regional
    form the site's language setting has."""
    settings.MASTHEAD_LANGUAGE = language
    factories.article(title="Fresh story")
    tree = _xml(client, "/sitemap-news.xml")
    assert tree.xpath("//news:language/text()", namespaces=NS) == [expected]


def test_hidden_pages_appear_in_no_sitemap(client, site_with_sections):
    """Drafts, unpublished, scheduled and private stories are absent from every sitemap."""
    politics, _, _ = site_with_sections
    hidden = hidden_articles(politics)
    visible = factories.article(politics)
    urls = ("/sitemap.xml", "/sitemap-pages.xml", "/sitemap-section-politics.xml")
    bodies = "".join(client.get(u).content.decode() for u in (*urls, "/sitemap-news.xml"))
    assert visible.url in bodies
    for page in hidden:
        assert page.slug not in bodies
    # Nor the section behind a sign-in, or the topic only its stories carry.
    assert "members" not in bodies


def test_sitemap_queries_do_not_grow_with_urls(client, no_page_cache, site_with_sections):
    """A section sitemap of ten stories costs the same queries as one of two."""
    politics, _, _ = site_with_sections

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    urls = ("/sitemap-section-politics.xml", "/sitemap.xml", "/sitemap-news.xml")
    for url in urls:  # what only the site's structure decides is kept from here on
        count(url)
    for _ in range(2):
        factories.article(politics, lead_image=factories.image(), topics=["A"])
    small = {u: count(u) for u in urls}
    for _ in range(8):
        factories.article(politics, lead_image=factories.image(), topics=["B"])
    assert {u: count(u) for u in small} == small


def test_robots_txt_points_at_sitemaps_and_keeps_crawlers_out(client):
    """robots.txt names both sitemaps and, by the site setting, disallows private paths."""
    factories.home()
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Sitemap: http://testserver/sitemap-news.xml" in body
    for path in ("/admin/", "/search/"):
        assert f"Disallow: {path}\n" in body
    options = DiscoverySettings.for_site(Site.objects.get(is_default_site=True))
    options.robots_keep_out_private = False
    options.save()
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" not in body and "Disallow:\n" in body
