"""Real worker processes on PostgreSQL: shared sends and a worker killed mid-send."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.conf import settings as django_settings
from django.db import connection

from masthead.members.models import Member
from masthead.newsletter import services
from masthead.newsletter.models import Edition, NewsletterList, OutboxMessage, Subscription
from tests.smtp import SMTPServer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

READERS = 2000


@pytest.fixture
def sink():
    with SMTPServer() as server:
        yield server


@pytest.fixture
def db_queue(settings):
    """Tasks go to the database queue that the worker processes read (not run in-process)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NEWSLETTER_PARALLEL_SENDS = 2


def big_edition(readers=READERS):
    newsletter = NewsletterList.objects.create(slug="daily", name="Daily briefing")
    members = Member.objects.bulk_create(
        Member(email=f"reader{i:05d}@example.org") for i in range(readers)
    )
    Subscription.objects.bulk_create(
        Subscription(member=m, newsletter=newsletter, status="active") for m in members
    )
    return Edition.objects.create(newsletter=newsletter, subject="Briefing", intro="Hello.")


def start_worker(sink, tmp_path, name):
    db = django_settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "masthead.settings.dev",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{connection.settings_dict['NAME']}"
        ),
        "EMAIL_URL": f"smtp://{sink.host}:{sink.port}",
        "NEWSLETTER_LEASE_SECONDS": "3",
        "NEWSLETTER_REDISPATCH_SECONDS": "1",
        "NEWSLETTER_BATCH_SIZE": "20",
        "MASTHEAD_VAR_DIR": str(tmp_path / name),
        "LOG_LEVEL": "WARNING",
    }
    log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "masthead.cli",
            "worker",
            "--interval",
            "0.2",
            "--schedule-interval",
            "1",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_until(predicate, timeout, message):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(message)


def stop(*procs):
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()


def delivered(sink):
    return Counter(m["To"] for m in list(sink.mailbox.messages))


def test_two_workers_deliver_each_message_exactly_once(sink, db_queue, tmp_path):
    """Two worker processes share one 2,000-reader edition; every reader gets exactly one mail."""
    edition = big_edition()
    workers = [start_worker(sink, tmp_path, f"w{i}") for i in (1, 2)]
    try:
        time.sleep(4)  # both workers up and polling before the work arrives
        services.edition_queue(edition_id=edition.pk)
        wait_until(
            lambda: (
                len(sink.mailbox.messages) >= READERS
                and Edition.objects.get(pk=edition.pk).status == Edition.Status.SENT
            ),
            timeout=90,
            message=f"only {len(sink.mailbox.messages)} of {READERS} arrived",
        )
        time.sleep(0.5)  # anything extra would arrive now
    finally:
        stop(*workers)
    counts = delivered(sink)
    assert len(counts) == READERS
    assert max(counts.values()) == 1
    assert OutboxMessage.objects.filter(status="sent").count() == READERS
    claimers = set(OutboxMessage.objects.values_list("claimed_by", flat=True))
    assert len(claimers) == 2, "both workers took part"


def test_a_killed_worker_loses_nothing_and_repeats_at_most_its_message_in_flight(
    sink, db_queue, tmp_path
):
    """SIGKILL mid-send, then a new worker: all 2,000 delivered, at most 1 duplicate."""
    edition = big_edition()
    first = start_worker(sink, tmp_path, "first")
    try:
        services.edition_queue(edition_id=edition.pk)
        # Kill it mid-batch: with ten or more of its claimed rows still to send, the batch
        # cannot finish in the moment between this check and the signal.
        wait_until(
            lambda: (
                len(sink.mailbox.messages) >= 300
                and OutboxMessage.objects.filter(status="claimed").count() >= 10
            ),
            60,
            "the first worker never sent",
        )
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        at_kill = len(sink.mailbox.messages)
        assert at_kill < READERS, "the worker finished before it could be killed"
        claimed_at_kill = OutboxMessage.objects.filter(status="claimed").count()
        assert claimed_at_kill > 0  # it died holding a batch under lease
        second = start_worker(sink, tmp_path, "second")
        try:
            wait_until(
                lambda: Edition.objects.get(pk=edition.pk).status == Edition.Status.SENT,
                timeout=90,
                message=f"stalled at {len(sink.mailbox.messages)} messages",
            )
            time.sleep(0.5)
        finally:
            stop(second)
    finally:
        stop(first)
    counts = delivered(sink)
    duplicates = sum(counts.values()) - len(counts)
    assert len(counts) == READERS, "no reader was skipped"
    print(f"killed at {at_kill} delivered, {claimed_at_kill} claimed, {duplicates} duplicates")
    assert duplicates <= 1, f"{duplicates} duplicates; only the one message in flight may repeat"
    assert OutboxMessage.objects.filter(status="sent").count() == READERS
