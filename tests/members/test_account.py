"""The account page: newsletter choices, data download and erasure."""

import json
import re
from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from masthead.members.models import Member
from masthead.members.services import member_sign_in
from masthead.newsletter.models import ConsentRecord, Edition, OutboxMessage, Subscription
from masthead.newsletter.subscriptions import subscriptions_request
from tests import factories

pytestmark = pytest.mark.django_db


def signed_in_client(member):
    """A client holding a session made by the real sign-in service."""
    request = RequestFactory().get("/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    member_sign_in(request=request, member=member)
    request.session.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    return client


@pytest.fixture
def reader():
    daily = factories.newsletter_list(name="Daily briefing", slug="daily")
    factories.newsletter_list(name="Breaking news", slug="alerts")
    member = factories.member(email="Reader@Example.org", display_name="Rea Der")
    subscriptions_request(email=member.email, newsletters=[daily], source="/politics/x/")
    Subscription.objects.update(status="active")
    return member


def test_account_page_requires_sign_in():
    """An anonymous visit to /account/ is sent to sign in, and comes back after."""
    response = Client().get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=%2Faccount%2F"


def test_account_shows_and_changes_newsletter_choices(reader):
    """The account page shows the member's lists; saving changes them."""
    client = signed_in_client(reader)
    page = client.get("/account/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Reader@Example.org" in html and 'action="/newsletter/mine/"' in html
    assert re.search(r'value="daily"[^>]*checked', html)
    assert not re.search(r'value="alerts"[^>]*checked', html)
    saved = client.post("/newsletter/mine/", {"lists": ["alerts"]})
    assert b"Your choices are saved" in saved.content
    statuses = dict(
        Subscription.objects.filter(member=reader).values_list("newsletter__slug", "status")
    )
    assert statuses == {"daily": "unsubscribed", "alerts": "active"}
    assert ConsentRecord.objects.filter(source="account page", action="withdrawn").count() == 1


def test_my_newsletters_requires_sign_in():
    """/newsletter/mine/ without a session asks to sign in."""
    response = Client().post("/newsletter/mine/", {"lists": []})
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


def test_download_my_data(reader):
    """The download is JSON with the account, subscriptions, consent wording and mail sent."""
    edition = Edition.objects.create(
        newsletter=reader.subscriptions.get().newsletter, subject="Mon"
    )
    OutboxMessage.objects.create(
        edition=edition, subscription=reader.subscriptions.get(), email=reader.email, status="sent"
    )
    response = signed_in_client(reader).get("/account/my-data.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["member"]["email"] == "Reader@Example.org"
    assert data["newsletter_subscriptions"][0]["newsletter"] == "Daily briefing"
    assert "unsubscribe at any time" in data["consent_records"][0]["wording"]
    assert data["consent_records"][0]["source"] == "/politics/x/"
    assert data["emails_sent"] == [{"subject": "Mon", "status": "sent", "sent_at": None}]


def test_delete_account_erases_personal_data(reader):
    """Erasure removes the member and subscriptions; sent-mail rows keep no address."""
    sub = reader.subscriptions.get()
    edition = Edition.objects.create(newsletter=sub.newsletter, subject="Mon")
    later = Edition.objects.create(newsletter=sub.newsletter, subject="Tue")
    OutboxMessage.objects.create(
        edition=edition,
        subscription=sub,
        email=reader.email,
        status="failed",
        last_error="550 reader@example.org unknown",
    )
    OutboxMessage.objects.create(edition=later, subscription=sub, email=reader.email)
    client = signed_in_client(reader)
    refused = client.post("/account/delete/", {})
    assert refused.status_code == 400 and b"tick the box" in refused.content
    assert Member.objects.filter(pk=reader.pk).exists()

    done = client.post("/account/delete/", {"confirm": "on"})
    assert done.status_code == 200 and b"Your account is deleted" in done.content
    assert not Member.objects.filter(email__iexact="reader@example.org").exists()
    assert Subscription.objects.count() == 0
    rows = list(OutboxMessage.objects.order_by("edition__subject"))
    assert all(r.email.endswith("@erased.invalid") for r in rows)
    assert "reader" not in json.dumps([(r.email, r.last_error) for r in rows]).lower()
    assert [r.status for r in rows] == ["failed", "skipped"]  # the unsent one will never go
    assert rows[0].email == rows[1].email  # one address, one fingerprint
    assert ConsentRecord.objects.filter(member=None).count() >= 1  # proof kept, anonymous
    assert client.get("/account/").status_code == 302  # signed out


def test_sign_in_link_of_an_erased_member_starts_afresh(reader, mailoutbox):
    """After erasure the old session is gone and nothing of the old account comes back."""
    client = signed_in_client(reader)
    client.post("/account/delete/", {"confirm": "on"})
    assert client.get("/account/my-data.json").status_code == 302
