"""Site-wide facts kept in process memory until the next page-cache purge.

A cache miss renders things that are the same on every page of the site: the sections in
the navigation, the front page and sections in the breadcrumbs, the newsletter signup
box, whether any page is behind a view restriction. Asking the database for them on
every miss is most of a miss's queries. `remember(name, compute)` keeps the answer in this
process and recomputes it once the page cache's generation has changed, which every purge
does (publish, unpublish, move, delete, an author, a newsletter list, a view restriction,
a site), in this process or any other.

What only the site's structure decides (the routing tables and containers, the site
lookup, the navigation, view restrictions, the signup box) is remembered with
`site=True`: keyed to the site's generation, which only a purge of everything changes (a
section or the front page, a Site, a view restriction, a newsletter list), so a story's
publish or a comment keeps it. Cards, "More on this" lists and bylined authors are
remembered until any purge.

Within a request both generations are read once: the page cache middleware reads them
with the entry before rendering a miss and hands them over here, so a value used by a
render is never older than the generation that render's cache entry is stored under (a
purge during the render makes the entry unstorable, as before; a purge of everything
writes the site's generation in the same transaction as the generation). Outside a
request they are read on every call.

Only data that a purge announces may be remembered here; per-reader data never. While the
shared store is down, purges cannot be announced, so nothing is remembered.
"""

import contextvars
import threading
from contextlib import contextmanager

from masthead.delivery.cache import page_cache

MAX_NAMES = 2000

_request_generation = contextvars.ContextVar("masthead_request_generation", default=None)
_every_reader = contextvars.ContextVar("masthead_every_reader", default=False)
_values = {}
_lock = threading.Lock()


def current_generation():
    return _generation(0, page_cache().generation_or_none)


def current_site_generation():
    return _generation(1, page_cache().site_generation_or_none)


def _generation(index, read):
    holder = _request_generation.get()
    if holder is None:
        return read()
    if holder[index] is None:
        holder[index] = read()
    return holder[index]


@contextmanager
def request_generation(generation=None, site_generation=None, *, every_reader=False):
    """Read each generation at most once during the block (the middleware wraps requests).
    `every_reader`: the render is a page-cache miss, its response the same for every
    anonymous reader (masthead.delivery.fragments keeps parts of such renders only)."""
    token = _request_generation.set([generation, site_generation])
    shared = _every_reader.set(every_reader)
    try:
        yield
    finally:
        _every_reader.reset(shared)
        _request_generation.reset(token)


def rendering_for_every_reader():
    return _every_reader.get()


def remember(name, compute, *, site=False):
    """`compute()`'s value, computed at most once per page-cache generation in this process
    (`site`: per site generation, for values only a purge of everything can change).

    The value is shared by every thread: treat it as read-only.
    """
    generation = current_site_generation() if site else current_generation()
    if generation is None:  # the shared store is down
        return compute()
    found = _values.get(name)
    if found is not None and found[0] == generation:
        return found[1]
    value = compute()
    with _lock:
        if len(_values) >= MAX_NAMES:
            _values.clear()
        _values[name] = (generation, value)
    return value


def forget():
    """Drop everything remembered (tests; settings changes)."""
    with _lock:
        _values.clear()
