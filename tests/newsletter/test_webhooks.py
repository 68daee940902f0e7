"""ESP webhooks: a provider's bounce or complaint POST stops mail to that reader."""

import base64
import json
import urllib.request

import pytest

from masthead.newsletter import services
from masthead.newsletter.models import Edition, OutboxMessage, Subscription
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

# Postmark's documented bounce and spam-complaint webhook bodies (trimmed to their fields).
POSTMARK_BOUNCE = {
    "RecordType": "Bounce",
    "MessageStream": "outbound",
    "ID": 4323372036854775807,
    "Type": "HardBounce",
    "TypeCode": 1,
    "Name": "Hard bounce",
    "Tag": "Test",
    "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
    "Metadata": {},
    "ServerID": 23,
    "Description": "The server was unable to deliver your message (unknown user).",
    "Details": "Test bounce details",
    "Email": "gone@example.org",
    "From": "sender@example.com",
    "BouncedAt": "2026-11-05T16:33:54.9070259Z",
    "DumpAvailable": True,
    "Inactive": True,
    "CanActivate": True,
    "Subject": "Test subject",
}
POSTMARK_COMPLAINT = {
    **POSTMARK_BOUNCE,
    "RecordType": "SpamComplaint",
    "Type": "SpamComplaint",
    "TypeCode": 512,
    "Name": "Spam complaint",
    "MessageID": "00000000-0000-0000-0000-000000000042",
    "Email": "annoyed@example.org",
}


@pytest.fixture
def webhook(live_server, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret"}

    def post(payload, secret="hook:s3cret"):  # noqa: S107 - the test's own webhook secret
        request = urllib.request.Request(
            f"{live_server.url}/newsletter/esp/postmark/tracking/",
            data=json.dumps(payload).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": "Basic " + base64.b64encode(secret.encode()).decode(),
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    return post


def test_hard_bounce_webhook_ends_every_subscription_of_the_address(webhook):
    """A bounce for an address stops all its lists; the next edition has no row for it."""
    reader = factories.member(email="gone@example.org")
    daily, alerts = factories.newsletter_list(), factories.newsletter_list()
    subs = [factories.subscription(daily, reader), factories.subscription(alerts, reader)]
    other = factories.subscription(daily)
    assert webhook(POSTMARK_BOUNCE) == 200
    for sub in subs:
        sub.refresh_from_db()
        assert sub.status == Subscription.Status.BOUNCED and sub.ended_at
    other.refresh_from_db()
    assert other.status == Subscription.Status.ACTIVE
    edition = Edition.objects.create(newsletter=daily, subject="Next", intro="Hello.")
    assert services.edition_queue(edition_id=edition.pk) == 1


def test_complaint_webhook_ends_only_the_list_the_mail_came_from(webhook):
    """A spam complaint about one edition ends that list's subscription only."""
    reader = factories.member(email="annoyed@example.org")
    daily, alerts = factories.newsletter_list(), factories.newsletter_list()
    complained = factories.subscription(daily, reader)
    kept = factories.subscription(alerts, reader)
    edition = Edition.objects.create(newsletter=daily, subject="Daily", intro="Hello.")
    OutboxMessage.objects.create(
        edition=edition,
        subscription=complained,
        email=reader.email,
        status="sent",
        message_id=POSTMARK_COMPLAINT["MessageID"],
    )
    assert webhook(POSTMARK_COMPLAINT) == 200
    complained.refresh_from_db()
    kept.refresh_from_db()
    assert complained.status == Subscription.Status.COMPLAINED
    assert kept.status == Subscription.Status.ACTIVE


def test_webhook_with_a_wrong_secret_changes_nothing(webhook):
    """A POST without the shared secret is refused and no subscription changes."""
    sub = factories.subscription(reader=factories.member(email="gone@example.org"))
    assert webhook(POSTMARK_BOUNCE, secret="hook:guess") == 400
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.ACTIVE
