import os
import time
from datetime import timedelta
from email.utils import formatdate

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


def _prime(client, urls):
    """Fill the cache for each URL and check the next request is a hit."""
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert client.get(url).headers["X-Masthead-Cache"] == "hit", url


def _listing_urls(site):
    return [
        "/",
        site["section"].url,
        "/authors/ines-varga/",
        "/topics/shipping/",
    ]


def _shows(client, url, text):
    response = client.get(url)
    return response.status_code == 200 and text.encode() in response.content


def test_publishing_a_new_story_purges_every_listing(client, site):
    """A new story appears at once on the front page, its section, author and topic pages."""
    urls = _listing_urls(site)
    _prime(client, urls)
    factories.article(
        site["section"], authors=[site["author"]], topics=["Shipping"], title="Ferry timetable"
    )
    for url in urls:
        assert _shows(client, url, "Ferry timetable"), url


def test_editing_a_headline_purges_every_page_that_shows_it(client, site):
    """A corrected headline replaces the old one on the story and every listing."""
    neighbour = factories.article(site["section"], topics=["Shipping"], title="Neighbour story")
    story = site["article"]
    urls = [story.url, neighbour.url, *_listing_urls(site)]
    _prime(client, urls)
    assert _shows(client, neighbour.url, "Cranes return to the quay")  # in "More on this"
    story.title = "Cranes stay idle on the quay"
    story.save_revision().publish()
    for url in urls:
        assert _shows(client, url, "Cranes stay idle on the quay"), url
        assert not _shows(client, url, "Cranes return to the quay"), url


def test_unpublishing_removes_the_story_everywhere(client, site):
    """An unpublished story is gone from its URL and every listing; an author or topic
    page left without stories is gone too."""
    story = site["article"]
    other = factories.article(site["section"], authors=[site["author"]], title="Other story")
    colleague = factories.author(name="Tom Berg", slug="tom-berg")
    only = factories.article(site["section"], authors=[colleague], title="His only story")
    urls = [story.url, other.url, *_listing_urls(site), "/authors/tom-berg/"]
    _prime(client, urls)
    story.unpublish()
    assert client.get(story.url).status_code == 404
    for url in [other.url, "/", site["section"].url]:
        assert not _shows(client, url, "Cranes return to the quay"), url
    assert _shows(client, "/authors/ines-varga/", "Other story")
    assert not _shows(client, "/authors/ines-varga/", "Cranes return to the quay")
    assert client.get("/topics/shipping/").status_code == 404
    only.unpublish()
    assert client.get("/authors/tom-berg/").status_code == 404


def test_moving_a_story_purges_old_and_new_places(client, site):
    """After a move the old URL is gone, the old section drops it, the new one lists it."""
    story = site["article"]
    old_url = story.url
    elsewhere = factories.section(title="Business", slug="business")
    urls = [old_url, elsewhere.url, *_listing_urls(site)]
    _prime(client, urls)
    story.move(elsewhere, pos="last-child")
    story.refresh_from_db()
    assert story.url != old_url
    moved = client.get(old_url)
    assert moved.status_code == 301 and moved["Location"] == story.url  # the redirects app
    assert not _shows(client, site["section"].url, "Cranes return to the quay")
    assert _shows(client, elsewhere.url, "Cranes return to the quay")
    assert _shows(client, story.url, "Cranes return to the quay")
    response = client.get("/authors/ines-varga/")
    assert story.url.encode() in response.content and old_url.encode() not in response.content


def test_publishing_a_correction_shows_it_on_the_story(client, site):
    """A correction published on a story appears on its cached page at once."""
    from masthead.news.models import Correction

    story = site["article"]
    _prime(client, [story.url])
    story.corrections.add(Correction(text="<p>An earlier version misnamed the quay.</p>"))
    story.save_revision().publish()
    assert _shows(client, story.url, "An earlier version misnamed the quay.")


