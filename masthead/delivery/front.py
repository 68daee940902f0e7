"""Cached pages written as files for an nginx front, so that a hit there is a static file.

With `MASTHEAD_FRONT_ROOT` set, every page-cache entry nginx can answer exactly as Masthead
would (an HTML page at a path ending in "/", no query string, the headers the front adds)
is also written, as itself and gzipped, to

    <root>/g-<generation>/h-<headers>/<scheme>/<host><path>index.html[.gz]

`<root>/current` is a symlink to the directory of the page cache's current generation, and
nginx reads only through it. A purge starts a new generation: the purging process and,
within the check interval, a watcher thread in every web process point `current` at the
new, empty directory; pages are written there again as they are next stored or fetched.
Pages are written by a thread of each web process after they are stored, so
a reader's response never waits for the disk (about 1 ms a page: a directory, two files,
the gzip copy). A render that raced a purge was started under the old generation, so it is
written to the old directory, which nginx no longer reads. `h-<headers>` is a digest of the headers
nginx adds (`nginx_config` writes them with the same digest), so a page whose headers
differ from the rest, or settings changed without a new nginx config, is never served
from a file: nginx finds no file and asks Masthead.

Each web node has its own nginx and its own root: its web processes write its files and
follow the generation. The files are only as fresh as those processes; when they stop,
remove the `current` link (docs/production.md).
"""

import contextlib
import hashlib
import logging
import os
import re
import shutil
import threading
import time
from pathlib import Path

from django.conf import settings

from masthead.delivery.background import ProcessQueue

logger = logging.getLogger(__name__)

FILE_CONTENT_TYPE = "text/html; charset=utf-8"
# Headers nginx computes per file and request; every other header is part of the digest.
# (X-Masthead-Cache says where an answer came from: nginx sends "file".)
_PER_FILE = frozenset(
    {"content-length", "content-encoding", "etag", "last-modified", "x-masthead-cache"}
)
_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::[0-9]{1,5})?")
# Path segments nginx maps to the same file name as Masthead's key: no dots at the start
# (nor `.` / `..`), nothing nginx would decode or merge, no names the files themselves use.
_SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")
_PRUNE_AFTER = 10.0  # seconds an unused generation directory is kept (racing writers)
# Pages waiting for the writer thread; past this, a page is not written (nginx then asks
# Masthead, which answers from its cache) rather than holding more pages in memory.
_PENDING = 64


def header_digest(headers):
    """(digest, headers nginx must add) for an entry's identity headers, or None when nginx
    could not send them as they are (another content type, no Vary on the encoding)."""
    fixed = []
    content_type = vary = None
    for name, value in headers:
        lower = name.lower()
        if lower == "content-type":
            content_type = value
        elif lower == "vary":
            vary = value
        elif lower not in _PER_FILE:
            fixed.append((lower, value))
    if content_type != FILE_CONTENT_TYPE or (vary or "").lower() != "accept-encoding":
        return None
    fixed.sort()
    text = "\n".join(f"{name}: {value}" for name, value in fixed)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest(), fixed


def file_path(key):
    """(scheme, host, path segments) of a cache key nginx can map to a file, else None."""
    scheme, sep, rest = key.partition("://")
    if not sep or scheme not in ("http", "https"):
        return None
    host, slash, rest = rest.partition("/")
    path, _, query = rest.partition("?")
    if not slash or query or not _HOST.fullmatch(host) or (path and not path.endswith("/")):
        return None
    segments = path.split("/")[:-1] if path else []
    for segment in segments:
        if not _SEGMENT.fullmatch(segment) or segment.endswith((".html", ".gz", ".tmp")):
            return None
    return scheme, host, segments


def _same_file(path, body):
    """The file's stat if it holds exactly `body`, else None."""
    try:
        stat = path.stat()
        if stat.st_size == len(body) and path.read_bytes() == body:
            return stat
    except OSError:
        pass
    return None


def generation_dir(generation):
    """The directory of a page-cache generation. Without a shared cache a generation is
    (this process's own token, the stamp file's state): only the stamp, which every purge
    on this node changes, is the same in every process."""
    if isinstance(generation, tuple):
        generation = generation[1:]
    return "g-" + hashlib.blake2b(repr(generation).encode(), digest_size=10).hexdigest()


