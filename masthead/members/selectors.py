"""Who is reading: the signed-in member behind a request, if any.

Other apps (newsletter, comments) use these functions rather than the session directly.
"""

from masthead.members.models import Member

SESSION_KEY = "masthead_member_id"


def member_from_request(request):
    """The active member signed in on this request, or None. Cached on the request."""
    if not hasattr(request, "_masthead_member"):
        member = None
        session = getattr(request, "session", None)
        member_id = session.get(SESSION_KEY) if session is not None else None
        if member_id is not None:
            member = Member.objects.filter(pk=member_id, is_active=True).first()
        request._masthead_member = member
    return request._masthead_member


def member_get_by_email(*, email):
    return Member.objects.filter(email__iexact=email.strip()).first()


def member_data(*, member):
    """Everything Masthead keeps about the member, for their download (JSON-serialisable)."""
    from masthead.members.signals import member_data_requested

    data = {
        "member": {
            "email": member.email,
            "display_name": member.display_name,
            "created_at": member.created_at.isoformat(),
            "confirmed_at": member.confirmed_at.isoformat() if member.confirmed_at else None,
            "last_signed_in_at": (
                member.last_signed_in_at.isoformat() if member.last_signed_in_at else None
            ),
        }
    }
    for _receiver, sections in member_data_requested.send(sender=Member, member=member):
        data.update(sections or {})
    return data
