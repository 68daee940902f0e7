"""Reads behind the news pages, shaped so a page costs a fixed number of queries."""

from django.db.models import Count, Exists, OuterRef, Q, prefetch_related_objects

from masthead.news.models import ArticlePage, Author


def _body_images(article):
    return [block.value["image"] for block in article.body if block.block_type == "image"]


RELATED_CANDIDATES = 50


def related_articles(*, article, limit=4):
    """ "More on this": published stories sharing the story's topics or section, never the
    story itself. Stories sharing both come first, then topic-only, then section-only;
    newest first within each. Only the newest candidates are weighed, so the cost stays
    flat however large the archive: three queries plus the cards' prefetches.
    """
    from masthead.news.models import ArticleTopic

    topic_ids = [tag.pk for tag in article.topics.all()]
    section_path = article.path[: -article.steplen]
    tagged = ArticleTopic.objects.filter(tag_id__in=topic_ids)
    candidates = list(
        ArticlePage.objects.published()
        .exclude(pk=article.pk)
        .filter(Q(pk__in=tagged.values("content_object_id")) | Q(path__startswith=section_path))
        .annotate(shares_topic=Exists(tagged.filter(content_object_id=OuterRef("pk"))))
        .order_by("-first_published_at", "-pk")
        .values("pk", "path", "shares_topic")[:RELATED_CANDIDATES]
    )

    def tier(row):
        return (not row["shares_topic"]) * 2 + (not row["path"].startswith(section_path))

    # sorted() is stable, so newest-first order holds within each tier.
    chosen = [row["pk"] for row in sorted(candidates, key=tier)[:limit]]
    if not chosen:
        return []
    cards = ArticlePage.objects.filter(pk__in=chosen).for_listing().in_bulk()
    return [cards[pk] for pk in chosen if pk in cards]


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
