import json
from datetime import timedelta

import feedparser
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree, html
from wagtail.models import Site
from wagtail.rich_text import RichText

from masthead.discovery.models import DiscoverySettings
from tests import factories
from tests.discovery.helpers import hidden_articles

pytestmark = pytest.mark.django_db


def _parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


FEED_NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
}


def _check_json_feed(data):
    """JSON Feed 1.1's rules (feedparser reads no JSON Feed): required members, their types,
    absolute URLs, RFC 3339 dates, and content in every item."""
    from datetime import datetime

    def absolute(url):
        return isinstance(url, str) and url.startswith(("http://", "https://"))

    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(data["title"], str) and data["title"]
    assert absolute(data["home_page_url"]) and absolute(data["feed_url"])
    assert isinstance(data["items"], list)
    for item in data["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert absolute(item["url"])
        assert isinstance(item.get("content_html", item.get("content_text")), str)
        for name in ("date_published", "date_modified"):
            if name in item:
                assert datetime.fromisoformat(item[name]).tzinfo is not None, name
        for author in item.get("authors", []):
            assert set(author) <= {"name", "url", "avatar"} and author.get("name")
            assert absolute(author.get("url", "http://"))
        assert all(isinstance(tag, str) for tag in item.get("tags", []))
        assert "image" not in item or absolute(item["image"])
        # Members the specification does not define are extensions: they start with "_".
        known = {
            "id", "url", "external_url", "title", "content_html", "content_text", "summary",
            "image", "banner_image", "date_published", "date_modified", "authors", "tags",
            "language", "attachments",
        }  # fmt: skip
        assert all(key in known or key.startswith("_") for key in item), item.keys()


@pytest.fixture
def story():
    politics = factories.section(title="Politics", slug="politics")
    writers = [factories.author(name="Ana Ruiz"), factories.author(name="Ben Osei")]
    return factories.article(
        politics,
        title="Harbour bridge vote <delayed> & reviewed",
        dek="Councillors want more time to read the costs.",
        authors=writers,
        topics=["Transport", "Budget"],
        lead_image=factories.image(caption="The bridge at dawn.", credit="Courier/Ana Ruiz"),
    )


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_site_feed_items_carry_what_readers_need(client, story, fmt):
    """Each item has its headline, absolute link, id, dates, authors, categories, summary
    and the lead picture with caption and credit, and the feed parses strictly."""
    response, parsed = _parse(client, f"/feeds/{fmt}/")
    assert parsed.feed.language == "en"
    entry = parsed.entries[0]
    assert entry.title == "Harbour bridge vote <delayed> & reviewed"
    assert entry.link == "http://testserver" + story.url
    assert entry.id == f"urn:uuid:{story.translation_key}"
    assert entry.published_parsed and entry.updated_parsed
    assert [a.name for a in entry.authors] == ["Ana Ruiz", "Ben Osei"]
    assert {t.term for t in entry.tags} == {"Politics", "Transport", "Budget"}
    assert entry.summary == "Councillors want more time to read the costs."
    media = entry.media_content[0]
    assert media["url"].startswith("http://testserver/") and media["medium"] == "image"
    assert entry.media_credit[0]["content"] == "Courier/Ana Ruiz"
    ns = {"media": "http://search.yahoo.com/mrss/"}
    tree = etree.fromstring(response.content)
    assert tree.xpath("//media:content/media:description/text()", namespaces=ns) == [
        "The bridge at dawn."
    ]
    enclosure = [link for link in entry.links if link.rel == "enclosure"][0]
    assert enclosure.type == "image/jpeg" and enclosure.href == media["url"]


def test_json_feed_follows_version_1_1(client, story):
    """The JSON Feed names its version and gives each item id, url, dates, authors, tags."""
    response = client.get("/feeds/json/")
    assert response["Content-Type"].startswith("application/feed+json")
    data = json.loads(response.content)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == "http://testserver/feeds/json/"
    item = data["items"][0]
    assert item["id"] == f"urn:uuid:{story.translation_key}"
    assert item["url"] == "http://testserver" + story.url
    assert item["title"] == story.title
    assert item["date_published"].startswith(str(story.first_published_at.year))
    assert [a["name"] for a in item["authors"]] == ["Ana Ruiz", "Ben Osei"]
    assert set(item["tags"]) == {"Politics", "Transport", "Budget"}
    assert item["image"].startswith("http://testserver/")
    assert item["_masthead"]["image_credit"] == "Courier/Ana Ruiz"
    assert "content_html" not in item


@pytest.mark.parametrize("full_content", [False, True])
def test_every_feed_of_every_scope_parses_strictly(client, story, full_content):
    """The site's, a section's, a subsection's, an author's and a topic's feed, in each
    format, parse without complaint and carry the story."""
    options = DiscoverySettings.for_site(Site.objects.get(is_default_site=True))
    options.feed_full_content = full_content
    options.save()
    elections = factories.section(story.get_parent(), title="Elections", slug="elections")
    ballot = factories.article(elections, title="Ballot story", topics=["Budget"])
    author = story.bylines.first().author
    scopes = {
        "/feeds/": {story, ballot},
        "/feeds/section/politics/": {story, ballot},
        "/feeds/section/politics/elections/": {ballot},
        f"/feeds/author/{author.slug}/": {story},
        "/feeds/topic/budget/": {story, ballot},
    }
    for prefix, stories in scopes.items():
        expected = {f"urn:uuid:{s.translation_key}" for s in stories}
        for fmt, content in (("rss", "//content:encoded"), ("atom", "//atom:entry/atom:content")):
            response, parsed = _parse(client, f"{prefix}{fmt}/")
            assert {e.id for e in parsed.entries} == expected, prefix + fmt
            found = etree.fromstring(response.content).xpath(content, namespaces=FEED_NS)
            assert len(found) == (len(expected) if full_content else 0), prefix + fmt
        response = client.get(f"{prefix}json/")
        assert response.status_code == 200
        data = json.loads(response.content)
        _check_json_feed(data)
        assert {item["id"] for item in data["items"]} == expected, prefix + "json"


def test_atom_gives_every_entry_an_author(client):
    """A story without a byline still has an Atom author: the publication, from the feed."""
    factories.article(title="Unsigned story", authors=[])
    factories.article(title="Signed story", authors=[factories.author(name="Ana Ruiz")])
    response, parsed = _parse(client, "/feeds/atom/")
    tree = etree.fromstring(response.content)
    feed_authors = tree.xpath("/atom:feed/atom:author/atom:name/text()", namespaces=FEED_NS)
    assert feed_authors == ["The Northgate Courier"]
    own = {e.title: [a.name for a in e.get("authors", [])] for e in parsed.entries}
    assert own["Signed story"] == ["Ana Ruiz"]


def test_item_id_is_stable_across_edits(client, story):
    """Editing and republishing a story keeps its feed id and publication time; the
    headline follows the edit and the updated time moves to it, in every format."""
    before = {fmt: _parse(client, f"/feeds/{fmt}/")[1].entries[0] for fmt in ("rss", "atom")}
    before_json = json.loads(client.get("/feeds/json/").content)["items"][0]
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        story.title = "Harbour bridge vote delayed again"
        story.slug = "bridge-vote-delayed-again"
        story.save_revision().publish()
    for fmt, old in before.items():
        _, after = _parse(client, f"/feeds/{fmt}/")
        new = after.entries[0]
        assert new.id == old.id
        assert new.title == "Harbour bridge vote delayed again"
        assert new.published_parsed == old.published_parsed
        assert new.updated_parsed > old.updated_parsed
    after_json = json.loads(client.get("/feeds/json/").content)["items"][0]
    assert after_json["id"] == before_json["id"]
    assert after_json["date_published"] == before_json["date_published"]
    assert after_json["date_modified"] > before_json["date_modified"]


def test_full_content_only_when_the_site_allows_and_without_scripts(client):
    """With full content on, feeds carry the body with absolute links and no scripts."""
    body = [
        (
            "paragraph",
            RichText(
                '<p>Read <a href="/politics/">the politics desk</a>.</p>'
                '<script>alert("x")</script><p onclick="steal()">Second paragraph.</p>'
            ),
        )
    ]
    factories.article(title="Full story", body=body)
    _, parsed = _parse(client, "/feeds/rss/")
    assert "content" not in parsed.entries[0]

    options = DiscoverySettings.for_site(Site.objects.get(is_default_site=True))
    options.feed_full_content = True
    options.save()
    for fmt in ("rss", "atom"):
        _, parsed = _parse(client, f"/feeds/{fmt}/")
        content = parsed.entries[0].content[-1].value
        assert 'href="http://testserver/politics/"' in content
        assert "Second paragraph." in content
        assert "<script" not in content and "alert" not in content and "onclick" not in content
    item = json.loads(client.get("/feeds/json/").content)["items"][0]
    assert "Second paragraph." in item["content_html"] and "<script" not in item["content_html"]


def test_full_content_links_keep_their_meaning_outside_the_site(client):
    """In full content, site paths and a story's own anchors point back at the site, while
    email, phone and other sites' links stay as written; script links are dropped."""
    body = [
        (
            "paragraph",
            RichText(
                '<p><a href="mailto:desk@example.org">Write to us</a>, '
                '<a href="tel:+441234567890">call us</a>, <a href="#timeline">see below</a>, '
                '<a href="//cdn.example.org/report.pdf">the report</a>, '
                '<a href="https://example.org/x">elsewhere</a>, '
                '<a href="javascript:alert(1)">trap</a>.</p>'
            ),
        ),
        ("image", {"image": factories.image(), "caption": "In the body"}),
    ]
    story = factories.article(title="Linked story", body=body)
    options = DiscoverySettings.for_site(Site.objects.get(is_default_site=True))
    options.feed_full_content = True
    options.save()
    item = json.loads(client.get("/feeds/json/").content)["items"][0]
    doc = html.fromstring(item["content_html"])
    assert doc.xpath("//a/@href") == [
        "mailto:desk@example.org",
        "tel:+441234567890",
        f"http://testserver{story.url}#timeline",
        "http://cdn.example.org/report.pdf",
        "https://example.org/x",
    ]
    assert doc.xpath("//img/@src")[0].startswith("http://testserver/media/images/")
    assert "javascript" not in item["content_html"]


def test_section_feed_includes_subsections_only(client):
    """A section's feed has its own and its subsections' stories, not other sections'."""
    politics = factories.section(title="Politics", slug="politics")
    elections = factories.section(politics, title="Elections", slug="elections")
    factories.article(politics, title="Budget story")
    factories.article(elections, title="Ballot story")
    factories.article(factories.section(title="Sport", slug="sport"), title="Match report")
    _, parsed = _parse(client, "/feeds/section/politics/rss/")
    assert {e.title for e in parsed.entries} == {"Budget story", "Ballot story"}
    _, parsed = _parse(client, "/feeds/section/politics/elections/atom/")
    assert [e.title for e in parsed.entries] == ["Ballot story"]
    assert parsed.feed.title.startswith("Elections")


def test_author_and_topic_feeds(client):
    """An author's feed lists their stories; a topic's feed lists the stories tagged with it."""
    ana = factories.author(name="Ana Ruiz", slug="ana-ruiz")
    factories.article(title="Ana's story", authors=[ana], topics=["Ferries"])
    factories.article(title="Someone else's story", topics=["Schools"])
    _, parsed = _parse(client, "/feeds/author/ana-ruiz/rss/")
    assert [e.title for e in parsed.entries] == ["Ana's story"]
    _, parsed = _parse(client, "/feeds/topic/ferries/atom/")
    assert [e.title for e in parsed.entries] == ["Ana's story"]


def test_unknown_scopes_are_not_found(client):
    """Unknown sections, authors, topics and formats answer 404 with a readable page, as do
    an author and a topic with nothing but drafts."""
    drafting = factories.author(name="Dana Draft")
    factories.article(topics=["Drafts only"], authors=[drafting], publish=False)
    for url in (
        "/feeds/section/nowhere/rss/",
        "/feeds/author/nobody/atom/",
        f"/feeds/author/{drafting.slug}/rss/",
        "/feeds/topic/drafts-only/json/",
        "/feeds/xml/",
    ):
        assert client.get(url).status_code == 404


def test_hidden_stories_appear_in_no_feed(client):
    """Drafts, unpublished, scheduled and private stories are in no feed of any kind."""
    section = factories.section(title="Local", slug="local")
    factories.article(section, title="Visible story")
    hidden = hidden_articles(section)
    for url in ("/feeds/rss/", "/feeds/atom/", "/feeds/json/", "/feeds/section/local/rss/"):
        body = client.get(url).content.decode()
        assert "Visible story" in body
        for page in hidden:
            assert page.title not in body, (url, page.title)
    for page in hidden:
        author = page.bylines.first().author
        body = client.get(f"/feeds/author/{author.slug}/atom/").content.decode()
        assert page.title not in body, page.title
    # The section behind a sign-in and the topic only its story carries have no feed.
    for url in ("/feeds/section/local/members-area/rss/", "/feeds/topic/members/rss/"):
        assert client.get(url).status_code == 404, url


def test_conditional_get_answers_304_until_something_changes(client, story, no_page_cache):
    """A reader sending back the ETag or Last-Modified gets 304 until a new story is out."""
    first = client.get("/feeds/rss/")
    assert "public" in first["Cache-Control"] and "max-age" in first["Cache-Control"]
    assert not first.cookies
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/feeds/rss/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    factories.article(story.get_parent(), title="Newer story")
    again = client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and b"Newer story" in again.content


def _rename_author(story):
    author = story.bylines.first().author
    author.name = "Ana Ruiz-Okafor"
    author.save()
    return "Ana Ruiz-Okafor"


def _recaption_picture(story):
    picture = story.lead_image
    picture.caption, picture.credit = "The bridge at dusk.", "Courier/Ben Osei"
    picture.save()
    return "The bridge at dusk."


def _rename_section(story):
    section = story.get_parent().specific
    section.title = "Civic affairs"
    section.save_revision().publish()
    return "Civic affairs"


def _rename_topic(story):
    from taggit.models import Tag

    topic = Tag.objects.get(name="Transport")
    topic.name = "Public transport"
    topic.save()
    return "Public transport"


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/section/politics/atom/"])
@pytest.mark.parametrize(
    "change", [_rename_author, _recaption_picture, _rename_section, _rename_topic]
)
def test_a_rename_in_a_feed_is_not_answered_304(client, story, no_page_cache, change, url):
    """Renaming an author, section or topic, or re-captioning a picture that a feed shows,
    gives a reader revalidating their copy the new feed, not a 304."""
    client.get(url)  # makes the site's feed settings, which purges
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        new_text = change(story).encode()
        for validator in ({"HTTP_IF_NONE_MATCH": etag}, {"HTTP_IF_MODIFIED_SINCE": modified}):
            again = client.get(url, **validator)
            assert again.status_code == 200, validator
            assert new_text in again.content


@pytest.mark.parametrize("page_cache", [False, True])
def test_unpublishing_the_newest_story_is_not_answered_304(client, settings, page_cache):
    """After the newest story is withdrawn, a reader sending back the feed's Last-Modified
    gets the feed without it, not a 304 that keeps the withdrawn story in their copy."""
    settings.MASTHEAD_PAGE_CACHE = page_cache
    section = factories.section()
    factories.article(section, title="Older story", published_at=factories.hours_ago(48))
    newest = factories.article(section, title="Newest story")
    # Each copy is fetched, and revalidated by date, a second or more after the last
    # publish: a copy dated the very second of a purge may be older than it (test_purge).
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        first = client.get("/feeds/atom/")
        assert b"Newest story" in first.content
        modified = first["Last-Modified"]
        assert client.get("/feeds/atom/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        newest.unpublish()
    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=2)):
        again = client.get("/feeds/atom/", HTTP_IF_MODIFIED_SINCE=modified)
        assert again.status_code == 200
        assert b"Older story" in again.content and b"Newest story" not in again.content
        current = again["Last-Modified"]
        assert client.get("/feeds/atom/", HTTP_IF_MODIFIED_SINCE=current).status_code == 304


