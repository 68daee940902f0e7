"""Purges: what a change to a page makes stale, in this site's cache and in the CDN."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Page, ReferenceIndex

from masthead.delivery.cache import page_cache

# Listings that may show any article: purged on every article change. Author and topic
# pages are purged as a whole because an edit can drop an author or topic from a story,
# and the old one's page must stop listing it too.
LISTING_TAGS = ("authors", "topics", "feeds", "sitemaps", "search")


def page_cache_purge(*, tags):
    """Purge entries carrying any of `tags` now, and again once the transaction commits
    (a render between the two may have read the data from before the commit)."""
    tags = set(tags)
    if not tags:
        return
    page_cache().purge(tags)
    transaction.on_commit(lambda: page_cache().purge(tags))


def page_purge_tags(*, page, old_path=None):
    """Tags of every cached response that shows `page`.

    A page that can hold other pages (the front page, a section) appears in the navigation
    and breadcrumbs of everything below it, so changing one purges everything.
    """
    if page.specific_class is None or page.specific_class.allowed_subpage_models():
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


def page_cdn_purge(*, page, old_url=None):
    """Queue a purge of the page's URLs and its listings in the configured CDN/proxy."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    urls = set(page_cdn_urls(page=page))
    if old_url:
        urls.add(old_url)
    transaction.on_commit(lambda: _queue_cdn_purge(sorted(urls)))


def page_cdn_urls(*, page):
    base = settings.MASTHEAD_BASE_URL
    urls = [p.full_url for p in page.get_ancestors(inclusive=True).filter(depth__gt=1)]
    specific = page.specific_deferred
    if hasattr(specific, "bylines"):
        urls.extend(base + b.author.url for b in specific.bylines.select_related("author"))
    if hasattr(specific, "topics"):
        urls.extend(base + f"/topics/{tag.slug}/" for tag in specific.topics.all())
    urls.extend(base + path for path in settings.MASTHEAD_PAGE_CACHE_CDN_LISTING_PATHS)
    return [u for u in urls if u]


def _queue_cdn_purge(urls):
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    purge_urls_from_cache(urls)
