"""Reads behind the news pages, shaped so a page costs a fixed number of queries."""

from django.db.models import Count, Prefetch, prefetch_related_objects

from masthead.news.models import ArticlePage, Author


def _body_images(article):
    return [block.value["image"] for block in article.body if block.block_type == "image"]


RELATED_CANDIDATES = 50


def prefetch_renditions(images):
    """Every rendition of these pictures in one query, where Wagtail's get_rendition looks
    first (the picture tags and share image then find theirs without asking again)."""
    pictures = [img for img in images if img is not None]
    prefetch_related_objects(pictures, Prefetch("renditions", to_attr="prefetched_renditions"))


def related_articles(*, article, topic_ids=None, limit=4, renditions=True):
    """ "More on this": published stories sharing the story's topics or section, never the
    story itself. Stories sharing both come first, then topic-only, then section-only;
    newest first within each. Only the newest candidates are weighed, so the cost stays
    flat however large the archive: the newest few sharing a topic and the newest few in
    the section (each an index walk down the publication date), then the cards.
    """
    from masthead.news.models import ArticleTopic

    if topic_ids is None:
        topic_ids = [tag.pk for tag in article.topics.all()]
    section_path = article.path[: -article.steplen]
    others = ArticlePage.objects.published().exclude(pk=article.pk).newest_first()
    fields = ("pk", "path", "first_published_at")
    rows = {}
    if topic_ids:
        tagged = ArticleTopic.objects.filter(tag_id__in=topic_ids).values("content_object_id")
        for row in others.filter(pk__in=tagged).values(*fields)[:RELATED_CANDIDATES]:
            rows[row["pk"]] = (row, True)
    for row in others.filter(path__startswith=section_path).values(*fields)[:RELATED_CANDIDATES]:
        rows.setdefault(row["pk"], (row, False))
    # The newest candidates of the two lists together are the newest candidates overall:
    # a story sharing a topic that is not among the newest sharing one is older than all
    # of those, so it would not be weighed either.
    newest = sorted(
        rows.values(), key=lambda r: (r[0]["first_published_at"], r[0]["pk"]), reverse=True
    )[:RELATED_CANDIDATES]

    def tier(candidate):
        row, shares_topic = candidate
        return (not shares_topic) * 2 + (not row["path"].startswith(section_path))

    # sorted() is stable, so newest-first order holds within each tier.
    chosen = [row["pk"] for row, _ in sorted(newest, key=tier)[:limit]]
    if not chosen:
        return []
    cards = ArticlePage.objects.filter(pk__in=chosen).for_listing(renditions=renditions).in_bulk()
    return [cards[pk] for pk in chosen if pk in cards]


def article_page_data(*, article):
    """Everything the article template shows beyond the page's own fields."""
    bylines = list(article.bylines.select_related("author"))
    topics = list(article.topics.all())
    related = related_articles(article=article, topic_ids=[t.pk for t in topics], renditions=False)
    prefetch_renditions(
        [article.lead_image, *_body_images(article), *(story.lead_image for story in related)]
    )
    return {
        "bylines": bylines,
        "authors": [b.author for b in bylines],
        "topics": topics,
        "corrections": list(article.corrections.all()),
        "related": related,
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
