"""Bulk seeding of published articles for benchmarks and load tests.

Creating pages one by one through Wagtail's API costs several queries and a revision each;
at 100,000 stories that takes hours. Here pages are inserted in batches with their
treebeard paths and url_paths computed up front, so the tree stays consistent (numchild,
paths, url_path, live, first_published_at) while costing a handful of queries per batch.
Seeded pages carry no revisions: Wagtail treats a page without revisions as its own latest
version, so editing one in the admin works and creates the first revision.
"""

import io
import random
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.queryset import FakeQuerySet
from modelsearch.index import BaseField
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.models import Locale, Page, Site
from wagtail.search.backends import get_search_backends

from masthead.images.models import NewsImage
from masthead.news.models import (
    ArticleByline,
    ArticlePage,
    ArticleTopic,
    Author,
    HomePage,
    Kicker,
    SectionPage,
)

# Our own vocabulary for generated copy: a small invented town and its civic life.
PLACES = ["Northgate", "the harbour", "Eastfield", "the old quarter", "Millbrook", "the ring road"]
SUBJECTS = [
    "council",
    "ferry operators",
    "school board",
    "hospital trust",
    "library volunteers",
    "bus company",
    "port authority",
    "market traders",
    "water utility",
    "football club",
]
VERBS = [
    "weighs",
    "approves",
    "delays",
    "questions",
    "expands",
    "reviews",
    "rejects",
    "funds",
    "pauses",
    "announces",
]
OBJECTS = [
    "budget plan",
    "timetable change",
    "housing scheme",
    "flood defences",
    "night service",
    "parking rules",
    "repair programme",
    "recycling trial",
    "cycle lanes",
    "rent review",
]
FILLER_TEXT = (
    "residents packed the hall on Tuesday evening as officials set out the figures "
    "behind the proposal and answered questions about costs timing and who would pay "
    "several speakers asked for a delay while others urged a quick decision before winter "
    "the final vote is expected next month after a period of consultation"
)
FILLER = FILLER_TEXT.split()
TOPICS = [
    "Transport",
    "Housing",
    "Budget",
    "Schools",
    "Health",
    "Environment",
    "Elections",
    "Sport",
    "Culture",
    "Business",
    "Weather",
    "Courts",
]
SECTION_NAMES = ["News", "Politics", "Business", "Sport", "Culture", "Opinion", "Science", "Local"]
KICKERS = ["", "", "", "", Kicker.ANALYSIS, Kicker.EXCLUSIVE, Kicker.BREAKING, Kicker.OPINION]
IMAGE_POOL = 8
AUTHOR_POOL = 40
# What reader pages and the newsletter show of a lead image (article, cards, share image,
# structured data, email).
RENDITION_SPECS = (
    *(f"format-{fmt}|width-{w}" for fmt in ("webp", "jpeg") for w in (400, 800, 1200)),
    "fill-1200x630|format-jpeg",
    "fill-1200x675|jpegquality-75",
)
FIRST_NAMES = ["Ana", "Tom", "Priya", "Joel", "Maren"]
SURNAMES = ["Holt", "Reyes", "Okafor", "Lind"]
SPEAKER_ROLES = ["council leader", "ward councillor", "union spokesperson", "head teacher"]
SOURCES = ["", "", "Based on reporting by the Courier's Eastfield bureau."]


@dataclass
class SeedReport:
    created: int
    sections: int
    seconds: float


def _picture(n):
    buf = io.BytesIO()
    PILImage.new("RGB", (1200, 800), (40 + n * 23 % 200, 80, 140 - n * 11 % 120)).save(
        buf, "JPEG", quality=70
    )
    return ImageFile(buf, name=f"seed-picture-{n}.jpg")


def _image_pool():
    """The few picture files every seeded image shares, with the renditions pages show
    made once for each (real files)."""
    pool = list(NewsImage.objects.filter(title__startswith="Seed picture ").order_by("pk"))
    for n in range(len(pool), IMAGE_POOL):
        pool.append(
            NewsImage.objects.create(
                title=f"Seed picture {n + 1}",
                file=_picture(n),
                caption=f"A view over Northgate, picture {n + 1}.",
                credit="Courier/Seed Desk",
                alt_text=f"Rooftops of Northgate in generated colours, picture {n + 1}.",
            )
        )
    for image in pool:
        image.get_renditions(*RENDITION_SPECS)
    return [(image, list(image.renditions.all())) for image in pool]


