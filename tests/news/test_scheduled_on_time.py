"""A scheduled story goes live at its go-live time, not at the worker's next tick.

The worker's own loop runs here against a frozen clock: its stop event is replaced by one
whose wait moves the clock on by the timeout instead of sleeping, so what the loop does at
each moment can be read back from the times Wagtail records (the story's publication
time, the log entry of an expiry).
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from wagtail.models import PageLogEntry

from masthead.cli import scheduler_loop
from tests import factories

pytestmark = [
    # Committed: between waits the loop drops broken or old connections, as a worker does.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_rows"),
]

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
# The worker's full pass comes every ten minutes here: far later than any time below.
INTERVAL = 600


class FrozenClockStop:
    """The loop's stop event: `wait` moves the clock on instead of sleeping, then runs
    `meanwhile` (what an editor does while the worker waits); the loop is stopped once the
    clock reaches `until`."""

    def __init__(self, traveller, until, meanwhile=None):
        self.traveller = traveller
        self.until = until
        self.meanwhile = meanwhile

    def wait(self, timeout):
        self.traveller.shift(timeout)
        if self.meanwhile:
            self.meanwhile(timezone.now())
        return timezone.now() >= self.until


def _scheduled(go_live, **fields):
    story = factories.article(go_live_at=go_live, **fields)
    assert not story.live
    return story


def _on_time(at, due):
    """At the due time, or within 50 ms after it; never before."""
    return due <= at < due + timedelta(milliseconds=50)


def test_a_scheduled_story_goes_live_at_its_time_not_at_the_next_tick(client):
    go_live = NOON + timedelta(seconds=4.5)
    with time_machine.travel(NOON, tick=False) as traveller:
        story = _scheduled(go_live, title="Count begins at midnight")
        scheduler_loop(FrozenClockStop(traveller, NOON + timedelta(seconds=30)), INTERVAL)
    story.refresh_from_db()
    assert story.live
    assert _on_time(story.last_published_at, go_live), story.last_published_at
    assert "Count begins at midnight" in client.get(story.url).content.decode()


def test_a_story_scheduled_while_the_worker_waits_goes_live_on_time(client):
    """Scheduled for a few seconds ahead after the worker's pass: seen at its next look."""
    go_live = NOON + timedelta(seconds=3.25)
    story = None

    def editor_schedules(now):
        nonlocal story
        if story is None:
            story = _scheduled(go_live, title="Polling stations close")

    with time_machine.travel(NOON, tick=False) as traveller:
        stop = FrozenClockStop(traveller, NOON + timedelta(seconds=30), editor_schedules)
        scheduler_loop(stop, INTERVAL)
    story.refresh_from_db()
    assert story.live
    assert _on_time(story.last_published_at, go_live), story.last_published_at


def test_two_stories_scheduled_a_second_apart_each_go_live_at_their_own_time():
    first_at, second_at = NOON + timedelta(seconds=2.2), NOON + timedelta(seconds=3.4)
    with time_machine.travel(NOON, tick=False) as traveller:
        second = _scheduled(second_at)
        first = _scheduled(first_at)
        scheduler_loop(FrozenClockStop(traveller, NOON + timedelta(seconds=30)), INTERVAL)
    for story, due in ((first, first_at), (second, second_at)):
        story.refresh_from_db()
        assert story.live
        assert _on_time(story.last_published_at, due), (story.title, story.last_published_at)


def test_a_story_set_to_expire_is_taken_down_at_its_expiry_time(client):
    expire_at = NOON + timedelta(seconds=6.5)
    with time_machine.travel(NOON, tick=False) as traveller:
        story = factories.article(publish=False, title="Road closed until Friday")
        story.expire_at = expire_at
        story.save_revision().publish()
        story.refresh_from_db()
        assert client.get(story.url).status_code == 200
        scheduler_loop(FrozenClockStop(traveller, NOON + timedelta(seconds=30)), INTERVAL)
    story.refresh_from_db()
    assert not story.live
    taken_down = PageLogEntry.objects.get(page=story, action="wagtail.unpublish.scheduled")
    assert _on_time(taken_down.timestamp, expire_at), taken_down.timestamp
    assert client.get(story.url).status_code == 404


def test_a_publish_that_fails_is_tried_again_at_the_next_tick_not_every_second(monkeypatch, caplog):
    """A failure is logged once a tick (as before go-live times were looked for every
    second), not once a poll."""
    from masthead.news import services

    calls = []

    def publish_fails():
        calls.append(timezone.now())
        raise RuntimeError("database refused the publish")

    with time_machine.travel(NOON, tick=False) as traveller:
        _scheduled(NOON + timedelta(seconds=2))
        monkeypatch.setattr(services, "scheduled_pages_publish", publish_fails)
        scheduler_loop(FrozenClockStop(traveller, NOON + timedelta(seconds=30)), INTERVAL)
    # The tick's own pass, then the attempt at the go-live time; nothing until the next tick.
    assert len(calls) == 2
    assert _on_time(calls[1], NOON + timedelta(seconds=2))
    assert caplog.text.count("Scheduled job publish_fails failed") == 2
