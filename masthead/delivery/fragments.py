"""Rendered parts of pages kept in the database across page-cache misses.

A page-cache entry goes whenever anything on its page changes, and with it the work of
rendering parts that did not change: a story's own part (headline, byline, picture,
body, corrections, topics, its metadata and JSON-LD) is the same until the story, one of
its authors, topics or pictures, or a page it links to changes, and each of those purges
a tag. Such a part is kept here, in the database, so it outlives what empties the page
cache (a purge of something else on the page, eviction, expiry, Redis restarting):

    parts = kept_fragment("story:12", version)            # None: render it
    keep_fragment("story:12", version, parts, tags=tags)   # after rendering, on a miss

`version` names everything the markup was rendered from that no purge announces (the
story's revision, its place in the tree, the site's settings); this module adds the
release's code and templates to it. A purge of any of `tags`, from any process, deletes
the fragment in the purging transaction and again once it commits
(`drop_tagged`, called by the delivery purge). As page-cache entries, fragments are kept
only from renders for every reader (a miss in the page cache, never a signed-in view or
a preview), only when no purge came in between render and keeping, and only while the
shared store answers; and none is used once older than MASTHEAD_KEPT_PART_TIMEOUT.
A thread of each process writes them once the reader has the page.
"""

import contextlib
import functools
import hashlib
import json
import logging
import weakref
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from masthead.delivery.background import ProcessQueue
from masthead.delivery.cache import page_cache
from masthead.delivery.memo import current_generation, rendering_for_every_reader

logger = logging.getLogger(__name__)

# Settings that reach a page's markup; any other change leaves fragments as they are.
_MARKUP_SETTINGS = (
    "MASTHEAD_PUBLICATION_NAME",
    "MASTHEAD_LANGUAGE",
    "MASTHEAD_BASE_URL",
    "TIME_ZONE",
    "LANGUAGE_CODE",
    "STATIC_URL",
    "MEDIA_URL",
    "WAGTAIL_I18N_ENABLED",
)


@functools.cache
def _release_digest():
    """Every source and template file of Masthead, and the static files' manifest (their
    hashed names): a release that changes any of them renders every fragment anew."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".html", ".xml", ".txt", ".json") and path.is_file():
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT or ".") / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


def _full_version(version):
    shown = repr([getattr(settings, name, None) for name in _MARKUP_SETTINGS])
    return hashlib.blake2b(
        f"{version}\n{shown}\n{_release_digest()}".encode(), digest_size=16
    ).hexdigest()


def fragments_usable():
    """Whether this render may use and keep fragments: a page-cache miss, for every reader,
    with the shared store answering."""
    return rendering_for_every_reader() and current_generation() is not None


def _oldest_usable():
    return timezone.now() - timedelta(seconds=settings.MASTHEAD_KEPT_PART_TIMEOUT)


@functools.cache
def _lookup():
    from masthead.core.prepared import PreparedQuery
    from masthead.delivery.models import KeptFragment

    return PreparedQuery(
        lambda name, version: KeptFragment.objects.filter(name=name, version=version).values_list(
            "parts", "rendered_at"
        ),
        name=str,
        version=str,
    )


# What with_kept_fragment adds to each row: the fragment's version, parts and render time.
_LOADED = ("kept_fragment_version", "kept_fragment_parts", "kept_fragment_rendered_at")


def with_kept_fragment(queryset, prefix):
    """`queryset` with the fragment named `prefix` + each row's pk read in the same query
    (a subquery by primary key), for kept_fragment(..., loaded_with=row): a story's miss
    then finds its route and its kept part in one round trip."""
    from django.db.models import CharField, OuterRef, Subquery, Value
    from django.db.models.functions import Cast, Concat

    from masthead.delivery.models import KeptFragment

    name = Concat(Value(prefix), Cast(OuterRef("pk"), output_field=CharField()))
    kept = KeptFragment.objects.filter(name=name)
    return queryset.annotate(
        **{
            attr: Subquery(kept.values(field)[:1])
            for attr, field in zip(_LOADED, ("version", "parts", "rendered_at"), strict=True)
        }
    )


def kept_fragment(name, version, *, loaded_with=None):
    """The parts kept under `name` for `version`, or None (then render and keep them).
    `loaded_with`: a row of a with_kept_fragment queryset, which holds them already."""
    if not fragments_usable():
        return None
    version = _full_version(version)
    if loaded_with is not None and hasattr(loaded_with, _LOADED[0]):
        kept_version, parts, rendered_at = (getattr(loaded_with, attr) for attr in _LOADED)
        found = [(parts, rendered_at)] if kept_version == version else []
    else:
        found = _lookup().run(name=name, version=version)
    if not found or found[0][1] < _oldest_usable():
        return None
    return json.loads(found[0][0])


def keep_fragment(name, version, parts, *, tags):
    """Keep `parts` (a dict of strings and lists, as JSON holds them) under `name`, unless
    this render may not keep fragments or a purge came while it rendered.

    Written by this process's keeper thread once the reader has the page, or at once
    inside a transaction (what the render read may not be committed yet). False if not
    kept, or not handed to the keeper (too many waiting)."""
    if not fragments_usable():
        return False
    job = (
        name,
        _full_version(version),
        json.dumps(parts),
        sorted(set(tags)),
        timezone.now(),
        current_generation(),
    )
    if connection.in_atomic_block:
        return _keep(*job)
    return _keeper.submit(*job)


def flush():
    """Wait until every fragment handed to this process's keeper is written (tests)."""
    _keeper.flush()


