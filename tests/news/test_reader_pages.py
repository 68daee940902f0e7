"""What readers see on sections, authors, topics, the front page and error pages."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from lxml import html
from wagtail.rich_text import RichText

from masthead.news.models import ArticlePage
from tests import factories

pytestmark = pytest.mark.django_db


def _doc(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response, html.fromstring(response.content)


def _headlines(doc, xpath="//main//article"):
    return [
        " ".join(h.text_content().split())
        for h in doc.xpath(f"{xpath}//*[contains(@class,'story-card__headline')]")
    ]


def test_section_leads_with_newest_story_then_lists_newest_first(client):
    """A section shows its lead story, then the rest newest first, including subsections'."""
    politics = factories.section(title="Politics", slug="politics")
    elections = factories.section(politics, title="Election News", slug="election-news")
    factories.article(politics, title="Oldest", published_at=factories.hours_ago(30))
    factories.article(elections, title="Middle", published_at=factories.hours_ago(20))
    factories.article(politics, title="Newest", published_at=factories.hours_ago(1))
    factories.article(factories.section(), title="Elsewhere")
    factories.article(politics, title="Draft", publish=False)

    _, doc = _doc(client, politics.url)
    assert _headlines(doc, "//section[@aria-label='Lead story']") == ["Newest"]
    assert _headlines(doc, "//section[@aria-labelledby='latest-heading']") == ["Middle", "Oldest"]
    subsections = doc.xpath("//nav[@aria-label='Subsections']//a")
    assert [(a.text, a.get("href")) for a in subsections] == [
        ("Election News", "/politics/election-news/")
    ]


def test_editor_chosen_lead_story_comes_first(client):
    """An editor's chosen lead story leads the section even when it is not the newest."""
    section = factories.section()
    chosen = factories.article(section, title="Chosen", published_at=factories.hours_ago(9))
    factories.article(section, title="Newer")
    section.lead_story = chosen
    section.save_revision().publish()
    _, doc = _doc(client, section.url)
    assert _headlines(doc, "//section[@aria-label='Lead story']") == ["Chosen"]


def test_section_pages_are_paginated(client):
    """Twenty stories a page; page 2 holds the older ones; a bad page number shows page 1."""
    section = factories.section()
    for i in range(23):
        factories.article(section, title=f"Story {i:02}", published_at=factories.hours_ago(i + 1))
    _, first = _doc(client, section.url)
    assert len(_headlines(first)) == 20
    assert first.xpath("//nav[@class='pagination']//a[@rel='next']/@href") == ["?page=2"]
    _, second = _doc(client, section.url + "?page=2")
    assert _headlines(second) == ["Story 20", "Story 21", "Story 22"]
    _, bad = _doc(client, section.url + "?page=abc")
    assert _headlines(bad)[0] == "Story 00"


def test_front_page_has_top_story_and_latest_per_section(client):
    """The front page leads with the top story, then each top-level section's latest."""
    politics = factories.section(title="Politics", slug="politics")
    business = factories.section(title="Business", slug="business")
    elections = factories.section(politics, title="Election News", slug="election-news")
    factories.article(elections, title="Count begins", published_at=factories.hours_ago(3))
    factories.article(business, title="Port grows", published_at=factories.hours_ago(2))
    factories.article(politics, title="Newest of all", published_at=factories.hours_ago(1))

    _, doc = _doc(client, "/")
    assert _headlines(doc, "//section[@aria-label='Top story']") == ["Newest of all"]
    assert _headlines(doc, "//section[@aria-labelledby='section-politics']") == ["Count begins"]
    assert _headlines(doc, "//section[@aria-labelledby='section-business']") == ["Port grows"]

    home = factories.home()
    home.top_story = ArticlePage.objects.get(title="Port grows")
    home.save_revision().publish()
    _, doc = _doc(client, "/")
    assert _headlines(doc, "//section[@aria-label='Top story']") == ["Port grows"]


def test_author_page_lists_their_published_stories(client):
    """An author page shows name, role, bio and their published stories only."""
    writer = factories.author(name="Ana Ruiz", slug="ana-ruiz", bio="Covers the port.")
    factories.article(authors=[writer], title="Her story")
    factories.article(authors=[writer], title="Her draft", publish=False)
    factories.article(title="Someone else's")
    _, doc = _doc(client, "/authors/ana-ruiz/")
    assert doc.xpath("//h1")[0].text == "Ana Ruiz"
    assert "Covers the port." in doc.text_content()
    assert _headlines(doc) == ["Her story"]
    _doc(client, "/authors/nobody/", status=404)


def test_an_author_without_published_stories_has_no_page(client):
    """An author with drafts only, or no story at all, is a 404, as an unused topic is."""
    drafting = factories.author(slug="drafting")
    factories.article(authors=[drafting], title="Her draft", publish=False)
    factories.author(slug="new-hire")
    _doc(client, "/authors/drafting/", status=404)
    _doc(client, "/authors/new-hire/", status=404)