def test_deleting_a_story_removes_it_everywhere(client, site):
    """A deleted story is gone from its URL, its section and the front page."""
    story = site["article"]
    url = story.url
    _prime(client, [url, "/", site["section"].url])
    story.delete()
    assert client.get(url).status_code == 404
    assert not _shows(client, "/", "Cranes return to the quay")
    assert not _shows(client, site["section"].url, "Cranes return to the quay")


def test_renaming_a_section_purges_the_navigation_everywhere(client, site):
    """Every page carries the section navigation, so a renamed section purges them all."""
    story = site["article"]
    urls = [story.url, "/", "/authors/ines-varga/"]
    _prime(client, urls)
    section = site["section"]
    section.title = "Port and Harbour"
    section.save_revision().publish()
    for url in urls:
        assert _shows(client, url, "Port and Harbour"), url


def test_renaming_an_author_purges_their_bylines(client, site):
    """An author's new name shows on their stories, their page, and the cards of their
    stories on the front page, the section, the topic page and under other stories, and
    in the search page's list of authors."""
    story = site["article"]
    neighbour = factories.article(site["section"], topics=["Shipping"], title="Neighbour story")
    urls = [story.url, neighbour.url, *_listing_urls(site), "/search/"]
    _prime(client, urls)
    writer = site["author"]
    writer.name = "Ines Varga-Holm"
    writer.save()
    for url in urls:
        assert _shows(client, url, "Ines Varga-Holm"), url


def test_scheduled_story_appears_when_its_go_live_time_comes(client, site):
    """A story scheduled for later is absent until the scheduler publishes it, then visible."""
    go_live = timezone.now() + timedelta(hours=2)
    story = factories.article(site["section"], title="Polls open at seven", go_live_at=go_live)
    _prime(client, ["/", site["section"].url])
    assert client.get(story.url).status_code == 404
    call_command("publish_scheduled", verbosity=0)
    assert not _shows(client, site["section"].url, "Polls open at seven")
    with time_machine.travel(go_live + timedelta(seconds=1)):
        call_command("publish_scheduled", verbosity=0)
        for url in [story.url, "/", site["section"].url]:
            assert _shows(client, url, "Polls open at seven"), url


def test_publishing_purges_feeds_and_sitemaps(client, site):
    """A new story is in the site feed and the sitemap as soon as it is published."""
    # The first feed request creates the site's discovery settings (itself a purge).
    assert client.get("/feeds/rss/").status_code == 200
    urls = ["/feeds/rss/", "/sitemap.xml"]
    _prime(client, urls)
    story = factories.article(site["section"], title="Tide tables published")
    assert _shows(client, "/feeds/rss/", "Tide tables published")
    assert client.get("/sitemap.xml").headers["X-Masthead-Cache"] == "miss"
    sitemaps = [u for u in re_locs(client.get("/sitemap.xml").content) if "sitemap-" in u]
    assert any(story.slug.encode() in client.get(u).content for u in sitemaps)


def re_locs(xml):
    import re

    return [m.decode().replace("http://testserver", "") for m in re.findall(rb"<loc>([^<]+)", xml)]


def test_comment_changes_purge_the_story_count(client, site):
    """A changed comment thread purges the story page (its comment count), nothing else."""
    from masthead.comments import signals
    from masthead.comments.selectors import comment_urls_for_article

    story = site["article"]
    fragment = comment_urls_for_article(article_id=story.pk)[0]
    _prime(client, [story.url, "/"])
    signals.comment_thread_changed.send(sender=None, article_id=story.pk, urls=[fragment])
    assert client.get(story.url).headers["X-Masthead-Cache"] == "miss"
    assert client.get("/").headers["X-Masthead-Cache"] == "hit"


