"""The page cache in Django's request path: first middleware, before sessions and auth.

A hit answers from stored bytes without touching the database, the session or Wagtail.
A miss renders as usual; a response fit for every anonymous reader is stored and tagged
with what it shows. `masthead.delivery.wsgi` serves memory hits before Django even builds a
request; this middleware is the authority on what gets stored.
"""

from django.db.models import Model, QuerySet

from masthead.delivery.cache import (
    TAGS_ATTR,
    Entry,
    generation_began,
    page_cache,
    request_key,
)
from masthead.delivery.memo import request_generation

_UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store")


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cache = page_cache()
        config = cache.config
        if not config.enabled:
            with request_generation():
                return self.get_response(request)
        key = request_key(request.META, config)
        if key is None:
            with request_generation():
                response = self.get_response(request)
            response.headers.setdefault("X-Masthead-Cache", "bypass")
            return response
        entry, generation, site_generation = cache.lookup(key)
        if entry is not None:
            cache.settle(entry)
            return _replay(entry, request.META, None)
        # What the render remembers site-wide (masthead.delivery.memo) is keyed to the
        # generations read with the entry, the one it is stored under among them.
        with request_generation(generation, site_generation, every_reader=True):
            response = self.get_response(request)
        entry = _entry_for(request, response, key, config, generation_began(generation))
        if entry is None:
            response.headers.setdefault("X-Masthead-Cache", "bypass")
            return response
        cache.put(entry, generation_before=generation)
        # Whether stored or not (a purge raced the render), the CDN may keep this copy.
        cache.note_for_cdn(entry)
        return _replay(entry, request.META, response, state="miss")


def _replay(entry, environ, response, state="hit"):
    from django.http import HttpResponse, HttpResponseNotModified

    status, headers, body = entry.respond(environ)
    if status == 304:
        reply = HttpResponseNotModified()
    elif response is not None:
        # Keep the rendered response object (tests and middleware may read its attributes).
        reply = response
        reply.content = body
    else:
        reply = HttpResponse(body, status=status)
    for name in list(reply.headers):
        del reply.headers[name]
    for name, value in headers:
        reply.headers[name] = value
    if state != "hit" and status != 304:
        reply.headers["X-Masthead-Cache"] = state
    return reply


def _entry_for(request, response, key, config, since):
    """An Entry if this response is the same for every anonymous reader, else None."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    cache_control = response.get("Cache-Control", "").lower()
    if any(d in cache_control for d in _UNCACHEABLE_DIRECTIVES):
        return None
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if vary - {"accept-encoding"}:
        return None
    session = getattr(request, "session", None)
    if session is not None and session.accessed:
        return None
    body = response.content
    if len(body) > config.max_body:
        return None
    return Entry(
        key=key,
        status=response.status_code,
        headers=list(response.items()),
        body=body,
        tags=_tags(request, response, config),
        cache_control=config.cache_control,
        accept_encoding=request.META.get("HTTP_ACCEPT_ENCODING", ""),
        since=since,
    )


def _tags(request, response, config):
    path = request.META.get("PATH_INFO", "/")
    tags = {"all", f"path:{path}"}
    tags.update(tag for prefix, tag in config.path_tags.items() if path.startswith(prefix))
    tags.update(getattr(response, TAGS_ATTR, ()))
    context = getattr(response, "context_data", None)
    if context:
        from wagtail.models import Page

        tags.update(context.get(TAGS_ATTR, ()))
        page = context.get("page")
        if isinstance(page, Page):
            tags.update((f"page:{page.pk}", f"tree:{page.pk}", f"comments:{page.pk}"))
        for value in context.values():
            _collect(value, tags, Page, 0)
    return tags


def _collect(value, tags, page_class, depth):
    """Tag every page, author and topic a template context shows (cards, related stories,
    bylines, a story's topics)."""
    if isinstance(value, page_class):
        tags.add(f"page:{value.pk}")
    elif isinstance(value, Model):
        if value._meta.label_lower == "news.author":
            tags.add(f"author:{value.pk}")
        elif value._meta.label_lower == "news.articlebyline":
            tags.add(f"author:{value.author_id}")
        elif value._meta.label_lower == "taggit.tag":
            tags.add(f"topic:{value.pk}")
    elif depth < 3:
        if isinstance(value, QuerySet):
            value = value._result_cache or ()
        elif hasattr(value, "object_list") and hasattr(value, "paginator"):
            value = value.object_list
            if isinstance(value, QuerySet):
                value = value._result_cache or ()
        elif isinstance(value, dict):  # a search result: its story and highlights
            value = list(value.values())
        if isinstance(value, (list, tuple)):
            for item in value:
                _collect(item, tags, page_class, depth + 1)
