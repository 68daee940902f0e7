"""Turn an edition into email: rendered once per edition, personalised per recipient.

The HTML and text bodies are rendered from templates once, with placeholders where each
reader's own links go; building a recipient's message is then string replacement, which
keeps sending limited by the mail server rather than by template rendering.
"""

import html
from dataclasses import dataclass
from email.utils import formataddr, make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from masthead.newsletter import conf, tokens
from masthead.newsletter.selectors import edition_articles

UNSUBSCRIBE = "{{masthead:unsubscribe}}"
PREFERENCES = "{{masthead:preferences}}"


def single_line(value, *, limit=200):
    """Header-safe text: control characters (CR/LF that would start a header) become spaces."""
    cleaned = "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in str(value))
    return " ".join(cleaned.split())[:limit]


def absolute(url):
    if url and url.startswith("/"):
        return settings.MASTHEAD_BASE_URL + url
    return url or ""


@dataclass(frozen=True)
class StoryView:
    title: str
    dek: str
    url: str
    image_url: str
    image_alt: str
    kicker: str


def _story(article):
    image_url = image_alt = ""
    if article.lead_image_id:
        rendition = article.lead_image.get_rendition("fill-1200x675|jpegquality-75")
        image_url = absolute(rendition.url)
        image_alt = article.lead_image.alt_text or article.title
    return StoryView(
        title=article.title,
        dek=article.dek or "",
        url=absolute(article.get_url()),
        image_url=image_url,
        image_alt=image_alt,
        kicker=article.kicker_label() if callable(getattr(article, "kicker_label", None)) else "",
    )


@dataclass(frozen=True)
class RenderedEdition:
    edition_id: int
    subject: str
    html: str
    text: str
    list_id: str


def edition_render(*, edition, articles=None):
    """The edition's subject and bodies, with per-recipient link placeholders."""
    stories = [
        _story(a) for a in (articles if articles is not None else edition_articles(edition=edition))
    ]
    context = {
        "edition": edition,
        "subject": single_line(edition.subject),
        "intro_paragraphs": [p.strip() for p in edition.intro.split("\n\n") if p.strip()],
        "stories": stories,
        "publication": settings.MASTHEAD_PUBLICATION_NAME,
        "site_url": settings.MASTHEAD_BASE_URL,
        "list_name": edition.newsletter.name,
        "unsubscribe_url": UNSUBSCRIBE,
        "preferences_url": PREFERENCES,
    }
    domain = conf.message_id_domain()
    return RenderedEdition(
        edition_id=edition.pk,
        subject=single_line(edition.subject),
        html=render_to_string("newsletter/email/edition.html", context),
        text=render_to_string("newsletter/email/edition.txt", context),
        list_id=f"{single_line(edition.newsletter.name)} <{edition.newsletter.slug}.{domain}>",
    )


def _sender():
    name, address = parseaddr(conf.from_email())
    return formataddr((single_line(name, limit=80), address))


def recipient_address(*, email, name=""):
    return formataddr((single_line(name, limit=80), email)) if name else email


def message_build(*, rendered, email, subscription=None, name=""):
    """One reader's message: their own unsubscribe/preferences links and RFC 8058 headers.

    Without a subscription (a test send to an editor) the links point at the site's
    newsletter page and no List-Unsubscribe header is set.
    """
    if subscription is not None:
        unsubscribe = tokens.unsubscribe_url(subscription)
        preferences = tokens.preferences_url(subscription.member)
        one_click = tokens.one_click_unsubscribe_url(subscription)
    else:
        unsubscribe = preferences = absolute("/newsletter/")
        one_click = None
    html_body = rendered.html.replace(UNSUBSCRIBE, html.escape(unsubscribe)).replace(
        PREFERENCES, html.escape(preferences)
    )
    text_body = rendered.text.replace(UNSUBSCRIBE, unsubscribe).replace(PREFERENCES, preferences)
    headers = {
        "Message-ID": make_msgid(domain=conf.message_id_domain()),
        "List-Id": rendered.list_id,
    }
    if one_click:
        mailto = f"mailto:{conf.unsubscribe_mailto()}?subject=unsubscribe"
        headers["List-Unsubscribe"] = f"<{one_click}>, <{mailto}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=text_body,
        from_email=_sender(),
        to=[recipient_address(email=email, name=name)],
        reply_to=[conf.reply_to()],
        headers=headers,
    )
    message.attach_alternative(html_body, "text/html")
    return message
