"""The PURGE backend for Varnish, nginx or a CDN's purge endpoint (FRONTEND_CACHE_URL).

Wagtail's HTTP backend sends each PURGE without a timeout: an endpoint that accepts the
connection and never answers would hold the task worker, and with it scheduled
publishing, newsletter sends and search indexing, for good. This one sends the same
request (PURGE of the page's path to the configured location, the page's Host) and gives
up after `TIMEOUT` seconds, logging the URL; the cached copy then lives out its
`s-maxage`.
"""

import logging
from urllib.error import URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest

logger = logging.getLogger(__name__)


class TimedHTTPBackend(HTTPBackend):
    def __init__(self, params):
        params = dict(params)
        self.timeout = float(params.pop("TIMEOUT", 10))
        super().__init__(params)

    def purge(self, url):
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        target = urlunsplit((self.cache_scheme, self.cache_netloc, parts.path, parts.query, ""))
        request = PurgeRequest(url=target, headers={"Host": host, "User-Agent": "Masthead-purge"})
        try:
            with urlopen(request, timeout=self.timeout):  # noqa: S310 (the configured location)
                pass
        except (URLError, OSError) as error:  # HTTPError is a URLError; timeouts are OSError
            logger.error("Could not purge %s from the frontend cache: %s", url, error)
