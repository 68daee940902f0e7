"""Wagtail's database search backend, made to answer in bounded time on a large archive.

Changes to Wagtail's (modelsearch's) database backend, for models with a publication date
(`first_published_at`; other models get Wagtail's behaviour):

* **Relevance is computed over the newest matches only** (PostgreSQL and SQLite). The
  stock backend scores every matching story before it takes the first page, so a common
  word on a 100,000-story archive scores tens of thousands of rows per request. Here a
  search takes the newest `RANKED_MATCHES` (default 1,000) matching stories, after the
  caller's filters, and ranks only those, headline above standfirst above body. A
  newsroom choice: among stories that match, recent ones matter more; a search for an old
  story narrows by date, section, author or label, which moves the window.
* **Counting stops one past the cap**, so the page can say "more than 1,000" without
  counting 90,000 rows. Sorting by newest shows the same first 1,000 as before.
* **PostgreSQL: one narrow query does it.** `SearchRecency` keeps each live page's
  weighted tsvector beside its publication time (this backend's index writes it whenever
  Wagtail indexes a page). The newest matches are a walk down its date index that stops
  after `cap + 1` matching rows (or a GIN read for rare words), the filters a semi-join
  to the page table, and the same query returns each row's ts_rank with Wagtail's field
  weights; the count and the ranked page both come from it, and only the page's 20 stories
  are then loaded in full.
* **SQLite:** FTS5's bm25() ranking treats every column alike, so a story repeating a word
  in its body would outrank one with the word in its headline; here it gets column
  weights. The newest-matches window is Wagtail's FTS5 query ordered by date.

Used as WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "masthead.discovery.search_backend";
the cap is WAGTAILSEARCH_BACKENDS["default"]["RANKED_MATCHES"] (0 or None: rank every match).
"""

import copy
from contextlib import contextmanager
from functools import cache

from django.contrib.postgres.search import SearchRank
from django.db import connection, connections, transaction
from django.db.models import F, Value
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.conf import get_app_config
from modelsearch.query import MatchAll, Not, Phrase, PlainText
from modelsearch.utils import get_content_type_pk
from wagtail.models import Page

from masthead.discovery.models import SearchRecency

DEFAULT_RANKED_MATCHES = 1000
NEWEST_FIELD = "first_published_at"
RECENCY = SearchRecency._meta.db_table
# The page field SearchRecency keeps as its label (news.ArticlePage's kicker).
LABEL_FIELD = "kicker"

# Column order of the FTS5 table is (autocomplete, body, title).
SQLITE_COLUMN_WEIGHTS = (0.0, 1.0, 10.0)


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = database_backend(params)
    if connection.vendor == "sqlite" and type(backend).__name__ == "SQLiteSearchBackend":
        backend.query_compiler_class = _weighted_sqlite_compiler()
    ranked = params.get("RANKED_MATCHES", DEFAULT_RANKED_MATCHES)
    backend.ranked_matches = int(ranked) if ranked else None
    backend.results_class = _newest_matches_results(backend.results_class)
    if connection.vendor == "postgresql":
        backend.index_class = _recency_keeping_index(backend.index_class)
    return backend


def narrow_window(results, *, pages, **lookups):
    """PostgreSQL: let the newest-matches window test `lookups` on SearchRecency's own
    columns (`path__startswith`, `kicker`, `published_at__gte`, ...) and semi-join only
    `pages`, which with those lookups must select what the results' queryset selects.

    A filter in the semi-join makes PostgreSQL either read every page it selects (a
    quarter of the archive for a section) or misjudge how far the date walk must go; the
    same filter in the row costs nothing per row. The page shown is still loaded through
    the full queryset. Other databases and searches ignore this.
    """
    compiler = getattr(results, "query_compiler", None)
    if compiler is not None:
        compiler.window_narrowing = (pages, lookups)
    return results


def recency_paths_follow(*, under):
    """PostgreSQL: SearchRecency rows of pages under `under` take their pages' current tree
    paths. Moving a page re-paths its whole subtree, and reordering re-paths later
    siblings, without re-indexing them; only the moved page itself is re-indexed."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {RECENCY} r SET path = p.path
            FROM {Page._meta.db_table} p
            WHERE p.id = r.page_id AND p.path LIKE %s AND r.path <> p.path
            """,  # noqa: S608 - the table names are ours; values are parameters
            [under.path + "%"],
        )


def match_cap(results):
    """The most matches `results` ranks and counts, or None when it has no such cap."""
    return results.match_cap() if hasattr(results, "match_cap") else None


