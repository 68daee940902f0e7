"""The anonymous page cache: stored responses, their keys, tags and purges.

An entry is one response as every anonymous reader gets it: status, headers and the body
(identity, plus gzip and brotli copies made the first time a reader asks for each), tagged
with what it shows (`page:12`, `tree:3`, `feeds`, …). Each process keeps entries in memory
(`LocalLayer`), so a hit is a dictionary lookup. With a shared cache (Redis,
`MASTHEAD_PAGE_CACHE_SHARED`), entries are also kept there with the version of each tag
they were stored under; a purge writes new tag versions and a new generation token, and
every process drops its memory layer when it sees the generation change (checked at most
every `MASTHEAD_PAGE_CACHE_CHECK_INTERVAL` seconds). Without a shared cache, each process
keeps its own entries and purges reach the other processes (web workers, the task worker)
through a stamp file in the data folder.

If the shared store stops answering, the cache steps aside rather than take the site down
with it: every process forgets its memory layer (a purge it cannot hear about would
otherwise leave stale copies in it) and renders every request until the store answers
again. No request waits on it meanwhile: a thread of the process asks it again every
check interval. A purge made meanwhile is kept in the database (`PendingPurge`) and
replayed once the store is back, before any request uses it.
"""

import gzip
import hashlib
import logging
import os
import re
import socket
import threading
import time
import uuid
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

import brotli
from django.conf import settings
from django.core.cache import caches
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from masthead.delivery.background import ProcessQueue
from masthead.delivery.front import front_from_settings

logger = logging.getLogger(__name__)

# What the shared store raises when it cannot be reached (django-redis wraps redis-py's
# connection errors and timeouts in ConnectionInterrupted).
STORE_ERRORS = (ConnectionInterrupted, RedisError, OSError)


def _timed_out(exc):
    cause = exc.__cause__ if isinstance(exc, ConnectionInterrupted) else exc
    return isinstance(cause, (RedisTimeoutError, socket.timeout))


TAGS_ATTR = "_masthead_cache_tags"
# The CDN's index of every URL stored (PageCache.note_for_cdn): a broad tag, never a
# precise one, so its name cannot clash with one.
EVERYWHERE = "all"
CACHEABLE_STATUSES = frozenset({200})
# Headers computed per representation, or never replayed to another reader.
_DROPPED_HEADERS = frozenset(
    {"content-length", "content-encoding", "vary", "etag", "last-modified", "set-cookie", "date"}
)
_COMPRESSIBLE = (
    "text/",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/json",
    "application/ld+json",
    "application/javascript",
    "image/svg",
)
# Brotli qualities: a miss compresses its reader's copy quickly (most pages read once are
# never read again); the first hit has the copy made again at full quality, after the
# response (PageCache.settle), for the readers after it. Measured in docs/performance.md.
BROTLI_QUALITY = 5
BROTLI_QUICK_QUALITY = 1
_LIFETIME_DIRECTIVE = re.compile(
    r"\b(s-maxage|max-age|stale-while-revalidate|stale-if-error)\s*=\s*\"?(\d+)"
)
_TRACKING_PARAM = re.compile(r"^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga)$")


def tag_response(response, *tags):
    """Say what a response shows, so publishing any of it purges the cached copy.

    Tags are plain strings: `page:<id>`, `tree:<id>` (lists pages under <id>),
    `author:<id>`, `topic:<id>`, `feeds`, `sitemaps`, `search`, `comments:<article id>`.
    """
    existing = getattr(response, TAGS_ATTR, None)
    if existing is None:
        existing = set()
        setattr(response, TAGS_ATTR, existing)
    existing.update(str(t) for t in tags if t)
    return response


def tag_context(context, *tags):
    """`tag_response` for a template's context, before there is a response (a page's
    get_context: parts of it that come kept, with what they show)."""
    context.setdefault(TAGS_ATTR, set()).update(str(t) for t in tags if t)
    return context


def _setting(name, default):
    return getattr(settings, name, default)