def _lead_images(count, pool, rng):
    """One library image per story, as in a newsroom: each its own row and renditions
    (so no page's pictures are remembered from another's), on the pool's files."""
    images = []
    for n in range(count):
        source, _ = pool[n % len(pool)]
        place = rng.choice(PLACES)
        images.append(
            NewsImage(
                title=f"Seed photo {uuid.uuid4().hex[:12]}",
                file=source.file.name,
                width=source.width,
                height=source.height,
                file_size=source.file_size,
                file_hash=source.file_hash,
                caption=f"Residents near {place} as the plans were set out.",
                credit="Courier/Seed Desk",
                alt_text=f"People gathered at {place}, seen from across the street.",
            )
        )
    NewsImage.objects.bulk_create(images)
    Rendition = NewsImage.get_rendition_model()
    Rendition.objects.bulk_create(
        Rendition(
            image=image,
            filter_spec=r.filter_spec,
            focal_point_key=r.focal_point_key,
            file=r.file.name,
            width=r.width,
            height=r.height,
        )
        for n, image in enumerate(images)
        for r in pool[n % len(pool)][1]
    )
    return images


def _author_pool():
    existing = list(Author.objects.filter(slug__startswith="seed-reporter-").order_by("pk"))
    missing = [
        Author(name=f"Seed Reporter {n + 1}", slug=f"seed-reporter-{n + 1}", role="Staff writer")
        for n in range(len(existing), AUTHOR_POOL)
    ]
    Author.objects.bulk_create(missing)
    return list(Author.objects.filter(slug__startswith="seed-reporter-").order_by("pk"))


def _topic_pool():
    tags = []
    for name in TOPICS:
        tag, _ = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        tags.append(tag)
    return tags


def _home():
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    # Wagtail's install leaves a placeholder welcome page; the front page replaces it.
    for placeholder in root.get_children().filter(content_type__model="page"):
        if not placeholder.get_children().exists():
            placeholder.delete()
    home = HomePage(title="Home", slug="home")
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.save()
    return home


def _sections(count):
    home = _home()
    sections = list(SectionPage.objects.child_of(home).live().order_by("path"))
    for n in range(len(sections), count):
        name = SECTION_NAMES[n] if n < len(SECTION_NAMES) else f"Desk {n + 1}"
        page = SectionPage(title=name, slug=slugify(name))
        home.add_child(instance=page)
        page.save_revision().publish()
        sections.append(page)
    return sections[:count]


def _headline(rng):
    return (
        f"{rng.choice(PLACES).capitalize()} {rng.choice(SUBJECTS)} "
        f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    )


