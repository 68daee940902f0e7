"""Querysets turned into SQL once, then run many times with other values.

Turning a queryset into SQL (resolving lookups and joins, choosing columns, quoting names)
costs Django more than PostgreSQL takes to answer a lookup by key: on an article miss it
was most of the time spent on each query. A `PreparedQuery` builds its queryset once per
thread and database with stand-in values, keeps the compiled SQL and Django's compiler
(which also knows how to turn rows into model instances, select_related included), and
runs it with the real values in their places.

Only exact comparisons to ints or strings may use the values (`field=value`): those reach
the database as given, so the stand-in can be swapped for the value in the parameters.
Anything else in the queryset (ordering, joins, limits, constants) is fixed when it is
compiled. Building checks that every stand-in came out as a parameter of its own.

On PostgreSQL the SQL also runs as a server-side prepared statement, so the database
plans it once per connection as well: Django binds values into the SQL text on the
client and turns psycopg's prepared statements off, and planning the story's route
(four tables joined) took PostgreSQL longer than running it. Sites behind a connection
pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21)
set `MASTHEAD_PREPARED_STATEMENTS=false`.
"""

import contextlib
import functools
import itertools
import threading
import uuid

from django.conf import settings
from django.db import connections

_serial = itertools.count(1)


class PreparedQuery:
    """`build(**values)` returns the queryset; `values` names each value's type (int, str).

    `run(**values)` returns the list of results (model instances, or rows for
    values_list querysets)."""

    def __init__(self, build, **types):
        self.build = build
        self.types = types
        self._local = threading.local()

    def _stand_ins(self):
        serial = next(_serial)
        token = uuid.uuid4().hex
        stand_ins = {}
        for n, (name, kind) in enumerate(self.types.items()):
            if kind is int:
                # Within every integer column's range, positive (a value a field could not
                # hold makes Django compile "matches nothing"), unlike any real constant.
                stand_ins[name] = 2_000_000_000 - (serial % 100_000) * 100 - n
            elif kind is str:
                stand_ins[name] = f"prepared-{token}-{name}"
            else:
                raise TypeError(f"{name}: only int and str values can be prepared")
        return stand_ins

    def _compile(self):
        stand_ins = self._stand_ins()
        queryset = self.build(**stand_ins)
        connection = connections[queryset.db]
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots = []
        for param in params:
            slot = next((name for name, value in stand_ins.items() if param == value), None)
            if (
                slot is None
                and isinstance(param, str)
                and any(isinstance(v, str) and v in param for v in stand_ins.values())
            ):
                raise ValueError(f"{param!r}: a prepared value may only be compared exactly")
            slots.append(slot)
        missing = set(stand_ins) - set(slots)
        if missing:
            raise ValueError(f"prepared values not found in the SQL: {sorted(missing)}")
        # Django's iterables ask the query for a compiler and the compiler for its SQL:
        # this thread's copies answer with the compiled ones. The compiler also works out
        # each column's converters on every run (a story's route has sixty columns); its
        # columns are fixed now, so once is enough.
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        compiler.get_converters = _once_per_columns(compiler.get_converters)
        return connection, queryset, compiler, sql, tuple(params), tuple(slots)

    def run(self, **values):
        connection, queryset, _, _ = self._bind(values)
        with _server_prepared(connection):
            return list(queryset._iterable_class(queryset))

    def _bind(self, values):
        """This thread's compiled query, its compiler answering with `values` bound:
        (connection, queryset, sql, bound values)."""
        compiled = getattr(self._local, "compiled", None)
        if compiled is None or compiled[0] is not connections[compiled[1].db]:
            compiled = self._local.compiled = self._compile()
        connection, queryset, compiler, sql, params, slots = compiled
        bound = tuple(
            param if slot is None else self.types[slot](values[slot])
            for param, slot in zip(params, slots, strict=True)
        )
        compiler.as_sql = lambda *args, **kwargs: (sql, bound)
        return connection, queryset, sql, bound


def _once_per_columns(get_converters):
    """`get_converters`, remembering its answer for each list of column expressions (the
    compiler's own, which live as long as it does; the memo holds them too, so their ids
    cannot be reused)."""
    known = {}

    def converters(expressions):
        key = tuple(map(id, expressions))
        if key not in known:
            known[key] = (expressions, get_converters(expressions))
        return known[key][1]

    return converters


def run_together(*runs):
    """The results of several `(prepared query, values)` at once: on PostgreSQL in one
    round trip (psycopg's pipeline mode sends every statement before reading any answer),
    elsewhere one after another. Each result is what `run` returns."""
    bound = [query._bind(values) for query, values in runs]
    connection = bound[0][0]
    if (
        connection.vendor != "postgresql"
        or not settings.MASTHEAD_PREPARED_STATEMENTS
        or any(b[0] is not connection for b in bound)
    ):
        return [query.run(**values) for query, values in runs]
    with _server_prepared(connection):
        connection.ensure_connection()
        cursors = [connection.cursor() for _ in bound]
        try:
            with connection.connection.pipeline():
                for cursor, (_, _, sql, params) in zip(cursors, bound, strict=True):
                    cursor.execute(sql, params)
                rows = [cursor.fetchall() for cursor in cursors]
        finally:
            for cursor in cursors:
                cursor.close()
    results = []
    for (_, queryset, _, _), fetched in zip(bound, rows, strict=True):
        # Django's iterable turns the rows into instances as if it had fetched them.
        compiler = queryset.query.get_compiler()
        compiler.execute_sql = lambda *args, _rows=fetched, **kwargs: [_rows]
        try:
            results.append(list(queryset._iterable_class(queryset)))
        finally:
            del compiler.execute_sql
    return results


@functools.cache
def _preparing_cursor():
    """A function making Django's own kind of cursor, but binding values on the server."""
    from django.db.backends.postgresql import base

    class PreparingCursor(base.ServerBindingCursor):
        """Values sent apart from the SQL, which PostgreSQL keeps planned (per connection)."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    def make(wrapper):
        # As Django's create_cursor: the connection's adapters, and its time zone.
        cursor = PreparingCursor(wrapper.connection)
        loader = wrapper.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, base.Format.TEXT)
        if wrapper.timezone != loader.timezone:
            base.register_tzloader(wrapper.timezone, cursor)
        return cursor

    return make


@contextlib.contextmanager
def _server_prepared(connection):
    """Within this block, the connection's new cursors run statements prepared on the
    server (PostgreSQL only, unless MASTHEAD_PREPARED_STATEMENTS is off)."""
    if connection.vendor != "postgresql" or not settings.MASTHEAD_PREPARED_STATEMENTS:
        yield
        return
    make, default = _preparing_cursor(), connection.create_cursor
    # Django keeps one wrapper per thread and database, so this swap is this thread's own.
    connection.create_cursor = lambda name=None: default(name) if name else make(connection)
    try:
        yield
    finally:
        del connection.create_cursor
