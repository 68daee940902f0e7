"""Wagtail's database search backend, with the headline weighted on SQLite too.

On PostgreSQL the stock backend already weighs fields by their boosts (headline, then
standfirst, then body). SQLite's FTS5 ranking treats every column alike, so a story that
repeats a word in its body outranks one with the word in its headline; here FTS5's bm25()
gets column weights instead. Everything else is Wagtail's backend unchanged.

Used as WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "masthead.discovery.search_backend".
"""

from django.db import connection
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.query import Not, Phrase, PlainText

# Column order of the FTS5 table is (autocomplete, body, title).
SQLITE_COLUMN_WEIGHTS = (0.0, 1.0, 10.0)


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = database_backend(params)
    if connection.vendor == "sqlite" and type(backend).__name__ == "SQLiteSearchBackend":
        backend.query_compiler_class = _weighted_sqlite_compiler()
    return backend


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
