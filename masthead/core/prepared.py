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
"""

import itertools
import threading
import uuid

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
        # this thread's copies answer with the compiled ones.
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return connection, queryset, compiler, sql, tuple(params), tuple(slots)

    def run(self, **values):
        compiled = getattr(self._local, "compiled", None)
        if compiled is None or compiled[0] is not connections[compiled[1].db]:
            compiled = self._local.compiled = self._compile()
        _, queryset, compiler, sql, params, slots = compiled
        bound = tuple(
            param if slot is None else self.types[slot](values[slot])
            for param, slot in zip(params, slots, strict=True)
        )
        compiler.as_sql = lambda *args, **kwargs: (sql, bound)
        return list(queryset._iterable_class(queryset))
