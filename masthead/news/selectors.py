"""Reads behind the news pages, shaped so a page costs a fixed number of queries."""

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone
from modelcluster.queryset import FakeQuerySet
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from masthead.core.prepared import PreparedQuery, run_together
from masthead.news.models import (
    ArticleByline,
    ArticlePage,
    ArticleTopic,
    Author,
    Correction,
    SchedulerCheck,
    SectionPage,
)


def _body_images(article):
    return [block.value["image"] for block in article.body if block.block_type == "image"]


def _linked_stories(article):
    """The stories the body's related-story links point to, shown or not: in the page's
    context, the page cache tags the page with them, so publishing or withdrawing one
    renders the link anew."""
    blocks = (block for block in article.body if block.block_type == "related_story")
    return [block.value["page"] for block in blocks if block.value["page"] is not None]


_RENDITION = get_image_model().get_rendition_model()
_RENDITION_IMAGE = _RENDITION._meta.get_field("image")
# Queries by a few ids take them four at a time (a story's lead and body pictures, its
# new cards), so each is one prepared query (masthead.core.prepared) whatever the count.
_SLOT_NAMES = ("a", "b", "c", "d")
_SLOTS = dict.fromkeys(_SLOT_NAMES, int)


def _by_fours(ids):
    """Slot values for each group of four ids, the last group padded with its last id."""
    ids = list(ids)
    for n in range(0, len(ids), len(_SLOT_NAMES)):
        group = ids[n : n + len(_SLOT_NAMES)]
        group += group[-1:] * (len(_SLOT_NAMES) - len(group))
        yield dict(zip(_SLOT_NAMES, group, strict=True))


_RENDITIONS = PreparedQuery(
    lambda a, b, c, d: _RENDITION.objects.filter(image_id__in=(a, b, c, d)), **_SLOTS
)
# A card's picture is its story's lead image: its renditions are asked for by the
# stories' ids, in the same round trip as the stories.
_CARDS = PreparedQuery(
    lambda a, b, c, d: ArticlePage.objects.filter(pk__in=(a, b, c, d)).select_related(
        "lead_image", "comment_thread"
    ),
    **_SLOTS,
)
_CARD_BYLINES = PreparedQuery(
    lambda a, b, c, d: ArticleByline.objects.filter(article_id__in=(a, b, c, d)).select_related(
        "author"
    ),
    **_SLOTS,
)
_CARD_RENDITIONS = PreparedQuery(
    lambda a, b, c, d: _RENDITION.objects.filter(
        image_id__in=ArticlePage.objects.filter(pk__in=(a, b, c, d)).values("lead_image_id")
    ),
    **_SLOTS,
)


def _renditions_query(images):
    """A query for these pictures' renditions: prepared (for run_together) up to four
    pictures, as most stories have; else a queryset, one query however many there are."""
    ids = list(dict.fromkeys(image.pk for image in images if image is not None))
    if len(ids) > len(_SLOT_NAMES):
        return _RENDITION.objects.filter(image_id__in=ids)
    return [(_RENDITIONS, slots) for slots in _by_fours(ids)]


def _attach_renditions(images, rows):
    """Give each picture its renditions from `rows`, where Wagtail's get_rendition looks
    first (the picture tags and share image then find theirs without asking again)."""
    found = {}
    for rendition in {r.pk: r for r in rows}.values():  # groups of ids may share a picture
        found.setdefault(rendition.image_id, []).append(rendition)
    seen = set()
    for image in images:
        if image is None:
            continue
        # Each instance its own renditions: alt text comes from the instance the
        # rendition points at (a body picture may carry its own).
        renditions = found.get(image.pk, [])
        if image.pk in seen:
            renditions = [copy.copy(r) for r in renditions]
        seen.add(image.pk)
        for rendition in renditions:
            _RENDITION_IMAGE.set_cached_value(rendition, image)
        image.prefetched_renditions = renditions


def _rows(results):
    return [row for result in results for row in result]


RELATED_CANDIDATES = 50
# Rows kept per topic and per section: the candidates, plus the story itself (excluded
# when it asks) and a margin for stories whose publication time has not come yet.
_KEPT_PER_LIST = RELATED_CANDIDATES + 14
# Bounds on what one process keeps per generation (a few tens of MB at most).
_MAX_LISTS = 2000
_MAX_CARDS = 2000


