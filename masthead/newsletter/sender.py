"""The batch sender: claim outbox rows under a lease, send them, mark each one.

Crash safety comes from three rules:
1. Claiming is a short transaction (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL; the
   write lock of SQLite's IMMEDIATE transaction elsewhere) that stamps a lease.
2. Each row is marked sent/failed right after its own message is handed to the server,
   so a worker killed at any moment leaves at most the message it was sending unmarked.
3. Rows whose lease ran out are claimable again (see selectors.claimable_filter).
"""

import logging
import os
import socket
from datetime import timedelta
from functools import lru_cache

from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from masthead.newsletter import conf, providers
from masthead.newsletter.models import Edition, OutboxMessage, Subscription
from masthead.newsletter.renderer import edition_render, message_build, message_template
from masthead.newsletter.selectors import claimable_filter

log = logging.getLogger(__name__)


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


@lru_cache(maxsize=8)
def _rendered(edition_id, queued_at):
    # An edition is frozen once queued, so one render per worker process is enough;
    # queued_at in the key keeps a re-used id (a restored database) from hitting stale text.
    edition = Edition.objects.select_related("newsletter").get(pk=edition_id)
    rendered = edition_render(edition=edition)
    return rendered, message_template(rendered=rendered)


def outbox_claim(*, edition_id, worker, limit, now=None):
    """Take up to `limit` due rows of the edition; rows of readers who left are skipped."""
    now = now or timezone.now()
    with transaction.atomic():
        # A cancelled edition stops here, whichever worker holds its tasks.
        live = Edition.objects.filter(
            pk=edition_id, status__in=[Edition.Status.QUEUED, Edition.Status.SENDING]
        )
        if not live.exists():
            return []
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(claimable_filter(now=now), edition_id=edition_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxMessage.Status.CLAIMED,
            claimed_by=worker,
            lease_until=now + timedelta(seconds=conf.lease_seconds()),
            attempts=F("attempts") + 1,
        )
        # An unsubscribe (or bounce) that arrived since queuing stops the send here.
        OutboxMessage.objects.filter(pk__in=ids).exclude(
            subscription__status=Subscription.Status.ACTIVE
        ).update(status=OutboxMessage.Status.SKIPPED, lease_until=None)
        Edition.objects.filter(pk=edition_id, status=Edition.Status.QUEUED).update(
            status=Edition.Status.SENDING
        )
    return list(
        OutboxMessage.objects.filter(pk__in=ids, status=OutboxMessage.Status.CLAIMED)
        .select_related("subscription__member")
        .order_by("pk")
    )


def _mark(row, worker, **fields):
    # Only the lease holder may mark: a row re-claimed after our lease ran out is not ours.
    return OutboxMessage.objects.filter(
        pk=row.pk, claimed_by=worker, status=OutboxMessage.Status.CLAIMED
    ).update(**fields)


def _retry_or_fail(row, worker, error, now):
    if row.attempts >= conf.max_attempts():
        _mark(row, worker, status=OutboxMessage.Status.FAILED, last_error=error, lease_until=None)
        return
    delay = conf.retry_base_seconds() * 2 ** (row.attempts - 1)
    _mark(
        row,
        worker,
        status=OutboxMessage.Status.QUEUED,
        next_attempt_at=now + timedelta(seconds=delay),
        last_error=error,
        lease_until=None,
    )


def _send_one(connection, row, rendered, template):
    """Send one row's message; returns the id to record. Over SMTP the edition's prebuilt
    bytes are personalised; other backends get a full message object."""
    name = row.subscription.member.display_name if row.subscription else ""
    if template is not None and row.subscription and providers.takes_wire_bytes(connection):
        data, message_id = template.for_reader(
            email=row.email, subscription=row.subscription, name=name
        )
        providers.send_wire_bytes(
            connection, from_email=template.from_email, to=row.email, data=data
        )
        return message_id
    message = message_build(
        rendered=rendered, email=row.email, subscription=row.subscription, name=name
    )
    connection.send_messages([message])
    return providers.provider_message_id(message, message.extra_headers.get("Message-ID"))


def outbox_send_batch(*, edition_id, worker=None, limit=None):
    """Claim one batch and send it over one connection. Returns how many rows were claimed."""
    worker = worker or worker_name()
    rows = outbox_claim(edition_id=edition_id, worker=worker, limit=limit or conf.batch_size())
    if not rows:
        return 0
    queued_at = Edition.objects.values_list("queued_at", flat=True).get(pk=edition_id)
    rendered, template = _rendered(edition_id, queued_at)
    connection = None
    relaxed = _relax_commit_durability()
    try:
        for row in rows:
            try:
                if connection is None:
                    connection = providers.open_connection()
                message_id = _send_one(connection, row, rendered, template)
            except Exception as exc:  # noqa: BLE001 - every failure is recorded on its row
                outcome, error, broken = providers.classify(exc)
                log.info("Send to outbox row %s failed (%s): %s", row.pk, outcome.value, error)
                now = timezone.now()
                if outcome is providers.Outcome.RETRY:
                    _retry_or_fail(row, worker, error, now)
                else:
                    _mark(
                        row,
                        worker,
                        status=OutboxMessage.Status.FAILED,
                        last_error=error,
                        lease_until=None,
                    )
                    if outcome is providers.Outcome.BOUNCE and row.subscription_id:
                        Subscription.objects.filter(
                            pk=row.subscription_id, status=Subscription.Status.ACTIVE
                        ).update(status=Subscription.Status.BOUNCED, ended_at=now)
                if broken and connection is not None:
                    connection.close()
                    connection = None
                continue
            _mark(
                row,
                worker,
                status=OutboxMessage.Status.SENT,
                sent_at=timezone.now(),
                message_id=message_id[:255],
                lease_until=None,
                last_error="",
            )
    finally:
        if connection is not None:
            connection.close()
        if relaxed:
            _restore_commit_durability()
    return len(rows)


def _relax_commit_durability():
    """On PostgreSQL, mark rows with asynchronous commit while this batch sends.

    Each row is committed on its own right after its message, so that a killed worker
    repeats at most one message; waiting for a disk flush on every one of those commits
    would make the database, not the mail server, the limit. An asynchronous commit is
    still durable across a killed worker (the server has it); only a crash of the
    database server itself can drop the last fraction of a second of marks, which then
    means those few readers get the mail again.
    """
    if db_connection.vendor != "postgresql":
        return False
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    return True


def _restore_commit_durability():
    with db_connection.cursor() as cursor:
        cursor.execute("RESET synchronous_commit")


def edition_drain(*, edition_id, worker=None):
    """Send batches until nothing of the edition is due; returns the number of rows claimed."""
    worker = worker or worker_name()
    total = 0
    while claimed := outbox_send_batch(edition_id=edition_id, worker=worker):
        total += claimed
    _finish_if_done(edition_id)
    return total


def _finish_if_done(edition_id):
    pending = OutboxMessage.objects.filter(
        edition_id=edition_id,
        status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.CLAIMED],
    )
    if not pending.exists():
        Edition.objects.filter(
            pk=edition_id, status__in=[Edition.Status.QUEUED, Edition.Status.SENDING]
        ).update(status=Edition.Status.SENT, finished_at=timezone.now())