def test_feed_queries_do_not_grow_with_items(client, no_page_cache):
    """A feed of twelve stories costs the same queries as a feed of two."""
    section = factories.section()

    def count():
        # Renditions and the site's feed settings are made on the first request; saving the
        # settings purges the page cache, so the site-wide memory is reloaded on the next.
        client.get("/feeds/atom/")
        client.get("/feeds/atom/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/feeds/atom/").status_code == 200
        return len(ctx)

    for _ in range(2):
        factories.article(section, topics=["A", "B"], lead_image=factories.image())
    small = count()
    for _ in range(10):
        factories.article(
            section,
            authors=[factories.author(), factories.author()],
            topics=["A", "C"],
            lead_image=factories.image(),
        )
    assert count() == small


def test_pages_advertise_their_feeds(client):
    """Front, section, author and topic pages link their feeds with rel=alternate."""
    politics = factories.section(title="Politics", slug="politics")
    ana = factories.author(slug="ana-ruiz")
    factories.article(politics, authors=[ana], topics=["Ferries"])
    expected = {
        "/": "/feeds/rss/",
        politics.url: "/feeds/section/politics/rss/",
        "/authors/ana-ruiz/": "/feeds/author/ana-ruiz/rss/",
        "/topics/ferries/": "/feeds/topic/ferries/rss/",
    }
    for url, feed_url in expected.items():
        doc = html.fromstring(client.get(url).content)
        hrefs = doc.xpath('//head/link[@rel="alternate"]/@href')
        assert "http://testserver" + feed_url in hrefs, (url, hrefs)
        assert "http://testserver/feeds/json/" in hrefs