def test_topic_page_lists_stories_with_that_topic(client):
    """A topic page lists the stories tagged with it; an unused topic is a 404."""
    factories.article(title="Dredging costs rise", topics=["Tessel River"])
    factories.article(title="Unrelated")
    factories.article(title="Draft on the river", topics=["Hidden topic"], publish=False)
    _, doc = _doc(client, "/topics/tessel-river/")
    assert doc.xpath("//h1")[0].text == "Tessel River"
    assert _headlines(doc) == ["Dredging costs rise"]
    _doc(client, "/topics/hidden-topic/", status=404)


def test_not_found_page_is_helpful_and_reveals_nothing(client):
    """A 404 is our own page: a way back and a search box, no URL patterns or settings."""
    factories.home()
    response, doc = _doc(client, "/no/such/story/", status=404)
    text = response.content.decode()
    assert doc.xpath("//h1")[0].text == "We couldn't find that page"
    assert doc.xpath("//form[@role='search']//label")
    for internal in ("urlpatterns", "Traceback", "masthead.", "DEBUG", "Page not found at"):
        assert internal not in text


def test_server_error_page_reveals_nothing(monkeypatch):
    """A crash shows a short apology with status 500, never the exception or traceback."""
    story = factories.article()

    def broken(*args, **kwargs):
        raise RuntimeError("secret database detail")

    monkeypatch.setattr(ArticlePage, "get_context", broken)
    client = Client(raise_request_exception=False)
    response = client.get(story.url)
    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong on our side" in text
    assert "secret database detail" not in text and "Traceback" not in text


def test_share_metadata_on_a_section_page(client):
    """Pages other than stories share as websites, with their own canonical URL."""
    story = factories.article()
    section = story.get_parent().specific
    _, doc = _doc(client, section.url)
    assert doc.xpath("//meta[@property='og:type']/@content") == ["website"]
    assert doc.xpath("//link[@rel='canonical']/@href") == [f"http://testserver{section.url}"]
    assert doc.xpath("//meta[@property='og:title']/@content") == [section.title]


def test_share_metadata_on_an_article(client):
    """Canonical URL, description, Open Graph and a 1200×630 Twitter card image."""
    story = factories.article(
        title="Display", social_title="Shared", dek="The standfirst.", lead_image=factories.image()
    )
    _, doc = _doc(client, story.url)

    def meta(attr, name):
        return doc.xpath(f"//meta[@{attr}='{name}']/@content")

    assert doc.xpath("//link[@rel='canonical']/@href") == [f"http://testserver{story.url}"]
    assert meta("name", "description") == ["The standfirst."]
    assert meta("property", "og:type") == ["article"]
    assert meta("property", "og:title") == ["Shared"]
    assert meta("property", "og:url") == [f"http://testserver{story.url}"]
    image = meta("property", "og:image")[0]
    assert image.startswith("http://testserver/") and "fill-1200x630" in image
    assert meta("name", "twitter:card") == ["summary_large_image"]
    assert meta("name", "twitter:image") == [image]
    assert meta("property", "article:published_time")


def test_images_are_responsive_webp_with_fallback_and_lazy_below_the_fold(client):
    """Lead photo: WebP and JPEG srcsets, dimensions, loaded first; later images load lazily."""
    section = factories.section()
    body = [
        *factories.paragraphs("Text"),
        ("image", {"image": factories.image(), "caption": "In the body"}),
    ]
    story = factories.article(section, lead_image=factories.image(), body=body)
    factories.article(section, lead_image=factories.image())  # appears as a related card
    _, doc = _doc(client, story.url)

    lead = doc.xpath("//figure[@class='lead-figure']//picture")[0]
    (source,) = lead.xpath(".//source")
    assert source.get("type") == "image/webp"
    assert source.get("srcset").count(".webp") == 3 and "1200w" in source.get("srcset")
    img = lead.xpath(".//img")[0]
    assert img.get("src").endswith(".jpg") and img.get("srcset").count(".jpg") == 3
    assert img.get("width") and img.get("height") and img.get("sizes")
    assert img.get("loading") is None and img.get("fetchpriority") == "high"
    later = doc.xpath("//figure[@class='body-figure']//img | //aside[@class='related']//img")
    assert len(later) == 2
    assert all(i.get("loading") == "lazy" for i in later)


@pytest.mark.parametrize("kind", ["front", "section", "article", "author", "topic", "missing"])
def test_anonymous_reader_pages_set_no_cookie(client, kind):
    """Reader pages are the same for everyone: no session, CSRF or other cookie is set."""
    writer = factories.author(slug="writer")
    story = factories.article(authors=[writer], topics=["Harbour"])
    url = {
        "front": "/",
        "section": story.get_parent().url,
        "article": story.url,
        "author": "/authors/writer/",
        "topic": "/topics/harbour/",
        "missing": "/missing/",
    }[kind]
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response.headers