class Config:
    """Settings read once per process for the hit path (tests re-read them per request)."""

    def __init__(self):
        self.enabled = _setting("MASTHEAD_PAGE_CACHE", True)
        self.shared = _setting("MASTHEAD_PAGE_CACHE_SHARED", False)
        self.alias = _setting("MASTHEAD_PAGE_CACHE_ALIAS", "default")
        self.check_interval = float(_setting("MASTHEAD_PAGE_CACHE_CHECK_INTERVAL", 0.5))
        self.timeout = int(_setting("MASTHEAD_PAGE_CACHE_TIMEOUT", 86400))
        self.local_bytes = int(_setting("MASTHEAD_PAGE_CACHE_LOCAL_BYTES", 64 * 1024 * 1024))
        self.max_body = int(_setting("MASTHEAD_PAGE_CACHE_MAX_BODY", 2 * 1024 * 1024))
        self.cache_control = _setting(
            "MASTHEAD_PAGE_CACHE_CONTROL",
            "public, max-age=0, s-maxage=300, stale-while-revalidate=60",
        )
        self.excluded_paths = tuple(
            _setting(
                "MASTHEAD_PAGE_CACHE_EXCLUDED_PATHS",
                (
                    "/admin/",
                    "/django-admin/",
                    "/reader-state/",
                    "/static/",
                    "/media/",
                    "/account/",
                    # Comment threads and fragments change without a publish; the comments
                    # app announces changes (comment_thread_changed), purged below.
                    "/comments/",
                    "/newsletter/",
                    "/documents/",
                    "/_util/",
                ),
            )
        )
        self.path_tags = dict(
            _setting(
                "MASTHEAD_PAGE_CACHE_PATH_TAGS",
                {
                    "/feeds/": "feeds",
                    "/sitemap": "sitemaps",
                    "/search/": "search",
                    "/authors/": "authors",
                    "/topics/": "topics",
                },
            )
        )
        self.bypass_cookies = tuple(
            _setting(
                "MASTHEAD_PAGE_CACHE_BYPASS_COOKIES", (settings.SESSION_COOKIE_NAME, "messages")
            )
        )
        self.bypass_cookie_re = re.compile(
            r"(?:^|[;,]\s*)(?:" + "|".join(re.escape(c) for c in self.bypass_cookies) + r")="
        )
        self.stamp_file = Path(
            _setting("MASTHEAD_PAGE_CACHE_STAMP_FILE", Path(settings.VAR_DIR) / "page-cache.stamp")
        )
        proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        self.proxy_ssl_header = proxy
        # With a CDN and Redis, each stored page's URL is noted under its precise tags, so
        # a purge can name the URLs that showed them (PageCache.cdn_urls). The broad tags
        # (on every listing of their kind) are left out: what a change to them tells the
        # CDN is computed (masthead.delivery.services).
        backend = settings.CACHES.get(self.alias, {}).get("BACKEND", "")
        self.cdn_index = bool(
            self.shared
            and backend.startswith("django_redis.")
            and getattr(settings, "WAGTAILFRONTENDCACHE", None)
        )
        self.broad_tags = frozenset({"all", *self.path_tags.values()})


# -- keys ------------------------------------------------------------------------------------


def _normalise_query(query):
    """Sorted parameters without tracking noise, so `?b=1&a=2&utm_source=x` == `?a=2&b=1`."""
    parts = [p for p in query.split("&") if p]
    kept = sorted(p for p in parts if not _TRACKING_PARAM.match(p.partition("=")[0].lower()))
    return "&".join(kept)


def request_key(environ, config):
    """The cache key for an anonymous GET/HEAD, or None when the request must not be cached.

    Built from the WSGI environ alone, so the WSGI fast path and the middleware agree.
    """
    method = environ.get("REQUEST_METHOD")
    if method != "GET" and method != "HEAD":
        return None
    if "HTTP_AUTHORIZATION" in environ:
        return None
    cookie = environ.get("HTTP_COOKIE")
    if cookie and config.bypass_cookie_re.search(cookie):
        return None
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "/")
    if path.startswith(config.excluded_paths):
        return None
    query = environ.get("QUERY_STRING")
    if query:
        query = _normalise_query(query)
    scheme = environ.get("wsgi.url_scheme", "http")
    if config.proxy_ssl_header:
        header, value = config.proxy_ssl_header
        if environ.get(header) == value:
            scheme = "https"
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
    return f"{scheme}://{host.lower()}{path}?{query or ''}"


