"""Editors in the Wagtail admin, in a real browser."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from masthead.news.models import ArticlePage
from tests import factories
from tests.news.newsroom import add_url, article_form, staff

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in_as_editor(page, base_url):
    editor = staff("Editors")
    editor.set_password("correct-horse-77")
    editor.save()
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill("correct-horse-77")
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("choice", ["Approve", "Approve with comment"])
def test_approving_from_the_dashboard_says_why_a_story_was_not_published(
    page, migrated_rows, choice
):
    """Approving from the dashboard, straight away or through the comment dialog, ends on
    the story's editor with the reason, not on a bare error; the story stays unpublished
    and in moderation."""
    picture = factories.image(title="Quayside at dusk", credit="")
    reporter = Client()
    reporter.force_login(staff("Reporters"))
    reporter.post(
        add_url(factories.section()),
        article_form(author=factories.author(), lead_image=picture, action="submit"),
    )
    story = ArticlePage.objects.get(slug="council-backs-riverside-homes")
    _sign_in_as_editor(page, migrated_rows.url)
    awaiting = page.locator("section", has_text="Awaiting your review")
    awaiting.get_by_role("button", name="Actions").click()
    awaiting.get_by_role("button", name=choice, exact=True).click()
    if choice == "Approve with comment":
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Comment").fill("Good to go")
        dialog.get_by_role("button", name="Approve").click()

    expect(page).to_have_url(f"{migrated_rows.url}/admin/pages/{story.pk}/edit/")
    expect(page.get_by_text("The lead image 'Quayside at dusk' has no credit.")).to_be_visible()
    story.refresh_from_db()
    assert not story.live and story.workflow_in_progress
    assert page.console_errors == []


def test_the_dashboard_warns_that_scheduled_stories_wait_for_a_worker(page, migrated_rows):
    """With no worker running, the dashboard says so above the story waiting to go live,
    whose title leads to its editor."""
    story = factories.article(
        title="Embargoed: water quality report", go_live_at=timezone.now() + timedelta(hours=1)
    )
    _sign_in_as_editor(page, migrated_rows.url)
    panel = page.locator("section", has_text="Scheduled to go live")
    expect(panel.get_by_text("Scheduled publishing is not running.")).to_be_visible()
    panel.get_by_role("link", name="Embargoed: water quality report").click()
    expect(page).to_have_url(f"{migrated_rows.url}/admin/pages/{story.pk}/edit/")
    assert page.console_errors == []
