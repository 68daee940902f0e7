"""Writes for reader identity."""

from django.utils import timezone

from masthead.members.models import Member
from masthead.members.selectors import SESSION_KEY, member_get_by_email


def member_get_or_create(*, email, display_name=""):
    member = member_get_by_email(email=email)
    if member is None:
        member = Member.objects.create(email=email.strip(), display_name=display_name)
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
