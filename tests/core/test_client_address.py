"""Which address a request is counted against, with and without a trusted proxy in front."""

import pytest
from django.test import RequestFactory

from masthead.core.client import client_address

rf = RequestFactory()


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.MASTHEAD_TRUSTED_PROXIES = []
    assert client_address(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # nginx on the same host appends the reader's address.
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
        # A reader who sends their own X-Forwarded-For cannot pick their address.
        ("127.0.0.1", "198.51.100.1, 203.0.113.9", "203.0.113.9"),
        # A CDN edge (trusted network) in front of our nginx: skip both of ours.
        ("127.0.0.1", "6.6.6.6, 203.0.113.9, 10.1.2.3", "203.0.113.9"),
        ("::1", "2001:db8::7", "2001:db8::7"),
        # A direct request from the proxy host itself, with no header.
        ("127.0.0.1", None, "127.0.0.1"),
        # A peer we do not operate may claim anything: its header is not read.
        ("203.0.113.50", "198.51.100.1", "203.0.113.50"),
        # Garbage where our proxy should have written an address: no guess.
        ("127.0.0.1", "203.0.113.9, not-an-address", ""),
    ],
)
def test_behind_trusted_proxies_the_reader_is_the_first_untrusted_hop(
    settings, remote, forwarded, expected
):
    settings.MASTHEAD_TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/8"]
    assert client_address(request_from(remote, forwarded)) == expected
