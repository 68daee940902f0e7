"""The mail provider behind Django's email backend, and what its errors mean for a row.

SMTP (EMAIL_URL) and ESPs through django-anymail (EMAIL_BACKEND = "anymail.backends.…")
are both plain Django email backends; only their errors differ, and this module maps each
to one of three outcomes so the sender never branches on which provider is configured.
"""

import smtplib
from enum import Enum

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address


class Outcome(Enum):
    RETRY = "retry"  # temporary (SMTP 4xx, connection lost, provider API hiccup)
    BOUNCE = "bounce"  # the address is refused for good (SMTP 5xx): stop mailing it
    FAIL = "fail"  # this message cannot be sent; the address is not to blame


def open_connection():
    connection = get_connection()
    connection.open()
    return connection


def takes_wire_bytes(connection):
    """True for Django's SMTP backend: it can be handed a finished message as bytes. ESP
    backends (anymail) build API calls from message objects instead."""
    return isinstance(connection, SMTPBackend) and connection.connection is not None


def send_wire_bytes(connection, *, from_email, to, data):
    """Send finished bytes over an open SMTP connection; errors are those of send_messages."""
    encoding = settings.DEFAULT_CHARSET
    connection.connection.sendmail(
        sanitize_address(from_email, encoding), [sanitize_address(to, encoding)], data
    )


def classify(exc):
    """(outcome, description, connection_broken) for an exception raised while sending."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        text = "; ".join(f"{c} {m.decode(errors='replace')}" for c, m in exc.recipients.values())
        return (Outcome.BOUNCE if codes and min(codes) >= 500 else Outcome.RETRY), text, False
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return Outcome.RETRY, f"connection lost: {exc}", True
    if isinstance(exc, smtplib.SMTPSenderRefused):
        # Our sender address was refused: the reader is not at fault, keep them.
        kind = Outcome.FAIL if exc.smtp_code >= 500 else Outcome.RETRY
        return kind, f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace')}", False
    if isinstance(exc, smtplib.SMTPResponseException):
        kind = Outcome.BOUNCE if exc.smtp_code >= 500 else Outcome.RETRY
        return kind, f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace')}", False
    if isinstance(exc, (smtplib.SMTPException, OSError)):
        return Outcome.RETRY, f"{type(exc).__name__}: {exc}", True
    try:
        from anymail.exceptions import AnymailError, AnymailRecipientsRefused
    except ImportError:  # pragma: no cover - anymail is a dependency
        AnymailError = AnymailRecipientsRefused = ()  # noqa: N806
    if isinstance(exc, AnymailRecipientsRefused):
        return Outcome.BOUNCE, str(exc)[:500], False
    if isinstance(exc, AnymailError):
        return Outcome.RETRY, str(exc)[:500], False
    return Outcome.FAIL, f"{type(exc).__name__}: {exc}"[:500], False


def provider_message_id(message, fallback):
    """The id the provider knows the message by (anymail's), else our Message-ID."""
    status = getattr(message, "anymail_status", None)
    return (getattr(status, "message_id", None) or fallback or "")[:255]
