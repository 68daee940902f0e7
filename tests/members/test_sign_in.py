"""Signing in by emailed link: single use, expiring, safe redirects, signing out."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from masthead.members.models import Member
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ask_link(django_capture_on_commit_callbacks):
    def post(email, next_url="", client=None, **extra):
        client = client or Client()
        url = "/account/sign-in/" + (f"?next={next_url}" if next_url else "")
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, {"email": email, "next": next_url}, **extra)

    return post


def link_path(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://testserver(/account/sign-in/[^\s/]+/)", text).group(1)


def test_sign_in_by_link_over_real_smtp(ask_link, smtp_server):
    """The mailed link shows a button; pressing it signs in and returns to the story."""
    factories.member(email="ada@example.org")
    response = ask_link("ada@example.org", next_url="/politics/story-1/")
    assert response.status_code == 302 and response["Location"] == "/account/sign-in/sent/"
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "ada@example.org"
    assert message.get_content_type() == "multipart/alternative"
    assert "Sign in" in message.get_body(preferencelist=("html",)).get_content()
    client = Client()
    page = client.get(link_path(message))
    assert b"Sign in as ada@example.org?" in page.content
    assert client.get("/account/").status_code == 302  # a GET alone signs nobody in
    done = client.post(link_path(message))
    assert done.status_code == 302 and done["Location"] == "/politics/story-1/"
    account = client.get("/account/")
    assert account.status_code == 200 and b"ada@example.org" in account.content


def test_link_works_once(ask_link, mailoutbox):
    """A second use of the same link is refused with a clear page."""
    factories.member(email="once@example.org")
    ask_link("once@example.org")
    path = link_path_from_locmem(mailoutbox[0])
    assert Client().post(path).status_code == 302
    again = Client().post(path)
    assert again.status_code == 410
    assert b"already used" in again.content


def link_path_from_locmem(message):
    return re.search(r"http://testserver(/account/sign-in/[^\s/]+/)", message.body).group(1)


def test_link_expires_after_30_minutes(ask_link, mailoutbox):
    """An old link shows 'expired' and signs nobody in."""
    factories.member(email="slow@example.org")
    with time_machine.travel("2026-05-01 10:00Z", tick=False):
        ask_link("slow@example.org")
    path = link_path_from_locmem(mailoutbox[0])
    client = Client()
    with time_machine.travel("2026-05-01 10:31Z", tick=False):
        response = client.post(path)
    assert response.status_code == 410 and b"expired" in response.content
    assert client.get("/account/").status_code == 302


def test_tampered_link_is_refused(ask_link, mailoutbox):
    """Changing a character of the link signs nobody in."""
    factories.member(email="t@example.org")
    ask_link("t@example.org")
    path = link_path_from_locmem(mailoutbox[0])
    response = Client().post(path[:-4] + "AAA/")
    assert response.status_code == 400 and b"does not work" in response.content


def test_new_address_becomes_a_member_on_first_use(ask_link, mailoutbox):
    """Unknown addresses get the same answer and a link; using it creates a confirmed member."""
    known = factories.member(email="known@example.org")
    a = ask_link("known@example.org")
    b = ask_link("stranger@example.org")
    assert (a.status_code, a["Location"]) == (b.status_code, b["Location"])
    assert not Member.objects.filter(email="stranger@example.org").exists()
    Client().post(link_path_from_locmem(mailoutbox[1]))
    stranger = Member.objects.get(email="stranger@example.org")
    assert stranger.confirmed_at is not None
    known.refresh_from_db()
    assert known.last_signed_in_at is None


@pytest.mark.parametrize(
    "next_url", ["https://evil.example.net/", "//evil.example.net/x", "javascript:alert(1)"]
)
def test_next_must_be_same_site(ask_link, mailoutbox, next_url):
    """An off-site next URL is dropped: the reader lands on their account page."""
    factories.member(email="n@example.org")
    ask_link("n@example.org", next_url=next_url)
    response = Client().post(link_path_from_locmem(mailoutbox[0]))
    assert response["Location"] == "/account/"


def test_sign_in_page_keeps_next():
    """The comments link /account/sign-in/?next=… carries the return path into the form."""
    response = Client().get("/account/sign-in/?next=/news/story/%23comments")
    assert response.status_code == 200
    assert b'name="next" value="/news/story/#comments"' in response.content


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("nope", b"look like an email address"),
        ("x@example.org\r\nBcc: v@example.org", b"look like an email address"),
        ("a" * 250 + "@example.org", b"too long"),
    ],
)
def test_bad_address_gets_a_message_and_no_mail(ask_link, mailoutbox, email, message):
    """Malformed or injected addresses are answered on the page; nothing is sent."""
    response = ask_link(email)
    assert response.status_code == 400 and message in response.content
    assert mailoutbox == []


def test_sign_in_rate_limits(ask_link, mailoutbox, settings):
    """Per-address: answer unchanged, no more mail. Per-IP: a clear 429 page."""
    settings.MASTHEAD_SIGN_IN_PER_ADDRESS = 2
    settings.MASTHEAD_SIGN_IN_PER_IP = 4
    for _ in range(3):
        assert ask_link("flood@example.org").status_code == 302
    assert len(mailoutbox) == 2
    assert ask_link("other@example.org").status_code == 302
    blocked = ask_link("third@example.org")
    assert blocked.status_code == 429
    assert len(mailoutbox) == 3


def test_sign_in_form_requires_csrf():
    """The sign-in form is refused without a CSRF token (and sends nothing)."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/account/sign-in/", {"email": "x@example.org"}, HTTP_ORIGIN="https://evil.example.net"
    )
    assert response.status_code == 403


def test_sign_out(ask_link, mailoutbox):
    """Signing out ends the session: the account page asks to sign in again."""
    factories.member(email="out@example.org")
    ask_link("out@example.org")
    client = Client()
    client.post(link_path_from_locmem(mailoutbox[0]))
    assert client.get("/account/").status_code == 200
    assert client.get("/account/sign-out/").status_code == 200  # a page with a button
    assert client.get("/account/").status_code == 200
    client.post("/account/sign-out/")
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=%2Faccount%2F"


def test_link_requested_before_a_sign_in_is_spent_by_it(ask_link, mailoutbox):
    """Two links asked for: using the newer one spends the older one too."""
    factories.member(email="two@example.org")
    ask_link("two@example.org")
    with time_machine.travel(timedelta(seconds=5)):
        ask_link("two@example.org")
        Client().post(link_path_from_locmem(mailoutbox[1]))
    assert Client().post(link_path_from_locmem(mailoutbox[0])).status_code == 410


def test_sign_in_limits_count_each_reader_behind_the_proxy(ask_link, settings):
    """Behind nginx every request comes from 127.0.0.1: with the proxy trusted, one
    reader's flood does not lock others out, and a forged header does not reset it."""
    settings.MASTHEAD_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.MASTHEAD_SIGN_IN_PER_IP = 2

    def from_reader(address, forged=""):
        chain = f"{forged}, {address}" if forged else address
        return ask_link(
            f"r{address}@example.org", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=chain
        ).status_code

    assert [from_reader("203.0.113.9") for _ in range(2)] == [302, 302]
    assert from_reader("203.0.113.9") == 429
    assert from_reader("203.0.113.9", forged="198.51.100.77") == 429
    assert from_reader("198.51.100.20") == 302
