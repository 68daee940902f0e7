"""Newsletter sending settings, each with a default that suits the embedded setup."""

from email.utils import parseaddr

from django.conf import settings


def _get(name, default):
    return getattr(settings, name, default)


def from_email():
    return _get("NEWSLETTER_FROM_EMAIL", settings.DEFAULT_FROM_EMAIL)


def reply_to():
    return _get("NEWSLETTER_REPLY_TO", "") or parseaddr(from_email())[1]


def unsubscribe_mailto():
    """The mailto: address offered in List-Unsubscribe beside the https one-click link."""
    return _get("NEWSLETTER_UNSUBSCRIBE_MAILTO", "") or parseaddr(from_email())[1]


def message_id_domain():
    return _get("NEWSLETTER_MESSAGE_ID_DOMAIN", "") or (
        parseaddr(from_email())[1].rpartition("@")[2] or "localhost"
    )


def batch_size():
    return _get("NEWSLETTER_BATCH_SIZE", 50)


def lease_seconds():
    """How long a claimed batch belongs to its worker before another may take it over."""
    return _get("NEWSLETTER_LEASE_SECONDS", 120)


def parallel_sends():
    """How many send tasks one edition is split into (one per worker you run)."""
    return _get("NEWSLETTER_PARALLEL_SENDS", 4)


def max_attempts():
    return _get("NEWSLETTER_MAX_ATTEMPTS", 5)


def retry_base_seconds():
    return _get("NEWSLETTER_RETRY_BASE_SECONDS", 60)


def digest_hour():
    """Hour of the day (in TIME_ZONE) after which the daily digest builds itself."""
    return _get("NEWSLETTER_DIGEST_HOUR", 6)


def redispatch_seconds():
    """Minimum gap between two hand-outs of the same edition by the periodic check."""
    return _get("NEWSLETTER_REDISPATCH_SECONDS", 30)
