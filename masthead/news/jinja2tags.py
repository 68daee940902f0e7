"""What the news templates call (story pages, cards, navigation)."""

from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from jinja2 import pass_context
from jinja2.ext import Extension
from wagtail.rich_text import expand_db_html

from masthead.core.blocks import subheading_anchor
from masthead.core.jinja2tags import social_image
from masthead.core.structured_data import ld_json_script
from masthead.news.models import SectionPage
from masthead.news.structured_data import news_article


def article_structured_data(article, authors, topics):
    image_urls = []
    if article.lead_image:
        image_urls.append(social_image(article.lead_image).url)
    return ld_json_script(
        news_article(article=article, authors=authors, topics=topics, image_urls=image_urls)
    )


def story_body(context, body):
    """The story's body blocks, as {% include_block %} renders each one, with the page's
    context copied once rather than once per block, and paragraphs (most of a story) as
    their rich text's HTML without a template render each (Wagtail's own rich text
    template is that HTML, as it is)."""
    parts = []
    parent = None
    for block in body:
        if block.block_type == "paragraph":
            parts.append(expand_db_html(block.value.source))
            continue
        if parent is None:
            parent = context.get_all()
        parts.append(conditional_escape(block.render_as_block(context=dict(parent))))
    return mark_safe("".join(parts))  # noqa: S308 (markup from the blocks' own rendering)


def table_of_contents(article):
    """(anchor, text) for each subheading, for the in-story contents list."""
    return [
        (subheading_anchor(block.value), block.value["text"])
        for block in article.body
        if block.block_type == "subheading"
    ]


def _top_level_sections():
    return list(
        SectionPage.objects.live()
        .public()
        .filter(depth=3)
        .order_by("path")
        .only("title", "url_path", "path", "depth")
    )


def site_sections():
    """Top-level sections for the site navigation, remembered until the site's
    structure changes (a section published, moved or unpublished purges everything)."""
    from masthead.delivery.memo import remember

    return remember("news:site-sections", _top_level_sections, site=True)


def story_card(context, story, heading="h3"):
    """A story card ("More on this"), rendered once per page-cache generation in this
    process: the same story's card shows on every story that lists it.

    A card shows the story's published fields, its picture, its bylines and its comment
    count; publishing the story, changing an author and a comment purge all purge the page
    cache, which starts a new generation. Keyed by host: its links are built for the site.
    """
    from masthead.delivery.memo import remember

    request = context.get("request")
    host = request.get_host() if request is not None else ""

    def render():
        return render_to_string(
            "includes/story_card.html", {"story": story, "heading": heading, "request": request}
        )

    return mark_safe(remember(f"news:story-card:{host}:{story.pk}:{heading}", render))  # noqa: S308


class NewsExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals.update(
            article_structured_data=article_structured_data,
            story_body=pass_context(story_body),
            table_of_contents=table_of_contents,
            site_sections=site_sections,
            story_card=pass_context(story_card),
        )
