"""An edition sent through a real SMTP server, read back as a mail client would."""

from urllib.parse import urlparse

import pytest
from django.conf import settings

from masthead.newsletter import services
from masthead.newsletter.models import Edition, OutboxMessage, Subscription
from tests import factories
from tests.newsletter.sending import edition_with_readers

pytestmark = pytest.mark.django_db


def _send(edition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.edition_queue(edition_id=edition.pk)


def _parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_every_reader_receives_the_edition_with_rfc8058_headers(
    smtp_server, django_capture_on_commit_callbacks
):
    """Each active subscriber gets one mail with both parts and one-click unsubscribe headers."""
    edition, subs = edition_with_readers(readers=3)
    factories.subscription(edition.newsletter, status="pending")
    assert _send(edition, django_capture_on_commit_callbacks) == 3
    messages = smtp_server.wait_for(3)
    assert sorted(m["To"] for m in messages) == [s.member.email for s in subs]
    for message in messages:
        assert message["Subject"] == "Morning briefing"
        assert message["From"] == settings.DEFAULT_FROM_EMAIL
        assert message["Reply-To"]
        assert message["Date"]
        assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith(">")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        https, mailto = [p.strip(" <>") for p in message["List-Unsubscribe"].split(",")]
        assert https.startswith("http://testserver/newsletter/unsubscribe/")
        assert mailto.startswith("mailto:")
        text, html = _parts(message)
        assert "Here is the news." in text and "Here is the news." in html
        assert 'alt="' in html and "color-scheme" in html
    assert len({m["Message-ID"] for m in messages}) == 3
    # Built once for the edition and personalised per reader: one MIME boundary for all.
    assert len({m.get_boundary() for m in messages}) == 1
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT
    assert set(edition.outbox.values_list("status", flat=True)) == {"sent"}


def test_one_click_unsubscribe_from_the_header_stops_the_next_edition(
    client, smtp_server, django_capture_on_commit_callbacks
):
    """POSTing List-Unsubscribe=One-Click to the header URL unsubscribes; next mail skips them."""
    edition, subs = edition_with_readers(readers=2)
    _send(edition, django_capture_on_commit_callbacks)
    message = smtp_server.to(subs[0].member.email)[0] if smtp_server.wait_for(2) else None
    https = message["List-Unsubscribe"].split(",")[0].strip(" <>")
    response = client.post(urlparse(https).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subs[0].refresh_from_db()
    assert subs[0].status == Subscription.Status.UNSUBSCRIBED

    smtp_server.clear()
    second = Edition.objects.create(newsletter=edition.newsletter, subject="Evening", intro="Hi.")
    assert _send(second, django_capture_on_commit_callbacks) == 1
    (only,) = smtp_server.wait_for(1)
    assert only["To"] == subs[1].member.email


def test_links_in_both_parts_open_working_pages(
    client, smtp_server, django_capture_on_commit_callbacks
):
    """Story, unsubscribe and preferences links in the mail lead to real pages."""
    edition, subs = edition_with_readers(readers=1, stories=1)
    _send(edition, django_capture_on_commit_callbacks)
    (message,) = smtp_server.wait_for(1)
    text, html = _parts(message)
    story = edition.chosen_articles.get().article
    assert story.title in html and story.title in text
    links = [
        line.split(": ", 1)[1] for line in text.splitlines() if line.startswith(("Manage", "Unsub"))
    ]
    story_url = next(line for line in text.splitlines() if line.startswith("http://testserver/"))
    for url in [*links, story_url]:
        assert url in html
        assert client.get(urlparse(url).path).status_code == 200, url
    subs[0].refresh_from_db()
    assert subs[0].status == Subscription.Status.ACTIVE  # GET alone never unsubscribes


def test_header_injection_in_subject_and_name_adds_no_header(
    smtp_server, django_capture_on_commit_callbacks
):
    """A subject or reader name carrying CR/LF and a Bcc line arrives as one harmless line."""
    edition, subs = edition_with_readers(readers=1, subject="Hello\r\nBcc: thief@example.com")
    member = subs[0].member
    member.display_name = "Ann\r\nBcc: thief@example.com"
    member.save()
    _send(edition, django_capture_on_commit_callbacks)
    (message,) = smtp_server.wait_for(1)
    assert message["Bcc"] is None
    assert message["Subject"] == "Hello Bcc: thief@example.com"
    assert smtp_server.envelopes[0].rcpt_tos == [member.email]


def test_temporary_failure_retries_later_and_then_delivers(
    smtp_server, django_capture_on_commit_callbacks, time_machine
):
    """A 451 from the server puts the message back with a delay; the retry delivers it."""
    edition, subs = edition_with_readers(readers=1)
    smtp_server.reject_with = "451 4.3.0 Try again later"
    _send(edition, django_capture_on_commit_callbacks)
    row = OutboxMessage.objects.get(edition=edition)
    assert row.status == "queued" and row.next_attempt_at and "451" in row.last_error
    assert smtp_server.messages == []
    subs[0].refresh_from_db()
    assert subs[0].status == Subscription.Status.ACTIVE

    smtp_server.reject_with = None
    time_machine.move_to(row.next_attempt_at, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.editions_redispatch() == [edition.pk]
    smtp_server.wait_for(1)
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2


def test_permanent_failure_marks_the_subscriber_bounced(
    smtp_server, django_capture_on_commit_callbacks
):
    """A 550 fails the message and ends the subscription as bounced; no retry."""
    edition, subs = edition_with_readers(readers=1)
    smtp_server.reject_with = "550 5.1.1 No such mailbox"
    _send(edition, django_capture_on_commit_callbacks)
    row = OutboxMessage.objects.get(edition=edition)
    assert row.status == "failed" and "550" in row.last_error
    subs[0].refresh_from_db()
    assert subs[0].status == Subscription.Status.BOUNCED
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT


def _readable(raw):
    from email import message_from_bytes, policy

    message = message_from_bytes(raw, policy=policy.default)
    headers = {
        k: str(message[k])
        for k in ("To", "From", "Subject", "Reply-To", "List-Id", "List-Unsubscribe-Post")
    }
    return headers, message["List-Unsubscribe"].strip(), _parts(message), message


def test_prebuilt_edition_bytes_match_a_fully_built_message():
    """The per-edition template gives each reader the same mail a full build would: their
    own name (non-ASCII included), links and one-click header, and their own Message-ID."""
    from masthead.newsletter.renderer import edition_render, message_build, message_template

    edition, (sub, other) = edition_with_readers(readers=2, subject="Ñews for Zoë — Monday")
    rendered = edition_render(edition=edition)
    template = message_template(rendered=rendered)
    assert template is not None
    name = "Zoë Łukasiewicz-Ó'Brien, the reader with a rather long display name indeed"
    fast, message_id = template.for_reader(email=sub.member.email, subscription=sub, name=name)
    full = message_build(rendered=rendered, email=sub.member.email, subscription=sub, name=name)
    fast_view, full_view = _readable(fast), _readable(full.message().as_bytes(linesep="\r\n"))
    assert fast_view[:3] == full_view[:3]
    assert name in fast_view[0]["To"] and sub.member.email in fast_view[0]["To"]
    assert fast_view[3]["Message-ID"] == message_id
    assert fast_view[3]["Date"]
    other_bytes, other_id = template.for_reader(
        email=other.member.email, subscription=other, name=""
    )
    assert other_id != message_id
    assert sub.member.email.encode() not in other_bytes


def test_an_edition_the_template_cannot_hold_is_sent_in_full(
    client, smtp_server, django_capture_on_commit_callbacks
):
    """A paragraph too long for 8-bit transfer makes the bodies quoted-printable; the
    sender then builds each message in full and every link still works."""
    from masthead.newsletter.renderer import edition_render, message_template

    edition, subs = edition_with_readers(readers=2, stories=1)
    edition.intro = "Long. " * 400
    edition.save()
    assert message_template(rendered=edition_render(edition=edition)) is None
    _send(edition, django_capture_on_commit_callbacks)
    for message in smtp_server.wait_for(2):
        text, _ = _parts(message)
        unsubscribe = next(line for line in text.splitlines() if line.startswith("Unsub"))
        assert client.get(urlparse(unsubscribe.split(": ", 1)[1]).path).status_code == 200
        https = message["List-Unsubscribe"].split(",")[0].strip(" <>")
        one_click = client.post(urlparse(https).path, {"List-Unsubscribe": "One-Click"})
        assert one_click.status_code == 200
    assert {s.status for s in Subscription.objects.all()} == {Subscription.Status.UNSUBSCRIBED}
