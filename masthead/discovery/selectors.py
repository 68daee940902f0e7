"""Reads behind feeds, sitemaps and search: one definition of 'published', fixed query counts."""

from dataclasses import dataclass

from django.db.models import Count, Max
from django.urls import reverse
from taggit.models import Tag

from masthead.news.models import Author, SectionPage, articles_published


@dataclass
class FeedScope:
    """Which stories a feed carries: the whole site, a section, an author or a topic."""

    kind: str  # "site", "section", "author" or "topic"
    key: str
    title: str
    link: str
    description: str
    articles: object  # queryset of published articles

    def url_kwargs(self):
        return {} if self.kind == "site" else {"key": self.key}

    def feed_url(self, fmt):
        if self.kind == "site":
            return reverse("discovery:site_feed", kwargs={"fmt": fmt})
        return reverse(f"discovery:{self.kind}_feed", kwargs={"key": self.key, "fmt": fmt})

    def fingerprint(self):
        """What changes whenever the feed's items could: newest edit time and item count."""
        row = self.articles.order_by().aggregate(
            latest=Max("last_published_at"), count=Count("pk", distinct=True)
        )
        return row["latest"], row["count"]


def site_scope(*, publication_name):
    return FeedScope(
        kind="site",
        key="",
        title=publication_name,
        link="/",
        description=f"The latest stories from {publication_name}.",
        articles=articles_published(),
    )


def section_scope(*, section, publication_name):
    key = section_key(section.url_path)
    return FeedScope(
        kind="section",
        key=key,
        title=f"{section.title} | {publication_name}",
        link=section.url,
        description=section.intro or f"The latest {section.title} stories.",
        articles=articles_published().in_section(section),
    )


def author_scope(*, author, publication_name):
    return FeedScope(
        kind="author",
        key=author.slug,
        title=f"{author.name} | {publication_name}",
        link=author.url,
        description=f"Stories by {author.name}.",
        articles=articles_published().by_author(author),
    )


def topic_scope(*, topic, publication_name):
    return FeedScope(
        kind="topic",
        key=topic.slug,
        title=f"{topic.name} | {publication_name}",
        link=reverse("news:topic", kwargs={"slug": topic.slug}),
        description=f"The latest stories about {topic.name}.",
        articles=articles_published().with_topic(topic.slug),
    )


def section_key(url_path):
    """A section's feed key, from its url_path: its path below the front page, e.g.
    'politics/election-news' ('' for the front page)."""
    return "/".join(url_path.strip("/").split("/")[1:])


def section_by_key(*, key):
    """The live section at `key`, or None. Sections are looked up under any front page."""
    if not key or len(key) > 500:
        return None
    return (
        SectionPage.objects.live()
        .public()
        .filter(url_path__endswith=f"/{key.strip('/')}/", depth__gte=3)
        .order_by("depth")
        .first()
    )


def author_by_slug(*, slug):
    return Author.objects.filter(slug=slug).first()


def topic_by_slug(*, slug):
    return Tag.objects.filter(slug=slug).first()


def feed_articles(*, scope, limit):
    """The newest stories of a feed with everything an item shows, in a fixed number of queries."""
    return list(
        scope.articles.newest_first()
        .for_listing()
        .prefetch_related("tagged_topics__tag")
        .select_related("lead_image")[:limit]
    )


def sections_by_path():
    """Every live section keyed by tree path, so an item's section costs no query."""
    return {s.path: s for s in SectionPage.objects.live().only("title", "path", "url_path")}
