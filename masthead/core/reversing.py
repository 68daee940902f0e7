"""URL reversal kept per process: a story's page links the same few routes (authors,
topics, comments, newsletters) on every render, and Django's `reverse` walks the
resolver's tables for each one.

The result of `reverse` depends only on the URLconf, the script prefix and the
arguments, all of which are part of the key, so nothing needs forgetting on publish.
"""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_MAX = 20_000
_found = {}


def cached_reverse(viewname, args=(), kwargs=None):
    key = (
        settings.ROOT_URLCONF,
        get_urlconf(),
        get_script_prefix(),
        viewname,
        tuple(args),
        tuple(sorted(kwargs.items())) if kwargs else (),
    )
    url = _found.get(key)
    if url is None:
        url = reverse(viewname, args=args, kwargs=kwargs)
        if len(_found) >= _MAX:
            _found.clear()
        _found[key] = url
    return url


def serve_path(relative_url_path):
    """The path Wagtail serves a page at, from its url_path below its site's root (what
    Page.get_url_parts builds), reversed once per process."""
    path = cached_reverse("wagtail_serve", args=(relative_url_path,))
    if not getattr(settings, "WAGTAIL_APPEND_SLASH", True) and path != "/":
        path = path.rstrip("/")
    return path
