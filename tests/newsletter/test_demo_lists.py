"""The demo outlet's newsletters."""

import pytest
from django.test import Client

from masthead.newsletter.demo import demo_newsletter_lists_ensure
from masthead.newsletter.models import NewsletterList
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_lists_are_created_once_and_edits_survive():
    """Running the demo loader again adds nothing and keeps an editor's changes."""
    election = factories.section(title="Election News", slug="election-news")
    assert demo_newsletter_lists_ensure() == ["Daily briefing", "Breaking news", "Election News"]
    NewsletterList.objects.filter(slug="daily-briefing").update(name="Morning briefing")
    assert demo_newsletter_lists_ensure() == []
    assert NewsletterList.objects.count() == 3
    assert NewsletterList.objects.get(slug="daily-briefing").name == "Morning briefing"
    assert NewsletterList.objects.get(slug="election-news").section_id == election.pk
    page = Client().get("/newsletter/")
    assert b"Breaking news" in page.content and b"Election News" in page.content


def test_changing_lists_refreshes_cached_article_boxes():
    """A new list appears in the signup box of an article page that was already cached."""
    story = factories.article(newsletter_promo=True)
    factories.newsletter_list(name="Daily briefing")
    first = Client().get(story.url)
    assert b"Daily briefing" in first.content
    assert first["X-Masthead-Cache"] == "miss"
    assert Client().get(story.url)["X-Masthead-Cache"] == "hit"
    factories.newsletter_list(name="Weekend reads")
    again = Client().get(story.url)
    assert b"Weekend reads" in again.content