# -- entries ---------------------------------------------------------------------------------

_ENCODING_CHOICES = {}


def choose_encoding(accept_encoding):
    """'br', 'gzip' or None for an Accept-Encoding header (memoised: few distinct values)."""
    if not accept_encoding:
        return None
    choice = _ENCODING_CHOICES.get(accept_encoding, False)
    if choice is not False:
        return choice
    accepted = set()
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        params = params.replace(" ", "")
        if params.startswith("q=") and float(params[2:] or 0) == 0:
            continue
        accepted.add(name.strip())
    choice = None
    if "br" in accepted:
        choice = "br"
    elif "gzip" in accepted or "*" in accepted:
        choice = "gzip"
    if len(_ENCODING_CHOICES) < 256:
        _ENCODING_CHOICES[accept_encoding] = choice
    return choice


def _brotli_window(size):
    """The smallest brotli window (log2, 10 to 22) that holds `size` bytes."""
    return max(10, min(22, (size + 16).bit_length()))


def _etag_matches(if_none_match, etag):
    if if_none_match.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == opaque for t in if_none_match.split(","))


class Entry:
    """One stored response with everything a hit needs precomputed."""

    # Part of the shared store's keys: processes of two releases sharing a store (a rolling
    # deploy) never read each other's entries. Raise it when the stored attributes change.
    FORMAT = 3

    __slots__ = (
        "key",
        "status",
        "bodies",
        "headers",
        "not_modified",
        "etag",
        "modified",
        "tags",
        "versions",
        "size",
        "compressible",
        "common",
        "purged",
        "draft",
    )

    def __init__(
        self, *, key, status, headers, body, tags, cache_control, accept_encoding="", since=0
    ):
        self.key = key
        self.status = status
        self.tags = frozenset(tags)
        self.versions = {}
        digest = hashlib.blake2b(body, digest_size=10).hexdigest()
        self.etag = f'W/"{digest}"'
        self.modified = int(time.time())
        # The second of the purge that began this entry's generation (`generation_began`):
        # Last-Modified has whole seconds, so a reader's copy dated that second or earlier
        # may be from before the purge, and If-Modified-Since never answers it 304.
        self.purged = int(since)
        # Encodings compressed quickly, not yet at full quality (`settled`).
        self.draft = frozenset()
        last_modified = formatdate(self.modified, usegmt=True)
        content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
        kept = [(k, v) for k, v in headers if k.lower() not in _DROPPED_HEADERS]
        if not any(k.lower() == "cache-control" for k, _ in kept):
            kept.append(("Cache-Control", cache_control))
        self.common = common = [
            *kept,
            ("Vary", "Accept-Encoding"),
            ("ETag", self.etag),
            ("Last-Modified", last_modified),
        ]
        self.compressible = len(body) >= 256 and content_type.startswith(_COMPRESSIBLE)
        self.headers = {None: self._headers(None, body)}
        self.bodies = {None: body}
        self.not_modified = [
            *((k, v) for k, v in common if k in ("Cache-Control", "Vary", "ETag", "Last-Modified")),
            ("X-Masthead-Cache", "hit"),
        ]
        # Counted as if both compressed copies were there (each well under half the body).
        self.size = len(body) * (2 if self.compressible else 1) + 1024
        # A miss compresses only what its reader takes (most readers share one encoding),
        # brotli quickly.
        self.encoded(choose_encoding(accept_encoding), quick=True)

    def shared_lifetime(self):
        """Seconds a CDN may keep this response by its Cache-Control: its fresh lifetime
        (s-maxage, else max-age) and the stale allowances after it."""
        control = next((v for k, v in self.common if k.lower() == "cache-control"), "")
        found = {k: int(v) for k, v in _LIFETIME_DIRECTIVE.findall(control.lower())}
        fresh = found.get("s-maxage", found.get("max-age", 0))
        return fresh + found.get("stale-while-revalidate", 0) + found.get("stale-if-error", 0)

    def _headers(self, encoding, data):
        extra = [("Content-Encoding", encoding)] if encoding else []
        return [
            *self.common,
            *extra,
            ("Content-Length", str(len(data))),
            ("X-Masthead-Cache", "hit"),
        ]

    def encoded(self, encoding, *, quick=False):
        """The encoding this entry will send for a reader who prefers `encoding` ('br',
        'gzip' or None), compressing the body into it the first time it is asked for
        (`quick`: brotli at a low quality, until `settled`)."""
        if encoding is None or encoding in self.bodies:
            return encoding
        if not self.compressible:
            return None
        body = self.bodies[None]
        if encoding == "br":
            quality = BROTLI_QUICK_QUALITY if quick else BROTLI_QUALITY
            # A window just larger than the body: the encoder's tables are then sized to
            # the page, not to the 4 MB default (docs/performance.md, eleventh session).
            data = brotli.compress(body, quality=quality, lgwin=_brotli_window(len(body)))
            if quick:
                self.draft = self.draft | {encoding}
        else:
            data = gzip.compress(body, compresslevel=6, mtime=0)
        # Headers before the body: a thread that finds the body finds its headers too.
        self.headers[encoding] = self._headers(encoding, data)
        self.bodies[encoding] = data
        return encoding

    def settled(self):
        """A copy of this entry with what was compressed quickly compressed at full
        quality (the same page, the same ETag)."""
        copy = Entry.__new__(Entry)
        copy.__setstate__(self.__getstate__())
        copy.bodies = {e: b for e, b in self.bodies.items() if e not in self.draft}
        copy.headers = {e: h for e, h in self.headers.items() if e not in self.draft}
        copy.draft = frozenset()
        for encoding in self.draft:
            copy.encoded(encoding)
        return copy

    def __getstate__(self):
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state):
        for name, value in state.items():
            setattr(self, name, value)

    def respond(self, environ):
        """(status code, headers, body) for this request: 304, or the chosen encoding."""
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match:
            if _etag_matches(if_none_match, self.etag):
                return 304, self.not_modified, b""
        else:
            since = environ.get("HTTP_IF_MODIFIED_SINCE")
            if since and self._unmodified_since(since):
                return 304, self.not_modified, b""
        encoding = self.encoded(choose_encoding(environ.get("HTTP_ACCEPT_ENCODING")))
        body = b"" if environ.get("REQUEST_METHOD") == "HEAD" else self.bodies[encoding]
        return self.status, self.headers[encoding], body

    def _unmodified_since(self, value):
        try:
            since = parsedate_to_datetime(value).timestamp()
            return self.modified <= since and since >= self.purged + 1
        except (TypeError, ValueError, IndexError, OverflowError):
            return False