def _remembered_table(name, limit):
    """A dict kept until the next purge (masthead.delivery.memo), filled as misses ask."""
    from masthead.delivery.memo import remember

    table = remember(name, dict)
    if len(table) >= limit:
        table.clear()
    return table


def _newest_live(key, section_path=None, topic_id=None):
    """(pk, path, first_published_at) of the newest live, public stories in a section or
    with a topic, newest first, remembered until the next purge. Stories scheduled for
    later are kept too: whether their time has come is decided when the list is read."""
    table = _remembered_table("news:related-lists", _MAX_LISTS)
    rows = table.get(key)
    if rows is None:
        stories = ArticlePage.objects.live().public().filter(first_published_at__isnull=False)
        if topic_id is not None:
            tagged = ArticleTopic.objects.filter(tag_id=topic_id).values("content_object_id")
            stories = stories.filter(pk__in=tagged)
        else:
            stories = stories.filter(path__startswith=section_path)
        fields = ("pk", "path", "first_published_at")
        rows = table[key] = tuple(stories.newest_first().values_list(*fields)[:_KEPT_PER_LIST])
    return rows


def _published_candidates(rows, *, exclude_pk, now, fallback):
    """The newest RELATED_CANDIDATES published rows of a remembered list, other than the
    story itself; `fallback()` asks the database when the list kept too few (many
    stories scheduled for later)."""
    found = [r for r in rows if r[2] <= now and r[0] != exclude_pk][:RELATED_CANDIDATES]
    if len(found) < RELATED_CANDIDATES and len(rows) == _KEPT_PER_LIST:
        return fallback()
    return found


def _cards(pks):
    """Story cards (ArticlePage with what a card shows: picture and its renditions,
    bylines, comment count) by pk, remembered until the next purge: the newest stories
    are listed under many stories. Those not remembered are read in one round trip.
    Shared between requests: read them, never change them."""
    table = _remembered_table("news:related-cards", _MAX_CARDS)
    # Read once into a local dict: another thread may clear the shared table meanwhile.
    cards = {pk: table.get(pk) for pk in pks}
    missing = [pk for pk, card in cards.items() if card is None]
    if missing:
        groups = list(_by_fours(missing))
        queries = (_CARDS, _CARD_BYLINES, _CARD_RENDITIONS)
        results = run_together(*((query, slots) for slots in groups for query in queries))
        stories, bylines, renditions = (_rows(results[n :: len(queries)]) for n in range(3))
        found = {story.pk: story for story in stories}
        by_story = {pk: [] for pk in found}
        for byline in bylines:
            by_story[byline.article_id].append(byline)
        for pk, story in found.items():  # each story's bylines came in their order
            story._prefetched_objects_cache = {"bylines": FakeQuerySet(ArticleByline, by_story[pk])}
        _attach_renditions([story.lead_image for story in found.values()], renditions)
        table.update(found)
        cards.update(found)
    return [cards[pk] for pk in pks if cards[pk] is not None]