def test_a_feed_holds_the_newest_stories_up_to_the_site_setting(client):
    """A feed lists its newest stories, newest first, as many as the site's setting says."""
    section = factories.section()
    for hours in (5, 1, 3):
        factories.article(
            section, title=f"{hours} hours old", published_at=factories.hours_ago(hours)
        )
    options = DiscoverySettings.for_site(Site.objects.get(is_default_site=True))
    options.feed_item_count = 2
    options.save()
    for fmt in ("rss", "atom"):
        _, parsed = _parse(client, f"/feeds/{fmt}/")
        assert [e.title for e in parsed.entries] == ["1 hours old", "3 hours old"]
    items = json.loads(client.get("/feeds/json/").content)["items"]
    assert [item["title"] for item in items] == ["1 hours old", "3 hours old"]


def test_renaming_an_author_reaches_cached_feeds(client):
    """A feed already cached shows an author's new name once the author is saved."""
    ana = factories.author(name="Ana Ruiz", slug="ana-ruiz")
    factories.article(title="Signed story", authors=[ana])
    urls = ("/feeds/rss/", "/feeds/atom/", "/feeds/json/", "/feeds/author/ana-ruiz/rss/")
    client.get("/feeds/rss/")  # makes the site's feed settings, which purges
    for url in urls:
        assert b"Ana Ruiz" in client.get(url).content
        assert client.get(url)["X-Masthead-Cache"] == "hit", url
    ana.name = "Ana Ruiz-Okafor"
    ana.save()
    for url in urls:
        assert b"Ana Ruiz-Okafor" in client.get(url).content, url


def test_renaming_a_topic_reaches_cached_feeds_and_stories(client, story):
    """Feeds and pages already cached show a topic's new name once the topic is saved:
    the topic's feed and page, every feed listing a story with it, and the story."""
    urls = (
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/json/",
        "/feeds/section/politics/rss/",
        f"/feeds/author/{story.bylines.first().author.slug}/atom/",
        "/feeds/topic/transport/rss/",
        "/topics/transport/",
        story.url,
    )
    client.get("/feeds/rss/")  # makes the site's feed settings, which purges
    for url in urls:
        assert b"Transport" in client.get(url).content, url
        assert client.get(url)["X-Masthead-Cache"] == "hit", url
    _rename_topic(story)
    for url in urls:
        assert b"Public transport" in client.get(url).content, url


def test_changing_the_full_content_setting_reaches_cached_feeds(client):
    """Turning full content on shows in a feed that was already cached."""
    factories.article(title="Cached story", body=factories.paragraphs("Whole body text."))
    assert b"Whole body text." not in client.get("/feeds/atom/").content
    options = DiscoverySettings.for_site(Site.objects.get(is_default_site=True))
    options.feed_full_content = True
    options.save()
    assert b"Whole body text." in client.get("/feeds/atom/").content