def test_editing_an_image_purges_the_stories_and_listings_that_show_it(client, site):
    """New alt text and caption show on the story that leads with the picture, the story
    that has it in its body, and the section listing their cards."""
    picture = factories.image(alt_text="Cranes at rest on the quay", caption="Old caption")
    lead = factories.article(site["section"], lead_image=picture, title="Picture story")
    body = factories.article(
        site["section"],
        title="Body picture story",
        body=[("image", {"image": picture, "caption": ""})],
    )
    urls = [lead.url, body.url, site["section"].url]
    _prime(client, urls)
    picture.alt_text = "Two cranes lowered over an empty berth"
    picture.caption = "The berth stood empty on Monday"
    picture.save()
    for url in urls:
        assert _shows(client, url, "Two cranes lowered over an empty berth"), url
    assert _shows(client, lead.url, "The berth stood empty on Monday")


def test_a_reader_holding_the_old_copy_is_not_told_unmodified(client, site):
    """A correction published in the same second as a reader's copy: their
    If-Modified-Since (without an ETag) gets the corrected page, not a 304."""

    story = site["article"]
    # The clock stops within the current second (the purge stamp's file time is real).
    with time_machine.travel(int(time.time()) + 0.001, tick=False):
        old = client.get(story.url)
        assert old.headers["X-Masthead-Cache"] == "miss"
        story.title = "Cranes stay idle on the quay"
        story.save_revision().publish()
        again = client.get(story.url, headers={"If-Modified-Since": old["Last-Modified"]})
        assert again.status_code == 200
        assert b"Cranes stay idle on the quay" in again.content
    # A copy dated after the purge's second revalidates as usual.
    later = formatdate(time.time() + 2, usegmt=True)
    assert client.get(story.url, headers={"If-Modified-Since": later}).status_code == 304


@pytest.fixture
def cdn():
    """A purge endpoint on 127.0.0.1, as Varnish or a CDN's purge API would take Wagtail's
    PURGE requests: records (Host, path) of each."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received = []

    class Purges(BaseHTTPRequestHandler):
        def do_PURGE(self):
            received.append((self.headers["Host"], self.path))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Purges)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], received
    finally:
        server.shutdown()
        server.server_close()


def _use_cdn(settings, port, timeout=10):
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "masthead.delivery.purging.TimedHTTPBackend",
            "LOCATION": f"http://127.0.0.1:{port}",
            "TIMEOUT": timeout,
        }
    }


def test_a_purge_endpoint_that_never_answers_does_not_hold_the_worker(
    site, settings, caplog, django_capture_on_commit_callbacks
):
    """A CDN that takes the PURGE and never answers costs the task worker its timeout per
    URL, not the rest of its life; each URL it could not purge is logged."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)  # connections are accepted by the kernel and never answered
    try:
        _use_cdn(settings, listener.getsockname()[1], timeout=0.2)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            site["article"].unpublish()
        took = time.monotonic() - started
    finally:
        listener.close()
    failed = [r for r in caplog.records if "Could not purge" in r.getMessage()]
    assert failed and site["article"].full_url in {r.args[0] for r in failed}
    assert took < 0.2 * len(failed) + 5


def _feeds(prefix):
    return {f"{prefix}{fmt}/" for fmt in ("rss", "atom", "json")}


def _change(story, change):
    if change == "correct":
        story.title = "Cranes return to the quay, a week late"
        story.save_revision().publish()
    else:
        story.unpublish()


def _renamed(kind, old, new):
    """An author's or topic's page and feeds under the slug it had and the one it has."""
    plural = {"author": "authors", "topic": "topics"}[kind]
    paths = set()
    for slug in (old, new):
        paths |= {f"/{plural}/{slug}/", *_feeds(f"/feeds/{kind}/{slug}/")}
    return paths


@pytest.mark.parametrize("change", ["correct", "unpublish"])
def test_the_cdn_is_told_every_url_that_shows_a_changed_story(
    site, settings, cdn, change, django_capture_on_commit_callbacks
):
    """With a frontend cache configured, publishing a correction or unpublishing sends a
    PURGE for the story, its section, the front page, its author and topic pages, the
    feeds and the sitemaps, once the change is committed (through Wagtail's frontend-cache
    task; the test settings run tasks at once)."""
    port, received = cdn
    _use_cdn(settings, port)
    story = site["article"]
    url = story.url
    with django_capture_on_commit_callbacks(execute=True):
        _change(story, change)
        before_commit = len(received)
    expected = {
        url,
        site["section"].url,
        "/",
        "/authors/ines-varga/",
        "/topics/shipping/",
        *settings.MASTHEAD_PAGE_CACHE_CDN_LISTING_PATHS,
    }
    # Wagtail purges the story's own URL at once; ours follow the commit (a CDN refetching
    # sooner would get the page from before it), and name every URL again.
    assert expected <= {path for _, path in received[before_commit:]}
    assert {host for host, _ in received} == {"testserver"}