def _paragraph(rng, words=45):
    text = " ".join(rng.choice(FILLER) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _body(rng):
    """Shaped like the reference story (docs/performance.md): about 900 words in three
    parts under subheadings, two attributed quotes."""

    def block(kind, value):
        return {"type": kind, "value": value, "id": str(uuid.uuid4())}

    def paragraphs(n):
        return [
            block("paragraph", f"<p>{_paragraph(rng, rng.randint(50, 64))}</p>") for _ in range(n)
        ]

    def quote():
        speaker = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        text = _paragraph(rng, 24)
        return block(
            "quote",
            {"text": text, "speaker": speaker, "role": rng.choice(SPEAKER_ROLES), "pull": False},
        )

    def subheading():
        text = f"{rng.choice(SUBJECTS).capitalize()} and the {rng.choice(OBJECTS)}"
        return block("subheading", {"text": text, "anchor": ""})

    return [
        *paragraphs(3),
        subheading(),
        *paragraphs(3),
        quote(),
        subheading(),
        *paragraphs(3),
        quote(),
        subheading(),
        *paragraphs(3),
    ]


class _SectionSlots:
    """Hands out the next free treebeard path under a section."""

    def __init__(self, section):
        self.section = section
        last = (
            Page.objects.filter(path__startswith=section.path, depth=section.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        self.next_step = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
        self.added = 0

    def take(self):
        path = Page._get_path(self.section.path, self.section.depth + 1, self.next_step)
        self.next_step += 1
        self.added += 1
        return path


def _refresh_planner_statistics():
    """Bulk inserts leave PostgreSQL's row estimates at the empty tables' until autovacuum
    comes round; queries planned on those (a hash join over every page for "More on this")
    run a hundred times slower meanwhile."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def seed_articles(*, count, sections=4, days=730, batch_size=2000, seed=None, index=True):
    """Create `count` published articles spread over `sections` and the last `days` days."""
    started = timezone.now()
    rng = random.Random(seed)
    section_pages = _sections(sections)
    slots = [_SectionSlots(s) for s in section_pages]
    pool = _image_pool()
    authors = _author_pool()
    topics = _topic_pool()
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    run = uuid.uuid4().hex[:6]
    now = timezone.now()
    span = timedelta(days=days).total_seconds()
    created = 0
    while created < count:
        size = min(batch_size, count - created)
        with transaction.atomic():
            pages, articles, extras = [], [], []
            for i in range(size):
                n = created + i
                slot = slots[n % len(slots)]
                title = _headline(rng)
                slug = f"{slugify(title)[:60]}-{run}-{n + 1}"
                # The newest stories land in the last hours so the news sitemap is never empty.
                published = now - timedelta(seconds=span * (n / max(count, 1)) + 60)
                page = Page(
                    path=slot.take(),
                    depth=slot.section.depth + 1,
                    numchild=0,
                    translation_key=uuid.uuid4(),
                    locale=locale,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=published,
                    last_published_at=published,
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=content_type,
                    url_path=f"{slot.section.url_path}{slug}/",
                    latest_revision_created_at=published,
                )
                pages.append(page)
                extras.append(
                    (
                        rng.sample(authors, rng.choice([1, 1, 1, 2])),
                        rng.sample(topics, rng.randint(1, 3)),
                    )
                )
            Page.objects.bulk_create(pages)
            images = _lead_images(len(pages), pool, rng)
            for page, image in zip(pages, images, strict=True):
                article = ArticlePage(
                    page_ptr_id=page.pk,
                    kicker=rng.choice(KICKERS),
                    dek=_paragraph(rng, 22),
                    lead_image=image,
                    body=_body(rng),
                    source_attribution=rng.choice(SOURCES),
                )
                # Copy the base row's values so the in-memory object is complete for indexing.
                for field in Page._meta.concrete_fields:
                    setattr(article, field.attname, getattr(page, field.attname))
                articles.append(article)
            ArticlePage.objects._insert(
                articles,
                fields=ArticlePage._meta.local_concrete_fields,
                using="default",
            )
            ArticleByline.objects.bulk_create(
                ArticleByline(article_id=a.pk, author=author, sort_order=k)
                for a, (bylines, _) in zip(articles, extras, strict=True)
                for k, author in enumerate(bylines)
            )
            ArticleTopic.objects.bulk_create(
                ArticleTopic(content_object_id=a.pk, tag=tag)
                for a, (_, tags) in zip(articles, extras, strict=True)
                for tag in tags
            )
            if index:
                _index(articles, extras)
        created += size
    for slot in slots:
        Page.objects.filter(pk=slot.section.pk).update(numchild=slot.section.numchild + slot.added)
    _refresh_planner_statistics()
    return SeedReport(
        created=created,
        sections=len(section_pages),
        seconds=(timezone.now() - started).total_seconds(),
    )


@contextmanager
def _field_values_computed_once():
    """The database indexers read every field five times per object (title, body,
    autocomplete and two plain-text copies); at 100,000 stories rendering each StreamField
    body five times dominates seeding, so values are memoised for the duration of a batch."""
    original = BaseField.get_value
    memo = {}

    def get_value(field, obj):
        key = (id(field), id(obj))
        if key not in memo:
            memo[key] = original(field, obj)
        return memo[key]

    BaseField.get_value = get_value
    try:
        yield
    finally:
        BaseField.get_value = original


def _index(articles, extras):
    """Add the batch to every search backend, with topics from memory rather than queries."""
    for article, (_, tags) in zip(articles, extras, strict=True):
        article._prefetched_objects_cache = {"topics": FakeQuerySet(Tag, list(tags))}
    with _field_values_computed_once():
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(ArticlePage, articles)
