"""Pages rendered for readers by the task worker just after a publish.

A publish purges the story, its sections and the front page; the first reader of each
would render it. The worker renders them instead, once the publish has committed, as an
anonymous reader's request through the whole middleware stack: the page cache stores
each (in Redis for every web process, and as a file for an nginx front) and the story's
part is kept (masthead.delivery.fragments), so readers who come after the worker get a
hit, and the first misses after a later purge of something else on the page reuse the
part.
"""

import functools
import io
import logging
from urllib.parse import unquote_to_bytes, urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)


def reader_urls(page):
    """Where anonymous readers find `page` and each public page above it (its sections
    and the front page), `page` first. A page of the default site is at
    MASTHEAD_BASE_URL, as readers reach it; one of another site at that site's address."""
    from wagtail.models import Site

    default_site = Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()
    lineage = page.get_ancestors(inclusive=True).live().public().filter(depth__gt=1)
    urls = []
    for shown in sorted(lineage, key=lambda p: -p.depth):
        site_id, root_url, path = shown.get_url_parts()
        if root_url is None:
            continue  # outside every site
        urls.append((settings.MASTHEAD_BASE_URL if site_id == default_site else root_url) + path)
    return urls


def render_for_readers(url):
    """Ask for `url` as an anonymous reader would (brotli, then gzip: the second, a hit,
    has the quickly compressed copy made again at full quality for every process).
    Returns the status code readers got."""
    handler = _handler()
    response = handler.get_response(_request(url, "br"))
    if response.status_code == 200:
        handler.get_response(_request(url, "gzip"))
    else:
        logger.info("rendering %s for readers: %s", url, response.status_code)
    return response.status_code


@functools.cache
def _handler():
    from django.core.handlers.base import BaseHandler

    handler = BaseHandler()
    handler.load_middleware()
    return handler


def _request(url, accept_encoding):
    from django.core.handlers.wsgi import WSGIRequest

    parts = urlsplit(url)
    https = parts.scheme == "https"
    # What Django reads of a WSGI environ; PATH_INFO as a server passes it (percent-decoded
    # bytes as latin-1).
    return WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": unquote_to_bytes(parts.path or "/").decode("iso-8859-1"),
            "QUERY_STRING": parts.query,
            "HTTP_HOST": parts.netloc,
            "SERVER_NAME": parts.hostname or "",
            "SERVER_PORT": str(parts.port or (443 if https else 80)),
            "HTTP_ACCEPT_ENCODING": accept_encoding,
            "HTTP_USER_AGENT": "Masthead-render",
            "wsgi.url_scheme": parts.scheme or "http",
            "wsgi.input": io.BytesIO(b""),
        }
    )
