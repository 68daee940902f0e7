"""Wagtail's page serving with the site and route lookups remembered between requests.

Stock Wagtail finds the Site (one query) and walks the tree from the site root, one query
per path segment plus `.specific` on each, before a page renders. Here the answer
(host → Site, path → page id and type) is kept in memory and the page is loaded with one
query; Wagtail's own `serve` does the rest (hooks, view restrictions, `page.serve`), using
the route through `Page.route_for_request`'s per-request cache. A remembered route is only
used when the page loaded is still live at exactly that URL, and the memory is dropped
whenever the page cache's generation changes (every publish, move or delete).
"""

import threading

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Site
from wagtail.views import serve as wagtail_serve

from masthead.delivery.cache import page_cache

_lock = threading.Lock()
_memory = {"generation": object(), "sites": {}, "routes": {}}
MAX_ROUTES = 50_000


def _tables():
    generation = page_cache().generation
    if _memory["generation"] != generation:
        with _lock:
            if _memory["generation"] != generation:
                _memory.update(generation=generation, sites={}, routes={})
    return _memory["sites"], _memory["routes"]


def _site(request, sites):
    key = (request.get_host(), request.get_port())
    site = sites.get(key)
    if site is None:
        site = Site.find_for_request(request)
        if site is not None:
            sites[key] = site
    else:
        request._wagtail_site = site
    return site


def _expected_url_path(site, path):
    components = [c for c in path.split("/") if c]
    return site.root_page.url_path + "".join(f"{c}/" for c in components)


def _prime_route(request, path, site, routes):
    key = (site.pk, path)
    known = routes.get(key)
    if known is None:
        return
    page_id, content_type_id = known
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = model.objects.filter(pk=page_id).first() if model else None
    if page is None or not page.live or page.url_path != _expected_url_path(site, path):
        routes.pop(key, None)
        return
    request._wagtail_route_for_request = (page, [], {})


def _remember_route(request, path, site, routes):
    result = getattr(request, "_wagtail_route_for_request", None)
    if not result or result[1] or result[2] or len(routes) >= MAX_ROUTES:
        return
    page = result[0]
    if page.live and page.url_path == _expected_url_path(site, path):
        routes[(site.pk, path)] = (page.pk, page.content_type_id)


def serve(request, path):
    sites, routes = _tables()
    site = _site(request, sites)
    if site is not None:
        _prime_route(request, path, site, routes)
        primed = hasattr(request, "_wagtail_route_for_request")
        response = wagtail_serve(request, path)
        if not primed:
            _remember_route(request, path, site, routes)
        return response
    return wagtail_serve(request, path)
