"""Editors compose, preview, test-send, schedule and send editions in the Wagtail admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from masthead.newsletter.models import Edition, OutboxMessage
from tests import factories
from tests.newsletter.sending import edition_with_readers

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"newsletter_editions:{name}", args=args)


def edition_form(newsletter, articles=(), **fields):
    data = {
        "newsletter": newsletter.pk,
        "subject": "Weekend reading",
        "intro": "Our picks.",
        "chosen_articles": inline_formset([{"article": a.pk} for a in articles]),
        "latest_from_section": "",
        "latest_count": "0",
    }
    data.update(fields)
    return nested_form_data(data)


def test_editor_composes_an_edition_with_chosen_stories(admin_client):
    """The add form stores the list, subject, intro and the chosen stories in order."""
    newsletter = factories.newsletter_list()
    first, second = factories.article(), factories.article()
    assert admin_client.get(url("add")).status_code == 200
    response = admin_client.post(url("add"), edition_form(newsletter, [second, first]))
    assert response.status_code == 302
    edition = Edition.objects.get()
    assert edition.subject == "Weekend reading"
    assert [link.article_id for link in edition.chosen_articles.all()] == [second.pk, first.pk]


def test_a_subject_with_a_line_break_is_refused(admin_client):
    """A subject that would inject a mail header gets a form error and nothing is saved."""
    newsletter = factories.newsletter_list()
    response = admin_client.post(
        url("add"), edition_form(newsletter, subject="Hi\r\nBcc: thief@example.com")
    )
    assert response.status_code == 200
    assert "single line" in response.content.decode()
    assert not Edition.objects.exists()


def test_preview_shows_the_mail_as_readers_see_it(admin_client):
    """The preview renders the email HTML with the stories and intro."""
    edition, _ = edition_with_readers(readers=1, images=False)
    response = admin_client.get(url("preview", edition.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Morning briefing" in body and "Here is the news." in body
    for link in edition.chosen_articles.all():
        assert link.article.title in body


def test_latest_stories_from_a_section_fill_an_edition(admin_client):
    """Without chosen stories, the latest N of the chosen section are used, newest first."""
    section = factories.section()
    old = factories.article(section, published_at=factories.hours_ago(5))
    new = factories.article(section, published_at=factories.hours_ago(1))
    factories.article(section, published_at=factories.hours_ago(9))
    newsletter = factories.newsletter_list()
    edition = Edition.objects.create(
        newsletter=newsletter, subject="Latest", latest_from_section=section, latest_count=2
    )
    body = admin_client.get(url("preview", edition.pk)).content.decode()
    assert body.index(new.title) < body.index(old.title)
    assert body.count("<h2") == 2


def test_send_a_test_to_myself(admin_client, mailoutbox):
    """'Send a test' mails the editor only, marked as a test; readers get nothing."""
    edition, _ = edition_with_readers(readers=2, images=False)
    response = admin_client.post(url("send", edition.pk), {"action": "test"}, follow=True)
    assert "A test was sent" in response.content.decode()
    (message,) = mailoutbox
    assert message.to == ["admin@example.com"]
    assert message.subject == "[Test] Morning briefing"
    assert not OutboxMessage.objects.exists()


def test_send_now_and_see_the_figures(admin_client, mailoutbox, django_capture_on_commit_callbacks):
    """'Send now' delivers to every subscriber and the figures page shows what happened."""
    edition, _ = edition_with_readers(readers=3, images=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("send", edition.pk), {"action": "send"})
    assert response.status_code == 302
    assert len(mailoutbox) == 3
    page = admin_client.get(url("send", edition.pk)).content.decode()
    assert '<td data-figure="queued">3</td>' in page
    assert '<td data-figure="sent">3</td>' in page
    assert "100%" in page
    again = admin_client.post(url("send", edition.pk), {"action": "send"})
    assert again.status_code == 400 and "already" in again.content.decode()
    assert len(mailoutbox) == 3
    listing = admin_client.get(url("index")).content.decode()
    assert "3 of 3" in listing


def test_schedule_then_back_to_draft(admin_client):
    """An editor schedules an edition for later and can take it back."""
    edition, _ = edition_with_readers(readers=1, images=False)
    when = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    response = admin_client.post(url("send", edition.pk), {"action": "schedule", "when": when})
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SCHEDULED and edition.scheduled_for
    admin_client.post(url("send", edition.pk), {"action": "unschedule"})
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT


def test_breaking_news_alert_from_a_published_story(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    """The story's admin page offers 'Send as newsletter alert'; confirming mails the list."""
    story = factories.article(title="Bridge closed after crash")
    alerts = factories.newsletter_list(name="Breaking news", kind="alerts")
    factories.subscription(alerts)
    factories.subscription(alerts)
    edit_page = admin_client.get(reverse("wagtailadmin_pages:edit", args=[story.pk]))
    alert_url = url("alert", story.pk)
    assert alert_url in edit_page.content.decode()
    form = admin_client.get(alert_url).content.decode()
    assert 'value="Bridge closed after crash"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(alert_url, {"newsletter": alerts.pk, "subject": story.title})
    assert response.status_code == 302
    assert [m.subject for m in mailoutbox] == ["Bridge closed after crash"] * 2
    assert Edition.objects.get().kind == Edition.Kind.ALERT


def test_no_alert_for_a_draft_story(admin_client):
    """A story that is not published cannot be sent as an alert."""
    draft = factories.article(publish=False)
    assert admin_client.get(url("alert", draft.pk)).status_code == 404


def test_editors_group_may_compose_and_send(client):
    """A member of the newsroom's Editors group sees the editions admin and can send."""
    from tests.news.newsroom import staff

    client.force_login(staff("Editors"))
    assert client.get(url("index")).status_code == 200
    edition, _ = edition_with_readers(readers=1, images=False)
    assert client.get(url("send", edition.pk)).status_code == 200
    client.force_login(staff("Reporters"))
    refused = client.get(url("send", edition.pk))
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's refusal
