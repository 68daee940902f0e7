"""Writes for editions and delivery: queue, schedule, test-send, digests, alerts, bounces.

Sending itself (claiming outbox rows and talking to the mail server) is in sender.py.
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from masthead.members.models import Member
from masthead.newsletter import conf, selectors
from masthead.newsletter.models import (
    Edition,
    EditionArticle,
    NewsletterList,
    OutboxMessage,
    Subscription,
)
from masthead.newsletter.renderer import edition_render, message_build, single_line

log = logging.getLogger(__name__)


class EditionError(Exception):
    """An edition cannot do what was asked (wrong state, nobody to send to, …)."""


def edition_queue(*, edition_id):
    """Write one outbox row per active subscriber in one transaction and start sending.

    The rows are copied by a single INSERT … SELECT so a 100,000-reader list is queued in
    well under a second; the send tasks are handed to the workers once the rows are committed.
    """
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition_id)
        if edition.status not in (Edition.Status.DRAFT, Edition.Status.SCHEDULED):
            raise EditionError(f"This edition is already {edition.get_status_display().lower()}.")
        if not selectors.edition_articles(edition=edition) and not edition.intro.strip():
            raise EditionError("The edition has no stories and no introduction.")
        outbox, sub, member = (
            OutboxMessage._meta.db_table,
            Subscription._meta.db_table,
            Member._meta.db_table,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {outbox}
                    (edition_id, subscription_id, email, status, attempts,
                     claimed_by, message_id, last_error)
                SELECT %s, s.id, m.email, %s, 0, '', '', ''
                FROM {sub} s JOIN {member} m ON m.id = s.member_id
                WHERE s.newsletter_id = %s AND s.status = %s AND m.is_active = %s
                ORDER BY s.id
                """,  # noqa: S608 - table names come from model metadata, values are params
                [
                    edition.pk,
                    OutboxMessage.Status.QUEUED,
                    edition.newsletter_id,
                    Subscription.Status.ACTIVE,
                    True,
                ],
            )
            count = cursor.rowcount
        now = timezone.now()
        edition.status = Edition.Status.QUEUED if count else Edition.Status.SENT
        edition.queued_at = now
        edition.finished_at = None if count else now
        edition.dispatched_at = now
        edition.save(update_fields=["status", "queued_at", "finished_at", "dispatched_at"])
        if count:
            transaction.on_commit(lambda: edition_dispatch(edition_id=edition.pk))
    log.info("Edition %s queued for %s recipients", edition.pk, count)
    return count


def edition_dispatch(*, edition_id, workers=None):
    """Hand the edition to the workers: one send task per worker that may share it."""
    from masthead.newsletter.tasks import edition_send

    for _ in range(workers or conf.parallel_sends()):
        edition_send.enqueue(edition_id)


def edition_schedule(*, edition_id, when):
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition_id)
        if edition.status not in (Edition.Status.DRAFT, Edition.Status.SCHEDULED):
            raise EditionError(f"This edition is already {edition.get_status_display().lower()}.")
        if when <= timezone.now():
            raise EditionError("Choose a time in the future, or send now.")
        edition.status = Edition.Status.SCHEDULED
        edition.scheduled_for = when
        edition.save(update_fields=["status", "scheduled_for"])
    return edition


def edition_unschedule(*, edition_id):
    updated = Edition.objects.filter(pk=edition_id, status=Edition.Status.SCHEDULED).update(
        status=Edition.Status.DRAFT
    )
    if not updated:
        raise EditionError("Only a scheduled edition can be taken back to draft.")


def edition_send_test(*, edition_id, email):
    """Send the edition as readers will see it to one address (the editor's own)."""
    from django.core.mail import get_connection

    edition = Edition.objects.select_related("newsletter").get(pk=edition_id)
    rendered = edition_render(edition=edition)
    message = message_build(rendered=rendered, email=email)
    message.subject = single_line(f"[Test] {rendered.subject}")
    get_connection().send_messages([message])
    return message


