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

from masthead.comments.services import comment_post, comments_moderate
from masthead.demo import content
from masthead.images.models import NewsImage
from masthead.members.services import member_get_or_create
from masthead.news.models import (
    ArticleByline,
    ArticlePage,
    Author,
    Correction,
    HomePage,
    SectionPage,
)


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


def demo_portrait(colour, size=(400, 400)):
    """An original generated head-and-shoulders silhouette for an author, as JPEG bytes."""
    width, height = size
    img = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(img)
    skin = (235, 215, 190)
    draw.ellipse([width * 0.32, height * 0.16, width * 0.68, height * 0.56], fill=skin)
    draw.ellipse([width * 0.12, height * 0.62, width * 0.88, height * 1.3], fill=(40, 40, 48))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def _make_images():
    images = {}
    for key, title, caption, credit, alt, file_photo, colour in content.IMAGES:
        images[key] = NewsImage.objects.create(
            title=title,
            file=ImageFile(io.BytesIO(demo_picture(title, colour)), name=f"{key}.jpg"),
            caption=caption,
            credit=credit,
            alt_text=alt,
            is_file_photo=file_photo,
        )
    return images


def _make_authors():
    authors = {}
    for i, (slug, name, role, bio) in enumerate(content.AUTHORS):
        colour = (60 + i * 35, 90 + i * 20, 140 - i * 15)
        photo = NewsImage.objects.create(
            title=f"Portrait of {name}",
            file=ImageFile(io.BytesIO(demo_portrait(colour)), name=f"author-{slug}.jpg"),
            credit="Courier",
            alt_text=f"Portrait of {name}.",
        )
        authors[slug] = Author.objects.create(slug=slug, name=name, role=role, bio=bio, photo=photo)
    return authors


def _paragraph(text):
    return ("paragraph", RichText(f"<p>{escape(text)}</p>"))


def _body(spec, *, images, pages):
    body = []
    for kind, *rest in spec:
        if kind == "p":
            body.append(_paragraph(rest[0]))
        elif kind == "h2":
            body.append(("subheading", {"text": rest[0], "anchor": ""}))
        elif kind == "quote":
            text, speaker, role = rest
            body.append(("quote", {"text": text, "speaker": speaker, "role": role, "pull": False}))
        elif kind == "image":
            key, caption = rest
            body.append(("image", {"image": images[key], "caption": caption}))
        elif kind == "facts":
            title, lines = rest
            items = "".join(f"<li>{escape(line)}</li>" for line in lines)
            body.append(("fact_box", {"title": title, "body": RichText(f"<ul>{items}</ul>")}))
        elif kind == "related":
            slug, label = rest
            body.append(("related_story", {"page": pages[slug], "label": label}))
        else:
            raise ValueError(f"Unknown demo body item {kind!r}")
    return body


def _add_article(
    section, authors, *, topics, hours_ago, hours_ahead=None, corrections=(), **fields
):
    """A story published `hours_ago`, or scheduled to go live `hours_ahead` from now (as an
    editor schedules one)."""
    article = ArticlePage(live=hours_ahead is None, **fields)
    for position, author in enumerate(authors):
        # Byline order is editorial: without sort_order PostgreSQL returns any order.
        article.bylines.add(ArticleByline(author=author, sort_order=position))
    now = timezone.now()
    for corrected_hours_ago, text in corrections:
        article.corrections.add(
            Correction(published_at=now - timedelta(hours=corrected_hours_ago), text=text)
        )
    section.add_child(instance=article)
    article.topics.add(*topics)
    if hours_ahead is not None:
        article.go_live_at = now + timedelta(hours=hours_ahead)
        article.save_revision().publish()  # with a future go-live time this schedules it
        return article
    article.save_revision().publish()
    # Spread the stories over the past days so listings read like a real outlet's.
    first = now - timedelta(hours=hours_ago)
    last = max([first, *(c.published_at for c in article.corrections.all())])
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=first, last_published_at=last
    )
    return article


def demo_site_exists():
    return HomePage.objects.exists()


@transaction.atomic
def load_demo_site():
    """Create the front page, sections, authors, images and stories; return the featured one."""
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
    site.site_name = content.PUBLICATION_NAME
    site.save()

    sections = {}
    for slug, title, intro, parent in content.SECTIONS:
        page = SectionPage(title=title, slug=slug, intro=intro)
        (sections[parent] if parent else home).add_child(instance=page)
        page.save_revision().publish()
        sections[slug] = page

    authors = _make_authors()
    images = _make_images()
    pages = {}
    for story in [*content.STORIES, *content.SCHEDULED]:
        pages[story["slug"]] = _add_article(
            sections[story["section"]],
            [authors[a] for a in story["authors"]],
            topics=story["topics"],
            hours_ago=story.get("hours_ago", 0),
            hours_ahead=story.get("goes_live_in_hours"),
            corrections=story.get("corrections", ()),
            slug=story["slug"],
            kicker=story["kicker"],
            title=story["title"],
            dek=story["dek"],
            lead_image=images.get(story["image"]),
            body=_body(story["body"], images=images, pages=pages),
        )

    f = content.FEATURED
    featured = _add_article(
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
        source_url=f["source_url"],
        comments_enabled=True,
        newsletter_promo=True,
        body=_body(f["body"], images=images, pages=pages),
    )
    home.top_story = featured
    home.save_revision().publish()
    _add_comments(featured)
    return featured


def _add_comments(article):
    """Post the demo discussion through the same rules readers go through."""
    posted = {}
    for spec in content.COMMENTS:
        member = member_get_or_create(email=spec["email"], display_name=spec["name"])
        parent = posted.get(spec.get("reply_to"))
        comment = comment_post(
            article=article,
            member=member,
            body=spec["body"],
            display_name=spec["name"],
            parent_id=parent.pk if parent else None,
        )
        posted[spec["key"]] = comment
        if not spec.get("pending"):
            comments_moderate(comment_ids=[comment.pk], action="approve", user=None)
        if spec.get("pick"):
            comments_moderate(comment_ids=[comment.pk], action="pick", user=None)


def ensure_admin(username="admin"):
    """Create the demo admin once; return its new password, or None if it already existed."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        return None
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser(username=username, email="admin@localhost", password=password)
    return password
