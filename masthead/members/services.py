"""Writes for reader identity."""

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from masthead.members import signals, tokens
from masthead.members.models import Member
from masthead.members.selectors import SESSION_KEY, member_get_by_email


def member_get_or_create(*, email, display_name=""):
    member = member_get_by_email(email=email)
    if member is None:
        try:
            with transaction.atomic():
                member = Member.objects.create(email=email.strip(), display_name=display_name)
        except IntegrityError:  # created by a concurrent request a moment ago
            member = member_get_by_email(email=email)
    return member


def member_confirm(*, member):
    if member.confirmed_at is None:
        member.confirmed_at = timezone.now()
        member.save(update_fields=["confirmed_at"])
    return member


def member_sign_in(*, request, member):
    request.session.cycle_key()
    request.session[SESSION_KEY] = member.pk
    request._masthead_member = member


def member_sign_out(*, request):
    request.session.flush()
    request._masthead_member = None


def member_sign_in_link_send(*, email, next_url=""):
    """Mail a sign-in link once the request commits. Sent whether or not a member exists."""
    from masthead.members.tasks import send_sign_in_email

    transaction.on_commit(partial(send_sign_in_email.enqueue, email.strip(), next_url))


@transaction.atomic
def member_sign_in_with_link(*, request, token):
    """Spend a sign-in link and sign its holder in. Returns (member, next URL).

    Raises members.tokens.LinkInvalid (or LinkExpired / LinkUsed). The member row is locked
    and the link checked again under the lock, so two clicks cannot both sign in.
    """
    email, member, next_url = tokens.sign_in_read(token)
    if member is None:
        member = member_get_or_create(email=email)
    member = Member.objects.select_for_update().get(pk=member.pk)
    tokens.sign_in_read(token)  # still unspent now that we hold the lock?
    member.last_signed_in_at = timezone.now()
    member.confirmed_at = member.confirmed_at or member.last_signed_in_at
    member.save(update_fields=["last_signed_in_at", "confirmed_at"])
    member_sign_in(request=request, member=member)
    return member, next_url


@transaction.atomic
def member_erase(*, member):
    """Delete the member and their personal data. Apps keep only anonymised records."""
    signals.member_erasing.send(sender=Member, member=member)
    member.delete()
