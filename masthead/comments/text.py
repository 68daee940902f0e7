"""Reader text in, safe HTML out.

Comments are plain text: paragraphs are kept, web addresses become links marked
rel="nofollow ugc noopener", and everything else is escaped. The text is normalised first so
that what is stored, checked against the blocklist and shown is the same string.
"""

import hashlib
import re
import unicodedata

import nh3
from django.utils.html import escape
from django.utils.html import urlize as django_urlize

# Explicit direction controls let a writer reorder how neighbouring text is displayed
# (including a moderator's view and other readers' names), so they never survive.
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Other invisible format characters that only serve to disguise words from the blocklist;
# the zero-width joiner (emoji sequences) and non-joiner (Persian, Indic scripts) are kept.
STRIPPED_FORMAT = BIDI_CONTROLS | set("\u200b\u2060\ufeff\u00ad")
LINK_REL = "nofollow ugc noopener"
URL_DISPLAY_LIMIT = 60


def _keep(ch):
    if ch == "\n":
        return True
    if ch in STRIPPED_FORMAT:
        return False
    return unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn")


def normalise(text, *, multiline=True):
    """NFC, no control or direction-override characters, tidy whitespace."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n").replace("\t", " ")
    text = "".join(ch for ch in text if _keep(ch))
    if not multiline:
        return " ".join(text.split())
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def paragraphs(text):
    return [p for p in text.split("\n\n") if p.strip()]


def render(text):
    """Escaped HTML for normalised text: <p> per paragraph, <br> per line, linked URLs."""
    parts = []
    for para in paragraphs(text):
        linked = django_urlize(para, trim_url_limit=URL_DISPLAY_LIMIT, autoescape=True)
        parts.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    # urlize escapes everything it does not link; nh3 is the second line of defence and
    # sets the rel attribute, drops any scheme other than http(s) and anything unexpected.
    return nh3.clean(
        "".join(parts),
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel=LINK_REL,
    )


def link_count(html):
    return html.count("<a ")


DOMAIN_RE = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://)?((?:[\w-]+\.)+[a-z\u00a1-\uffff]{2,})", re.IGNORECASE
)


def domains(text):
    """Every host name that appears in the text, lower-cased, with or without a scheme."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return {m.group(1).strip(".") for m in DOMAIN_RE.finditer(folded)}


def folded(text):
    """The form used for blocklist matching: compatibility-normalised and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def fingerprint(text):
    """Duplicate detection ignores case and spacing."""
    squashed = " ".join(folded(text).split())
    return hashlib.sha256(squashed.encode()).hexdigest()


def plain_escape(text):
    return escape(text)