def related_articles(*, article, topic_ids=None, limit=4):
    """ "More on this": published stories sharing the story's topics or section, never the
    story itself. Stories sharing both come first, then topic-only, then section-only;
    newest first within each. Only the newest candidates are weighed, so the cost stays
    flat however large the archive: the newest few with each topic and the newest few in
    the section (each an index walk down the publication date, remembered until the next
    purge, which every publish, unpublish and move makes), then the cards (remembered too).
    """
    from django.utils import timezone

    if topic_ids is None:
        topic_ids = [tag.pk for tag in article.topics.all()]
    section_path = article.path[: -article.steplen]
    now = timezone.now()

    def fallback(topic_id=None):
        def ask():
            others = ArticlePage.objects.published().exclude(pk=article.pk).newest_first()
            if topic_id is None:
                others = others.filter(path__startswith=section_path)
            else:
                tagged = ArticleTopic.objects.filter(tag_id=topic_id)
                others = others.filter(pk__in=tagged.values("content_object_id"))
            fields = ("pk", "path", "first_published_at")
            return list(others.values_list(*fields)[:RELATED_CANDIDATES])

        return ask

    rows = {}
    for topic_id in topic_ids:
        for row in _published_candidates(
            _newest_live(("topic", topic_id), topic_id=topic_id),
            exclude_pk=article.pk,
            now=now,
            fallback=fallback(topic_id),
        ):
            rows[row[0]] = (row, True)
    for row in _published_candidates(
        _newest_live(("section", section_path), section_path=section_path),
        exclude_pk=article.pk,
        now=now,
        fallback=fallback(),
    ):
        rows.setdefault(row[0], (row, False))
    # The newest candidates of all the lists together are the newest candidates overall:
    # a story sharing a topic that is not among the newest with that topic is older than
    # all of those, so it would not be weighed either.
    newest = sorted(rows.values(), key=lambda r: (r[0][2], r[0][0]), reverse=True)
    newest = newest[:RELATED_CANDIDATES]

    def tier(candidate):
        row, shares_topic = candidate
        return (not shares_topic) * 2 + (not row[1].startswith(section_path))

    # sorted() is stable, so newest-first order holds within each tier.
    chosen = [row[0] for row, _ in sorted(newest, key=tier)[:limit]]
    if not chosen:
        return []
    return _cards(chosen)


# A story's bylines, topics and corrections: the same three queries on every article
# miss, compiled once and sent together (masthead.core.prepared).
_BYLINES = PreparedQuery(
    lambda article_id: ArticleByline.objects.filter(article_id=article_id).select_related("author"),
    article_id=int,
)
_TOPICS = PreparedQuery(
    lambda article_id: Tag.objects.filter(
        news_articletopic_items__content_object_id=article_id
    ).order_by("news_articletopic_items__id"),
    article_id=int,
)
_CORRECTIONS = PreparedQuery(
    lambda article_id: Correction.objects.filter(article_id=article_id), article_id=int
)


def article_page_data(*, article):
    """Everything the article template shows beyond the page's own fields: the story's
    bylines, topics, corrections and its pictures' renditions in one round trip, then
    the related stories (which depend on the topics)."""
    images = [article.lead_image, *_body_images(article)]
    renditions = _renditions_query(images)
    prepared = isinstance(renditions, list)
    bylines, topics, corrections, *rows = run_together(
        (_BYLINES, {"article_id": article.pk}),
        (_TOPICS, {"article_id": article.pk}),
        (_CORRECTIONS, {"article_id": article.pk}),
        *(renditions if prepared else ()),
    )
    _attach_renditions(images, _rows(rows) if prepared else renditions)
    return {
        "bylines": bylines,
        "authors": [b.author for b in bylines],
        "topics": topics,
        "corrections": corrections,
        "related": related_articles(article=article, topic_ids=[t.pk for t in topics]),
        "linked_stories": _linked_stories(article),
    }


def front_page_layout(*, home, candidates=200):
    """Top story plus the latest per top-level section. The newest `candidates` stories
    are read as (pk, path) only, to choose from; only the cards shown are read in full
    (a few dozen of the 200, with their bylines and pictures, in one round of queries)."""
    sections = list(home.get_children().live().public().order_by("path").specific())
    recent = ArticlePage.objects.published().newest_first().values_list("pk", "path")
    recent = list(recent[:candidates])
    top_pk = home.top_story_id
    if top_pk is not None and not ArticlePage.objects.filter(pk=top_pk, live=True).exists():
        top_pk = None
    if top_pk is None and recent:
        top_pk = recent[0][0]
    by_section = {section.path: [] for section in sections}
    for pk, path in recent:
        if pk == top_pk:
            continue
        bucket = by_section.get(path[: sections[0].depth * 4] if sections else "")
        if bucket is not None and len(bucket) < home.stories_per_section:
            bucket.append(pk)
    shown = [pk for pks in by_section.values() for pk in pks]
    if top_pk is not None:
        shown.append(top_pk)
    cards = ArticlePage.objects.for_listing().in_bulk(shown)
    return {
        "top_story": cards.get(top_pk),
        "section_blocks": [
            (s, [cards[pk] for pk in by_section[s.path] if pk in cards])
            for s in sections
            if by_section[s.path]
        ],
    }


