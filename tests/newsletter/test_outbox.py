"""The outbox: one row per reader, leases that survive a dead worker, late unsubscribes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from masthead.newsletter import sender, services
from masthead.newsletter.models import Edition, OutboxMessage, Subscription
from masthead.newsletter.services import EditionError
from tests import factories
from tests.newsletter.sending import edition_with_readers

pytestmark = pytest.mark.django_db


def test_queuing_writes_one_row_per_active_reader_only(django_capture_on_commit_callbacks):
    """Pending, unsubscribed and deactivated readers get no outbox row."""
    edition, subs = edition_with_readers(readers=3, images=False)
    factories.subscription(edition.newsletter, status="pending")
    factories.subscription(edition.newsletter, status="unsubscribed")
    gone = factories.subscription(edition.newsletter)
    gone.member.is_active = False
    gone.member.save()
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.edition_queue(edition_id=edition.pk) == 3
    assert len(callbacks) == 1  # sending starts only after the rows are committed
    assert sorted(OutboxMessage.objects.values_list("email", flat=True)) == [
        s.member.email for s in subs
    ]
    edition.refresh_from_db()
    assert edition.status == Edition.Status.QUEUED and edition.queued_at


def test_an_edition_cannot_be_queued_twice(django_capture_on_commit_callbacks):
    """A second 'send now' is refused and writes nothing."""
    edition, _ = edition_with_readers(readers=2, images=False)
    services.edition_queue(edition_id=edition.pk)
    with pytest.raises(EditionError, match="already"):
        services.edition_queue(edition_id=edition.pk)
    assert OutboxMessage.objects.count() == 2


def test_rows_of_a_dead_worker_are_reclaimed_after_the_lease(mailoutbox, time_machine):
    """A worker that claimed and died leaves rows another worker sends once the lease ends."""
    edition, subs = edition_with_readers(readers=3, images=False)
    services.edition_queue(edition_id=edition.pk)
    claimed = sender.outbox_claim(edition_id=edition.pk, worker="dead", limit=2)
    assert len(claimed) == 2
    # While the lease holds, nobody else may take them.
    assert sender.edition_drain(edition_id=edition.pk, worker="alive") == 1
    assert len(mailoutbox) == 1

    time_machine.move_to(timezone.now() + timedelta(minutes=3), tick=False)
    assert sender.edition_drain(edition_id=edition.pk, worker="alive") == 2
    assert sorted(m.to[0] for m in mailoutbox) == [s.member.email for s in subs]
    assert set(OutboxMessage.objects.values_list("claimed_by", "status")) == {("alive", "sent")}
    # The dead worker coming back cannot mark rows that are no longer its own.
    assert sender._mark(claimed[0], "dead", status=OutboxMessage.Status.FAILED) == 0
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT


def test_an_unsubscribe_during_sending_stops_mail_to_that_reader(mailoutbox):
    """A reader who leaves after queuing is skipped, and counted as unsubscribed."""
    edition, subs = edition_with_readers(readers=3, images=False)
    services.edition_queue(edition_id=edition.pk)
    sender.outbox_send_batch(edition_id=edition.pk, limit=1)
    Subscription.objects.filter(pk=subs[2].pk).update(
        status=Subscription.Status.UNSUBSCRIBED, ended_at=timezone.now()
    )
    sender.edition_drain(edition_id=edition.pk)
    assert [m.to[0] for m in mailoutbox] == [subs[0].member.email, subs[1].member.email]
    row = OutboxMessage.objects.get(subscription=subs[2])
    assert row.status == OutboxMessage.Status.SKIPPED
    from masthead.newsletter.selectors import edition_figures

    edition.refresh_from_db()
    figures = edition_figures(edition=edition)
    assert (figures["queued"], figures["sent"], figures["skipped"], figures["unsubscribed"]) == (
        3,
        2,
        1,
        1,
    )
    assert figures["percent"] == 100


def test_a_scheduled_edition_goes_out_when_its_time_comes(
    mailoutbox, time_machine, django_capture_on_commit_callbacks
):
    """The worker's periodic check queues a scheduled edition at its time, not before."""
    edition, _ = edition_with_readers(readers=2, images=False)
    when = timezone.now() + timedelta(hours=2)
    services.edition_schedule(edition_id=edition.pk, when=when)
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_run_scheduled()
    assert mailoutbox == []
    time_machine.move_to(when + timedelta(seconds=5), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_run_scheduled()
    assert len(mailoutbox) == 2
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT


def test_scheduling_in_the_past_is_refused():
    """A time already gone is a clear error and the edition stays a draft."""
    edition, _ = edition_with_readers(readers=1, images=False)
    with pytest.raises(EditionError, match="future"):
        services.edition_schedule(edition_id=edition.pk, when=timezone.now() - timedelta(1))
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT


def test_the_workers_scheduler_pass_runs_the_newsletter_check(
    mailoutbox, time_machine, django_capture_on_commit_callbacks
):
    """`masthead worker`'s periodic pass sends a due scheduled edition (and so recovers sends)."""
    from masthead.cli import scheduler_tick

    edition, _ = edition_with_readers(readers=1, images=False)
    when = timezone.now() + timedelta(minutes=5)
    services.edition_schedule(edition_id=edition.pk, when=when)
    time_machine.move_to(when + timedelta(seconds=1), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        scheduler_tick()
    assert len(mailoutbox) == 1


def test_a_failing_scheduler_job_does_not_hold_back_the_newsletter(
    mailoutbox, time_machine, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    """Scheduled publishing breaking (say, on a story it cannot load) is logged, and the
    same pass still sends the due edition."""
    from masthead.cli import scheduler_tick
    from masthead.news import services as news_services

    def scheduled_pages_publish():
        raise RuntimeError("revision could not be loaded")

    monkeypatch.setattr(news_services, "scheduled_pages_publish", scheduled_pages_publish)
    edition, _ = edition_with_readers(readers=1, images=False)
    when = timezone.now() + timedelta(minutes=5)
    services.edition_schedule(edition_id=edition.pk, when=when)
    time_machine.move_to(when + timedelta(seconds=1), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduler_tick() is False
    assert len(mailoutbox) == 1
    assert "Scheduled job scheduled_pages_publish failed" in caplog.text
    assert "revision could not be loaded" in caplog.text