def test_the_cdn_is_told_the_section_feeds_and_the_author_and_topic_feeds(
    site, settings, cdn, django_capture_on_commit_callbacks
):
    """A changed story is an item of its section's, authors' and topics' feeds and of its
    section's sitemap: the CDN is told those too."""
    port, received = cdn
    story = site["article"]
    _use_cdn(settings, port)
    with django_capture_on_commit_callbacks(execute=True):
        story.title = "Cranes return to the quay, a week late"
        story.save_revision().publish()
    assert {
        *_feeds("/feeds/section/harbour/"),
        *_feeds("/feeds/author/ines-varga/"),
        *_feeds("/feeds/topic/shipping/"),
        "/sitemap-section-harbour.xml",
        "/sitemap-pages.xml",
    } <= {path for _, path in received}


def test_the_cdn_is_told_every_url_that_shows_a_renamed_author(
    site, settings, cdn, django_capture_on_commit_callbacks
):
    """A renamed author's page, under the old slug and the new, their feeds, each of their
    live stories (the byline) and the pages listing those stories' cards are purged in
    the CDN once the rename is committed; a draft shows the name nowhere."""
    port, received = cdn
    writer = site["author"]
    business = factories.section(title="Business", slug="business")
    colleague = factories.author(name="Tom Berg", slug="tom-berg")
    second = factories.article(business, authors=[writer, colleague], topics=["Trade"])
    draft = factories.article(business, authors=[writer], publish=False)
    _use_cdn(settings, port)
    with django_capture_on_commit_callbacks(execute=True):
        writer.name = "Ines Varga-Holm"
        writer.slug = "ines-varga-holm"
        writer.save()
        assert received == []  # sent by the task worker after the commit
    paths = {path for _, path in received}
    assert {
        *_renamed("author", "ines-varga", "ines-varga-holm"),
        site["article"].url,
        second.url,
        "/",
        site["section"].url,
        business.url,
        "/topics/shipping/",
        "/topics/trade/",
        "/authors/tom-berg/",
        "/search/",
        *settings.MASTHEAD_PAGE_CACHE_CDN_LISTING_PATHS,
    } <= paths
    assert draft.url not in paths


def test_the_cdn_is_told_every_url_that_shows_a_renamed_topic(
    site, settings, cdn, django_capture_on_commit_callbacks
):
    """A renamed topic's page under the old slug and the new, its feeds and each of its
    live stories (their topic list) are purged in the CDN once the rename is committed."""
    from taggit.models import Tag

    port, received = cdn
    second = factories.article(site["section"], topics=["Shipping", "Trade"])
    unrelated = factories.article(site["section"], topics=["Weather"])
    topic = Tag.objects.get(slug="shipping")
    _use_cdn(settings, port)
    with django_capture_on_commit_callbacks(execute=True):
        topic.name = "Shipping and ports"
        topic.slug = "shipping-and-ports"
        topic.save()
    paths = {path for _, path in received}
    assert {
        *_renamed("topic", "shipping", "shipping-and-ports"),
        site["article"].url,
        second.url,
        *settings.MASTHEAD_PAGE_CACHE_CDN_LISTING_PATHS,
    } <= paths
    assert unrelated.url not in paths


