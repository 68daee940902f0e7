"""Writes with side effects for the newsroom's content."""

import logging
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Revision

from masthead.news.models import ArticlePage, SchedulerCheck

logger = logging.getLogger(__name__)

# PostgreSQL advisory lock key held while one worker runs scheduled publishing.
SCHEDULER_LOCK_KEY = 0x4D415354


@contextmanager
def _scheduler_lock():
    """True when this process may run the scheduler now.

    Every `masthead worker` runs the scheduler; on PostgreSQL only one at a time goes ahead,
    so a story is never published twice (twice the purges, twice a breaking-news alert).
    SQLite serves a single machine with one worker, and its writes are serialised anyway.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SCHEDULER_LOCK_KEY])
        yield cursor.fetchone()[0]


def scheduled_pages_publish():
    """Publish every page whose go-live time has passed (and unpublish expired ones).

    An article that may not be published (its lead image lacks alt text or credit) has its
    schedule cancelled instead, which the page's history shows, and the refusal is logged;
    the other pages still go live. Returns the ids of refused pages, or None when another
    worker holds the scheduler.
    """
    with _scheduler_lock() as allowed:
        if not allowed:
            return None
        return _publish_due()


def _publish_due():
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
    SchedulerCheck.objects.update_or_create(pk=1, defaults={"at": timezone.now()})
    return refused