# -- storage ---------------------------------------------------------------------------------


class LocalLayer:
    """This process's entries, bounded in bytes; oldest stored leave first."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.entries = {}
        self.bytes = 0
        self.lock = threading.Lock()

    def put(self, entry):
        with self.lock:
            old = self.entries.pop(entry.key, None)
            if old is not None:
                self.bytes -= old.size
            self.entries[entry.key] = entry
            self.bytes += entry.size
            while self.bytes > self.max_bytes and self.entries:
                oldest = next(iter(self.entries))
                self.bytes -= self.entries.pop(oldest).size

    def replace(self, old, new):
        """Hold `new` in the place of `old`, if `old` is still held (True)."""
        with self.lock:
            if self.entries.get(old.key) is not old:
                return False
            self.entries[old.key] = new
            return True

    def drop_tagged(self, tags):
        with self.lock:
            for key in [k for k, e in self.entries.items() if not e.tags.isdisjoint(tags)]:
                self.bytes -= self.entries.pop(key).size

    def clear(self):
        with self.lock:
            self.entries = {}
            self.bytes = 0


def _new_token():
    """A generation token: unique, and saying when it began (see `generation_began`)."""
    return f"{time.time_ns()}-{uuid.uuid4().hex}"


def generation_began(generation):
    """When the purge that began `generation` happened (seconds; 0 if unknown): the token's
    time, or without a shared cache the stamp file's (`read_generation`), if later."""
    token, stamp_ns = generation, 0
    if isinstance(generation, tuple):
        token = generation[0]
        if len(generation) == 4:
            stamp_ns = generation[2]
    head = str(token).partition("-")[0]
    return max(int(head) if head.isdigit() else 0, stamp_ns) / 1e9


