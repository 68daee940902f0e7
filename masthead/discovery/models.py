"""Per-site choices for how the site's stories reach feed readers and crawlers."""

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="rss")
class DiscoverySettings(BaseSiteSetting):
    feed_full_content = models.BooleanField(
        "full stories in feeds",
        default=False,
        help_text="Put the whole story in feeds. Off: feeds carry the standfirst and a link.",
    )
    feed_item_count = models.PositiveSmallIntegerField(
        "stories per feed",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    robots_keep_out_private = models.BooleanField(
        "keep crawlers off admin, search and previews",
        default=True,
        help_text="robots.txt asks crawlers not to visit the admin, search results and "
        "page previews.",
    )

    class Meta:
        verbose_name = "feeds, sitemaps and robots"


class SearchRecency(models.Model):
    """PostgreSQL: each live page's search terms beside its publication time.

    Wagtail's index table holds a story's words but not its date, so "the newest stories
    matching X" had to join every match to the page table. This narrow table keeps both
    in one row (a B-tree on the date and, on PostgreSQL, a GIN index on the words), so that
    question is a walk down the date index that stops after the first N matches — or, for
    rare words, a read of the GIN index. It is kept by the search backend whenever Wagtail
    indexes a page (on publish, in the task worker; `update_index` rebuilds it) and read
    only by `masthead.discovery.search_backend`. On SQLite it exists but stays empty.
    """

    page = models.OneToOneField(
        "wagtailcore.Page",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # removed by the backend with the page's index entry
        related_name="+",
    )
    published_at = models.DateTimeField()
    terms = SearchVectorField()
    # What the search page's section and label filters test, kept in the row so that the
    # walk down the date index checks them without joining every story they select. The
    # tree path follows moves (masthead.discovery.receivers); the label is the page's at
    # its last indexing, like the words.
    path = models.CharField(max_length=255, default="")
    kicker = models.CharField(max_length=20, default="", blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["-published_at", "-page"], name="searchrecency_newest"),
            # A label is an eighth of the archive: its matches are read from here and the
            # word index together rather than by walking every date.
            models.Index(
                fields=["kicker", "-published_at", "-page"], name="searchrecency_kicker_newest"
            ),
        ]

    def __str__(self):
        return f"page {self.page_id}, published {self.published_at:%Y-%m-%d %H:%M}"
