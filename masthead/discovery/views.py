"""Feeds, sitemaps, robots.txt and search. Reader-facing and anonymous: no cookies, cacheable."""

import hashlib
import time

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.core.cache import cache
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from masthead.delivery import content_generation, tag_response
from masthead.discovery import selectors
from masthead.discovery.feeds import FEED_CLASSES
from masthead.discovery.forms import SearchForm
from masthead.discovery.models import DiscoverySettings
from masthead.discovery.search import (
    MAX_QUERY_CHARS,
    SearchPaginator,
    highlight,
    parse_query,
    search_articles,
)
from masthead.discovery.sitemaps import google_news_language, sitemaps

FEED_MAX_AGE = 300


def _scope(kind, key):
    name = settings.MASTHEAD_PUBLICATION_NAME
    if kind == "site":
        return selectors.site_scope(publication_name=name)
    if kind == "section":
        section = selectors.section_by_key(key=key)
        return section and selectors.section_scope(section=section, publication_name=name)
    if kind == "author":
        author = selectors.author_by_slug(slug=key)
        return author and selectors.author_scope(author=author, publication_name=name)
    topic = selectors.topic_by_slug(slug=key)
    return topic and selectors.topic_scope(topic=topic, publication_name=name)


def feed(request, fmt, kind="site", key=""):
    """A feed in RSS, Atom or JSON Feed; answers 304 when the reader's copy is current."""
    if fmt not in FEED_CLASSES:
        raise Http404("No such feed format.")
    scope = _scope(kind, key)
    if scope is None:
        raise Http404("No such feed.")
    options = DiscoverySettings.for_request(request)
    # Read before the stories: a rename of an author, picture, section or topic that the
    # items show changes no story, only the generation (every such change purges).
    generation = content_generation()
    latest, count = scope.fingerprint()
    if kind in ("author", "topic") and not count:
        # An author or a tag with drafts only is not one readers can see (as on their pages).
        raise Http404("No such feed.")
    version = f"{fmt}|{kind}|{key}|{latest}|{count}|{options.feed_full_content}|"
    version += f"{options.feed_item_count}|{generation}"
    etag = quote_etag(hashlib.sha256(version.encode()).hexdigest()[:32])
    last_modified = _feed_version_since(f"{fmt}|{kind}|{key}", etag)
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = FEED_CLASSES[fmt](scope, options)(request)
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


FEED_VERSION_TIMEOUT = 30 * 86400


def _feed_version_since(feed, etag):
    """When this feed first showed its current version (`etag`), in whole seconds.

    Not the newest story's edit time: unpublishing, moving or restricting the newest story
    takes that time back, and a reader whose copy still lists the story would be told by
    If-Modified-Since that it is current. This time only moves forward, at least a second
    per new version (HTTP dates have no finer grain). The shared cache keeps it across web
    nodes; when it is lost the feed counts as changed now: readers get the whole feed once.
    """
    key = "discovery:feed-version:" + hashlib.sha256(feed.encode()).hexdigest()[:32]
    seen = cache.get(key)
    if seen is not None and seen[0] == etag:
        return seen[1]
    since = int(time.time())
    if seen is not None:
        since = max(since, seen[1] + 1)
    cache.set(key, (etag, since), timeout=FEED_VERSION_TIMEOUT)
    return since


SITEMAP_MAX_AGE = 900
# Wagtail's previews and "view draft" live under /admin/; the Django admin and the reader
# account pages are nobody's search result either.
PRIVATE_PATHS = ["/admin/", "/django-admin/", "/search/", "/account/"]


def _sitemap_url(name, page=1):
    url = settings.MASTHEAD_BASE_URL + reverse("discovery:sitemap", kwargs={"section": name})
    return url if page == 1 else f"{url}?p={page}"


def _cacheable(response, max_age):
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def sitemap_index(request):
    """Every sitemap and each of its pages past the first, with its last change."""
    entries = []
    for name, sitemap in sitemaps().items():
        lastmod = sitemap.get_latest_lastmod()
        pages = sitemap.paginator.num_pages if name != "news" else 1
        entries += [
            {"location": _sitemap_url(name, p), "lastmod": lastmod} for p in range(1, pages + 1)
        ]
    response = TemplateResponse(
        request,
        "discovery/sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml; charset=utf-8",
    )
    return _cacheable(response, SITEMAP_MAX_AGE)


def sitemap(request, section):
    """One sitemap (or one 50,000-URL page of it); the news sitemap has its own template."""
    template = "discovery/sitemap_news.xml" if section == "news" else "discovery/sitemap.xml"
    maps = sitemaps()
    response = django_sitemap(
        request,
        sitemaps=maps,
        section=section,
        template_name=template,
        content_type="application/xml; charset=utf-8",
    )
    if section == "news":
        response.context_data["news_language"] = google_news_language(settings.MASTHEAD_LANGUAGE)
    listed = getattr(maps.get(section), "section", None)
    if listed is not None:
        # Each of its pages lists the section's stories: a story's change there reaches the
        # CDN for every page of it (PageCache.cdn_urls), not only the first.
        tag_response(response, f"tree:{listed.pk}")
    return _cacheable(response, SITEMAP_MAX_AGE)


def robots_txt(request):
    options = DiscoverySettings.for_request(request)
    response = TemplateResponse(
        request,
        "discovery/robots.txt",
        {
            "keep_out": options.robots_keep_out_private,
            "private_paths": PRIVATE_PATHS,
            "sitemap_urls": [
                settings.MASTHEAD_BASE_URL + reverse("discovery:sitemap_index"),
                _sitemap_url("news"),
            ],
        },
        content_type="text/plain; charset=utf-8",
    )
    return _cacheable(response, SITEMAP_MAX_AGE)


SEARCH_RESULTS_PER_PAGE = 20
SEARCH_MAX_AGE = 60


def search(request):
    """The search page: results for what was typed, filtered, sorted, paginated."""
    form = SearchForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # errors are shown beside their fields; valid filters still apply
    query = parse_query(request.GET.get("q", ""))
    page_obj = None
    results = []
    sort_by_relevance = bool(query) and not form.filters()["newest"]
    if query or form.has_filters():
        matches = search_articles(query=query, **form.filters())
        paginator = SearchPaginator(matches, per_page=SEARCH_RESULTS_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        terms = query.terms()
        results = [
            {
                "story": story,
                "headline": highlight(story.title, terms),
                "dek": highlight(story.dek, terms),
            }
            for story in page_obj.object_list
        ]
    response = TemplateResponse(
        request,
        "discovery/search_page.html",
        {
            "form": form,
            "query": query,
            "query_text": request.GET.get("q", "")[:MAX_QUERY_CHARS],
            "results": results,
            "page_obj": page_obj,
            "sort_by_relevance": sort_by_relevance,
        },
    )
    # Each query is its own page: useful to readers, noise in a search engine's index.
    response.headers["X-Robots-Tag"] = "noindex"
    return _cacheable(response, SEARCH_MAX_AGE)
