"""Sitemaps: one per top-level section (its articles, paginated at 50,000), one for the
front page, sections, authors and topics, and a Google News sitemap of the last 48 hours.

Items are plain rows (`values()`), not page objects: a 50,000-URL page must not build
50,000 Wagtail pages to print their URLs.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.files.storage import default_storage
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from masthead.news.models import Author, HomePage, SectionPage, articles_published

GOOGLE_NEWS_WINDOW = timedelta(hours=48)
GOOGLE_NEWS_MAX_URLS = 1000


def site_root_url_path():
    home = HomePage.objects.only("url_path").first()
    return home.url_path if home else "/"


class BaseSitemap(Sitemap):
    """Absolute URLs from MASTHEAD_BASE_URL, whatever host the crawler asked."""

    def __init__(self, root_url_path):
        self.root_url_path = root_url_path

    @property
    def limit(self):
        return getattr(settings, "MASTHEAD_SITEMAP_LIMIT", 50_000)

    def get_protocol(self, protocol=None):
        return urlsplit(settings.MASTHEAD_BASE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.MASTHEAD_BASE_URL).netloc

    def location(self, item):
        return "/" + item["url_path"][len(self.root_url_path) :]

    def lastmod(self, item):
        return item.get("last_published_at")


class SectionArticlesSitemap(BaseSitemap):
    """Every published article under one top-level section, with its lead image."""

    def __init__(self, root_url_path, section):
        super().__init__(root_url_path)
        self.section = section

    def articles(self):
        return articles_published().in_section(self.section)

    def items(self):
        return (
            self.articles()
            .order_by("pk")
            .values("url_path", "last_published_at", "lead_image__file")
        )

    def get_latest_lastmod(self):
        return self.articles().order_by().aggregate(latest=Max("last_published_at"))["latest"]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            name = url["item"]["lead_image__file"]
            if name:
                image = default_storage.url(name)
                url["image"] = image if "://" in image else settings.MASTHEAD_BASE_URL + image
        return urls


class PagesSitemap(BaseSitemap):
    """The front page, every section, and the author and topic pages with stories."""

    def items(self):
        published = articles_published()
        pages = list(
            SectionPage.objects.live()
            .public()
            .order_by("path")
            .values("url_path", "last_published_at")
        )
        home = HomePage.objects.live().values("url_path", "last_published_at").first()
        authors = (
            Author.objects.filter(bylines__article__in=published.values("pk"))
            .distinct()
            .order_by("slug")
            .values_list("slug", flat=True)
        )
        topics = (
            Tag.objects.filter(news_articletopic_items__content_object__in=published.values("pk"))
            .distinct()
            .order_by("slug")
            .values_list("slug", flat=True)
        )
        return (
            ([home] if home else [])
            + pages
            + [{"path": reverse("news:author", kwargs={"slug": s})} for s in authors]
            + [{"path": reverse("news:topic", kwargs={"slug": s})} for s in topics]
        )

    def location(self, item):
        return item["path"] if "path" in item else super().location(item)


class GoogleNewsSitemap(BaseSitemap):
    """Articles first published in the last 48 hours, newest first (Google's rules)."""

    limit = GOOGLE_NEWS_MAX_URLS

    def items(self):
        since = timezone.now() - GOOGLE_NEWS_WINDOW
        return (
            articles_published()
            .filter(first_published_at__gte=since)
            .order_by("-first_published_at", "-pk")
            .values("url_path", "title", "first_published_at", "last_published_at")
        )

    def get_latest_lastmod(self):
        return self.items().order_by().aggregate(latest=Max("last_published_at"))["latest"]


def google_news_language(code):
    """The publication's language as Google News takes it: an ISO 639 code, with zh-cn and
    zh-tw the only regional ones ("en-GB" is "en")."""
    code = code.lower().replace("_", "-")
    return code if code in {"zh-cn", "zh-tw"} else code.split("-")[0]


def sitemaps():
    """The site's sitemaps by name; built per request because sections come and go."""
    root = site_root_url_path()
    maps = {"pages": PagesSitemap(root)}
    for section in SectionPage.objects.live().public().filter(depth=3).order_by("path"):
        maps[f"section-{section.slug}"] = SectionArticlesSitemap(root, section)
    maps["news"] = GoogleNewsSitemap(root)
    return maps
