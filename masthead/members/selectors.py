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