@cache
def _newest_matches_results(base):
    class NewestMatchesSearchResults(base):
        """Search results that rank and count only the newest matches (see module doc)."""

        def match_cap(self):
            compiler = self.query_compiler
            cap = getattr(self.backend, "ranked_matches", None)
            if not cap or compiler is None or isinstance(compiler.query, MatchAll):
                return None
            model = compiler.queryset.model
            if NEWEST_FIELD not in {f.name for f in model._meta.get_fields()}:
                return None
            return cap

        def _run(self, compiler, start, stop):
            """The backend's own query, built by `compiler` for the slice start:stop."""
            saved = self.query_compiler, self.start, self.stop
            self.query_compiler, self.start, self.stop = compiler, start, stop
            try:
                return super().get_queryset()
            finally:
                self.query_compiler, self.start, self.stop = saved

        def _matches(self):
            """Every match, unordered and unscored."""
            compiler = copy.copy(self.query_compiler)
            compiler.order_by_relevance = False
            return self._run(compiler, None, None).order_by()

        def _recency_query(self):
            """The tsquery to match against SearchRecency, or None where that table is not
            used (SQLite, a model that is not a page, a search over named fields)."""
            if connection.vendor != "postgresql":
                return None
            compiler = self.query_compiler
            if not issubclass(compiler.queryset.model, Page) or compiler.fields:
                return None
            return compiler.build_tsquery(compiler.query, config=compiler.get_config(self.backend))

        def _window(self, tsquery):
            """PostgreSQL: matching SearchRecency rows, newest first, after the queryset's
            filters. One row per published page, its words beside its date, so taking the
            first N is a walk down the date index that stops at N (or, for rare words, a
            read of the GIN index). Filters the caller moved into the row (narrow_window)
            are checked there; the rest is a semi-join to the page table."""
            pages, lookups = getattr(
                self.query_compiler, "window_narrowing", (self.query_compiler.queryset, {})
            )
            pages = pages.order_by().values("pk")
            return SearchRecency.objects.filter(
                terms=tsquery, page_id__in=pages, **lookups
            ).order_by("-published_at", "-page_id")

        def _newest(self, limit):
            """Primary keys of the newest `limit` matches, after the queryset's filters."""
            tsquery = self._recency_query()
            if tsquery is None:
                return self._matches().order_by(f"-{NEWEST_FIELD}", "-pk").values("pk")[:limit]
            return self._window(tsquery).values("page_id")[:limit]

        def _window_rows(self):
            """PostgreSQL: [(page id, rank)] for the newest `cap + 1` matches, newest first
            (rank 0 when sorting by date), or None where that path is not used. One query
            serves both the count and the page: it is kept on the query compiler, which the
            paginator's slices of these results share."""
            compiler = self.query_compiler
            if getattr(compiler, "newest_window", None) is not None:
                return compiler.newest_window
            cap = self.match_cap()
            tsquery = self._recency_query() if cap else None
            if tsquery is None or self._score_field is not None:
                return None
            window = self._window(tsquery)
            if compiler.order_by_relevance:
                # Headline (weight B) above standfirst (C) above body (D), as Wagtail weighs
                # them, on the vector the window has already read.
                rank = SearchRank(F("terms"), tsquery, weights=compiler.sql_weights)
                window = window.annotate(rank=rank).values_list("page_id", "rank")
            else:
                window = window.annotate(rank=Value(0.0)).values_list("page_id", "rank")
            # Starting parallel workers costs more than this bounded walk.
            plan = {"max_parallel_workers_per_gather": "0"}
            if _several_terms(compiler.query) and self._common(tsquery, cap):
                # PostgreSQL takes words to be unrelated, so it guesses phrases and words
                # that go together ("night service", "football club") rare and would read
                # every match (from the GIN index or the whole table) and sort them; when
                # they are common, the walk down the date index, stopping at cap + 1
                # matches, is far cheaper.
                plan.update(enable_bitmapscan="off", enable_seqscan="off", enable_sort="off")
            with _planner_settings(window.db, plan):
                compiler.newest_window = list(window[: cap + 1])
            return compiler.newest_window

        def _common(self, tsquery, limit):
            """Whether more than `limit` pages match, with the filters kept in the row (a
            phrase common in the archive may be rare in one section and label): a GIN read
            stopping at limit + 1."""
            _, lookups = getattr(self.query_compiler, "window_narrowing", (None, {}))
            matches = SearchRecency.objects.filter(terms=tsquery, **lookups).values("pk")
            return matches[: limit + 1].count() > limit

        def _do_search(self):
            rows = self._window_rows()
            if rows is None:
                return super()._do_search()
            rows = rows[: self.match_cap()]
            if self.query_compiler.order_by_relevance:
                rows = sorted(rows, key=lambda row: (-row[1], -row[0]))
            ids = [page_id for page_id, _ in rows[self.start : self.stop]]
            # The full rows (with the caller's select/prefetch_related) for just this slice;
            # the caller's filters apply again, so a story unpublished a moment ago drops out.
            stories = {s.pk: s for s in self.query_compiler.queryset.filter(pk__in=ids)}
            return [stories[pk] for pk in ids if pk in stories]

        def get_queryset(self):
            cap = self.match_cap()
            if cap is None:
                return super().get_queryset()
            if not self.query_compiler.order_by_relevance and self._recency_query() is None:
                # Newest first: the first `cap` results are the same without the window.
                return super().get_queryset()
            compiler = copy.copy(self.query_compiler)
            compiler.queryset = compiler.queryset.filter(pk__in=self._newest(cap))
            return self._run(compiler, self.start, self.stop)

        def _do_count(self):
            cap = self.match_cap()
            if cap is None:
                return super()._do_count()
            # One past the cap tells "exactly the cap" from "more than the cap".
            rows = self._window_rows()
            if rows is not None:
                total = len(rows)
            else:
                total = self._matches().values("pk")[: cap + 1].count()
            return max(0, min(total, self.stop or total) - self.start)

    return NewestMatchesSearchResults


