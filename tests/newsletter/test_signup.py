"""Signing up: the form on the newsletter page and in the article box, double opt-in."""

import re

import pytest
import time_machine
from django.test import Client

from masthead.members.models import Member
from masthead.newsletter.models import ConsentRecord, Subscription
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists():
    return {
        "daily": factories.newsletter_list(name="Daily briefing", slug="daily"),
        "alerts": factories.newsletter_list(name="Breaking news", slug="alerts"),
    }


@pytest.fixture
def signup(django_capture_on_commit_callbacks):
    """POST the signup form the way a browser with JavaScript does (token filled in)."""

    def post(data, client=None, **extra):
        client = client or Client()
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/newsletter/subscribe/", data, **extra)

    return post


def link_in(message, pattern):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"http://testserver(/newsletter/{pattern}/[^\s]+/)", text).group(1)


def test_newsletter_page_lists_every_public_list(lists):
    """/newsletter/ names each public list and offers a form; private lists stay hidden."""
    factories.newsletter_list(name="Staff only", is_public=False)
    response = Client().get("/newsletter/")
    assert response.status_code == 200
    assert b"Daily briefing" in response.content and b"Breaking news" in response.content
    assert b"Staff only" not in response.content
    assert b"data-csrf" in response.content
    assert "Set-Cookie" not in response.headers and "csrftoken" not in response.cookies


def test_signup_confirm_flow_over_real_smtp(lists, signup, smtp_server):
    """Signup mails a two-part confirmation; following its link activates and records consent."""
    response = signup(
        {"email": "Ada@Example.ORG", "lists": ["daily", "alerts"], "source": "/politics/story/"}
    )
    assert response.status_code == 302 and response["Location"] == "/newsletter/check-your-inbox/"
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "Ada@example.org"
    assert "Please confirm" in message["Subject"]
    assert message["Message-ID"] and message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Confirm my subscription" in html and "Daily briefing" in html
    member = Member.objects.get(email__iexact="ada@example.org")
    assert member.confirmed_at is None
    assert set(member.subscriptions.values_list("status", flat=True)) == {"pending"}

    page = Client().get(link_in(message, "confirm"))
    assert page.status_code == 200
    assert b"You're subscribed" in page.content
    member.refresh_from_db()
    assert member.confirmed_at is not None
    assert set(member.subscriptions.values_list("status", flat=True)) == {"active"}
    confirmed = ConsentRecord.objects.filter(member=member, action="confirmed")
    assert confirmed.count() == 2
    requested = ConsentRecord.objects.filter(member=member, action="requested").first()
    assert requested.source == "/politics/story/"
    assert "unsubscribe at any time" in requested.wording

    again = Client().get(link_in(message, "confirm"))
    assert b"already confirmed" in again.content
    assert ConsentRecord.objects.filter(member=member, action="confirmed").count() == 2

    prefs = Client().get(link_in(message, "preferences"))
    assert prefs.status_code == 200 and b"Ada@example.org" in prefs.content


def test_confirmation_link_expires(lists, signup, smtp_server):
    """A confirmation link older than a week shows 'expired' and confirms nothing."""
    with time_machine.travel("2026-03-01 09:00Z", tick=False):
        signup({"email": "late@example.org", "lists": ["daily"]})
    (message,) = smtp_server.wait_for(1)
    with time_machine.travel("2026-03-09 09:00Z", tick=False):
        response = Client().get(link_in(message, "confirm"))
    assert response.status_code == 410
    assert Subscription.objects.get().status == "pending"


def test_tampered_confirmation_link_confirms_nothing(lists, signup, smtp_server):
    """Changing the list ids or the signature in the link is refused."""
    signup({"email": "t@example.org", "lists": ["daily"]})
    (message,) = smtp_server.wait_for(1)
    path = link_in(message, "confirm")
    # A different last character of the signature, whatever it was.
    last = path[-2]
    response = Client().get(path[:-2] + ("B" if last == "A" else "A") + "/")
    assert response.status_code == 400
    assert b"This link does not work" in response.content
    assert Subscription.objects.get().status == "pending"


def test_confirm_after_unsubscribe_does_not_resubscribe(lists, signup, smtp_server):
    """An old confirmation link cannot revive a subscription the reader ended."""
    signup({"email": "r@example.org", "lists": ["daily"]})
    (message,) = smtp_server.wait_for(1)
    Client().get(link_in(message, "confirm"))
    sub = Subscription.objects.get()
    from masthead.newsletter.subscriptions import subscription_unsubscribe

    subscription_unsubscribe(subscription=sub, source="test")
    response = Client().get(link_in(message, "confirm"))
    assert b"Nothing to confirm" in response.content
    sub.refresh_from_db()
    assert sub.status == "unsubscribed"


