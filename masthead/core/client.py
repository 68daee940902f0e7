"""The reader's network address, for rate limits and the comment log.

REMOTE_ADDR is the peer that opened the connection. Behind a reverse proxy that peer is
the proxy, so every reader would share one address (and one rate-limit bucket). A proxy
listed in MASTHEAD_TRUSTED_PROXIES appends the address it saw to X-Forwarded-For; we walk
that header from the right, skipping our own proxies, and stop at the first address we do
not operate. Entries further left were written by the client and are never believed.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(entries):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def client_address(request):
    """The address of the reader who sent `request`, or "" when it cannot be told."""
    networks = _networks(tuple(settings.MASTHEAD_TRUSTED_PROXIES))
    remote = request.META.get("REMOTE_ADDR", "")
    address = _parse(remote)
    if not _trusted(address, networks):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    while hops and _trusted(address, networks):
        address = _parse(hops.pop())
    # A malformed hop where one of our proxies should have written an address: no guess.
    return "" if address is None else str(address)
