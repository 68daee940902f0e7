"""Turn an edition into email: rendered once per edition, personalised per recipient.

The HTML and text bodies are rendered from templates once, with placeholders where each
reader's own links go; building a recipient's message is then string replacement, which
keeps sending limited by the mail server rather than by template rendering.
"""

import html
import secrets
from dataclasses import dataclass
from email.policy import compat32
from email.utils import formataddr, formatdate, make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import forbid_multi_line_headers
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


def _reader_links(subscription):
    """(unsubscribe, preferences, one-click) URLs of one reader; site links for test sends."""
    if subscription is None:
        site = absolute("/newsletter/")
        return site, site, None
    return (
        tokens.unsubscribe_url(subscription),
        tokens.preferences_url(subscription.member),
        tokens.one_click_unsubscribe_url(subscription),
    )


def _assemble(*, rendered, to, html_links, text_links, one_click, headers=None):
    html_body, text_body = rendered.html, rendered.text
    for placeholder, value in zip((UNSUBSCRIBE, PREFERENCES), html_links, strict=True):
        html_body = html_body.replace(placeholder, value)
    for placeholder, value in zip((UNSUBSCRIBE, PREFERENCES), text_links, strict=True):
        text_body = text_body.replace(placeholder, value)
    headers = {"List-Id": rendered.list_id, **(headers or {})}
    if one_click:
        mailto = f"mailto:{conf.unsubscribe_mailto()}?subject=unsubscribe"
        headers["List-Unsubscribe"] = f"<{one_click}>, <{mailto}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=text_body,
        from_email=_sender(),
        to=[to],
        reply_to=[conf.reply_to()],
        headers=headers,
    )
    message.attach_alternative(html_body, "text/html")
    return message


def message_build(*, rendered, email, subscription=None, name=""):
    """One reader's message: their own unsubscribe/preferences links and RFC 8058 headers.

    Without a subscription (a test send to an editor) the links point at the site's
    newsletter page and no List-Unsubscribe header is set.
    """
    unsubscribe, preferences, one_click = _reader_links(subscription)
    return _assemble(
        rendered=rendered,
        to=recipient_address(email=email, name=name),
        html_links=(html.escape(unsubscribe), html.escape(preferences)),
        text_links=(unsubscribe, preferences),
        one_click=one_click,
        headers={"Message-ID": make_msgid(domain=conf.message_id_domain())},
    )


@dataclass(frozen=True)
class MessageTemplate:
    """A subscriber's message of one edition as wire bytes, with a token wherever one
    reader's copy differs (address, date, Message-ID, links). Python's MIME generator
    runs once per edition; each reader's copy is then a few byte replacements, so the
    mail server, not message building, limits the send rate."""

    data: bytes
    tokens: dict
    from_email: str

    def for_reader(self, *, email, subscription, name=""):
        """(message bytes, Message-ID) for one subscriber, as message_build would make it."""
        unsubscribe, preferences, one_click = _reader_links(subscription)
        message_id = make_msgid(domain=conf.message_id_domain())
        values = {
            # The whole header line, encoded and folded as a full build would.
            "to": _WIRE_POLICY.fold_binary(
                "To",
                forbid_multi_line_headers("To", recipient_address(email=email, name=name), "utf-8")[
                    1
                ],
            ).decode(),
            "date": formatdate(localtime=settings.EMAIL_USE_LOCALTIME),
            "message_id": message_id,
            "one_click": one_click,
            "unsubscribe_html": html.escape(unsubscribe),
            "preferences_html": html.escape(preferences),
            "unsubscribe_text": unsubscribe,
            "preferences_text": preferences,
        }
        data = self.data
        for name_, token in self.tokens.items():
            data = data.replace(token, values[name_].encode())
        return data, message_id


def message_template(*, rendered):
    """The edition's MessageTemplate, or None when the bodies cannot go as plain 8-bit
    text (a line too long for it makes them quoted-printable, which a reader's link would
    have to be encoded for): the sender then builds each message in full."""
    nonce = secrets.token_hex(8)
    tokens = {name: f"mh{nonce}{name.replace('_', '')}x" for name in _TEMPLATE_FIELDS}
    message = _assemble(
        rendered=rendered,
        to=f"{tokens['to']}@recipient.invalid",
        html_links=(tokens["unsubscribe_html"], tokens["preferences_html"]),
        text_links=(tokens["unsubscribe_text"], tokens["preferences_text"]),
        one_click=f"https://{tokens['one_click']}.invalid/",
        headers={"Message-ID": tokens["message_id"], "Date": tokens["date"]},
    )
    data = message.message().as_bytes(linesep="\r\n")
    if b"Content-Transfer-Encoding: quoted-printable" in data:
        return None  # a reader's link would need encoding too, and could split
    # Whole values stand in for the address and the one-click URL, not only their tokens.
    wholes = {
        **tokens,
        "to": f"To: {tokens['to']}@recipient.invalid\r\n",
        "one_click": f"https://{tokens['one_click']}.invalid/",
    }
    expected = {
        "unsubscribe_html": rendered.html.count(UNSUBSCRIBE),
        "preferences_html": rendered.html.count(PREFERENCES),
        "unsubscribe_text": rendered.text.count(UNSUBSCRIBE),
        "preferences_text": rendered.text.count(PREFERENCES),
    }
    for name, whole in wholes.items():
        if data.count(whole.encode()) != expected.get(name, 1):
            return None
    return MessageTemplate(
        data=data, tokens={k: v.encode() for k, v in wholes.items()}, from_email=_sender()
    )


_WIRE_POLICY = compat32.clone(linesep="\r\n")
_TEMPLATE_FIELDS = (
    "to",
    "date",
    "message_id",
    "one_click",
    "unsubscribe_html",
    "preferences_html",
    "unsubscribe_text",
    "preferences_text",
)
