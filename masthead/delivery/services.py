"""Purges: what a change to a page makes stale, in this site's cache and in the CDN."""

import contextlib
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import IntegerField, Value
from django.db.models.functions import Cast
from wagtail.models import Page, ReferenceIndex

from masthead.core.reversing import cached_reverse, serve_path
from masthead.delivery.cache import STORE_ERRORS, page_cache
from masthead.delivery.fragments import drop_expired, drop_tagged
from masthead.delivery.routing import site_root_paths

# Listings that may show any article: purged on every article change. Author and topic
# pages are purged as a whole because an edit can drop an author or topic from a story,
# and the old one's page must stop listing it too.
LISTING_TAGS = ("authors", "topics", "feeds", "sitemaps", "search")


def page_cache_purge(*, tags, cdn_urls=(), cdn_everywhere=False):
    """Purge entries carrying any of `tags` now, and again once the transaction commits
    (a render between the two may have read the data from before the commit); the
    fragments kept for them go at both times too (masthead.delivery.fragments). With a
    CDN, one purge there after the commit: `cdn_urls` (changed_pages_cdn_urls) and the
    URLs noted under those tags, or with `cdn_everywhere` every URL noted (a change
    every page shows: the navigation, the newsletter signup box)."""
    tags = set(tags)
    if not tags:
        return
    page_cache().purge(tags)
    drop_tagged(tags)
    transaction.on_commit(lambda: _purge_after_commit(tags))
    if cdn_configured():
        transaction.on_commit(partial(_purge_cdn, set(cdn_urls), tags, everywhere=cdn_everywhere))


def published_page_render(*, page):
    """Once the publish commits, have the task worker render `page` and the pages above
    it for readers (masthead.delivery.rendering): the first readers after it get a hit.
    Off with MASTHEAD_RENDER_ON_PUBLISH, or without the page cache."""
    if settings.MASTHEAD_RENDER_ON_PUBLISH and page_cache().config.enabled:
        from masthead.delivery.tasks import render_published

        transaction.on_commit(partial(render_published.enqueue, page.pk))


def _purge_after_commit(tags):
    page_cache().purge(tags)
    drop_tagged(tags)


def expired_fragments_drop():
    """Forget kept page parts too old to be used (the worker runs this every tick)."""
    drop_expired()


def pending_purges_replay():
    """Replay the purges made while the shared store was down, if it answers now (the
    worker runs this on every scheduler tick; a web process that saw the store fail does
    it too, from its probe thread: PageCache._probe_until_back)."""
    cache = page_cache()
    if not cache.config.shared:
        return
    with contextlib.suppress(STORE_ERRORS):  # still down: the next tick tries again
        cache.replay_pending_purges()


def page_purge_tags(*, page, old_path=None):
    """Tags of every cached response that shows `page`.

    A page that can hold other pages (the front page, a section) appears in the navigation
    and breadcrumbs of everything below it, so changing one purges everything.
    """
    if holds_pages(page):
        return {"all"}
    tags = {f"page:{page.pk}", *LISTING_TAGS}
    tags.update(f"tree:{pk}" for pk in _ancestor_ids(page.path, old_path))
    return tags


