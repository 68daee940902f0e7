"""Builds the demo site from content.py. Idempotent: an existing site is left as it is."""

import io
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from masthead.demo import content
from masthead.images.models import NewsImage
from masthead.news.models import ArticleByline, ArticlePage, Author, HomePage, SectionPage


def demo_picture(title, colour, size=(1600, 1000)):
    """An original generated picture: a colour field with simple shapes, as JPEG bytes."""
    width, height = size
    img = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(img)
    r, g, b = colour
    for i in range(12):
        shade = (min(255, r + i * 12), min(255, g + i * 9), min(255, b + i * 6))
        top = height - (i + 1) * height // 14
        draw.rectangle([i * width // 30, top, width - i * width // 30, height], fill=shade)
    draw.ellipse(
        [width * 0.65, height * 0.1, width * 0.85, height * 0.1 + width * 0.2], fill=(250, 236, 200)
    )
    draw.text((40, 40), title, fill=(255, 255, 255), font_size=48)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def _make_images():
    images = {}
    for key, title, caption, credit, alt, file_photo, colour in content.IMAGES:
        data = demo_picture(title, colour)
        images[key] = NewsImage.objects.create(
            title=title,
            file=ImageFile(io.BytesIO(data), name=f"{key}.jpg"),
            caption=caption,
            credit=credit,
            alt_text=alt,
            is_file_photo=file_photo,
        )
    return images


def _paragraphs(texts):
    return [("paragraph", RichText(f"<p>{escape(t)}</p>")) for t in texts]


def _body(spec):
    body = []
    for kind, *rest in spec:
        if kind == "p":
            body.extend(_paragraphs(rest))
        elif kind == "h2":
            body.append(("subheading", {"text": rest[0], "anchor": ""}))
        elif kind == "quote":
            text, speaker, role = rest
            body.append(("quote", {"text": text, "speaker": speaker, "role": role, "pull": False}))
    return body


def _publish(page, *, hours_ago):
    page.save_revision().publish()
    when = timezone.now() - timedelta(hours=hours_ago)
    ArticlePage.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)


def _add_article(section, authors, *, topics, hours_ago, **fields):
    article = ArticlePage(**fields)
    for author in authors:
        article.bylines.add(ArticleByline(author=author))
    section.add_child(instance=article)
    article.topics.add(*topics)
    _publish(article, hours_ago=hours_ago)
    return article


def demo_site_exists():
    return HomePage.objects.exists()


@transaction.atomic
def load_demo_site():
    """Create the front page, sections, authors, images and stories."""
    root = Page.get_first_root_node()
    site = Site.objects.filter(is_default_site=True).first()
    # Wagtail's install leaves a placeholder welcome page; the front page replaces it.
    for placeholder in root.get_children().filter(content_type__model="page"):
        if not placeholder.get_children().exists():
            placeholder.delete()
    home = HomePage(title="Home", slug="home")
    root.add_child(instance=home)
    home.save_revision().publish()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = "The Northgate Courier"
    site.save()

    sections = {}
    for slug, title, intro, parent in content.SECTIONS:
        page = SectionPage(title=title, slug=slug, intro=intro)
        (sections[parent] if parent else home).add_child(instance=page)
        page.save_revision().publish()
        sections[slug] = page

    authors = {
        slug: Author.objects.create(slug=slug, name=name, role=role, bio=bio)
        for slug, name, role, bio in content.AUTHORS
    }
    images = _make_images()

    for section, slug, kicker, title, dek, image, bylines, topics, hours, paras in content.STORIES:
        _add_article(
            sections[section],
            [authors[a] for a in bylines],
            topics=topics,
            hours_ago=hours,
            slug=slug,
            kicker=kicker,
            title=title,
            dek=dek,
            lead_image=images.get(image),
            body=_paragraphs(paras),
        )

    f = content.FEATURED
    return _add_article(
        sections[f["section"]],
        [authors[a] for a in f["authors"]],
        topics=f["topics"],
        hours_ago=f["hours_ago"],
        slug=f["slug"],
        kicker=f["kicker"],
        title=f["title"],
        seo_title=f["seo_title"],
        social_title=f["social_title"],
        dek=f["dek"],
        lead_image=images[f["lead_image"]],
        dateline=f["dateline"],
        source_attribution=f["source_attribution"],
        body=_body(f["body"]),
    )


def ensure_admin(username="admin"):
    """Create the demo admin once; return its new password, or None if it already existed."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        return None
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser(username=username, email="admin@localhost", password=password)
    return password
