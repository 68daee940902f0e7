"""Feeds, sitemaps, robots.txt and search. Reader-facing and anonymous: no cookies, cacheable."""

import hashlib

from django.conf import settings
from django.http import Http404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from masthead.discovery import selectors
from masthead.discovery.feeds import FEED_CLASSES
from masthead.discovery.models import DiscoverySettings

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
    latest, count = scope.fingerprint()
    if kind == "topic" and not count:
        # A tag used only by drafts is not a topic readers can see (as on the topic page).
        raise Http404("No such feed.")
    version = f"{fmt}|{kind}|{key}|{latest}|{count}|{options.feed_full_content}|"
    version += f"{options.feed_item_count}"
    etag = quote_etag(hashlib.sha256(version.encode()).hexdigest()[:32])
    last_modified = int(latest.timestamp()) if latest else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = FEED_CLASSES[fmt](scope, options)(request)
    response.headers["ETag"] = etag
    if last_modified:
        response.headers["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response
