"""Per-site choices for how the site's stories reach feed readers and crawlers."""

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