def image_pages(*, image):
    """Pages that show `image`, as lead or in the body, from Wagtail's reference index."""
    page_ids = (
        ReferenceIndex.get_references_to(image)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    return list(Page.objects.filter(pk__in=[int(pk) for pk in page_ids]).specific(defer=True))


def _ancestor_ids(*paths):
    steplen = Page.steplen
    ancestor_paths = {
        path[:end] for path in paths if path for end in range(steplen, len(path), steplen)
    }
    return list(Page.objects.filter(path__in=ancestor_paths).values_list("pk", flat=True))


def author_purge_tags(*, author):
    """Tags of every cached response that shows `author`: their stories and feeds; every
    card of those stories (front page, sections, "More on this" under other stories),
    which is tagged with the story, not its byline's author; author and topic pages
    (tagged by path only) and search pages, which list cards too, and the search form's
    list of authors; the sitemaps, which list author pages by slug. One query."""
    from masthead.news.models import ArticleByline

    story_ids = ArticleByline.objects.filter(author_id=author.pk, article__live=True).values_list(
        "article_id", flat=True
    )
    tags = {f"author:{author.pk}", "authors", "topics", "search", "sitemaps"}
    return tags | {f"page:{pk}" for pk in story_ids}


# -- the CDN ----------------------------------------------------------------------------------
#
# A CDN is purged URL by URL (Wagtail's frontend-cache backends take no tags), so each change
# names every URL that shows it. Wagtail's backends send one request per URL (HTTP/Varnish),
# one per 30 (Cloudflare) or one invalidation for all (CloudFront): a purge runs in the task
# worker, never in an editor's request.

FEED_FORMATS = ("rss", "atom", "json")
# Set by the pre_save and pre_delete receivers on the instance the post_ signals get:
# the slug an author or a topic had before a save, the stories a deleted topic had.
SLUG_BEFORE_ATTR = "_masthead_slug_before"
STORY_IDS_ATTR = "_masthead_story_ids"
# And what a page holding others showed of itself in the navigation before a save.
NAVIGATION_BEFORE_ATTR = "_masthead_navigation_before"
_NOT_SEEN = object()


def cdn_configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def changed_pages_cdn_urls(*, pages, old_url=None, old_parent=None):
    """URLs in the CDN that show any of `pages` (pages_cdn_urls), none without a CDN;
    after a move, also the page's old URL and the sections it left."""
    if not cdn_configured() or not pages:
        return []
    urls = pages_cdn_urls(pages=pages)
    if old_url:
        urls.append(old_url)
    if old_parent is not None:
        urls += _places_urls(_lineage(old_parent.url_path))
    return urls


def pages_cdn_urls(*, pages):
    """URLs in the CDN that show any of `pages`. For stories, what stories_cdn_urls names;
    for a section or the front page, itself, the pages above it and their feeds, and the
    site's listings. For any page, also every live page that refers to it (a related-story
    block, a link in the body, a front page's top story), found in Wagtail's reference
    index: they show its headline or its URL. At most three queries, however many pages
    (an image used by hundreds of stories is edited in one request)."""
    from masthead.news.models import ArticlePage

    story_ids, urls = [], []
    for page in pages:
        model = page.specific_class
        if model is not None and issubclass(model, ArticlePage):
            story_ids.append(page.pk)
        else:
            urls += _places_urls(_lineage(page.url_path)) + _listing_urls()
    if story_ids:
        urls += stories_cdn_urls(stories=ArticlePage.objects.filter(pk__in=story_ids))
    referring = Page.objects.live().filter(pk__in=_referring_page_ids(pages))
    return urls + _page_urls(referring.values_list("url_path", flat=True))


def stories_cdn_urls(*, stories):
    """URLs in the CDN that show any of `stories` (a queryset of stories): each story, the
    front page and sections listing it with their feeds and sitemap, its authors' and
    topics' pages and feeds, and the site's listings (feeds, sitemaps). Two queries,
    however many stories."""
    from taggit.models import Tag

    from masthead.news.models import Author

    url_paths = set(stories.values_list("url_path", flat=True))
    story_ids = stories.order_by().values("pk")
    authors = (
        Author.objects.filter(bylines__article__in=story_ids)
        .order_by()
        .values_list(Value("author"), "slug")
    )
    topics = (
        Tag.objects.filter(news_articletopic_items__content_object__in=story_ids)
        .order_by()
        .values_list(Value("topic"), "slug")
    )
    names = list(authors.union(topics))
    places = {place for path in url_paths for place in _lineage(_parent_path(path))}
    urls = _page_urls(sorted(url_paths)) + _places_urls(places)
    for kind, slug in names:
        urls += _named_urls(kind, slug)
    return urls + _listing_urls()


def author_cdn_purge(*, author):
    """Queue, for when the transaction commits, a purge of what shows `author` in the CDN
    (author_cdn_urls), computed and sent by the task worker: a prolific author's stories
    are thousands of URLs, which an editor's save should not wait for. The slug it had
    before the save (remembered by the pre_save receiver) goes too."""
    if not cdn_configured():
        return
    from masthead.delivery.tasks import cdn_purge_author

    slugs = sorted({author.slug, getattr(author, SLUG_BEFORE_ATTR, None) or author.slug})
    transaction.on_commit(partial(cdn_purge_author.enqueue, author.pk, slugs))


def author_cdn_urls(*, author_id, slugs):
    """URLs in the CDN that show an author: their page and feeds under each of `slugs`, the
    search page (its author list), and what shows their live stories, whose bylines and
    cards carry the name (stories_cdn_urls). Two queries."""
    from masthead.news.models import ArticlePage

    stories = ArticlePage.objects.live().filter(bylines__author_id=author_id)
    urls = stories_cdn_urls(stories=stories)
    for slug in slugs:
        urls += _named_urls("author", slug)
    return urls + [settings.MASTHEAD_BASE_URL + cached_reverse("discovery:search")]


def topic_cdn_purge(*, topic, story_ids=None):
    """Queue, for when the transaction commits, a purge of what shows `topic` in the CDN
    (topic_cdn_urls), computed and sent by the task worker. A deleted topic no longer tags
    its stories, so the receiver hands over their ids, read before the delete."""
    if not cdn_configured():
        return
    from masthead.delivery.tasks import cdn_purge_topic

    slugs = sorted({topic.slug, getattr(topic, SLUG_BEFORE_ATTR, None) or topic.slug})
    transaction.on_commit(partial(cdn_purge_topic.enqueue, topic.pk, slugs, story_ids))


def topic_cdn_urls(*, topic_id, slugs, story_ids=None):
    """URLs in the CDN that show a topic: its page and feeds under each of `slugs`, and
    what shows its live stories (stories_cdn_urls): each story's page names its topics,
    and every feed and sitemap carrying them. `story_ids` stands in for the stories that
    had the topic when it no longer exists. Two queries."""
    from masthead.news.models import ArticlePage

    stories = ArticlePage.objects.live()
    if story_ids is None:
        stories = stories.filter(tagged_topics__tag_id=topic_id)
    else:
        stories = stories.filter(pk__in=story_ids)
    urls = stories_cdn_urls(stories=stories)
    for slug in slugs:
        urls += _named_urls("topic", slug)
    return urls


def cdn_purge_now(*, urls):
    """Send the purge of `urls` to the configured CDN backends from this process (the task
    worker), as Wagtail's frontend-cache task does."""
    from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task

    urls = sorted(set(urls))
    if urls:
        purge_urls_from_cache_task.call(urls)


def holds_pages(page):
    """Whether `page` is the front page or a section: a page others sit below."""
    model = page.specific_class
    return model is None or bool(model.allowed_subpage_models())


# What every page shows of a front page or section: the title and slug the navigation and
# breadcrumbs name and link, and whether it is live.
NAVIGATION_FIELDS = ("title", "slug", "live")


def navigation_before_save(*, page):
    """NAVIGATION_FIELDS of a front page or section as stored before a save (None for a
    new page)."""
    return _stored(page, *NAVIGATION_FIELDS)


def navigation_changed(*, page):
    """Whether a front page or section just published or unpublished shows differently on
    every page: first published, unpublished, or live under a new title or slug (the
    site navigation names the top-level sections; every story's breadcrumbs name the
    pages above it). Republishing with only its own content changed (a section's intro,
    the front page's lead) shows on no other page. Unknown (no pre_save seen): True."""
    if not holds_pages(page):
        return False
    before = getattr(page, NAVIGATION_BEFORE_ATTR, _NOT_SEEN)
    if before is _NOT_SEEN:
        return True
    if not page.live:  # unpublished, or published to go live later (it shows nowhere yet)
        return bool(before and before["live"])
    return before is None or before != {f: getattr(page, f) for f in NAVIGATION_FIELDS}


def slug_before_save(*, instance):
    stored = _stored(instance, "slug")
    return stored and stored["slug"]


def _stored(instance, *fields):
    """`fields` of `instance` as its row holds them (None for a new one): one query."""
    if instance.pk is None:
        return None
    return type(instance)._default_manager.filter(pk=instance.pk).values(*fields).first()


def topic_story_ids(*, topic):
    from masthead.news.models import ArticleTopic

    return list(
        ArticleTopic.objects.filter(tag_id=topic.pk).values_list("content_object_id", flat=True)
    )


def _referring_page_ids(pages):
    """Ids of the pages whose content refers to any of `pages`, as a subquery."""
    return (
        ReferenceIndex.get_references_to_in_bulk(pages)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .annotate(page_id=Cast("object_id", IntegerField()))
        .values("page_id")
    )


def _parent_path(url_path):
    return url_path.rstrip("/").rpartition("/")[0] + "/"


def _lineage(url_path):
    """The url_path of a page and of each page above it, below the tree's root."""
    paths = []
    while url_path.strip("/"):
        paths.append(url_path)
        url_path = _parent_path(url_path)
    return paths


def _page_urls(url_paths):
    """Full URLs of pages from their url_path alone, as MastheadPage.get_url_parts makes
    them (the most specific site holding the page): no page is loaded. A page outside
    every site has none."""
    roots = site_root_paths()
    urls = []
    for url_path in url_paths:
        for root in roots:
            if url_path.startswith(root.root_path):
                urls.append(root.root_url + serve_path(url_path[len(root.root_path) :]))
                break
    return urls


def _places_urls(url_paths):
    """URLs of front pages and sections (by url_path), with each section's feeds and its
    top-level section's sitemap (discovery.sitemaps)."""
    from masthead.discovery.selectors import section_key

    base = settings.MASTHEAD_BASE_URL
    urls = _page_urls(sorted(url_paths))
    for url_path in url_paths:
        key = section_key(url_path)
        if not key:
            continue  # a front page: its feeds are the site's (_listing_urls)
        urls += [
            base + cached_reverse("discovery:section_feed", kwargs={"key": key, "fmt": fmt})
            for fmt in FEED_FORMATS
        ]
        top = key.split("/")[0]
        sitemap = cached_reverse("discovery:sitemap", kwargs={"section": f"section-{top}"})
        urls.append(base + sitemap)
    return urls


def _named_urls(kind, slug):
    """An author's or a topic's page and feeds."""
    base = settings.MASTHEAD_BASE_URL
    urls = [base + cached_reverse(f"news:{kind}", kwargs={"slug": slug})]
    urls += [
        base + cached_reverse(f"discovery:{kind}_feed", kwargs={"key": slug, "fmt": fmt})
        for fmt in FEED_FORMATS
    ]
    return urls


def _listing_urls():
    base = settings.MASTHEAD_BASE_URL
    return [base + path for path in settings.MASTHEAD_PAGE_CACHE_CDN_LISTING_PATHS]


def _purge_cdn(urls, tags, *, everywhere=False):
    """Tell the CDN `urls` and every URL stored here under `tags` whose copy it may still
    hold (PageCache.cdn_urls): listing pages past the first, "More on this" under other
    stories, search results, the page of an author or topic since taken off the story.
    Every URL noted (`everywhere`) may be tens of thousands: the task worker reads them."""
    if everywhere:
        from masthead.delivery.tasks import cdn_purge_everywhere

        cdn_purge_everywhere.enqueue(sorted(urls))
        return
    urls = urls | set(page_cache().cdn_urls(tags))
    if urls:
        _queue_cdn_purge(sorted(urls))


def _queue_cdn_purge(urls):
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    purge_urls_from_cache(urls)