def test_answer_does_not_reveal_existing_subscription(lists, signup, mailoutbox):
    """An address already subscribed gets the very same response, and no new mail."""
    factories.subscription(lists["daily"], factories.member(email="known@example.org"))
    known = signup({"email": "known@example.org", "lists": ["daily"]})
    fresh = signup({"email": "new@example.org", "lists": ["daily"]})
    assert (known.status_code, known["Location"]) == (fresh.status_code, fresh["Location"])
    assert [m.to for m in mailoutbox] == [["new@example.org"]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-address", "lists": ["daily"]}, b"look like an email address"),
        ({"email": "a@b@example.org", "lists": ["daily"]}, b"look like an email address"),
        ({"email": "x@example.org\r\nBcc: v@example.org", "lists": ["daily"]}, b"email address"),
        ({"email": "a" * 250 + "@example.org", "lists": ["daily"]}, b"too long"),
        ({"email": "", "lists": ["daily"]}, b"enter your email address"),
        ({"email": "ok@example.org", "lists": ["no-such-list"]}, b"not offered here"),
        ({"email": "ok@example.org"}, b"choose at least one newsletter"),
        ({"email": "ok@example.org", "lists": ["daily"], "name": "Eve\r\nBcc: x@y"}, b"letters"),
        ({"email": "ok@example.org", "lists": ["daily"], "name": "n" * 81}, b"under 80"),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(
    lists, signup, mailoutbox, data, message
):
    """Malformed, over-long or injected input is answered on the page; nothing is stored."""
    response = signup(data)
    assert response.status_code == 400
    assert message in response.content
    assert b"nothing was saved" in response.content
    assert Member.objects.count() == 0 and ConsentRecord.objects.count() == 0
    assert mailoutbox == []


def test_private_list_cannot_be_chosen(lists, signup):
    """A list not offered to readers is refused like an unknown one."""
    factories.newsletter_list(slug="staff", is_public=False)
    response = signup({"email": "ok@example.org", "lists": ["staff"]})
    assert response.status_code == 400
    assert Subscription.objects.count() == 0


def test_honeypot_looks_like_success_but_stores_nothing(lists, signup, mailoutbox):
    """A bot that fills the hidden field is told 'check your inbox' and nothing happens."""
    response = signup({"email": "bot@example.org", "lists": ["daily"], "website": "http://spam"})
    assert response.status_code == 302
    assert Member.objects.count() == 0
    assert mailoutbox == []


def test_per_address_rate_limit_stops_mail_silently(lists, signup, mailoutbox, settings):
    """Past the per-address limit the answer is unchanged but no more mail goes out."""
    settings.MASTHEAD_SIGNUP_PER_ADDRESS = 2
    for n in range(4):
        response = signup(
            {"email": "victim@example.org", "lists": ["daily"]}, REMOTE_ADDR=f"10.0.0.{n}"
        )
        assert response.status_code == 302
    assert len(mailoutbox) == 2
    assert ConsentRecord.objects.count() == 2


def test_per_ip_rate_limit(lists, signup, settings):
    """Past the per-IP limit the reader gets a clear 429 page and nothing is stored."""
    settings.MASTHEAD_SIGNUP_PER_IP = 2
    for n in range(2):
        signup({"email": f"r{n}@example.org", "lists": ["daily"]}, REMOTE_ADDR="10.1.1.1")
    response = signup({"email": "r9@example.org", "lists": ["daily"]}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert b"try again" in response.content
    assert not Member.objects.filter(email="r9@example.org").exists()
    other = signup({"email": "r9@example.org", "lists": ["daily"]}, REMOTE_ADDR="10.1.1.2")
    assert other.status_code == 302


def test_csrf_is_enforced_and_the_no_js_path_confirms(
    lists, mailoutbox, django_capture_on_commit_callbacks
):
    """Without a token the post is held on a confirm page; its one click subscribes."""
    client = Client(enforce_csrf_checks=True)
    data = {"email": "nojs@example.org", "lists": ["daily", "alerts"], "source": "/x/"}
    held = client.post("/newsletter/subscribe/", data, HTTP_REFERER="http://testserver/x/")
    assert held.status_code == 403
    assert Member.objects.count() == 0
    html = held.content.decode()
    assert "Confirm and send" in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    fields = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html)
    resubmit = {}
    for name, value in fields:
        resubmit.setdefault(name, []).append(value)
    resubmit["csrfmiddlewaretoken"] = token
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            "/newsletter/subscribe/",
            resubmit,
            HTTP_REFERER="http://testserver/newsletter/subscribe/",
        )
    assert done.status_code == 302
    assert Subscription.objects.filter(status="pending").count() == 2
    assert len(mailoutbox) == 1


def test_cross_site_post_is_refused(lists):
    """A form posted from another site is refused outright and nothing is stored."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/newsletter/subscribe/",
        {"email": "x@example.org", "lists": ["daily"]},
        HTTP_ORIGIN="https://evil.example.net",
    )
    assert response.status_code == 403
    assert b"did not come from a page on this site" in response.content
    assert Member.objects.count() == 0


def test_article_page_box_is_a_real_cacheable_form(lists):
    """The article's signup box offers the lists with an empty token field and sets no cookie."""
    story = factories.article(newsletter_promo=True)
    response = Client().get(story.url)
    html = response.content.decode()
    assert 'action="/newsletter/subscribe/"' in html
    assert 'name="csrfmiddlewaretoken" value=""' in html
    assert "Daily briefing" in html
    assert f'name="source" value="{story.url}"' in html
    assert "csrftoken" not in response.cookies