def test_the_cdn_is_told_the_stories_of_a_deleted_topic(
    site, settings, cdn, django_capture_on_commit_callbacks
):
    """Deleting a topic takes it off its stories' pages and ends its page: both are purged
    in the CDN, though the delete removed the topic's taggings before the purge runs."""
    from taggit.models import Tag

    port, received = cdn
    _use_cdn(settings, port)
    with django_capture_on_commit_callbacks(execute=True):
        Tag.objects.get(slug="shipping").delete()
    paths = {path for _, path in received}
    assert {"/topics/shipping/", site["article"].url, "/sitemap.xml"} <= paths


@pytest.mark.parametrize("reference", ["related_story", "link"])
@pytest.mark.parametrize("change", ["correct", "unpublish"])
def test_the_cdn_is_told_the_stories_that_refer_to_a_changed_story(
    site, settings, cdn, django_capture_on_commit_callbacks, reference, change
):
    """A story whose body shows another (a related-story block with its headline, a link
    to its URL) is purged in the CDN with it; a draft that refers to it is not."""
    from wagtail.rich_text import RichText

    port, received = cdn
    story = site["article"]
    elsewhere = factories.section(title="Business", slug="business")
    if reference == "related_story":
        body = [("related_story", {"page": story, "label": "Read more"})]
    else:
        body = [("paragraph", RichText(f'<p>See <a linktype="page" id="{story.pk}">this</a>.</p>'))]
    referring = factories.article(elsewhere, title="Referring story", body=body)
    draft = factories.article(elsewhere, title="Referring draft", body=body, publish=False)
    _use_cdn(settings, port)
    with django_capture_on_commit_callbacks(execute=True):
        _change(story, change)
    paths = {path for _, path in received}
    assert referring.url in paths
    assert draft.url not in paths


def test_the_cdn_is_told_every_url_that_showed_a_deleted_story(
    site, settings, cdn, django_capture_on_commit_callbacks
):
    """Deleting a live story purges its URL and every listing that showed it in the CDN,
    after the commit (Wagtail unpublishes a live page before deleting it)."""
    port, received = cdn
    story = site["article"]
    url = story.url
    _use_cdn(settings, port)
    with django_capture_on_commit_callbacks(execute=True):
        story.delete()
        before_commit = len(received)
    assert {
        url,
        site["section"].url,
        "/",
        "/authors/ines-varga/",
        "/topics/shipping/",
        *settings.MASTHEAD_PAGE_CACHE_CDN_LISTING_PATHS,
    } <= {path for _, path in received[before_commit:]}


def test_the_cdn_is_told_where_a_moved_story_was(
    site, settings, cdn, django_capture_on_commit_callbacks
):
    """A moved story's old URL and the section it left are purged in the CDN, with its new
    URL and new section."""
    port, received = cdn
    story = site["article"]
    old_url = story.url
    elsewhere = factories.section(title="Business", slug="business")
    _use_cdn(settings, port)
    with django_capture_on_commit_callbacks(execute=True):
        story.move(elsewhere, pos="last-child")
    story.refresh_from_db()
    assert {old_url, site["section"].url, story.url, elsewhere.url} <= {p for _, p in received}


def test_cdn_urls_of_an_author_or_topic_cost_the_same_queries_however_many_stories(
    site, django_assert_num_queries
):
    """Finding what shows an author or a topic reads a fixed number of queries, not one
    per story."""
    from taggit.models import Tag

    from masthead.delivery.services import author_cdn_urls, topic_cdn_urls

    writer, topic = site["author"], Tag.objects.get(slug="shipping")
    for _ in range(5):
        factories.article(factories.section(), authors=[writer], topics=["Shipping", "Trade"])
    with django_assert_num_queries(2):
        urls = author_cdn_urls(author_id=writer.pk, slugs=[writer.slug])
    assert len([u for u in urls if "/story-" in u]) == 6
    with django_assert_num_queries(2):
        topic_cdn_urls(topic_id=topic.pk, slugs=[topic.slug])


