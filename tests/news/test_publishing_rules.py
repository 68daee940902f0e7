"""A story whose lead image lacks alt text or credit cannot go live, by any route."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from wagtail.models import PageLogEntry

from masthead.cli import scheduler_loop
from masthead.news.models import ArticlePage, PublishingRefused
from tests import factories
from tests.news.newsroom import add_url, article_form, edit_url, staff

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _run_worker_scheduler_once():
    """The worker's own loop, told to stop after its first pass."""
    stop = threading.Event()
    stop.set()
    scheduler_loop(stop, interval=60)


def test_publish_button_refuses_image_without_alt_text(client):
    """Publish shows which image lacks alt text, and nothing goes live."""
    section = factories.section()
    picture = factories.image(title="Quay at night", alt_text="")
    client.force_login(staff("Editors"))
    form = article_form(author=factories.author(), lead_image=picture, action="publish")
    response = client.post(add_url(section), form)
    assert response.status_code == 200
    assert "The lead image &#x27;Quay at night&#x27; has no alt text." in response.content.decode()
    assert not ArticlePage.objects.filter(live=True, slug="council-backs-riverside-homes").exists()


def test_publish_button_refuses_image_without_credit(client):
    """A missing credit is named too; fixing it in the library lets the story publish."""
    section = factories.section()
    picture = factories.image(title="Quay at night", credit="")
    author = factories.author()
    client.force_login(staff("Editors"))
    form = article_form(author=author, lead_image=picture, action="publish")
    response = client.post(add_url(section), form)
    assert "has no credit" in response.content.decode()

    picture.credit = "Courier/Ana Ruiz"
    picture.save()
    assert client.post(add_url(section), form).status_code == 302
    assert ArticlePage.objects.get(slug="council-backs-riverside-homes").live


def test_approval_in_the_editor_is_refused_with_the_reason(client):
    """An editor approving a submitted story from the editor sees the image problem."""
    section = factories.section()
    picture = factories.image(alt_text="")
    author = factories.author()
    client.force_login(staff("Reporters"))
    client.post(add_url(section), article_form(author=author, lead_image=picture, action="submit"))
    page = ArticlePage.objects.get(slug="council-backs-riverside-homes")
    assert page.workflow_in_progress

    client.force_login(staff("Editors"))
    form = article_form(author=author, lead_image=picture, action="approve")
    response = client.post(edit_url(page), form)
    assert response.status_code == 200
    assert "has no alt text" in response.content.decode()
    page.refresh_from_db()
    assert not page.live and page.workflow_in_progress


def test_approval_from_the_moderation_dialog_cannot_publish_either(client):
    """Approving from the dashboard's dialog leaves the story unpublished and in moderation."""
    section = factories.section()
    picture = factories.image(credit="")
    author = factories.author()
    client.force_login(staff("Reporters"))
    client.post(add_url(section), article_form(author=author, lead_image=picture, action="submit"))
    page = ArticlePage.objects.get(slug="council-backs-riverside-homes")
    task_state = page.current_workflow_state.current_task_state

    client.force_login(staff("Editors"))
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    response = client.post(
        url, {"comment": "Looks good"}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    page.refresh_from_db()
    assert not page.live
    assert page.workflow_in_progress
    # The dialog is told to go to the story's editor, which says why it was not published.
    step = response.json()
    assert step["step"] == "success"
    assert step["redirect"] == reverse("wagtailadmin_pages:edit", args=(page.pk,))
    editor = client.get(step["redirect"]).content.decode()
    assert f"Not published: The lead image &#x27;{picture.title}&#x27; has no credit." in editor


def test_code_cannot_publish_a_refused_story():
    """Scripts and importers meet the same rule as the admin."""
    page = factories.article(publish=False, lead_image=factories.image(alt_text=""))
    with pytest.raises(PublishingRefused, match="no alt text"):
        page.get_latest_revision().publish()
    page.refresh_from_db()
    assert not page.live


def test_worker_publishes_a_story_whose_go_live_time_has_passed(client):
    """The worker's scheduler loop makes a scheduled story live once its time has come."""
    with time_machine.travel(NOON - timedelta(hours=2), tick=False):
        story = factories.article(title="Polls close at ten", go_live_at=NOON)
    story.refresh_from_db()
    assert not story.live

    with time_machine.travel(NOON - timedelta(minutes=1), tick=False):
        _run_worker_scheduler_once()
    story.refresh_from_db()
    assert not story.live

    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        _run_worker_scheduler_once()
        story.refresh_from_db()
        assert story.live
        assert "Polls close at ten" in client.get(story.url).content.decode()


def test_scheduled_go_live_skips_a_story_whose_image_lost_its_credit():
    """A story scheduled before its image lost its credit is held back; others still publish."""
    picture = factories.image()
    with time_machine.travel(NOON - timedelta(hours=2), tick=False):
        held = factories.article(lead_image=picture, go_live_at=NOON)
        other = factories.article(go_live_at=NOON)
    picture.credit = ""
    picture.save()

    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        _run_worker_scheduler_once()
    held.refresh_from_db()
    other.refresh_from_db()
    assert other.live
    assert not held.live
    assert held.scheduled_revision is None
    assert PageLogEntry.objects.filter(page=held, action="wagtail.schedule.cancel").exists()


@pytest.mark.postgres
def test_only_one_worker_runs_scheduled_publishing_at_a_time():
    """While another worker holds the scheduler, this one publishes nothing; then it does."""
    import psycopg
    from django.db import connection

    from masthead.news.services import SCHEDULER_LOCK_KEY

    with time_machine.travel(NOON - timedelta(hours=2), tick=False):
        story = factories.article(go_live_at=NOON)

    db = connection.settings_dict
    other_worker = psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432
    )
    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        other_worker.execute("SELECT pg_advisory_lock(%s)", [SCHEDULER_LOCK_KEY])
        _run_worker_scheduler_once()
        story.refresh_from_db()
        assert not story.live
        other_worker.execute("SELECT pg_advisory_unlock(%s)", [SCHEDULER_LOCK_KEY])
        other_worker.close()
        _run_worker_scheduler_once()
    story.refresh_from_db()
    assert story.live