def _check_accessible(doc):
    assert len(doc.xpath("//h1")) == 1
    for landmark in ("header", "nav", "main", "footer"):
        assert doc.xpath(f"//{landmark}"), landmark
    assert doc.xpath("/html/@lang") == ["en"]
    assert doc.xpath("//a[@class='skip-link'][@href='#main']")
    levels = [int(h.tag[1]) for h in doc.xpath("//main//*[self::h1 or self::h2 or self::h3]")]
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    for img in doc.xpath("//img"):
        assert img.get("alt") is not None
    for field in doc.xpath("//input[not(@type='hidden')] | //textarea | //select"):
        assert field.get("aria-label") or doc.xpath(f"//label[@for='{field.get('id')}']"), (
            field.get("name")
        )


def test_reader_pages_are_semantic_and_accessible(client):
    """One h1, landmarks, headings in order, alt text and a label on every field."""
    section = factories.section()
    writer = factories.author(slug="writer")
    body = [
        *factories.paragraphs("Text"),
        ("fact_box", {"title": "Key facts", "body": RichText("<ul><li>One</li></ul>")}),
        ("subheading", {"text": "Part two", "anchor": ""}),
        ("quote", {"text": "Words.", "speaker": "A. Person", "role": "", "pull": True}),
    ]
    story = factories.article(
        section, authors=[writer], topics=["Harbour"], lead_image=factories.image(), body=body
    )
    factories.article(section, lead_image=factories.image())
    for url in ("/", section.url, story.url, "/authors/writer/", "/topics/harbour/"):
        _, doc = _doc(client, url)
        _check_accessible(doc)


def test_print_stylesheet_hides_navigation_and_keeps_the_story(client):
    """Printing gives the story and its credits without menus, forms or comments."""
    story = factories.article()
    _, doc = _doc(client, story.url)
    (href,) = doc.xpath("//link[@rel='stylesheet'][@media='print']/@href")
    from django.contrib.staticfiles import finders

    with open(finders.find(href.removeprefix("/static/"))) as f:
        css = f.read()
    for hidden in (".site-header", ".site-nav", ".comments", ".newsletter-box", ".site-search"):
        assert hidden in css.split("display: none")[0]
    assert ".credit" not in css.split("display: none")[0]


def test_section_and_front_page_queries_do_not_grow_with_stories(client, settings):
    """Listing 3 or 20 stories, with bylines and images, costs the same number of queries."""
    settings.MASTHEAD_PAGE_CACHE = False  # measure rendering, not cache hits
    small, big = factories.section(), factories.section()
    factories.article(small, lead_image=factories.image())
    factories.article(small)
    factories.article(small, authors=[factories.author(), factories.author()])
    for _ in range(20):
        factories.article(
            big, lead_image=factories.image(), authors=[factories.author(), factories.author()]
        )
    counts = []
    for url in (small.url, big.url, "/"):
        client.get(url)  # renditions are created on first view
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert 3 < counts[2] < 25, counts


HOSTILE = '<script>alert("x")</script> & <b onmouseover="y">it\'s</b>'


def test_what_editors_type_is_shown_as_text_on_every_reader_page(client):
    """Markup typed into a headline, standfirst, quote, author or topic is shown as the
    characters typed, on the story, its section, the front page, the author and the topic
    page: the only scripts are the site's own and the JSON-LD, which still parses."""
    writer = factories.author(name=f"Ana {HOSTILE}", slug="ana")
    section = factories.section(title=f"News {HOSTILE}")
    quote = {"text": f"Said {HOSTILE}", "speaker": HOSTILE, "role": HOSTILE, "pull": False}
    story = factories.article(
        section,
        title=f"Headline {HOSTILE}",
        dek=f"Standfirst {HOSTILE}",
        authors=[writer],
        topics=["Harbour <i>works</i>"],
        body=[*factories.paragraphs("Body."), ("quote", quote)],
    )
    pages = [story.url, section.url, "/", "/authors/ana/", "/topics/harbour-iworksi/"]
    for url in pages:
        response, doc = _doc(client, url)
        assert not doc.xpath("//b | //i | //*[@onmouseover]"), url
        for script in doc.xpath("//script"):
            if script.get("type") == "application/ld+json":
                json.loads(script.text)  # still one valid JSON document
            else:
                assert script.get("src", "").startswith("/static/"), url
        assert f"Headline {HOSTILE}" in doc.text_content(), url
    _, doc = _doc(client, story.url)
    assert doc.xpath("//p[@class='dek']")[0].text_content() == f"Standfirst {HOSTILE}"
    assert doc.xpath("//cite")[0].text_content() == HOSTILE
    assert doc.xpath("//a[@rel='author']")[0].text_content() == f"Ana {HOSTILE}"
    assert doc.xpath("//meta[@property='og:title']/@content") == [f"Headline {HOSTILE}"]
    assert doc.xpath("//nav[@class='topics']//a")[0].text_content() == "Harbour <i>works</i>"