def alert_create(*, article, newsletter, subject="", user=None):
    """A breaking-news edition of one published story, queued at once."""
    if not article.live:
        raise EditionError("Only a published story can be sent as an alert.")
    with transaction.atomic():
        edition = Edition.objects.create(
            newsletter=newsletter,
            kind=Edition.Kind.ALERT,
            subject=single_line(subject or article.title),
            intro=article.dek or "",
            created_by=user,
        )
        EditionArticle.objects.create(edition=edition, article=article, sort_order=0)
        edition_queue(edition_id=edition.pk)
    return edition


def digest_build(*, newsletter, day, now=None):
    """Build and queue the digest covering the 24 hours up to `now`, once per list and day.

    Returns the edition, or None when the day's digest exists already or nothing was
    published. The unique (list, day) constraint makes a second worker's attempt a no-op.
    """
    now = now or timezone.now()
    if Edition.objects.filter(newsletter=newsletter, digest_for=day).exists():
        return None
    stories = selectors.digest_articles(section=newsletter.section, until=now)
    if not stories:
        return None
    try:
        with transaction.atomic():
            edition = Edition.objects.create(
                newsletter=newsletter,
                kind=Edition.Kind.DIGEST,
                subject=single_line(f"{newsletter.name}: {stories[0].title}"),
                digest_for=day,
            )
            EditionArticle.objects.bulk_create(
                EditionArticle(edition=edition, article=story, sort_order=i)
                for i, story in enumerate(stories)
            )
            edition_queue(edition_id=edition.pk)
    except IntegrityError:
        return None
    return edition


def digests_build_due(*, now=None):
    """Build today's digest for every digest list with a section, once the digest hour passed."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < conf.digest_hour():
        return []
    built = []
    for newsletter in NewsletterList.objects.filter(
        kind=NewsletterList.Kind.DIGEST, section__isnull=False
    ):
        edition = digest_build(newsletter=newsletter, day=local.date(), now=now)
        if edition is not None:
            built.append(edition)
    return built


def editions_redispatch(*, now=None):
    """Re-hand editions to workers when rows wait and no worker holds a live lease.

    This is how a killed worker's batch is picked up: its lease runs out, and the next
    periodic check (in any `masthead worker`) dispatches fresh send tasks. The dispatch
    stamp is compared-and-set so two workers' checks do not both dispatch.
    """
    now = now or timezone.now()
    gap = timedelta(seconds=conf.redispatch_seconds())
    dispatched = []
    for edition in selectors.editions_in_flight():
        rows = edition.outbox
        if rows.filter(status=OutboxMessage.Status.CLAIMED, lease_until__gte=now).exists():
            continue
        if not rows.filter(selectors.claimable_filter(now=now)).exists():
            if not rows.filter(
                status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.CLAIMED]
            ).exists():
                edition_finish(edition_id=edition.pk)
            continue
        stale = edition.dispatched_at is None or edition.dispatched_at < now - gap
        if not stale:
            continue
        if Edition.objects.filter(pk=edition.pk, dispatched_at=edition.dispatched_at).update(
            dispatched_at=now
        ):
            edition_dispatch(edition_id=edition.pk)
            dispatched.append(edition.pk)
    return dispatched


def edition_finish(*, edition_id):
    return Edition.objects.filter(
        pk=edition_id, status__in=[Edition.Status.QUEUED, Edition.Status.SENDING]
    ).update(status=Edition.Status.SENT, finished_at=timezone.now())


def newsletter_run_scheduled(*, now=None):
    """The periodic check run by `masthead worker`: due editions, digests, stalled sends."""
    now = now or timezone.now()
    for edition in selectors.editions_due(now=now):
        try:
            edition_queue(edition_id=edition.pk)
        except EditionError as exc:
            log.warning("Scheduled edition %s not sent: %s", edition.pk, exc)
            Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.DRAFT)
    digests_build_due(now=now)
    editions_redispatch(now=now)


def subscriptions_end(*, email, status, subscription_ids=None):
    """Stop mail to an address that bounced or complained (all lists, or the given ones)."""
    qs = Subscription.objects.filter(
        member__email__iexact=email.strip(),
        status__in=[Subscription.Status.ACTIVE, Subscription.Status.PENDING],
    )
    if subscription_ids:
        qs = qs.filter(pk__in=subscription_ids)
    return qs.update(status=status, ended_at=timezone.now())
