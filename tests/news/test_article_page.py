import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html

from tests import factories

pytestmark = pytest.mark.django_db


def _get(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response, html.fromstring(response.content)


def _json_ld(doc, kind):
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        data = json.loads(script.text)
        if data["@type"] == kind:
            return data
    raise AssertionError(f"no {kind} JSON-LD on the page")


def test_article_shows_headlines_in_their_places(client):
    """The display headline is the h1; the SEO headline is the title; the kicker leads."""
    story = factories.article(
        title="Display headline",
        seo_title="Search headline",
        social_title="Share headline",
        kicker="exclusive",
    )
    _, doc = _get(client, story)
    assert doc.xpath("//h1")[0].text_content() == "Display headline"
    assert len(doc.xpath("//h1")) == 1
    assert doc.findtext(".//title").startswith("Search headline")
    assert doc.xpath('//meta[@property="og:title"]/@content') == ["Share headline"]
    assert doc.xpath('//p[contains(@class,"kicker")]')[0].text_content() == "Exclusive"


def test_article_structured_data_has_required_fields(client):
    """NewsArticle JSON-LD parses and names headline, dates, authors, publisher, section."""
    writer = factories.author(name="Ana Ruiz")
    story = factories.article(authors=[writer], topics=["Harbour"], lead_image=factories.image())
    _, doc = _get(client, story)
    data = _json_ld(doc, "NewsArticle")
    assert data["headline"] == story.title
    assert data["author"][0]["name"] == "Ana Ruiz"
    assert data["publisher"]["logo"]["url"].startswith("http")
    assert data["articleSection"] == story.get_parent().title
    assert data["keywords"] == ["Harbour"]
    assert data["datePublished"] and data["dateModified"]
    assert data["image"][0].endswith(".jpg")
    crumbs = _json_ld(doc, "BreadcrumbList")["itemListElement"]
    assert [c["name"] for c in crumbs][-1] == story.title


def test_article_queries_do_not_grow_with_content(client, settings):
    """Rendering costs the same number of queries for a small story and a large one."""
    settings.MASTHEAD_PAGE_CACHE = False  # measure rendering, not cache hits
    section = factories.section()
    one_of_each = [
        *factories.paragraphs("Only paragraph"),
        ("image", {"image": factories.image(), "caption": ""}),
    ]
    small = factories.article(
        section, topics=["Topic 0"], lead_image=factories.image(), body=one_of_each
    )
    big_body = []
    for i in range(6):
        big_body += factories.paragraphs(f"Paragraph {i}")
        big_body.append(("image", {"image": factories.image(), "caption": ""}))
        big_body.append(
            ("quote", {"text": "Words", "speaker": f"Speaker {i}", "role": "", "pull": False})
        )
        big_body.append(("subheading", {"text": f"Part {i}", "anchor": ""}))
    big = factories.article(
        section,
        authors=[factories.author() for _ in range(4)],
        topics=[f"Topic {i}" for i in range(6)],
        lead_image=factories.image(),
        body=big_body,
    )
    for i in range(5):
        factories.article(section, topics=[f"Topic {i}"], lead_image=factories.image())

    counts = []
    for story in (small, big):
        client.get(story.url)  # renditions are created on first view
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(story.url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[0] > 0


def test_a_miss_does_not_write_the_share_image_back_to_the_renditions_cache(
    client, settings, monkeypatch
):
    """The share image's rendition, fetched with the page, is used as is: a miss does not
    send it back to the (shared) renditions cache, once per share tag, on every render."""
    settings.MASTHEAD_PAGE_CACHE = False
    story = factories.article(lead_image=factories.image())
    _, doc = _get(client, story)  # renditions are created on first view
    share = doc.xpath('//meta[@property="og:image"]/@content')
    rendition_cache = story.lead_image.get_rendition_model().cache_backend
    written = []
    monkeypatch.setattr(rendition_cache, "set", lambda *a, **k: written.append(a[0]))
    monkeypatch.setattr(rendition_cache, "set_many", lambda d, *a, **k: written.extend(d))
    _, doc = _get(client, story)
    assert doc.xpath('//meta[@property="og:image"]/@content') == share
    assert _json_ld(doc, "NewsArticle")["image"] == share
    assert written == []
