from django import template

from masthead.core.blocks import subheading_anchor
from masthead.news.models import SectionPage
from masthead.news.structured_data import news_article

register = template.Library()


@register.simple_tag
def article_structured_data(article, authors, topics):
    from masthead.core.templatetags.masthead_tags import SOCIAL_IMAGE_SPEC, ld_json

    image_urls = []
    if article.lead_image:
        image_urls.append(article.lead_image.get_rendition(SOCIAL_IMAGE_SPEC).url)
    return ld_json(
        news_article(article=article, authors=authors, topics=topics, image_urls=image_urls)
    )


@register.simple_tag
def table_of_contents(article):
    """(anchor, text) for each subheading, for the in-story contents list."""
    return [
        (subheading_anchor(block.value), block.value["text"])
        for block in article.body
        if block.block_type == "subheading"
    ]


@register.simple_tag(takes_context=True)
def site_sections(context):
    """Top-level sections for the site navigation; computed once per request."""
    request = context.get("request")
    cached = getattr(request, "_masthead_sections", None)
    if cached is None:
        cached = list(
            SectionPage.objects.live()
            .public()
            .filter(depth=3)
            .order_by("path")
            .only("title", "url_path", "path", "depth")
        )
        if request is not None:
            request._masthead_sections = cached
    return cached
