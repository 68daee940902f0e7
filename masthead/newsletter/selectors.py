"""Reads for editions and delivery: what goes in an edition, who gets it, how far it got."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from masthead.news.models import ArticlePage, articles_published
from masthead.newsletter.models import Edition, OutboxMessage, Subscription

MAX_STORIES = 30


def edition_articles(*, edition):
    """Chosen stories in their order, else the latest N from the chosen section."""
    chosen = [
        link.article
        for link in edition.chosen_articles.select_related("article", "article__lead_image")
        if link.article.live
    ]
    if chosen:
        return chosen[:MAX_STORIES]
    if edition.latest_from_section_id and edition.latest_count:
        return list(
            articles_published()
            .descendant_of(edition.latest_from_section)
            .newest_first()
            .select_related("lead_image")[: min(edition.latest_count, MAX_STORIES)]
        )
    return []


def digest_articles(*, section, until, hours=24):
    """A section's stories first published in the `hours` before `until`, newest first."""
    return list(
        articles_published()
        .descendant_of(section)
        .filter(
            first_published_at__gt=until - timedelta(hours=hours), first_published_at__lte=until
        )
        .newest_first()
        .select_related("lead_image")[:MAX_STORIES]
    )


def edition_recipient_count(*, edition):
    return Subscription.objects.filter(
        newsletter_id=edition.newsletter_id, status=Subscription.Status.ACTIVE
    ).count()


def claimable_filter(*, now):
    """Rows a worker may take: waiting and due, or claimed by a worker whose lease ran out."""
    waiting = Q(status=OutboxMessage.Status.QUEUED) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    abandoned = Q(status=OutboxMessage.Status.CLAIMED, lease_until__lt=now)
    return waiting | abandoned


def edition_figures(*, edition):
    """Per-edition counts for the admin: queued, sent, failed, bounced, unsubscribed, progress.

    "bounced" and "unsubscribed" count this edition's recipients whose subscription ended
    that way after the edition was queued (hard bounces while sending, ESP webhooks, and
    readers who left from this or a later mail).
    """
    S = OutboxMessage.Status
    ended_after = Q(subscription__ended_at__gte=edition.queued_at) if edition.queued_at else Q()
    figures = edition.outbox.aggregate(
        queued=Count("pk"),
        waiting=Count("pk", filter=Q(status__in=[S.QUEUED, S.CLAIMED])),
        sent=Count("pk", filter=Q(status=S.SENT)),
        failed=Count("pk", filter=Q(status=S.FAILED)),
        skipped=Count("pk", filter=Q(status=S.SKIPPED)),
        bounced=Count(
            "pk",
            filter=Q(
                subscription__status__in=[
                    Subscription.Status.BOUNCED,
                    Subscription.Status.COMPLAINED,
                ]
            )
            & ended_after,
        ),
        unsubscribed=Count(
            "pk", filter=Q(subscription__status=Subscription.Status.UNSUBSCRIBED) & ended_after
        ),
    )
    done = figures["sent"] + figures["failed"] + figures["skipped"]
    figures["done"] = done
    figures["percent"] = round(100 * done / figures["queued"]) if figures["queued"] else 0
    return figures


def editions_due(*, now=None):
    now = now or timezone.now()
    return Edition.objects.filter(status=Edition.Status.SCHEDULED, scheduled_for__lte=now)


def editions_in_flight():
    return Edition.objects.filter(status__in=[Edition.Status.QUEUED, Edition.Status.SENDING])


def article_for_alert(*, page_id):
    return ArticlePage.objects.live().filter(pk=page_id).select_related("lead_image").first()
