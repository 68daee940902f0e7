"""Wagtail's page serving with the site and route lookups remembered between requests.

Stock Wagtail finds the Site (one query) and walks the tree from the site root, one query
per path segment plus `.specific` on each, before a page renders. Here:

- host → Site is kept in memory;
- the pages that hold other pages (the front page, sections: "containers") are kept in
  memory by URL (`masthead.delivery.memo`), so a story's parent and breadcrumbs cost
  nothing, and the story itself is loaded with one query by its parent and slug, with
  what its template needs joined in (`serving_queryset()` on the page class);
- other paths (the front page, a path not seen before) keep the remembered id and type
  of the page, loaded with one query the next time.

Wagtail's own `serve` does the rest (hooks, view restrictions, `page.serve`), using the
route through `Page.route_for_request`'s per-request cache. A route is only used when
the page loaded is live at exactly that URL, and all this memory is dropped whenever the
site's structure changes (a purge of everything: a section or the front page published,
moved or deleted, a Site, a view restriction). A story's publish, move or delete keeps
it: a remembered route is checked against the page it loads, and a story's parent is a
container.
"""

from functools import cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, Site, get_page_models
from wagtail.views import serve as wagtail_serve

from masthead.core.prepared import PreparedQuery
from masthead.delivery.memo import remember

MAX_ROUTES = 50_000


def _tables():
    """host → Site and path → (page id, type), kept until the site generation changes (nothing
    is kept while the shared store is down: masthead.delivery.memo)."""
    return remember("delivery:routing-tables", lambda: ({}, {}), site=True)


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


class _Containers:
    """Every page that holds other pages, specific, by URL path and by tree path."""

    def __init__(self):
        models = [m for m in get_page_models() if m is not Page and m.allowed_subpage_models()]
        pages = list(
            Page.objects.filter(
                content_type__in=ContentType.objects.get_for_models(*models).values()
            )
            .order_by("path")
            .specific()
        )
        roots = list(Page.objects.filter(depth=1))
        self.by_path = {p.path: p for p in [*roots, *pages]}
        self.by_url_path = {p.url_path: p for p in pages}
        container_models = set(models)
        self.leaf_model = {}
        for model in models:
            leaves = [m for m in model.allowed_subpage_models() if m not in container_models]
            self.leaf_model[model] = leaves[0] if len(leaves) == 1 else None


def _containers():
    return remember("delivery:containers", _Containers, site=True)


def page_ancestors(page):
    """The page's ancestors from the tree root down, specific, without a query once known.

    Shared between requests: read them, never change them.
    """
    by_path = _containers().by_path
    steplen = page.steplen
    found = [by_path.get(page.path[:end]) for end in range(steplen, len(page.path), steplen)]
    if None in found:
        return [p.specific for p in page.get_ancestors()]
    return found


@cache
def _stock_routing_only():
    """Fast routes assume Wagtail's own `Page.route` (slug by slug); a page type that routes
    differently, or translated trees, keep the stock walk."""
    return settings.WAGTAIL_I18N_ENABLED or any(
        m.route is not Page.route for m in get_page_models()
    )


def site_root_paths():
    """Wagtail's Site.get_site_root_paths() (a cache round trip each time it is asked),
    remembered in this process until the site's structure changes: saving a Site or moving
    a site's root page purges everything."""
    return remember("delivery:site-root-paths", Site.get_site_root_paths, site=True)


def serving_queryset(model):
    custom = getattr(model, "serving_queryset", None)
    return custom() if custom is not None else model._default_manager.all()


_CHILD_BY_URL = {}


def _child_by_url(model):
    """The page of `model` at a URL path, its query compiled once (a story miss runs it)."""
    prepared = _CHILD_BY_URL.get(model)
    if prepared is None:
        prepared = _CHILD_BY_URL[model] = PreparedQuery(
            lambda slug, url_path, depth: (
                serving_queryset(model)
                .filter(slug=slug, url_path=url_path, depth=depth)
                .order_by("pk")[:1]
            ),
            slug=str,
            url_path=str,
            depth=int,
        )
    return prepared


def _fast_route(request, path, site):
    """The live page at `path` in one query when its parent is a known container."""
    if _stock_routing_only():
        return False
    components = [c for c in path.split("/") if c]
    if not components:
        return False
    containers = _containers()
    parent_url = site.root_page.url_path + "".join(f"{c}/" for c in components[:-1])
    parent = containers.by_url_path.get(parent_url)
    if parent is None:
        return False
    url_path = f"{parent_url}{components[-1]}/"
    own = containers.by_url_path.get(url_path)
    if own is not None:
        page = serving_queryset(type(own)).filter(pk=own.pk).first()
    else:
        model = containers.leaf_model.get(type(parent))
        if model is None:
            return False
        slug, depth = components[-1], parent.depth + 1
        found = _child_by_url(model).run(slug=slug, url_path=url_path, depth=depth)
        page = found[0] if found else None
    if (
        page is None
        or not page.live
        or page.url_path != url_path
        or not page.path.startswith(parent.path)
    ):
        return False
    page._cached_parent_obj = parent
    root_paths = site_root_paths()
    page._wagtail_cached_site_root_paths = request._wagtail_cached_site_root_paths = root_paths
    request._wagtail_route_for_request = (page, [], {})
    return True


def _prime_route(request, path, site, routes):
    key = (site.pk, path)
    known = routes.get(key)
    if known is None:
        return
    page_id, content_type_id = known
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = serving_queryset(model).filter(pk=page_id).first() if model else None
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
        if not _fast_route(request, path, site):
            _prime_route(request, path, site, routes)
        primed = hasattr(request, "_wagtail_route_for_request")
        response = wagtail_serve(request, path)
        if not primed:
            _remember_route(request, path, site, routes)
        return response
    return wagtail_serve(request, path)