@contextmanager
def _planner_settings(alias, settings):
    """PostgreSQL planner settings for the queries inside, undone after them even when the
    caller's transaction goes on."""
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        for name, value in settings.items():
            cursor.execute(f"SET LOCAL {name} = {value}")
        try:
            yield
        finally:
            for name in settings:
                cursor.execute(f"SET LOCAL {name} TO DEFAULT")


def _several_terms(query):
    """Whether `query` is a phrase or more than one word."""
    if isinstance(query, Phrase):
        return True
    if isinstance(query, PlainText):
        return len(query.query_string.split()) > 1
    subqueries = getattr(query, "subqueries", ())
    return len(subqueries) > 1 or any(_several_terms(sub) for sub in subqueries)


@cache
def _recency_keeping_index(base):
    class RecencyKeepingIndex(base):
        """Wagtail's PostgreSQL index, also keeping SearchRecency: a published page's row
        is rewritten from its fresh index entry; any other page's row is removed."""

        def add_items(self, model, objs):
            super().add_items(model, objs)
            if not issubclass(model, Page) or not objs:
                return
            # The label as indexed, like the words (pages without one: blank).
            labels = {obj.pk: getattr(obj, LABEL_FIELD, "") or "" for obj in objs}
            ids, kickers = list(labels), list(labels.values())
            entries = get_app_config().get_model("IndexEntry")._meta.db_table
            alias = self.write_connection.alias
            SearchRecency.objects.using(alias).filter(page_id__in=ids)._raw_delete(alias)
            with self.write_connection.cursor() as cursor:
                cursor.execute(
                    f"""
                    INSERT INTO {RECENCY} (page_id, published_at, terms, path, kicker)
                    SELECT p.id, p.first_published_at, e.title || e.body, p.path, k.kicker
                    FROM unnest(%s::integer[], %s::varchar[]) AS k(id, kicker)
                    JOIN {Page._meta.db_table} p ON p.id = k.id
                    JOIN {entries} e ON e.content_type_id = %s
                        AND e.object_id = p.id::varchar(50)
                    WHERE p.live AND p.first_published_at IS NOT NULL
                    """,  # noqa: S608 - the table names are ours; values are parameters
                    [ids, kickers, get_content_type_pk(model)],
                )

        def reset(self):
            super().reset()
            alias = self.write_connection.alias
            SearchRecency.objects.using(alias).all()._raw_delete(alias)

        def delete_item(self, item):
            super().delete_item(item)
            if isinstance(item, Page):
                alias = self.write_connection.alias
                SearchRecency.objects.using(alias).filter(page_id=item.pk)._raw_delete(alias)

    return RecencyKeepingIndex


@cache
def _weighted_sqlite_compiler():
    from modelsearch.backends.database.sqlite.query import BM25
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchQueryCompiler

    class WeightedBM25(BM25):
        def as_sql(self, compiler, connection, function=None, template=None):
            sql, params = super().as_sql(compiler, connection)
            weights = ", ".join(str(w) for w in SQLITE_COLUMN_WEIGHTS)
            return sql[:-1] + f", {weights})", params

    class WeightedSQLiteSearchQueryCompiler(SQLiteSearchQueryCompiler):
        def build_tsrank(self, vector, query, config=None, boost=1.0):
            if isinstance(query, (Phrase, PlainText, Not)):
                rank = WeightedBM25()
                return rank * boost if boost != 1.0 else rank
            return super().build_tsrank(vector, query, config=config, boost=boost)

    return WeightedSQLiteSearchQueryCompiler