class FileFront:
    """This node's files: written when entries are stored, switched when purged."""

    def __init__(self, root, *, check_interval=0.5):
        self.root = Path(root)
        self.check_interval = max(float(check_interval), 0.05)
        self.lock = threading.Lock()
        self.watcher = None
        self.stopped = threading.Event()
        self.writer = ProcessQueue(
            lambda entry, generation: self.write(entry, generation),
            name="masthead-front-writer",
            size=_PENDING,
        )

    # -- writing -----------------------------------------------------------------------

    def submit(self, entry, generation):
        """Have `write(entry, generation)` done by this process's writer thread; False if
        too many pages are waiting already."""
        return self.writer.submit(entry, generation)

    def flush(self):
        """Wait until every page submitted so far is written."""
        self.writer.flush()

    def write(self, entry, generation):
        """Write `entry` into the directory of `generation` (the one its render started
        under); True if written. Errors are logged, never raised: nginx then asks Masthead."""
        if entry.status != 200:
            return False
        where = file_path(entry.key)
        digest = header_digest(entry.headers[None])
        if where is None or digest is None:
            return False
        scheme, host, segments = where
        relative = Path(f"h-{digest[0]}", scheme, host, *segments, "index.html")
        directory = generation_dir(generation)
        target = self.root / directory / relative
        body = entry.bodies[None]
        try:
            if _same_file(target, body) is not None:
                return True  # another process or thread wrote these bytes already
            target.parent.mkdir(parents=True, exist_ok=True)
            mtime = self._mtime(relative, directory, body, entry.modified)
            # nginx sends the gzip copy to readers who take it (made now if no reader of
            # this process has asked for it yet).
            encoding = entry.encoded("gzip")
            gzipped = entry.bodies[encoding] if encoding else None
            gz = target.with_name("index.html.gz")
            # The compressed copy first: nginx finds a page by its plain file.
            if gzipped is not None:
                self._replace(gz, gzipped, mtime)
            else:
                gz.unlink(missing_ok=True)
            self._replace(target, body, mtime)
        except OSError:
            logger.warning("page cache: could not write %s for the nginx front", target)
            return False
        return True

    def _replace(self, path, data, mtime):
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.utime(tmp, (mtime, mtime))
        os.replace(tmp, path)

    def _mtime(self, relative, directory, body, modified):
        """The file's time, which nginx sends as Last-Modified and puts in its ETag (with
        the size): the copy nginx served before keeps its time if the bytes are the same,
        and a changed page is always later than it, even within one second."""
        candidates = [self.root / directory / relative]
        for link in ("current", "previous"):
            with contextlib.suppress(OSError):
                if os.readlink(self.root / link) != directory:
                    candidates.append(self.root / link / relative)
        for before in candidates:
            try:
                stat = before.stat()
            except OSError:
                continue
            if _same_file(before, body) is not None:
                return stat.st_mtime
            return max(modified, int(stat.st_mtime) + 1)
        return modified

    # -- following the generation ------------------------------------------------------

    def switch(self, generation):
        """Point `current` at `generation`'s directory; True if it pointed elsewhere."""
        name = generation_dir(generation)
        with self.lock:
            try:
                now = os.readlink(self.root / "current")
            except OSError:
                now = None
            if now == name:
                return False
            self.root.mkdir(parents=True, exist_ok=True)
            (self.root / name).mkdir(exist_ok=True)
            if now:
                self._link("previous", now)
            self._link("current", name)
        return True

    def follow(self, read_generation, generation):
        """Switch to `generation`, then re-read: a process that switched late to a
        generation it read before another purge corrects itself at once."""
        for _ in range(5):
            self.switch(generation)
            now = read_generation()
            if now == generation:
                return
            generation = now

    def _link(self, name, target):
        tmp = self.root / f".{name}.{os.getpid()}.{threading.get_ident()}"
        tmp.unlink(missing_ok=True)
        os.symlink(target, tmp)
        os.replace(tmp, self.root / name)

    def prune(self):
        """Remove generation directories nginx no longer reads."""
        keep = set()
        for link in ("current", "previous"):
            with contextlib.suppress(OSError):
                keep.add(os.readlink(self.root / link))
        now = time.time()
        try:
            children = list(self.root.iterdir())
        except OSError:
            return
        for child in children:
            if child.name.startswith("g-") and child.name not in keep:
                try:
                    if now - child.stat().st_mtime < _PRUNE_AFTER:
                        continue
                except OSError:
                    continue
                shutil.rmtree(child, ignore_errors=True)

    def watch(self, read_generation):
        """Follow the generation in a thread (one per process: a node whose pages all come
        from files sends its web processes no request that would notice a purge)."""
        if self.watcher is not None and self.watcher.is_alive():
            return self.watcher

        def run():
            while not self.stopped.is_set():
                try:
                    generation = read_generation()  # None while the shared store is down
                    if generation is not None and self.switch(generation):
                        self.prune()
                except Exception:
                    logger.exception("page cache: the nginx front's watcher failed a check")
                self.stopped.wait(self.check_interval)

        self.watcher = threading.Thread(target=run, name="masthead-front", daemon=True)
        self.watcher.start()
        return self.watcher


