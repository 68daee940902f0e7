"""Reader-side writes and reads for subscriptions: request, confirm, change, unsubscribe.

Every change of consent leaves a ConsentRecord (when, where, which list, in which words).
Services lock the subscription rows they change, so two clicks on one link cannot write two
records. The sending side only reads `Subscription.status`.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masthead.members.services import member_confirm, member_get_or_create
from masthead.newsletter.models import ConsentRecord, NewsletterList, Subscription

# The words shown beside every signup form. Records store the text itself; the key travels
# with the form so a reader who loaded the page before a change is recorded correctly.
CONSENT_WORDINGS = {
    "2026-11": (
        "Send me the newsletters I ticked by email. I can unsubscribe at any time with the "
        "link in every email. {publication} uses my address for nothing else."
    ),
}
CURRENT_CONSENT = "2026-11"

LIVE = (Subscription.Status.PENDING, Subscription.Status.ACTIVE)


def consent_wording(version=CURRENT_CONSENT):
    text = CONSENT_WORDINGS.get(version) or CONSENT_WORDINGS[CURRENT_CONSENT]
    return text.format(publication=settings.MASTHEAD_PUBLICATION_NAME)


def newsletter_lists_public():
    return list(NewsletterList.objects.filter(is_public=True))


def subscriptions_of_member(*, member):
    return list(
        member.subscriptions.select_related("newsletter").order_by("newsletter__sort_order")
    )


def _record(*, member, newsletter, action, source, wording=""):
    return ConsentRecord.objects.create(
        member=member, newsletter=newsletter, action=action, source=source[:500], wording=wording
    )


@transaction.atomic
def subscriptions_request(*, email, newsletters, source, consent=CURRENT_CONSENT, name=""):
    """Start double opt-in for `newsletters`. Returns (member, lists now awaiting confirmation).

    Lists the address already receives are left alone; the caller must answer the same
    either way, so the form never tells whether an address was subscribed.
    """
    member = member_get_or_create(email=email, display_name=name)
    wording = consent_wording(consent)
    pending = []
    for newsletter in newsletters:
        sub, created = Subscription.objects.select_for_update().get_or_create(
            member=member, newsletter=newsletter
        )
        if not created and sub.status == Subscription.Status.ACTIVE:
            continue
        if sub.status != Subscription.Status.PENDING:
            sub.status = Subscription.Status.PENDING
            sub.ended_at = None
            sub.save(update_fields=["status", "ended_at"])
        _record(
            member=member,
            newsletter=newsletter,
            action=ConsentRecord.Action.REQUESTED,
            source=source,
            wording=wording,
        )
        pending.append(newsletter)
    return member, pending


@transaction.atomic
def subscriptions_confirm(*, member, newsletter_ids, source):
    """Activate the member's pending subscriptions to these lists. Returns those activated.

    Idempotent: active ones stay as they are; ended ones are not revived by an old link.
    """
    now = timezone.now()
    activated = []
    subs = Subscription.objects.select_for_update().filter(
        member=member, newsletter_id__in=newsletter_ids, status=Subscription.Status.PENDING
    )
    for sub in subs.select_related("newsletter"):
        sub.status = Subscription.Status.ACTIVE
        sub.confirmed_at = now
        sub.save(update_fields=["status", "confirmed_at"])
        requested = (
            ConsentRecord.objects.filter(
                member=member, newsletter=sub.newsletter, action=ConsentRecord.Action.REQUESTED
            )
            .order_by("-at", "-pk")
            .first()
        )
        _record(
            member=member,
            newsletter=sub.newsletter,
            action=ConsentRecord.Action.CONFIRMED,
            source=source,
            wording=requested.wording if requested else "",
        )
        activated.append(sub)
    if activated:
        member_confirm(member=member)
    return activated


@transaction.atomic
def subscription_unsubscribe(*, subscription, source):
    """Stop mail to this subscription and record the withdrawal. False if it had already ended.

    Sending checks the status before each message, so this also stops an edition mid-send.
    """
    sub = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if sub.status not in LIVE:
        subscription.status = sub.status
        return False
    sub.status = Subscription.Status.UNSUBSCRIBED
    sub.ended_at = timezone.now()
    sub.save(update_fields=["status", "ended_at"])
    _record(
        member=sub.member,
        newsletter=sub.newsletter,
        action=ConsentRecord.Action.WITHDRAWN,
        source=source,
    )
    subscription.status, subscription.ended_at = sub.status, sub.ended_at
    return True


@transaction.atomic
def subscriptions_set(*, member, newsletters, source, consent=CURRENT_CONSENT):
    """Make the member receive exactly `newsletters` (from a preferences form).

    The member proved the address (a signed link or a signed-in session), so lists added
    here start at once; the consent record says where and in which words.
    """
    wanted = {n.pk: n for n in newsletters}
    current = {
        s.newsletter_id: s for s in Subscription.objects.select_for_update().filter(member=member)
    }
    for newsletter_id, sub in current.items():
        if newsletter_id not in wanted and sub.status in LIVE:
            subscription_unsubscribe(subscription=sub, source=source)
    now = timezone.now()
    wording = consent_wording(consent)
    for newsletter_id, newsletter in wanted.items():
        sub = current.get(newsletter_id)
        if sub is not None and sub.status == Subscription.Status.ACTIVE:
            continue
        if sub is None:
            sub = Subscription(member=member, newsletter=newsletter)
        sub.status = Subscription.Status.ACTIVE
        sub.confirmed_at, sub.ended_at = now, None
        sub.save()
        for action in (ConsentRecord.Action.REQUESTED, ConsentRecord.Action.CONFIRMED):
            _record(
                member=member, newsletter=newsletter, action=action, source=source, wording=wording
            )
    member_confirm(member=member)
