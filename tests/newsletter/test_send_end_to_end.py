"""A reader's whole journey: sign up, confirm, receive an edition, one-click out, no more mail."""

import re
from urllib.parse import urlparse

import pytest
from django.test import Client

from masthead.newsletter import services
from masthead.newsletter.models import Edition
from tests import factories

pytestmark = pytest.mark.django_db


def _path(message, pattern):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return urlparse(re.search(rf"(http://testserver/newsletter/{pattern}/\S+/)", text)[1]).path


def test_signup_confirm_receive_unsubscribe_receive_nothing(
    smtp_server, django_capture_on_commit_callbacks
):
    """After the one-click unsubscribe, the next edition reaches everyone but that reader."""
    daily = factories.newsletter_list(name="Daily briefing", slug="daily")
    factories.subscription(daily)  # someone else stays subscribed
    reader = Client()
    with django_capture_on_commit_callbacks(execute=True):
        reader.post("/newsletter/subscribe/", {"email": "kim@example.org", "lists": ["daily"]})
    (confirmation,) = smtp_server.wait_for(1)
    assert reader.get(_path(confirmation, "confirm")).status_code == 200

    smtp_server.clear()
    first = Edition.objects.create(newsletter=daily, subject="Monday", intro="Hello.")
    with django_capture_on_commit_callbacks(execute=True):
        services.edition_queue(edition_id=first.pk)
    smtp_server.wait_for(2)
    (mine,) = smtp_server.to("kim@example.org")
    assert mine["Subject"] == "Monday"

    one_click = mine["List-Unsubscribe"].split(",")[0].strip(" <>")
    # What a mailbox provider does for RFC 8058: one POST, no page, no cookies.
    response = Client().post(urlparse(one_click).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200

    smtp_server.clear()
    second = Edition.objects.create(newsletter=daily, subject="Tuesday", intro="Hello.")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.edition_queue(edition_id=second.pk) == 1
    smtp_server.wait_for(1)
    assert smtp_server.to("kim@example.org") == []