def front_from_settings():
    root = getattr(settings, "MASTHEAD_FRONT_ROOT", None)
    if not root:
        return None
    return FileFront(
        root, check_interval=getattr(settings, "MASTHEAD_PAGE_CACHE_CHECK_INTERVAL", 0.5)
    )


# -- the nginx configuration -----------------------------------------------------------

NGINX_HTTP = """\
# http block: which requests may be answered from a file (anonymous GET/HEAD, no query).
map $http_cookie $masthead_signed_in {{
    default "";
    "~(?:^|[;,]\\s*)(?:{cookies})=" "1";
}}
map "$request_method:$is_args$http_authorization$masthead_signed_in:$http_host" $masthead_files {{
    default "none";
    "~^(?:GET|HEAD)::(?<masthead_host>[a-z0-9-]+(?:\\.[a-z0-9-]+)*(?::[0-9]{{1,5}})?)$"
        "h-{digest}/$scheme/$masthead_host";
}}
upstream masthead {{ server {upstream}; keepalive 64; }}
"""

NGINX_SERVER = """\
# server block: pages from the files Masthead writes, everything else from Masthead.
location / {{
    root {root};
    try_files /current/$masthead_files${{uri}}index.html @masthead;
    types {{ }}
    default_type "{content_type}";
    gzip_static on;
    gzip_vary on;
{file_cache}{headers}
}}
location @masthead {{
    proxy_pass http://masthead;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
}}
"""


# What `keep_open=False` adds to the files' location: nginx opens a page's file on every
# request, so a purge shows at once instead of at the start of the next second.
NGINX_NO_FILE_CACHE = """\
    # Every change at once: no open files kept (hits cost more, docs/performance.md).
    open_file_cache off;
"""


def nginx_config(*, headers, root, upstream, bypass_cookies, keep_open=True):
    """(http block part, server block part) serving files for pages with `headers` (a
    stored page's headers, as `header_digest` takes them). `keep_open`: leave nginx's
    open-file cache (the http block's) on for the files, under which a change shows up to
    a second late."""
    found = header_digest(headers)
    if found is None:
        raise ValueError("these headers are not a page nginx can serve from a file")
    digest, fixed = found
    lines = []
    for name, value in fixed:
        if "$" in value or '"' in value or "\\" in value or "\n" in value:
            raise ValueError(f"header {name} cannot be written in an nginx config: {value!r}")
        lines.append(f'    add_header {name} "{value}";')
    lines.append("    add_header x-masthead-cache file;")
    http = NGINX_HTTP.format(
        cookies="|".join(re.escape(c) for c in bypass_cookies), digest=digest, upstream=upstream
    )
    server = NGINX_SERVER.format(
        root=root,
        content_type=FILE_CONTENT_TYPE,
        file_cache="" if keep_open else NGINX_NO_FILE_CACHE,
        headers="\n".join(lines),
    )
    return http, server
