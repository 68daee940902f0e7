"""Signed tokens in newsletter links, and the absolute URLs that carry them.

A token is a TimestampSigner signature over a small JSON payload, salted per purpose so a
token made for one link cannot be used on another. Links in mail must keep working for as
long as readers keep old mail, so unsubscribe and preferences tokens live long; a
confirmation link lives a week. Nothing is stored: the signature is the proof.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

UNSUBSCRIBE = "masthead.newsletter.unsubscribe"
PREFERENCES = "masthead.newsletter.preferences"
CONFIRM = "masthead.newsletter.confirm"

# Overridable in settings; a missing setting means these defaults.
MAX_AGE = {
    UNSUBSCRIBE: timedelta(days=400),
    PREFERENCES: timedelta(days=400),
    CONFIRM: timedelta(days=7),
}
_SETTING_NAMES = {
    UNSUBSCRIBE: "MASTHEAD_UNSUBSCRIBE_LINK_MAX_AGE",
    PREFERENCES: "MASTHEAD_PREFERENCES_LINK_MAX_AGE",
    CONFIRM: "MASTHEAD_CONFIRM_LINK_MAX_AGE",
}


class TokenInvalid(Exception):
    """The token was altered, made for another purpose, or is not a token at all."""


class TokenExpired(TokenInvalid):
    """The token is genuine but older than its purpose allows."""


def max_age(purpose):
    return getattr(settings, _SETTING_NAMES[purpose], MAX_AGE[purpose])


def make_token(purpose, payload):
    return signing.TimestampSigner(salt=purpose).sign_object(payload)


def read_token(purpose, token):
    """The payload of a genuine, unexpired token; raises TokenExpired or TokenInvalid."""
    signer = signing.TimestampSigner(salt=purpose)
    try:
        return signer.unsign_object(token, max_age=max_age(purpose))
    except signing.SignatureExpired as exc:
        raise TokenExpired(str(exc)) from exc
    except (signing.BadSignature, ValueError, UnicodeDecodeError) as exc:
        raise TokenInvalid(str(exc)) from exc


def absolute(path):
    return f"{settings.MASTHEAD_BASE_URL}{path}"


def unsubscribe_token(subscription):
    return make_token(UNSUBSCRIBE, {"s": subscription.pk})


def unsubscribe_url(subscription):
    """Per-recipient link for the mail body: a page with a one-button form."""
    return absolute(reverse("newsletter:unsubscribe", args=[unsubscribe_token(subscription)]))


def one_click_unsubscribe_url(subscription):
    """The RFC 8058 List-Unsubscribe target: POST `List-Unsubscribe=One-Click` unsubscribes."""
    return absolute(
        reverse("newsletter:unsubscribe_one_click", args=[unsubscribe_token(subscription)])
    )


def preferences_url(member):
    """Lets the holder of the mailbox change newsletter choices without signing in."""
    return absolute(
        reverse("newsletter:preferences", args=[make_token(PREFERENCES, {"m": member.pk})])
    )


def confirm_url(member, newsletter_ids):
    """The double opt-in link: confirms the member's pending subscriptions to these lists."""
    token = make_token(CONFIRM, {"m": member.pk, "l": sorted(newsletter_ids)})
    return absolute(reverse("newsletter:confirm", args=[token]))
