"""The newsroom workflow in the Wagtail admin: reporters submit, editors approve and publish."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Workflow

from masthead.news.models import ArticlePage
from tests import factories
from tests.news.newsroom import add_url, article_form, edit_url, staff

pytestmark = pytest.mark.django_db


def _reporter_drafts(client, section, author, **fields):
    client.force_login(staff("Reporters"))
    response = client.post(add_url(section), article_form(author=author, **fields))
    assert response.status_code == 302, response.content[:2000]
    return ArticlePage.objects.get(slug=fields.get("slug", "council-backs-riverside-homes"))


def test_install_creates_newsroom_groups_and_editor_approval():
    """A fresh database has Reporters, Editors, Moderators and an 'Editors approve' workflow."""
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Reporters", "Editors", "Moderators"} <= names
    home = factories.home()
    workflow = home.get_workflow()
    assert isinstance(workflow, Workflow) and workflow.name == "Editorial approval"
    (task,) = [t.specific for t in workflow.tasks.all()]
    assert list(task.groups.values_list("name", flat=True)) == ["Editors"]


def test_reporter_can_save_and_submit_but_not_publish(client):
    """A reporter's Publish is not offered and not honoured; Submit puts the story in moderation."""
    section = factories.section()
    author = factories.author()
    page = _reporter_drafts(client, section, author, action="publish")
    assert not page.live
    editor_page = client.get(edit_url(page)).content.decode()
    assert "action-publish" not in editor_page
    assert "action-submit" in editor_page

    response = client.post(edit_url(page), article_form(author=author, action="submit"))
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert page.workflow_in_progress
    assert page.current_workflow_task.name == "Editors approve"


def test_editor_approves_and_the_story_goes_live(client):
    """After a reporter submits, an editor's approval publishes the story for readers."""
    section = factories.section()
    author = factories.author()
    page = _reporter_drafts(client, section, author, action="submit")
    assert client.get(page.url).status_code == 404

    client.force_login(staff("Editors"))
    response = client.post(edit_url(page), article_form(author=author, action="approve"))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    client.logout()
    assert "Council backs riverside homes plan" in client.get(page.url).content.decode()


def test_editor_can_publish_and_schedule_directly(client):
    """Editors hold publish rights: Publish with a future go-live time schedules the story."""
    section = factories.section()
    client.force_login(staff("Editors"))
    form = article_form(author=factories.author(), action="publish", go_live_at="2099-01-01 09:00")
    assert client.post(add_url(section), form).status_code == 302
    page = ArticlePage.objects.get(slug="council-backs-riverside-homes")
    assert not page.live
    assert page.scheduled_revision is not None


def test_previews_render_the_draft(client):
    """Staff preview an unpublished draft exactly as readers would see it."""
    section = factories.section()
    author = factories.author()
    page = _reporter_drafts(client, section, author)
    draft = client.get(reverse("wagtailadmin_pages:view_draft", args=(page.pk,)))
    assert draft.status_code == 200
    assert b"Council backs riverside homes plan" in draft.content

    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
    changed = article_form(author=author, title="Council delays riverside homes vote")
    assert client.post(preview_url, changed).json()["is_valid"]
    assert b"Council delays riverside homes vote" in client.get(preview_url).content


def test_every_save_keeps_a_revision(client):
    """Each save is a revision in the page history; the earlier wording is kept."""
    section = factories.section()
    author = factories.author()
    page = _reporter_drafts(client, section, author)
    client.post(edit_url(page), article_form(author=author, title="Second wording"))
    client.post(edit_url(page), article_form(author=author, title="Third wording"))
    titles = [r.content["title"] for r in page.revisions.order_by("created_at", "pk")]
    assert titles == ["Council backs riverside homes plan", "Second wording", "Third wording"]
    history = client.get(reverse("wagtailadmin_pages:history", args=(page.pk,)))
    assert history.status_code == 200