def author_articles(*, author):
    return ArticlePage.objects.published().by_author(author).newest_first().for_listing()


def topic_articles(*, slug):
    return ArticlePage.objects.published().with_topic(slug).newest_first().for_listing()


def authors_with_counts():
    return Author.objects.annotate(article_count=Count("bylines"))


def sections_listed():
    """Every live public section, in tree order (title, path, depth only), remembered in
    this process until the site's structure changes: publishing, moving or unpublishing a
    section purges everything. Shared between requests: read them, never change them."""
    from masthead.delivery.memo import remember

    return remember(
        "news:sections-listed",
        lambda: list(
            SectionPage.objects.live().public().order_by("path").only("title", "path", "depth")
        ),
        site=True,
    )


def authors_bylined():
    """Authors with a story readers can see, by name (name and slug only), remembered like
    sections_listed(): publishing, unpublishing, moving, a view restriction and editing an
    author all purge. An author whose stories are all dated later is listed from the first
    one's time on, without a purge in between (the kept list holds it, the reading decides)."""
    from masthead.delivery.memo import remember

    now = timezone.now()
    return [
        author for author, since in remember("news:authors-bylined", _authors_since) if since <= now
    ]


def _authors_since():
    """(author, when readers may first see a story of theirs) for every author of a live,
    public story: an index probe per author for a story out already, and one look at the
    few stories dated later."""
    now = timezone.now()
    stories = ArticlePage.objects.live().public()
    out = Exists(
        ArticleByline.objects.filter(
            author=OuterRef("pk"), article__in=stories.filter(first_published_at__lte=now)
        )
    )
    later = dict(
        ArticleByline.objects.filter(article__in=stories.filter(first_published_at__gt=now))
        .values("author")
        .annotate(since=Min("article__first_published_at"))
        .values_list("author", "since")
    )
    authors = (
        Author.objects.annotate(out=out)
        .filter(Q(out=True) | Q(pk__in=list(later)))
        .order_by("name")
        .only("name", "slug")
    )
    return [(a, now if a.out else later[a.pk]) for a in authors]


def next_go_live():
    """The earliest go-live time a revision of any page is approved for, or None. One
    indexed read, cheap enough for the worker to ask every second."""
    found = Revision.objects.filter(approved_go_live_at__isnull=False)
    return found.aggregate(at=Min("approved_go_live_at"))["at"]


def next_expiry():
    """The earliest expiry time of a live page, or None (a scan of the page table: the worker
    asks once a tick, not every second)."""
    found = Page.objects.filter(live=True, expire_at__isnull=False)
    return found.aggregate(at=Min("expire_at"))["at"]


# A worker looks at least every --schedule-interval seconds (10 by default); one that has
# not for this long is taken to be stopped.
SCHEDULER_SILENT_AFTER = timedelta(minutes=2)
# A scheduled page still waiting this long after its go-live time is overdue.
OVERDUE_AFTER = timedelta(minutes=1)


@dataclass
class ScheduledPublishing:
    """The pages waiting to go live (earliest first, each with `.scheduled_at` and
    `.overdue`), when a worker last looked for due ones (None: never), and whether pages
    wait while no worker has looked lately."""

    waiting: list
    last_check: datetime | None
    stopped: bool


def scheduled_publishing(*, limit=20, now=None):
    """What the admin shows of scheduled publishing: the first `limit` waiting pages."""
    now = now or timezone.now()
    revisions = (
        Revision.page_revisions.filter(approved_go_live_at__isnull=False)
        .order_by("approved_go_live_at")
        .only("approved_go_live_at", "object_id")[:limit]
    )
    pages = Page.objects.in_bulk([int(r.object_id) for r in revisions])
    waiting = []
    for revision in revisions:
        page = pages.get(int(revision.object_id))
        if page is not None:
            page.scheduled_at = revision.approved_go_live_at
            page.overdue = revision.approved_go_live_at < now - OVERDUE_AFTER
            waiting.append(page)
    check = SchedulerCheck.objects.filter(pk=1).first()
    last_check = check.at if check else None
    silent = last_check is None or last_check < now - SCHEDULER_SILENT_AFTER
    return ScheduledPublishing(waiting, last_check, stopped=bool(waiting) and silent)
