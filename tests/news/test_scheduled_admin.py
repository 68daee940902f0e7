"""Editors see what waits to go live, and are told when no worker will publish it."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages

from masthead.cli import scheduler_tick
from tests import factories
from tests.news.newsroom import add_url, article_form, staff

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
NOT_RUNNING = "Scheduled publishing is not running"


def _dashboard(client):
    client.force_login(staff("Editors"))
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_lists_scheduled_stories_and_no_warning_while_a_worker_looks(client):
    with time_machine.travel(NOON, tick=False):
        factories.article(title="Budget statement at four", go_live_at=NOON + timedelta(hours=4))
        factories.article(title="Count results expected", go_live_at=NOON + timedelta(hours=2))
        scheduler_tick()  # a worker's pass
        page = _dashboard(client)
    assert "Scheduled to go live" in page
    assert page.index("Count results expected") < page.index("Budget statement at four")
    assert "2 Mar 2026, 14:00" in page
    assert NOT_RUNNING not in page


def test_the_dashboard_warns_when_no_worker_has_ever_looked(client):
    with time_machine.travel(NOON, tick=False):
        factories.article(
            title="Embargoed report on river quality", go_live_at=NOON + timedelta(hours=1)
        )
        page = _dashboard(client)
    assert NOT_RUNNING in page
    assert "No worker has looked for stories due to go live yet." in page
    assert "Embargoed report on river quality" in page


def test_the_dashboard_warns_when_the_worker_stopped_and_marks_overdue_stories(client):
    with time_machine.travel(NOON, tick=False):
        scheduler_tick()
    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        factories.article(title="Ferry timetable changes", go_live_at=NOON + timedelta(minutes=5))
        factories.article(title="Harbour works begin", go_live_at=NOON + timedelta(hours=3))
    with time_machine.travel(NOON + timedelta(minutes=10), tick=False):
        page = _dashboard(client)
    assert NOT_RUNNING in page
    assert "since 2 Mar 2026, 12:00:00" in page
    overdue_row = page[page.index("Ferry timetable changes") :].split("</tr>")[0]
    assert "Overdue" in overdue_row
    assert "Overdue" not in page[page.index("Harbour works begin") :].split("</tr>")[0]


def test_no_panel_when_nothing_is_scheduled(client):
    factories.article(title="Already published")
    assert "Scheduled to go live" not in _dashboard(client)


def _schedule_in_the_editor(client):
    """The messages shown after an editor schedules a new story."""
    client.force_login(staff("Editors"))
    form = article_form(author=factories.author(), action="publish", go_live_at="2099-01-01 09:00")
    response = client.post(add_url(factories.section()), form)
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_scheduling_a_story_without_a_running_worker_says_so(client):
    shown = _schedule_in_the_editor(client)
    assert any("will not go live at its time: no worker" in m for m in shown), shown


def test_scheduling_a_story_while_a_worker_runs_gives_no_warning(client):
    scheduler_tick()
    shown = _schedule_in_the_editor(client)
    assert shown and not any("no worker" in m for m in shown), shown
