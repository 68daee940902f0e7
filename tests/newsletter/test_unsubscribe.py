"""Unsubscribe links (page and RFC 8058 one-click) and the preferences link."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from masthead.newsletter import tokens
from masthead.newsletter.models import ConsentRecord, Subscription
from masthead.newsletter.subscriptions import subscription_unsubscribe
from tests import factories

pytestmark = pytest.mark.django_db


def path_of(url):
    assert url.startswith("http://testserver/")
    return url.removeprefix("http://testserver")


def withdrawals(sub):
    return ConsentRecord.objects.filter(
        member=sub.member, newsletter=sub.newsletter, action=ConsentRecord.Action.WITHDRAWN
    ).count()


def test_urls_are_absolute_from_the_base_url(settings):
    """Links in mail start with MASTHEAD_BASE_URL and point under /newsletter/."""
    settings.MASTHEAD_BASE_URL = "https://news.example.org"
    sub = factories.subscription()
    assert tokens.unsubscribe_url(sub).startswith(
        "https://news.example.org/newsletter/unsubscribe/"
    )
    assert tokens.one_click_unsubscribe_url(sub).endswith("/one-click/")
    assert tokens.preferences_url(sub.member).startswith(
        "https://news.example.org/newsletter/preferences/"
    )


def test_unsubscribe_page_asks_then_post_unsubscribes():
    """GET shows a one-button form and changes nothing; the POST ends the subscription."""
    sub = factories.subscription()
    url = path_of(tokens.unsubscribe_url(sub))
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    assert b"Unsubscribe from" in page.content
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.ACTIVE
    done = client.post(url)
    assert b"You're unsubscribed" in done.content
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.UNSUBSCRIBED
    assert sub.ended_at is not None
    assert withdrawals(sub) == 1


def test_one_click_post_unsubscribes_without_page_or_csrf():
    """A mailbox provider's RFC 8058 POST unsubscribes at once, with no cookie or CSRF token."""
    sub = factories.subscription()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        path_of(tokens.one_click_unsubscribe_url(sub)), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.UNSUBSCRIBED
    record = ConsentRecord.objects.get(action=ConsentRecord.Action.WITHDRAWN)
    assert "one-click" in record.source


def test_one_click_without_the_rfc_body_changes_nothing():
    """A POST without `List-Unsubscribe=One-Click` is refused and the reader stays subscribed."""
    sub = factories.subscription()
    response = Client().post(path_of(tokens.one_click_unsubscribe_url(sub)), {"other": "x"})
    assert response.status_code == 400
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.ACTIVE


def test_one_click_get_shows_the_confirmation_page():
    """A reader who opens the one-click link in a browser lands on the normal page."""
    sub = factories.subscription()
    response = Client().get(path_of(tokens.one_click_unsubscribe_url(sub)), follow=True)
    assert b"Unsubscribe from" in response.content
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.ACTIVE


def test_replayed_unsubscribe_changes_nothing():
    """Using the link twice says so and writes no second withdrawal."""
    sub = factories.subscription()
    url = path_of(tokens.unsubscribe_url(sub))
    Client().post(url)
    again = Client().post(
        path_of(tokens.one_click_unsubscribe_url(sub)), {"List-Unsubscribe": "One-Click"}
    )
    assert again.status_code == 200
    page = Client().get(url)
    assert b"You're not subscribed" in page.content
    assert withdrawals(sub) == 1


@pytest.mark.parametrize(
    "mangle", [lambda t: t[:-2] + "xx", lambda t: "x" + t, lambda t: "garbage"]
)
def test_tampered_unsubscribe_token_changes_nothing(mangle):
    """An altered token gets a clear page and leaves the subscription alone."""
    sub = factories.subscription()
    token = tokens.unsubscribe_token(sub)
    response = Client().post(f"/newsletter/unsubscribe/{mangle(token)}/")
    assert response.status_code == 400
    assert b"This link does not work" in response.content
    one_click = Client().post(
        f"/newsletter/unsubscribe/{mangle(token)}/one-click/", {"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status_code == 400
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.ACTIVE


def test_token_for_another_purpose_is_refused():
    """A preferences token with the same id cannot unsubscribe (tokens are salted per purpose)."""
    sub = factories.subscription()
    forged = tokens.make_token(tokens.PREFERENCES, {"s": sub.pk})
    response = Client().post(f"/newsletter/unsubscribe/{forged}/")
    assert response.status_code == 400
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.ACTIVE


def test_expired_unsubscribe_link_changes_nothing():
    """A link older than its lifetime shows an 'expired' page and changes nothing."""
    sub = factories.subscription()
    with time_machine.travel("2026-01-01 12:00Z", tick=False):
        url = path_of(tokens.unsubscribe_url(sub))
    with time_machine.travel("2027-06-01 12:00Z", tick=False):
        response = Client().post(url)
    assert response.status_code == 410
    assert b"This link has expired" in response.content
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.ACTIVE


def test_service_unsubscribes_once():
    """subscription_unsubscribe reports whether it ended the subscription."""
    sub = factories.subscription()
    assert subscription_unsubscribe(subscription=sub, source="test") is True
    assert subscription_unsubscribe(subscription=sub, source="test") is False
    assert sub.status == Subscription.Status.UNSUBSCRIBED
    assert withdrawals(sub) == 1


def test_preferences_link_changes_choices():
    """The preferences page shows the reader's lists and saves a new choice."""
    daily = factories.newsletter_list(name="Daily briefing", slug="daily")
    alerts = factories.newsletter_list(name="Breaking news", slug="alerts")
    sub = factories.subscription(daily)
    url = path_of(tokens.preferences_url(sub.member))
    client = Client()
    page = client.get(url)
    assert page.status_code == 200
    assert re.search(rb'value="daily"[^>]*checked', page.content)
    assert not re.search(rb'value="alerts"[^>]*checked', page.content)
    saved = client.post(url, {"lists": ["alerts"]})
    assert b"Your choices are saved" in saved.content
    statuses = dict(
        Subscription.objects.filter(member=sub.member).values_list("newsletter__slug", "status")
    )
    assert statuses == {"daily": "unsubscribed", "alerts": "active"}
    assert ConsentRecord.objects.filter(newsletter=alerts, action="confirmed").exists()


def test_preferences_with_unknown_list_saves_nothing():
    """Choosing a list that does not exist gives a clear message and changes nothing."""
    sub = factories.subscription()
    response = Client().post(path_of(tokens.preferences_url(sub.member)), {"lists": ["nope"]})
    assert response.status_code == 400
    assert b"not offered here" in response.content
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.ACTIVE


def test_preferences_link_expires():
    """An old preferences link shows the expired page."""
    sub = factories.subscription()
    url = path_of(tokens.preferences_url(sub.member))
    with time_machine.travel(timedelta(days=500)):
        response = Client().get(url)
    assert response.status_code == 410
