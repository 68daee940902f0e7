"""The site's feeds: one declarative class per format over a FeedScope (site, section,
author or topic). Items carry stable ids, both dates, every author, section and topics, the
standfirst, optionally the whole story, and the lead picture with caption and credit."""

from urllib.parse import urljoin

import nh3
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import feedgenerator

from masthead.core.jinja2tags import social_image
from masthead.core.structured_data import absolute_url
from masthead.delivery import tag_response
from masthead.discovery.feedgenerators import JsonFeed, NewsAtomFeed, NewsRssFeed
from masthead.discovery.selectors import feed_articles, sections_by_path

# Tags a feed reader can show; scripts, styles, forms and embeds' iframes are dropped.
CONTENT_TAGS = {
    "p", "a", "em", "strong", "b", "i", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
    "figure", "figcaption", "img", "br", "hr", "cite", "aside", "table", "thead", "tbody",
    "tr", "th", "td", "dl", "dt", "dd", "span", "small", "sup", "sub",
}  # fmt: skip
CONTENT_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}


def clean_content(html, *, base_url):
    """Story HTML made safe and self-contained for other people's readers.

    Links and pictures are resolved against the story's own address (`base_url`): a reader
    shows the HTML far from the site, so "/politics/" must name the site, "#part" the story,
    and "mailto:" or "//host/" must stay what they are."""

    def absolute(tag, attribute, value):
        return urljoin(base_url, value) if attribute in {"href", "src"} else value

    return nh3.clean(
        html,
        tags=CONTENT_TAGS,
        attributes=CONTENT_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        attribute_filter=absolute,
        link_rel="noopener",
    )


def lead_image(article):
    """The lead picture as feeds carry it, or None."""
    image = article.lead_image
    if image is None:
        return None
    rendition = social_image(image)
    try:
        length = rendition.file.size
    except OSError:
        length = 0
    return {
        "url": absolute_url(rendition.url),
        "mime_type": "image/jpeg",
        "length": length,
        "width": rendition.width,
        "height": rendition.height,
        "caption": article.caption,
        "credit": image.credit_line,
    }


class ArticleFeed(Feed):
    """Shared item logic; the format comes from each subclass's feed_type."""

    fmt = "rss"

    def __init__(self, scope, discovery_settings):
        super().__init__()
        self.scope = scope
        self.settings = discovery_settings

    def __call__(self, request, *args, **kwargs):
        self.request = request
        self._sections = sections_by_path()
        self._items = []
        response = super().__call__(request, *args, **kwargs)
        # Items show their authors' and topics' names: saving an author or a topic purges
        # the feeds naming them (the page cache tags feeds by path only otherwise). Each
        # item's story tags it too, so the CDN hears of a feed that listed a story (an
        # author's, say, after the author was taken off it).
        stories = {f"page:{a.pk}" for a in self._items}
        bylined = {f"author:{b.author_id}" for a in self._items for b in a.bylines.all()}
        topics = {f"topic:{t.tag_id}" for a in self._items for t in a.tagged_topics.all()}
        return tag_response(response, *stories, *bylined, *topics)

    def get_object(self, request, *args, **kwargs):
        return self.scope

    def title(self, scope):
        return scope.title

    def link(self, scope):
        return absolute_url(scope.link)

    def feed_url(self, scope):
        return absolute_url(scope.feed_url(self.fmt))

    def description(self, scope):
        return scope.description

    def subtitle(self, scope):
        return scope.description

    @property
    def language(self):
        return settings.MASTHEAD_LANGUAGE

    def author_name(self):
        # Atom requires an author for every entry: a story without a byline is the
        # publication's (RSS and JSON Feed do not ask, and Django writes this only in Atom).
        return settings.MASTHEAD_PUBLICATION_NAME

    def feed_copyright(self):
        return f"© {settings.MASTHEAD_PUBLICATION_NAME}"

    def items(self, scope):
        self._items = feed_articles(scope=scope, limit=self.settings.feed_item_count)
        return self._items

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.dek

    def item_link(self, article):
        return absolute_url(article.get_url(request=self.request))

    def item_guid(self, article):
        # Stable across edits, moves and slug changes: the page's translation key.
        return f"urn:uuid:{article.translation_key}"

    item_guid_is_permalink = False

    def item_pubdate(self, article):
        return article.first_published_at

    def item_updateddate(self, article):
        return article.last_published_at or article.first_published_at

    def item_categories(self, article):
        section = self._sections.get(article.path[: -article.steplen])
        names = [section.title] if section else []
        return names + [tagged.tag.name for tagged in article.tagged_topics.all()]

    def item_extra_kwargs(self, article):
        extra = {
            "authors": [
                {"name": b.author.name, "url": absolute_url(b.author.url)}
                for b in article.bylines.all()
            ],
            "image": self._image(article),
        }
        if self.settings.feed_full_content:
            html = render_to_string(
                "discovery/feed_content.html", {"article": article}, request=self.request
            )
            extra["content_html"] = clean_content(html, base_url=self.item_link(article))
        return extra

    def item_enclosures(self, article):
        image = self._image(article)
        if image is None:
            return []
        return [feedgenerator.Enclosure(image["url"], str(image["length"]), image["mime_type"])]

    def _image(self, article):
        if not hasattr(article, "_feed_image"):
            article._feed_image = lead_image(article)
        return article._feed_image


class RssFeed(ArticleFeed):
    feed_type = NewsRssFeed
    fmt = "rss"


class AtomFeed(ArticleFeed):
    feed_type = NewsAtomFeed
    fmt = "atom"


class JsonArticleFeed(ArticleFeed):
    feed_type = JsonFeed
    fmt = "json"


FEED_CLASSES = {"rss": RssFeed, "atom": AtomFeed, "json": JsonArticleFeed}


def feed_url_for(kind, key, fmt):
    if kind == "site":
        return reverse("discovery:site_feed", kwargs={"fmt": fmt})
    return reverse(f"discovery:{kind}_feed", kwargs={"key": key, "fmt": fmt})
