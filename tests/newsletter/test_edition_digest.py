"""The daily digest builds itself from a section's last 24 hours, once per day."""

from datetime import UTC, datetime, timedelta

import pytest

from masthead.newsletter import services
from masthead.newsletter.models import Edition
from tests import factories

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)


@pytest.fixture
def digest_list():
    section = factories.section(title="City")
    newsletter = factories.newsletter_list(name="City digest", kind="digest", section=section)
    factories.subscription(newsletter)
    factories.subscription(newsletter)
    return newsletter


def run_check(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_run_scheduled()


def test_digest_holds_the_last_24_hours_and_is_sent_once_a_day(
    digest_list, mailoutbox, time_machine, django_capture_on_commit_callbacks
):
    """Stories of the last day go out once; repeated checks the same day send nothing more."""
    time_machine.move_to(MORNING, tick=False)
    section = digest_list.section
    fresh = factories.article(section, published_at=MORNING - timedelta(hours=3))
    stale = factories.article(section, published_at=MORNING - timedelta(hours=30))
    elsewhere = factories.article(published_at=MORNING - timedelta(hours=2))
    run_check(django_capture_on_commit_callbacks)
    run_check(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    html = mailoutbox[0].alternatives[0][0]
    assert fresh.title in html
    assert stale.title not in html and elsewhere.title not in html
    edition = Edition.objects.get()
    assert (edition.kind, edition.digest_for) == ("digest", MORNING.date())

    time_machine.move_to(MORNING + timedelta(days=1), tick=False)
    factories.article(section, published_at=MORNING + timedelta(hours=20))
    run_check(django_capture_on_commit_callbacks)
    assert Edition.objects.count() == 2 and len(mailoutbox) == 4


def test_no_digest_before_its_hour_or_without_news(
    digest_list, mailoutbox, time_machine, django_capture_on_commit_callbacks
):
    """Before the digest hour nothing is built; a day without stories sends no empty mail."""
    time_machine.move_to(MORNING.replace(hour=5), tick=False)
    factories.article(digest_list.section, published_at=MORNING - timedelta(hours=4))
    run_check(django_capture_on_commit_callbacks)
    assert not Edition.objects.exists()

    time_machine.move_to(MORNING + timedelta(days=3), tick=False)
    run_check(django_capture_on_commit_callbacks)
    assert not Edition.objects.filter(digest_for=(MORNING + timedelta(days=3)).date()).exists()
    assert mailoutbox == []