def test_cdn_urls_of_many_pages_cost_the_same_queries_however_many(site, django_assert_num_queries):
    """What shows an image's stories (an edit in the library names them all) is found in
    a fixed number of queries, not a few per story; referring pages included."""
    from masthead.delivery.services import pages_cdn_urls

    picture = factories.image()
    stories = [factories.article(factories.section(), lead_image=picture) for _ in range(5)]
    body = [("related_story", {"page": stories[0], "label": "Read more"})]
    referring = factories.article(site["section"], title="Referring story", body=body)
    for pages in (stories[:1], [*stories, site["section"]]):
        with django_assert_num_queries(3):
            urls = pages_cdn_urls(pages=pages)
        assert all(any(u.endswith(story.url) for u in urls) for story in pages)
        assert any(u.endswith(referring.url) for u in urls)


needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis (set REDIS_URL): the CDN's index"
)


@needs_redis
def test_the_cdn_is_told_the_pages_that_showed_a_changed_story_card(
    site, settings, cdn, client, django_capture_on_commit_callbacks
):
    """Where the story's card was shown, which no list of URLs can name, the CDN is told
    too: the section's second page, "More on this" under a story elsewhere sharing its
    topic, and search results. A copy older than the CDN could still keep is not told."""
    port, received = cdn
    _use_cdn(settings, port)
    story = site["article"]
    for n in range(20):
        factories.article(site["section"], title=f"Later harbour story {n}")
    elsewhere = factories.article(
        factories.section(title="Business", slug="business"),
        topics=["Shipping"],
        title="Freight rates climb",
    )
    page_two = f"{site['section'].url}?page=2"
    for url in (page_two, elsewhere.url, "/search/?q=cranes"):
        assert _shows(client, url, "return to the quay"), url  # search marks the word it found
    with django_capture_on_commit_callbacks(execute=True):
        _change(story, "correct")
    told = {path for _, path in received}
    assert {page_two, elsewhere.url, "/search/?q=cranes"} <= told

    # Past the entry's lifetime here plus the CDN's (s-maxage and stale-while-revalidate),
    # no copy can be left: the CDN is not told that URL again.
    received.clear()
    later = timezone.now() + timedelta(seconds=settings.MASTHEAD_PAGE_CACHE_TIMEOUT + 361)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        _change(story, "unpublish")
    assert elsewhere.url not in {path for _, path in received}


@needs_redis
def test_the_cdn_is_told_the_page_of_an_author_taken_off_a_story(
    site, settings, cdn, client, django_capture_on_commit_callbacks
):
    """An edit that takes an author off a story purges, in the CDN too, that author's page
    and feed that listed it (the story now names only its remaining author)."""
    from masthead.news.models import ArticleByline, ArticlePage

    port, received = cdn
    _use_cdn(settings, port)
    second = factories.author(name="Dara Quill", slug="dara-quill")
    story = factories.article(
        site["section"], authors=[site["author"], second], title="Two hands on the tiller"
    )
    for url in ("/authors/dara-quill/", "/feeds/author/dara-quill/rss/"):
        assert _shows(client, url, "Two hands on the tiller"), url
    page = ArticlePage.objects.get(pk=story.pk)
    page.bylines = [ArticleByline(author=site["author"])]
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    told = {path for _, path in received}
    assert {"/authors/dara-quill/", "/feeds/author/dara-quill/rss/"} <= told
    assert b"Two hands on the tiller" not in client.get("/authors/dara-quill/").content


@needs_redis
@pytest.mark.parametrize("with_cdn", [False, True])
def test_urls_are_noted_for_the_cdn_only_when_there_is_one(site, settings, cdn, client, with_cdn):
    """The CDN's index costs a miss nothing on a site without a CDN: nothing is noted."""
    from masthead.delivery.cache import page_cache

    if with_cdn:
        _use_cdn(settings, cdn[0])
    assert client.get(site["article"].url).headers["X-Masthead-Cache"] == "miss"
    store = page_cache().store
    noted = store.client.get_client().keys(store.make_key("pagecache:cdn:*"))
    assert bool(noted) == with_cdn


