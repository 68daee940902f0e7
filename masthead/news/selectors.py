"""Reads behind the news pages, shaped so a page costs a fixed number of queries."""

from django.db.models import Count, Q, prefetch_related_objects

from masthead.news.models import ArticlePage, Author


def _body_images(article):
    return [block.value["image"] for block in article.body if block.block_type == "image"]


def related_articles(*, article, limit=4):
    """Published stories sharing topics or the section, best overlap first, newest next."""
    topic_ids = [tag.pk for tag in article.topics.all()]
    section = article.get_parent()
    matches = Q(tagged_topics__tag_id__in=topic_ids) | Q(path__startswith=section.path)
    return list(
        ArticlePage.objects.published()
        .exclude(pk=article.pk)
        .filter(matches)
        .annotate(shared=Count("tagged_topics", filter=Q(tagged_topics__tag_id__in=topic_ids)))
        .order_by("-shared", "-first_published_at")
        .for_listing()[:limit]
    )


def article_page_data(*, article):
    """Everything the article template shows beyond the page's own fields."""
    bylines = list(article.bylines.select_related("author", "author__photo"))
    images = [img for img in [article.lead_image, *_body_images(article)] if img is not None]
    prefetch_related_objects(images, "renditions")
    return {
        "bylines": bylines,
        "authors": [b.author for b in bylines],
        "topics": list(article.topics.all()),
        "corrections": list(article.corrections.all()),
        "related": related_articles(article=article),
    }


def front_page_layout(*, home, candidates=200):
    """Top story plus the latest per top-level section, from one query of recent stories."""
    sections = list(home.get_children().live().public().order_by("path").specific())
    recent = list(ArticlePage.objects.published().newest_first().for_listing()[:candidates])
    top = home.top_story if home.top_story_id and home.top_story.live else None
    if top is None and recent:
        top = recent[0]
    by_section = {section.path: [] for section in sections}
    for story in recent:
        if top is not None and story.pk == top.pk:
            continue
        bucket = by_section.get(story.path[: sections[0].depth * 4] if sections else "")
        if bucket is not None and len(bucket) < home.stories_per_section:
            bucket.append(story)
    return {
        "top_story": top,
        "section_blocks": [(s, by_section[s.path]) for s in sections if by_section[s.path]],
    }


def author_articles(*, author):
    return ArticlePage.objects.published().by_author(author).newest_first().for_listing()


def topic_articles(*, slug):
    return ArticlePage.objects.published().with_topic(slug).newest_first().for_listing()


def authors_with_counts():
    return Author.objects.annotate(article_count=Count("bylines"))
