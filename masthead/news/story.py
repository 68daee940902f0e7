"""A story's own part of its page, rendered once and kept across page-cache misses.

The article page is the story's part (head metadata and JSON-LD, headline, byline,
picture, body, corrections, topics: news/story.html) and what surrounds it ("More on
this", the comments, the newsletter box, the site's header and footer). The story's part
changes only when the story is published again, moves, or when one of its authors,
topics or pictures, or a page its body links to, changes, and each of those purges a
tag the kept copy carries (masthead.delivery.fragments). So a page-cache miss of a story
whose part is kept renders only the surroundings.
"""

import hashlib
import re

from django.template import engines

from masthead.delivery import keep_fragment, kept_fragment, tag_context

STORY_TEMPLATE = "news/story.html"
FRAGMENT_PREFIX = "story:"
PARTS = ("meta", "head", "article")
_PAGE_LINK = re.compile(r'linktype=\\?"page\\?" id=\\?"(\d+)\\?"')


def story_context(*, request, article, context):
    """What the article template adds to Wagtail's context: the story's part (`story`,
    kept or rendered now), "More on this" (`related`) and the tags of what the part shows."""
    from masthead.news.selectors import article_page_data, related_articles

    name, version = f"{FRAGMENT_PREFIX}{article.pk}", _version(article)
    # Routing loaded the story with its kept part (ArticlePage.serving_queryset).
    kept = kept_fragment(name, version, loaded_with=article)
    if kept is not None:
        tag_context(context, *kept["tags"])
        related = related_articles(article=article, topic_ids=kept["topic_ids"])
        return {"story": _markup(kept), "related": related}
    data = article_page_data(article=article)
    parts = render_parts(request, {**context, **data})
    tags = _shown(article, data)
    tag_context(context, *tags)
    keep_fragment(
        name,
        version,
        {**parts, "topic_ids": [t.pk for t in data["topics"]], "tags": sorted(tags)},
        tags=tags,
    )
    return {**data, "story": _markup(parts)}


def render_parts(request, context):
    """news/story.html's blocks, rendered with the page's context as the page would be."""
    engine = engines["jinja2"]
    template = engine.get_template(STORY_TEMPLATE).template
    values = dict(context)
    values["request"] = request
    # The context processors, as Django's Template.render adds them, but no CSRF token:
    # the story's part holds no form, and a token would tie it to one reader.
    for processor in engine.template_context_processors:
        values.update(processor(request))
    jinja_context = template.new_context(values)
    return {part: "".join(template.blocks[part](jinja_context)) for part in PARTS}


def _markup(parts):
    from django.utils.safestring import mark_safe

    return {part: mark_safe(parts[part]) for part in PARTS}  # noqa: S308 (our own render)


def _version(article):
    """Everything the story's part is rendered from that no purge announces: its published
    revision and times, its address and the titles and addresses of the pages above it.
    (A script that changes a live story in place without publishing it purges nothing:
    neither its cached page nor its kept part shows the change before it expires.)"""
    from masthead.delivery.routing import page_ancestors, site_root_paths

    above = [(p.pk, p.title, p.url_path) for p in page_ancestors(article)]
    shown = (
        article.live_revision_id,
        article.last_published_at,
        article.first_published_at,
        article.url_path,
        article.lead_image_id,
        above,
        [tuple(s) for s in site_root_paths()],
    )
    return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


def _shown(article, data):
    """Tags of what the story's part shows beyond the story: authors, topics, the stories
    its body points to and the pages its links go to."""
    tags = {f"page:{article.pk}"}
    tags.update(f"author:{a.pk}" for a in data["authors"])
    tags.update(f"topic:{t.pk}" for t in data["topics"])
    tags.update(f"page:{p.pk}" for p in data["linked_stories"])
    linked = str(list(article.body.raw_data)) + "".join(c.text for c in data["corrections"])
    tags.update(f"page:{pk}" for pk in _PAGE_LINK.findall(linked))
    return tags
