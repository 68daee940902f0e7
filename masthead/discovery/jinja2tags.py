"""What the templates call for discovery: the feed links in every page's head."""

from django.conf import settings
from django.utils.html import format_html, format_html_join
from jinja2 import pass_context
from jinja2.ext import Extension
from taggit.models import Tag

from masthead.core.structured_data import absolute_url
from masthead.discovery.selectors import section_key
from masthead.news.models import Author, SectionPage

FORMATS = [
    ("rss", "application/rss+xml", "RSS"),
    ("atom", "application/atom+xml", "Atom"),
    ("json", "application/feed+json", "JSON Feed"),
]


def _links(title, url_for):
    return format_html_join(
        "\n",
        '<link rel="alternate" type="{}" title="{} ({})" href="{}">',
        ((mime, title, label, absolute_url(url_for(fmt))) for fmt, mime, label in FORMATS),
    )


@pass_context
def feed_links(context):
    """<link rel="alternate"> for the site's feeds and for the section, author or topic shown."""
    from django.urls import reverse

    from masthead.delivery.memo import remember

    name = settings.MASTHEAD_PUBLICATION_NAME
    # The site's own feeds are the same on every page (absolute URLs from the base URL
    # setting): built once per site generation (masthead.delivery.memo).
    site_links = remember(
        f"discovery:site-feed-links:{name}",
        lambda: _links(name, lambda fmt: reverse("discovery:site_feed", kwargs={"fmt": fmt})),
        site=True,
    )
    parts = [site_links]
    page = context.get("page")
    author, topic = context.get("author"), context.get("topic")
    scoped = None
    if isinstance(page, SectionPage):
        key = section_key(page.url_path)
        scoped = (f"{page.title} | {name}", "discovery:section_feed", key)
    elif isinstance(author, Author):
        scoped = (f"{author.name} | {name}", "discovery:author_feed", author.slug)
    elif isinstance(topic, Tag):
        scoped = (f"{topic.name} | {name}", "discovery:topic_feed", topic.slug)
    if scoped:
        title, route, key = scoped
        parts.append(_links(title, lambda fmt: reverse(route, kwargs={"key": key, "fmt": fmt})))
    return format_html("{}", format_html_join("\n", "{}", ((p,) for p in parts)))


class DiscoveryExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["feed_links"] = feed_links
