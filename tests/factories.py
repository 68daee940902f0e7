"""Small builders for test data. Tests build what they need in code, never from the demo."""

import io
import itertools
from datetime import timedelta

from django.core.files.images import ImageFile
from django.utils import timezone
from modelsearch.index import insert_or_update_object
from PIL import Image as PILImage
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from masthead.images.models import NewsImage
from masthead.news.models import ArticleByline, ArticlePage, Author, HomePage, SectionPage

_seq = itertools.count(1)


def image(**fields):
    n = next(_seq)
    buf = io.BytesIO()
    PILImage.new("RGB", (1600, 1000), (n * 37 % 255, 90, 120)).save(buf, "JPEG")
    defaults = {
        "title": f"Picture {n}",
        "caption": f"Caption for picture {n}.",
        "credit": f"Courier/Photographer {n}",
        "alt_text": f"Description of picture {n}.",
    }
    defaults.update(fields)
    return NewsImage.objects.create(file=ImageFile(buf, name=f"picture-{n}.jpg"), **defaults)


def author(**fields):
    n = next(_seq)
    defaults = {"name": f"Reporter {n}", "slug": f"reporter-{n}", "role": "Staff writer"}
    defaults.update(fields)
    return Author.objects.create(**defaults)


def wagtail_roots():
    """The page tree's root, default locale and root collection, which migrations create and
    the flush after a transactional (live-server) test removes; puts back what is missing
    and returns the root page."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    return Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))


def home():
    """The front page, made the default site's root (replacing Wagtail's welcome page)."""
    existing = HomePage.objects.first()
    if existing:
        return existing
    root = wagtail_roots()
    for placeholder in root.get_children().filter(content_type__model="page"):
        placeholder.delete()
    page = HomePage(title="Home", slug="home")
    root.add_child(instance=page)
    page.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": page, "site_name": "Courier"},
    )
    return page


def section(parent=None, **fields):
    n = next(_seq)
    defaults = {"title": f"Section {n}", "slug": f"section-{n}"}
    defaults.update(fields)
    page = SectionPage(**defaults)
    (parent or home()).add_child(instance=page)
    page.save_revision().publish()
    return page


def paragraphs(*texts):
    return [("paragraph", RichText(f"<p>{t}</p>")) for t in texts]


def article(
    parent=None,
    *,
    authors=None,
    topics=(),
    publish=True,
    published_at=None,
    go_live_at=None,
    **fields,
):
    """An article under `parent` (a new section if omitted), published unless told not to;
    with `go_live_at`, published as the editor does with a go-live time (one to come only
    schedules it)."""
    n = next(_seq)
    defaults = {
        "title": f"Headline number {n}",
        "slug": f"story-{n}",
        "dek": f"Standfirst of story {n}.",
        "body": paragraphs(f"First paragraph of story {n}."),
    }
    defaults.update(fields)
    page = ArticlePage(**defaults)
    page.live = publish and go_live_at is None  # a draft is not live until published
    for a in authors if authors is not None else [author()]:
        page.bylines.add(ArticleByline(author=a))
    (parent or section()).add_child(instance=page)
    if topics:
        page.topics.add(*topics)
        page.save()
    if go_live_at is not None:
        page.go_live_at = go_live_at
        page.save_revision().publish()
        page.refresh_from_db()
    elif publish:
        page.save_revision().publish()
        if published_at is not None:
            ArticlePage.objects.filter(pk=page.pk).update(
                first_published_at=published_at, last_published_at=published_at
            )
            page.refresh_from_db()
            # As if it had been published then: the search index records publication times.
            insert_or_update_object(page)
        page.refresh_from_db()
    else:
        page.save_revision()
    return page


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def member(**fields):
    from masthead.members.models import Member

    n = next(_seq)
    defaults = {"email": f"reader{n}@example.org", "confirmed_at": timezone.now()}
    defaults.update(fields)
    return Member.objects.create(**defaults)


def newsletter_list(**fields):
    from masthead.newsletter.models import NewsletterList

    n = next(_seq)
    defaults = {"slug": f"list-{n}", "name": f"Newsletter {n}", "description": f"Letter {n}."}
    defaults.update(fields)
    return NewsletterList.objects.create(**defaults)


def subscription(newsletter=None, reader=None, *, status="active", **fields):
    """A subscription (active unless told otherwise) of a new member to a new list."""
    from masthead.newsletter.models import Subscription

    return Subscription.objects.create(
        member=reader or member(),
        newsletter=newsletter or newsletter_list(),
        status=status,
        confirmed_at=timezone.now() if status == "active" else None,
        **fields,
    )