class PageCache:
    GENERATION_KEY = "pagecache:generation"
    # Written by a purge of everything (EVERYWHERE: a section or the front page, a Site, a
    # view restriction, a newsletter list) only, so what a process keeps about the site's
    # structure (masthead.delivery.memo, site=True) outlives a story's or a comment's purge.
    SITE_GENERATION_KEY = "pagecache:site-generation"

    def __init__(self, config=None):
        self.config = config or Config()
        self.local = LocalLayer(self.config.local_bytes)
        self.generation = None
        self.next_check = 0.0
        self.check_lock = threading.Lock()
        # Files for an nginx front (masthead.delivery.front), when MASTHEAD_FRONT_ROOT is set.
        self.front = front_from_settings()
        self._note_script = None
        # Set when the shared store failed: until a background thread finds it answering
        # again (and replays the purges made meanwhile), nothing is served from or stored
        # to the cache, and no request waits on the store.
        self.store_down = False
        self._prober = None
        self._prober_lock = threading.Lock()
        self.retired = threading.Event()  # set when this object is replaced (settings)
        # One answer slower than REDIS_SOCKET_TIMEOUT is not an outage (an overloaded host
        # has them): only a second in a row, or a refused connection, is.
        self.store_slow = False

    @property
    def store(self):
        return caches[self.config.alias]

    # The hit path: memory only, plus a periodic look at the generation.
    def get_local(self, key):
        if time.monotonic() >= self.next_check and not self.store_down:
            self._check_generation()
        if self.store_down:
            return None
        return self.local.entries.get(key)

    def _check_generation(self):
        with self.check_lock:
            self.next_check = time.monotonic() + self.config.check_interval
            try:
                current = self.read_generation()
            except STORE_ERRORS as exc:
                self._store_failed(exc)
                return
            self.store_slow = False
            if current != self.generation:
                self.local.clear()
                self.generation = current

    def _store_failed(self, exc, *, certain=False):
        """The shared store failed a call: the caller goes without it. The cache steps
        aside (store_down) unless this was one slow answer after good ones."""
        if not certain and _timed_out(exc) and not self.store_slow:
            self.store_slow = True
            return
        if not self.store_down:
            logger.error(
                "page cache: the shared store is not answering (%s); every request is "
                "rendered until it is back",
                exc,
            )
            if self.front is not None:
                # An empty generation: nginx passes every request to the app until the
                # store is back (its files could be stale by a purge no one hears of).
                self.front.switch(_new_token())
        self.store_down = True
        self.local.clear()
        self.generation = None
        with self._prober_lock:
            if self._prober is None:
                self._prober = threading.Thread(
                    target=self._probe_until_back, name="masthead-page-cache-probe", daemon=True
                )
                self._prober.start()

    def _probe_until_back(self):
        """In a thread of its own, so no request waits on a store that is not answering:
        every check interval, ask the store again; once it answers, replay the purges it
        missed (until then no copy in it can be trusted) and let requests use it."""
        from django.db import connections

        try:
            while not self.retired.wait(self.config.check_interval):
                try:
                    if self._take_store_back():
                        logger.warning("page cache: the shared store answers again")
                        return
                except STORE_ERRORS:
                    continue
                except Exception:  # noqa: BLE001 - the thread must go on trying; it is logged
                    logger.exception("page cache: could not replay the purges kept meanwhile")
        finally:
            connections.close_all()  # this thread's own

    def _take_store_back(self):
        """One pass of the probe thread: True once requests may use the store again."""
        self.read_generation()
        self.replay_pending_purges()
        with self._prober_lock:
            # A purge kept since the replay (it takes this lock to keep its tags) is
            # replayed on the next pass, before requests use the store.
            if _pending_kept():
                return False
            # A request that meets a new failure from here on starts a new thread.
            self._prober = None
            self.local.clear()
            self.store_down = self.store_slow = False
            self.next_check = 0.0
        return True

    def generation_or_none(self, *, patient=False):
        """The generation, or None while the shared store is down or did not answer
        (site-wide values are then not kept: masthead.delivery.memo). `patient` for a
        background thread (the nginx front's watcher): its reads can wait long on a busy web
        process, whose server may hold the interpreter, so a timeout there is no outage."""
        if self.store_down:
            return None
        try:
            return self.read_generation()
        except STORE_ERRORS as exc:
            if not (patient and _timed_out(exc)):
                self._store_failed(exc)
            return None

    def read_generation(self):
        store = self.store
        token = store.get(self.GENERATION_KEY)
        if token is None:
            # A cleared cache means every process must forget what it holds.
            store.add(self.GENERATION_KEY, _new_token(), timeout=None)
            token = store.get(self.GENERATION_KEY)
        if self.config.shared:
            return token
        try:
            stat = os.stat(self.config.stamp_file)
            return token, stat.st_ino, stat.st_mtime_ns, stat.st_size
        except FileNotFoundError:
            return token, None

    # The miss path: memory, then the shared store with its tag versions.
    def site_generation_or_none(self):
        """The site's generation (SITE_GENERATION_KEY), or None as for generation_or_none."""
        if self.store_down:
            return None
        if not self.config.shared:
            return self.generation_or_none()
        try:
            return self._site_generation(self.store.get(self.SITE_GENERATION_KEY))
        except STORE_ERRORS as exc:
            self._store_failed(exc)
            return None

    def _site_generation(self, token):
        """The site's generation as read (`token`), or a new one if the store has none (a
        new or emptied store: no process may go on using what it remembered under an
        earlier one); None if even that cannot be read back (nothing is remembered)."""
        if token is None:
            store = self.store
            store.add(self.SITE_GENERATION_KEY, _new_token(), timeout=None)
            token = store.get(self.SITE_GENERATION_KEY)
        return None if token is None else ("site", token)

    def get(self, key):
        return self.lookup(key)[0]

    def lookup(self, key):
        """(entry or None, the generation and the site's generation as read now; both None
        for a hit from memory, or while the shared store is down).

        A miss reads the shared store's entry and both generations in one round trip; the
        generation is what a render that follows is stored under (`put`), and both key what
        it remembers (masthead.delivery.memo)."""
        entry = self.get_local(key)
        if entry is not None:
            return entry, None, None
        if not self.config.shared:
            generation = self.read_generation()
            return None, generation, generation
        if self.store_down:
            return None, None, None
        try:
            return self._shared_lookup(key)
        except STORE_ERRORS as exc:
            self._store_failed(exc)
            return None, None, None

    def _shared_lookup(self, key):
        store = self.store
        entry_key = self._entry_key(key)
        found = store.get_many([entry_key, self.GENERATION_KEY, self.SITE_GENERATION_KEY])
        generation = found.get(self.GENERATION_KEY)
        if generation is None:
            generation = self.read_generation()
        site_generation = self._site_generation(found.get(self.SITE_GENERATION_KEY))
        entry = found.get(entry_key)
        if entry is None:
            return None, generation, site_generation
        versions = store.get_many([self._tag_key(t) for t in entry.tags])
        if any(versions.get(self._tag_key(t)) != v for t, v in entry.versions.items()):
            return None, generation, site_generation
        self.store_slow = False
        self.local.put(entry)
        if self.front is not None:
            self.front.submit(entry, generation)
        return entry, None, None

    def put(self, entry, *, generation_before):
        """Store an entry rendered after `generation_before` was read, unless a purge came
        in between (the render may have read data the purge was about), or the shared store
        was down when it began (generation_before None) or is now."""
        if generation_before is None:
            return False
        if self.config.shared:
            try:
                if not self._shared_put(entry, generation_before):
                    return False
            except STORE_ERRORS as exc:
                self._store_failed(exc)
                return False
        elif self.read_generation() != generation_before:
            return False
        if self.generation != generation_before:
            self._check_generation()
        self.local.put(entry)
        if self.front is not None:
            self.front.submit(entry, generation_before)
        return True

    def _shared_put(self, entry, generation_before):
        store = self.store
        tag_keys = {t: self._tag_key(t) for t in entry.tags}
        # One round trip: the tag versions and the generation, read together (a purge
        # writes them in one transaction, so an unchanged generation means unchanged tags).
        found = store.get_many([*tag_keys.values(), self.GENERATION_KEY])
        entry.versions = {t: found.get(k) for t, k in tag_keys.items()}
        if found.get(self.GENERATION_KEY) != generation_before:
            return False
        store.set(self._entry_key(entry.key), entry, timeout=self.config.timeout)
        return True

    def settle(self, entry):
        """`entry` was just served from the cache: if a copy of it was compressed quickly,
        a thread makes it again at full quality once the response is gone, for this
        process's readers and, through the shared store, every other process's."""
        if entry.draft:
            _settler.submit(self, entry)

    def _settle(self, entry):
        # Only a copy this process still holds: one purged or evicted since is not served
        # again, so it is not stored again either, and one already compressed again (by an
        # earlier hit's job) is not compressed twice.
        if self.local.entries.get(entry.key) is not entry:
            return
        try:
            settled = entry.settled()
            held = self.local.replace(entry, settled)
            if not held or not self.config.shared or self.store_down:
                return
            store = self.store
            # Over the stored copy only (XX), keeping its time to live. If a purge and a
            # new render came meanwhile, this older copy may replace the newer one; its tag
            # versions are then out of date, so no lookup serves it (the page is rendered
            # again), as for any copy stored before a purge.
            store.client.get_client(write=True).set(
                store.make_key(self._entry_key(entry.key)),
                store.client.encode(settled),
                xx=True,
                keepttl=True,
            )
        except STORE_ERRORS as exc:
            # Readers keep the quickly compressed copy; nothing else depends on this.
            logger.warning("page cache: could not store %s compressed again: %s", entry.key, exc)

    def purge(self, tags):
        """Make every entry carrying any of `tags` unusable, in every process."""
        tags = {str(t) for t in tags}
        if not tags:
            return
        token = _new_token()
        if self.config.shared:
            if self._kept_while_down(tags):
                return
            try:
                self._shared_purge(tags, token)
            except STORE_ERRORS as exc:
                try:
                    _keep_pending(tags)
                finally:
                    self._store_failed(exc, certain=True)  # the probe thread then sees them
                return
        else:
            self._touch_stamp(token)
        self.local.drop_tagged(tags)
        if self.config.shared:
            self.generation = token
            self.next_check = time.monotonic() + self.config.check_interval
        else:
            self.generation = self.read_generation()
        if self.front is not None:
            self.front.follow(self.read_generation, self.generation)

    def _kept_while_down(self, tags):
        """Keep `tags` if the store is still down: Redis may hold copies this purge was
        for, so they are replayed before any process trusts it again. Under the lock the
        probe thread takes the store back with, so its last look for kept purges sees
        these (True), or the store is back and the caller purges it (False)."""
        with self._prober_lock:
            if self.store_down:
                _keep_pending(tags)
                return True
        return False

    def _shared_purge(self, tags, token):
        """Write the new generation (and the site's, for a purge of everything) and every
        tag's version in one transaction. A render that read the old generation then
        refuses to store; no process sees the new generation beside a tag's old version
        (it would find the purged copy still valid after its check had emptied its
        memory, take it in and keep serving it); and a render that reads the new
        generation reads the new site generation with it."""
        store = self.store
        lasting = {self.GENERATION_KEY: token}
        if EVERYWHERE in tags:
            lasting[self.SITE_GENERATION_KEY] = token
        versions = {self._tag_key(t): token for t in tags}
        client = getattr(store, "client", None)
        if not hasattr(client, "get_client"):  # a store in this process only (tests)
            store.set_many(lasting, timeout=None)
            store.set_many(versions, timeout=self.config.timeout * 2)
            return
        with client.get_client(write=True).pipeline(transaction=True) as pipe:
            for key, value in lasting.items():
                pipe.set(store.make_key(key), client.encode(value))
            for key, value in versions.items():
                pipe.set(store.make_key(key), client.encode(value), ex=self.config.timeout * 2)
            pipe.execute()

    def replay_pending_purges(self):
        """Purge what was purged while the shared store was down (PendingPurge), in one
        purge, and forget those records. Raises the store's error if it is still down."""
        from masthead.delivery.models import PendingPurge

        pending = list(PendingPurge.objects.values_list("pk", "tags"))
        if not pending:
            return
        self._shared_purge({t for _, tags in pending for t in tags}, _new_token())
        PendingPurge.objects.filter(pk__in=[pk for pk, _ in pending]).delete()
        self.local.clear()
        logger.warning("page cache: replayed %d purges made while the store was down", len(pending))

    # What a CDN may hold, by tag: a sorted set per precise tag of the URLs stored under
    # it, each scored with when the CDN must have let go of it (the entry's lifetime here
    # plus its Cache-Control lifetime), so no purge is needed past that.

    def note_for_cdn(self, entry):
        """Note `entry`'s URL under each of its precise tags, and among every URL stored
        (EVERYWHERE), in one Redis command."""
        if not self.config.cdn_index:
            return
        tags = [*self._cdn_tags(entry.tags), EVERYWHERE]
        now = time.time()
        ttl = self.config.timeout + entry.shared_lifetime()
        store = self.store
        client = store.client.get_client(write=True)
        if self._note_script is None:
            self._note_script = client.register_script(_NOTE_SCRIPT)
        # An hour's slack on each set: entries of other kinds under the same tag live a
        # little longer (each member's own score is exact).
        try:
            self._note_script(
                keys=[store.make_key(self._cdn_key(tag)) for tag in tags],
                args=[now + ttl, entry.key.removesuffix("?"), now, int(ttl) + 3600],
                client=client,
            )
        except STORE_ERRORS:
            # The reader still gets the page; a later change may leave this URL's copy in
            # the CDN until its s-maxage.
            logger.exception("page cache: could not note %s for the CDN", entry.key)

    def cdn_urls(self, tags, *, everywhere=False):
        """URLs a CDN may hold that were stored under any of `tags` (precise tags only), or
        every URL it may hold (`everywhere`)."""
        if not self.config.cdn_index:
            return []
        tags = [EVERYWHERE] if everywhere else self._cdn_tags(tags)
        if not tags:
            return []
        store = self.store
        try:
            pipe = store.client.get_client(write=False).pipeline(transaction=False)
            for tag in tags:
                pipe.zrangebyscore(store.make_key(self._cdn_key(tag)), time.time(), "+inf")
            found = pipe.execute()
        except STORE_ERRORS:
            # The CDN still hears of the URLs computed from the change itself.
            logger.exception("page cache: could not read the URLs noted for the CDN")
            return []
        return sorted({url.decode() for urls in found for url in urls})

    def _cdn_tags(self, tags):
        """The precise ones of `tags` (the broad ones are on every listing of their kind)."""
        return sorted(t for t in tags if t not in self.config.broad_tags)

    def _cdn_key(self, tag):
        return "pagecache:cdn:" + tag

    def _touch_stamp(self, token):
        path = self.config.stamp_file
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{token[:8]}")
        tmp.write_text(token)
        os.replace(tmp, path)

    def clear(self):
        self.local.clear()
        self.generation = None
        self.next_check = 0.0

    def _entry_key(self, key):
        digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
        return f"pagecache:e{Entry.FORMAT}:{digest}"

    def _tag_key(self, tag):
        return "pagecache:t:" + tag