def _keep(name, version, parts, tags, rendered_at, generation, *, own_connection=False):
    """Write one fragment and its tags; `own_connection`: the keeper thread's, which no
    reader's write shares, so its commits need not wait for the disk (a part lost in a
    crash of the database server is only rendered again)."""
    upsert, tagged = _statements()
    postgresql = connection.vendor == "postgresql"
    # On PostgreSQL one statement, atomic by itself outside a transaction (inside one, a
    # savepoint keeps a failure from breaking the rest of it).
    alone = postgresql and not connection.in_atomic_block
    try:
        with (
            contextlib.nullcontext() if alone else transaction.atomic(),
            connection.cursor() as cursor,
        ):
            if own_connection and postgresql and connection.connection not in _LAZY_COMMIT:
                cursor.execute("SET synchronous_commit TO OFF")  # for good
                _LAZY_COMMIT.add(connection.connection)
            # Tags of an earlier render stay: one that no longer applies only drops the
            # fragment on a purge that did not need to.
            if postgresql:
                cursor.execute(
                    f"WITH kept AS ({upsert} RETURNING name) INSERT INTO {tagged}"  # noqa: S608
                    " (fragment_id, tag) SELECT kept.name, tag FROM kept,"
                    " unnest(%s::text[]) AS tag ON CONFLICT DO NOTHING",
                    [name, version, parts, rendered_at, tags],
                )
            else:
                cursor.execute(upsert, [name, version, parts, rendered_at])
                if tags:
                    cursor.execute(
                        f"INSERT INTO {tagged} (fragment_id, tag) VALUES "  # noqa: S608
                        + ", ".join(["(%s, %s)"] * len(tags))
                        + " ON CONFLICT DO NOTHING",
                        [value for tag in tags for value in (name, tag)],
                    )
    except (IntegrityError, DatabaseError) as exc:  # e.g. SQLite busy with an editor's save
        logger.info("fragment %s not kept: %s", name, exc)
        return False
    # A purge since the render began may have looked for this fragment before it existed;
    # every purge changes the generation first, so look now and undo if one came.
    if page_cache().generation_or_none() != generation:
        from masthead.delivery.models import KeptFragment

        KeptFragment.objects.filter(name=name).delete()
        return False
    return True


@functools.cache
def _statements():
    """(the fragment's upsert, the tags' table), from the models."""
    from masthead.delivery.models import KeptFragment, KeptFragmentTag

    upsert = (
        f"INSERT INTO {KeptFragment._meta.db_table} (name, version, parts, rendered_at)"  # noqa: S608
        " VALUES (%s, %s, %s, %s) ON CONFLICT (name) DO UPDATE SET version = excluded.version,"
        " parts = excluded.parts, rendered_at = excluded.rendered_at"
    )
    return upsert, KeptFragmentTag._meta.db_table


# The keeper's connections, once set not to wait for the disk on commit.
_LAZY_COMMIT = weakref.WeakSet()


def _keep_after_response(*job):
    from django.db import close_old_connections

    close_old_connections()  # the keeper's own connection, as a request's would be
    _keep(*job, own_connection=True)


# Past this many waiting, a part is not kept (the next miss renders it again). An idle
# keeper lets its database connection go.
_keeper = ProcessQueue(
    _keep_after_response,
    name="masthead-keeper",
    size=1000,
    on_idle=lambda: connection.close(),  # this thread's connection, looked up when idle
)


def drop_tagged(tags):
    """Delete every fragment that shows any of `tags` (part of every delivery purge)."""
    from masthead.delivery.models import KeptFragment, KeptFragmentTag

    tags = [str(t) for t in tags]
    if not tags:
        return
    shown = KeptFragmentTag.objects.filter(tag__in=tags).values("fragment_id")
    KeptFragment.objects.filter(name__in=shown).delete()


def drop_expired():
    """Delete fragments too old to be used (the worker's scheduler tick)."""
    from masthead.delivery.models import KeptFragment

    KeptFragment.objects.filter(rendered_at__lt=_oldest_usable()).delete()


def drop_all():
    """Forget every fragment (a release changes their version anyway; this frees space)."""
    from masthead.delivery.models import KeptFragment

    KeptFragment.objects.all().delete()
