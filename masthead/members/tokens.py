"""Sign-in links: signed, expiring and single-use, with nothing stored.

The token carries the address and a fingerprint of the member's sign-in state. Signing in
changes that state, so a link works once; a link to an address with no member yet creates
the member when used (signing in proves the address).
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme

from masthead.members.selectors import member_get_by_email

SIGN_IN = "masthead.members.sign-in"
DEFAULT_MAX_AGE = timedelta(minutes=30)


class LinkInvalid(Exception):
    pass


class LinkExpired(LinkInvalid):
    pass


class LinkUsed(LinkInvalid):
    pass


def _state(member):
    # A member who never signed in and an address with no member yet share one state, so
    # a link can create the member and still be checked again under the row lock.
    if member is None or member.last_signed_in_at is None:
        seen = "never"
    else:
        seen = member.last_signed_in_at.isoformat()
    return salted_hmac(SIGN_IN, seen).hexdigest()[:20]


def safe_next(url, *, host):
    """Only same-site paths: anything else (other hosts, schemes, //evil) becomes ''."""
    if not url or not url.startswith("/") or url.startswith("//"):
        return ""
    return url if url_has_allowed_host_and_scheme(url, {host}, require_https=False) else ""


def sign_in_url(*, email, next_url=""):
    email = email.strip()
    member = member_get_by_email(email=email)
    token = signing.TimestampSigner(salt=SIGN_IN).sign_object(
        {"e": email, "h": _state(member), "n": next_url}
    )
    return f"{settings.MASTHEAD_BASE_URL}{reverse('members:sign_in_link', args=[token])}"


def sign_in_read(token):
    """(email, member or None, next) for a usable link; raises LinkExpired/LinkUsed/LinkInvalid."""
    max_age = getattr(settings, "MASTHEAD_SIGN_IN_LINK_MAX_AGE", DEFAULT_MAX_AGE)
    try:
        payload = signing.TimestampSigner(salt=SIGN_IN).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except (signing.BadSignature, ValueError, UnicodeDecodeError) as exc:
        raise LinkInvalid from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("e"), str):
        raise LinkInvalid
    member = member_get_by_email(email=payload["e"])
    if not constant_time_compare(_state(member), str(payload.get("h", ""))):
        raise LinkUsed
    if member is not None and not member.is_active:
        raise LinkInvalid
    return payload["e"], member, str(payload.get("n") or "")
