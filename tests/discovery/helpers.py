"""Builders shared by the discovery tests."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests import factories


def hidden_articles(section):
    """One story of each kind readers must never see anywhere: draft, unpublished,
    scheduled for later, and behind a password."""
    draft = factories.article(section, title="Secret draft story", publish=False)
    withdrawn = factories.article(section, title="Withdrawn story")
    withdrawn.unpublish()
    scheduled = factories.article(
        section,
        title="Embargoed story",
        published_at=timezone.now() + timedelta(hours=5),
    )
    private = factories.article(section, title="Private story")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    return [draft, withdrawn, scheduled, private]
