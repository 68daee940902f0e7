"""URL reversal kept per process: a story's page links the same few routes (authors,
topics, comments, newsletters) on every render, and Django's `reverse` walks the
resolver's tables for each one.

The result of `reverse` depends only on the URLconf, the script prefix and the
arguments, all of which are part of the key, so nothing needs forgetting on publish.

A route reversed with whole numbers only (a story's comment thread, by its id) is
reversed once with stand-in numbers and filled in after that, since every story links
its own. Filling in small numbers is checked against Django's own reversal first, and a
route whose converter writes numbers otherwise (padded, encoded) is reversed every time.
"""

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

_MAX = 20_000
_found = {}
# Stand-ins for whole-number arguments: digits no real argument is written as.
_STAND_INS = tuple(str(987_654_321_000 + n) for n in range(4))
_SHAPES = {}  # key -> list of pieces between the arguments, or False: reverse each time


def cached_reverse(viewname, args=(), kwargs=None):
    base = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), viewname)
    numbers = 0 < len(args) <= len(_STAND_INS) and all(type(a) is int and a >= 0 for a in args)
    pieces = numbers and not kwargs and _pieces(base, len(args))
    if pieces:
        return "".join(_interleave(pieces, args))
    key = (*base, tuple(args), tuple(sorted(kwargs.items())) if kwargs else ())
    url = _found.get(key)
    if url is None:
        url = reverse(viewname, args=args, kwargs=kwargs)
        if len(_found) >= _MAX:
            _found.clear()
        _found[key] = url
    return url


def _pieces(base, count):
    key = (*base, count)
    pieces = _SHAPES.get(key)
    if pieces is None:
        pieces = _SHAPES[key] = _shape(base[3], count) or False
    return pieces


def _shape(viewname, count):
    """The route's URL split around each argument, or None when it cannot be: a stand-in
    does not come out once and in order, or filling in small numbers does not give what
    Django gives (a converter that pads or encodes them)."""
    stand_ins = _STAND_INS[:count]
    try:
        rest, pieces = reverse(viewname, args=[int(s) for s in stand_ins]), []
        small = [7 + n for n in range(count)]
        expected = reverse(viewname, args=small)
    except NoReverseMatch:  # a route that takes no such numbers
        return None
    for stand_in in stand_ins:
        before, found, rest = rest.partition(stand_in)
        if not found or any(s in before for s in _STAND_INS):
            return None
        pieces.append(before)
    if any(s in rest for s in _STAND_INS):
        return None
    pieces.append(rest)
    return pieces if "".join(_interleave(pieces, small)) == expected else None


def _interleave(pieces, args):
    for piece, arg in zip(pieces, args, strict=False):
        yield piece
        yield str(arg)
    yield pieces[-1]


def serve_path(relative_url_path):
    """The path Wagtail serves a page at, from its url_path below its site's root (what
    Page.get_url_parts builds), reversed once per process."""
    path = cached_reverse("wagtail_serve", args=(relative_url_path,))
    if not getattr(settings, "WAGTAIL_APPEND_SLASH", True) and path != "/":
        path = path.rstrip("/")
    return path