# PageCache.note_for_cdn: one command however many tags (a pipeline of three commands a
# tag cost a miss about 1.3 ms of packing in Python).
_NOTE_SCRIPT = """
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, ARGV[1], ARGV[2])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[3])
  redis.call('EXPIRE', key, ARGV[4])
end
"""

_page_cache = None
_page_cache_lock = threading.Lock()
_settler = ProcessQueue(
    lambda cache, entry: cache._settle(entry), name="masthead-page-cache-settle", size=256
)


def flush_settling():
    """Wait until the copies this process is compressing again are done (`PageCache.settle`)."""
    _settler.flush()


def _keep_pending(tags):
    from masthead.delivery.models import PendingPurge

    PendingPurge.objects.create(tags=sorted(tags))


def _pending_kept():
    from masthead.delivery.models import PendingPurge

    return PendingPurge.objects.exists()


def page_cache():
    """This process's page cache (built on first use, after settings are ready)."""
    global _page_cache
    if _page_cache is None:
        with _page_cache_lock:
            if _page_cache is None:
                _page_cache = PageCache()
    return _page_cache


def reset_page_cache():
    """Forget this process's cache object so changed settings take effect; its probe
    thread, if any, stops (waited for: it must not replay purges for the next one)."""
    global _page_cache
    with _page_cache_lock:
        old, _page_cache = _page_cache, None
    if old is not None:
        old.retired.set()
        with old._prober_lock:
            prober = old._prober
        if prober is not None:
            prober.join(timeout=10)