@needs_redis
def test_the_cdn_is_told_every_page_of_the_sections_sitemap(
    site, settings, cdn, client, django_capture_on_commit_callbacks
):
    """A section's sitemap past its first page (MASTHEAD_SITEMAP_LIMIT URLs a page) lists
    the section's stories too: a story's correction purges each page the CDN may hold."""
    from django.urls import reverse

    port, received = cdn
    _use_cdn(settings, port)
    settings.MASTHEAD_SITEMAP_LIMIT = 1
    factories.article(site["section"], title="Second harbour story")
    second_page = reverse("discovery:sitemap", kwargs={"section": "section-harbour"}) + "?p=2"
    assert client.get(second_page).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        _change(site["article"], "correct")
    assert second_page in {path for _, path in received}


@needs_redis
def test_a_reader_gets_the_page_when_redis_refuses_the_cdn_note(
    site, settings, cdn, client, caplog
):
    """Noting a page for the CDN is not worth a reader's error page: when Redis refuses
    it (here a key of another type in the way), the page is served and the failure is
    logged."""
    from masthead.delivery.cache import page_cache

    _use_cdn(settings, cdn[0])
    store = page_cache().store
    store.client.get_client().set(store.make_key(f"pagecache:cdn:page:{site['article'].pk}"), "x")
    response = client.get(site["article"].url)
    assert response.status_code == 200 and b"Cranes return to the quay" in response.content
    assert any("could not note" in r.getMessage() for r in caplog.records)


@needs_redis
def test_the_cdn_is_told_every_page_it_may_hold_when_a_section_is_renamed(
    site, settings, cdn, client, django_capture_on_commit_callbacks
):
    """Every page names the top-level sections in its navigation: renaming one tells the
    CDN every URL it may hold a copy of, a story in another section and a search page
    included. Republishing the section with only its intro changed shows on no other
    page, and tells the CDN nothing of them."""
    port, received = cdn
    _use_cdn(settings, port)
    elsewhere = factories.article(
        factories.section(title="Business", slug="business"), title="Freight rates climb"
    )
    shown = [elsewhere.url, "/search/?q=freight", "/topics/shipping/", site["article"].url]
    _prime(client, shown)
    section = site["section"]
    received.clear()  # the new section's own purges

    section.intro = "Ships, cranes and the people who work them."
    with django_capture_on_commit_callbacks(execute=True):
        section.save_revision().publish()
    told = {path for _, path in received}
    assert section.url in told and not told & {elsewhere.url, "/search/?q=freight"}
    assert _shows(client, elsewhere.url, "Freight rates climb")  # the cache here refills

    received.clear()
    section.title = "Port and Harbour"
    with django_capture_on_commit_callbacks(execute=True):
        section.save_revision().publish()
    assert set(shown) <= {path for _, path in received}
    assert _shows(client, elsewhere.url, "Port and Harbour")


@needs_redis
def test_the_cdn_is_told_every_page_it_may_hold_when_a_section_is_unpublished(
    site, settings, cdn, client, django_capture_on_commit_callbacks
):
    """An unpublished section leaves every page's navigation: the CDN hears of them all."""
    port, received = cdn
    _use_cdn(settings, port)
    business = factories.section(title="Business", slug="business")
    _prime(client, [site["article"].url, "/authors/ines-varga/"])
    with django_capture_on_commit_callbacks(execute=True):
        business.unpublish()
    assert {site["article"].url, "/authors/ines-varga/"} <= {path for _, path in received}
    assert not _shows(client, site["article"].url, ">Business<")


@needs_redis
def test_the_cdn_is_told_every_page_it_may_hold_when_a_newsletter_list_changes(
    site, settings, cdn, client, django_capture_on_commit_callbacks
):
    """Story pages carry the newsletter signup box with its lists: a new list reaches the
    copies in the CDN too."""
    port, received = cdn
    _use_cdn(settings, port)
    _prime(client, [site["article"].url])
    with django_capture_on_commit_callbacks(execute=True):
        factories.newsletter_list(name="Harbour Weekly")
    assert site["article"].url in {path for _, path in received}
