"""Writes with side effects for the newsroom's content."""

import logging

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from masthead.news.models import ArticlePage

logger = logging.getLogger(__name__)


def scheduled_pages_publish():
    """Publish every page whose go-live time has passed (and unpublish expired ones).

    An article that may not be published (its lead image lacks alt text or credit) has its
    schedule cancelled instead, which the page's history shows, and the refusal is logged;
    the other pages still go live.
    """
    due = Revision.objects.filter(
        approved_go_live_at__lt=timezone.now(),
        content_type=ContentType.objects.get_for_model(ArticlePage),
    )
    refused = []
    for revision in due:
        problems = revision.as_object().publishing_problems()
        if problems:
            revision.approved_go_live_at = None
            revision.save(update_fields=["approved_go_live_at"])
            logger.warning(
                "Scheduled publication of '%s' cancelled: %s",
                revision.object_str,
                " ".join(problems),
            )
            refused.append(revision.object_id)
    call_command("publish_scheduled", verbosity=0)
    return refused
