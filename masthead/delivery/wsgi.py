"""Serve page-cache hits before Django builds a request.

A hit here is a few dictionary lookups: no request object, no middleware, no signals, no
database. Everything else (misses, bypasses, purge-worthy requests) goes to Django, where
`PageCacheMiddleware` decides what is stored.
"""

import gc
import os
from functools import partial
from http import HTTPStatus

from masthead.delivery.cache import page_cache, request_key

_STATUS_LINES = {s.value: f"{s.value} {s.phrase}" for s in HTTPStatus}
_fork_hooked = False


class PageCacheApplication:
    def __init__(self, application):
        self.application = application
        global _fork_hooked
        _watch_front()
        if not _fork_hooked:
            os.register_at_fork(after_in_child=_watch_front)
            _fork_hooked = True

    def __call__(self, environ, start_response):
        cache = page_cache()
        config = cache.config
        if config.enabled:
            key = request_key(environ, config)
            if key is not None:
                entry = cache.get_local(key)
                if entry is not None:
                    status, headers, body = entry.respond(environ)
                    start_response(_STATUS_LINES[status], headers)
                    if entry.draft:
                        cache.settle(entry)
                    return [body]
        return self.application(environ, start_response)


def settle_process():
    """Ready a web process before its first reader, then take what start-up built out of
    the garbage collector's way.

    Every URL module is imported and every reader template compiled, so the first readers
    do not pay for it. Then `gc.freeze()`: Python's full collections otherwise walk every
    object Django, Wagtail and the templates left behind at start-up (20-130 ms each on a
    heap that size, measured in docs/performance.md); objects made later are collected as
    usual.
    """
    from django.template import engines
    from django.template.backends.jinja2 import Jinja2
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    for engine in engines.all():
        if isinstance(engine, Jinja2):
            for name in engine.env.list_templates():
                engine.env.get_template(name)
    gc.collect()
    gc.freeze()


def _watch_front():
    """Web processes keep the nginx front's files on the current generation (a forked
    worker starts its own watcher: threads do not survive a fork)."""
    cache = page_cache()
    if cache.front is not None:
        cache.front.watcher = None
        cache.front.watch(partial(cache.generation_or_none, patient=True))
