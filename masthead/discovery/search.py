"""The reader's search: turning what was typed into a safe query, running it against
Wagtail's search backend over published stories only, and marking matches for display.

Typed text is never handed to the backend as syntax. It is reduced to words and quoted
phrases of word characters, so quotes, brackets, SQL or regex metacharacters and FTS
operators cannot change the query's meaning or break it.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.search.query import And, Phrase, PlainText

from masthead.discovery.search_backend import match_cap, narrow_window
from masthead.news.models import ArticleByline, articles_published

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_TERM_CHARS = 40
_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE = re.compile(r'"([^"]*)"')


@dataclass
class ParsedQuery:
    words: list = field(default_factory=list)
    phrases: list = field(default_factory=list)
    truncated: bool = False

    def __bool__(self):
        return bool(self.words or self.phrases)

    def terms(self):
        return self.words + [w for p in self.phrases for w in p.split()]

    def as_search_query(self):
        parts = [Phrase(p) for p in self.phrases]
        if self.words:
            parts.insert(0, PlainText(" ".join(self.words), operator="and"))
        return parts[0] if len(parts) == 1 else And(parts)


def _words(text):
    return [w.lower()[:MAX_TERM_CHARS] for w in _WORD.findall(text) if w.strip("_")]


def parse_query(raw):
    """Words and "quoted phrases" from what the reader typed; an unmatched quote is ignored."""
    raw = raw or ""
    truncated = len(raw) > MAX_QUERY_CHARS
    raw = raw[:MAX_QUERY_CHARS]
    phrases, words = [], []
    for match in _PHRASE.finditer(raw):
        inside = _words(match.group(1))
        if len(inside) > 1:
            phrases.append(" ".join(inside))
        else:
            words.extend(inside)
    # Whatever is outside balanced quotes (including an unmatched quote) is plain words.
    words.extend(_words(_PHRASE.sub(" ", raw)))
    seen, unique = set(), []
    for word in words:
        if word not in seen:
            seen.add(word)
            unique.append(word)
    budget = MAX_TERMS
    phrases = phrases[:budget]
    budget -= sum(len(p.split()) for p in phrases)
    return ParsedQuery(words=unique[: max(budget, 0)], phrases=phrases, truncated=truncated)


def search_articles(
    *, query, section=None, author=None, date_from=None, date_to=None, kicker="", newest=False
):
    """Published stories matching `query` (a ParsedQuery) and the filters.

    Without a query the filtered stories come newest first; with one, by relevance (the
    backend weighs the headline above the standfirst above the body) or newest first.
    Relevance ranks the newest `RANKED_MATCHES` matches (see search_backend); paginate
    with SearchPaginator to show "more than" past that cap.
    """
    articles = pages = articles_published()
    # The same filters on SearchRecency's columns, for the PostgreSQL window (narrow_window).
    in_row = {}
    if section is not None:
        articles = articles.in_section(section)
        # Stories only (the semi-join below), so the section itself never counts.
        in_row["path__startswith"] = section.path
    if author is not None:
        # The backend filters only on indexed fields; the byline join becomes a pk subquery.
        bylined = ArticleByline.objects.filter(author=author).values("article_id")
        articles = articles.filter(pk__in=bylined)
        pages = pages.filter(pk__in=bylined)
    if date_from is not None:
        articles = articles.filter(first_published_at__gte=_day_start(date_from))
        in_row["published_at__gte"] = _day_start(date_from)
    if date_to is not None:
        articles = articles.filter(first_published_at__lt=_day_start(date_to + timedelta(days=1)))
        in_row["published_at__lt"] = _day_start(date_to + timedelta(days=1))
    if kicker:
        articles = articles.filter(kicker=kicker)
        in_row["kicker"] = kicker
    # A result shows headline, standfirst, label, bylines and date: no picture, no comments.
    articles = articles.prefetch_related("bylines__author")
    if not query:
        return articles.newest_first()
    if newest:
        # "id", not "pk": the backend orders only by indexed filter fields.
        ordered = articles.order_by("-first_published_at", "-id")
        results = ordered.search(query.as_search_query(), order_by_relevance=False)
    else:
        results = articles.search(query.as_search_query())
    return narrow_window(results, pages=pages, **in_row)


class SearchPaginator(Paginator):
    """Pages of results. A search that matches more stories than the backend ranks (its
    `RANKED_MATCHES` cap) counts up to the cap and says there are more: `capped`."""

    @cached_property
    def _total(self):
        return self.object_list.count()

    @cached_property
    def cap(self):
        return match_cap(self.object_list)

    @cached_property
    def count(self):
        return self._total if self.cap is None else min(self._total, self.cap)

    @property
    def capped(self):
        return self.cap is not None and self._total > self.cap


def _day_start(day):
    """Midnight at the start of `day` in the site's time zone (the backend filters on
    indexed columns only, so no __date lookup)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def highlight(text, terms):
    """`text` escaped, with words starting like a search term wrapped in <mark>."""
    escaped = escape(text or "")
    stems = sorted({t[: max(4, len(t) - 3)] if len(t) > 4 else t for t in terms}, key=len)
    if not stems:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(escape(s)) for s in reversed(stems)) + r")(\w*)",
        re.IGNORECASE | re.UNICODE,
    )
    return mark_safe(pattern.sub(r"<mark>\1\2</mark>", escaped))  # noqa: S308 - escaped above
