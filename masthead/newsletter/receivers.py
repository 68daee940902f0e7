"""What the newsletter does when a member is erased or asks for their data."""

from django.db.models import Q
from django.utils.crypto import salted_hmac

from masthead.newsletter.models import ConsentRecord, OutboxMessage, Subscription


def erased_address(email):
    """A stand-in for an erased address in sent-mail records.

    The same address always gives the same value (so deliverability figures and duplicate
    checks still add up), yet it cannot be read back without the site's secret key, and
    the reserved .invalid domain means no mail can ever go to it.
    """
    digest = salted_hmac("masthead.newsletter.erasure", email.strip().lower()).hexdigest()
    return f"{digest[:40]}@erased.invalid"


def _messages_of(member):
    return OutboxMessage.objects.filter(
        Q(subscription__member=member) | Q(email__iexact=member.email)
    )


def anonymise_member_mail(sender, member, **kwargs):
    """Keep what was sent and when; drop the address and anything an error quoted of it."""
    messages = _messages_of(member)
    messages.filter(status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.CLAIMED]).update(
        status=OutboxMessage.Status.SKIPPED, lease_until=None
    )
    messages.update(email=erased_address(member.email), last_error="", subscription=None)
    # Consent records stay as proof of what was agreed, without a member (SET_NULL).


def member_newsletter_data(sender, member, **kwargs):
    subs = Subscription.objects.filter(member=member).select_related("newsletter")
    consents = ConsentRecord.objects.filter(member=member).select_related("newsletter")
    messages = _messages_of(member).select_related("edition")
    return {
        "newsletter_subscriptions": [
            {
                "newsletter": s.newsletter.name,
                "status": s.status,
                "created_at": s.created_at,
                "confirmed_at": s.confirmed_at,
                "ended_at": s.ended_at,
            }
            for s in subs
        ],
        "consent_records": [
            {
                "newsletter": c.newsletter.name,
                "action": c.action,
                "at": c.at,
                "source": c.source,
                "wording": c.wording,
            }
            for c in consents
        ],
        "emails_sent": [
            {"subject": m.edition.subject, "status": m.status, "sent_at": m.sent_at}
            for m in messages
        ],
    }


def purge_pages_with_signup_box(sender, **kwargs):
    """Cached article pages carry the signup box with its list choices: refresh them all.
    Lists change rarely, so a full purge (in the CDN too) is cheaper than tagging every
    article with them."""
    from masthead.delivery.services import page_cache_purge

    page_cache_purge(tags=["all"], cdn_everywhere=True)
