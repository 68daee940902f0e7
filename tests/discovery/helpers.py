"""Builders shared by the discovery tests."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests import factories


def hidden_articles(section):
    """One story of each kind readers must never see anywhere: draft, unpublished, dated
    later than now, scheduled in the editor to go live later, behind a password, and in a
    subsection open to signed-in users only."""
    draft = factories.article(section, title="Secret draft story", publish=False)
    withdrawn = factories.article(section, title="Withdrawn story")
    withdrawn.unpublish()
    embargoed = factories.article(
        section,
        title="Embargoed story",
        published_at=timezone.now() + timedelta(hours=5),
    )
    # The editor's "go-live date": publishing only approves the revision for later.
    scheduled = factories.article(
        section, title="Scheduled story", go_live_at=timezone.now() + timedelta(hours=3)
    )
    private = factories.article(section, title="Private story")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    members = factories.section(section, title="Members area", slug="members-area")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    members_only = factories.article(members, title="Members-only story", topics=["Members"])
    return [draft, withdrawn, embargoed, scheduled, private, members_only]
