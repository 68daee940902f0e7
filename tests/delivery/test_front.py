"""Pages written as files for the nginx front: what nginx can read, and when it stops."""

import gzip
import os
import time
from pathlib import Path

import pytest
from django.http import HttpResponse

from masthead.delivery.cache import Config, Entry, PageCache, page_cache
from masthead.delivery.front import FileFront, file_path, generation_dir, header_digest
from masthead.delivery.middleware import PageCacheMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def front_root(settings, tmp_path):
    settings.MASTHEAD_FRONT_ROOT = str(tmp_path / "front")
    return tmp_path / "front"


@pytest.fixture(autouse=True)
def _host_header(client):
    """Requests through nginx always carry a Host header; the test client's do not."""
    client.defaults["HTTP_HOST"] = "testserver"


def _follow():
    """What every web process's watcher does within the check interval."""
    cache = page_cache()
    cache.front.switch(cache.read_generation())


def served(root, url, host="testserver", scheme="http"):
    """The bytes nginx would send for `url` (through `current`, as the documented config
    reads) once the pages stored so far are written, or None when it would find no file
    and ask Masthead."""
    page_cache().front.flush()
    found = list(Path(root, "current").glob(f"h-*/{scheme}/{host}{url}index.html"))
    return found[0].read_bytes() if found else None


def test_a_stored_page_is_written_where_nginx_reads_it(front_root, client, site):
    """A cached story, plain and gzipped, at <root>/current/h-<headers>/http/<host><path>."""
    url = site["article"].url
    first = client.get(url)
    assert first.headers["X-Masthead-Cache"] == "miss"
    _follow()
    assert served(front_root, url) == first.content
    (plain,) = Path(front_root, "current").glob(f"h-*/http/testserver{url}index.html")
    assert gzip.decompress(plain.with_name("index.html.gz").read_bytes()) == first.content
    digest, headers = header_digest(list(client.get(url).items()))
    assert plain.relative_to(front_root / "current").parts[0] == f"h-{digest}"
    assert ("x-frame-options", first.headers["X-Frame-Options"]) in headers
    assert int(plain.stat().st_mtime) <= time.time()


def test_a_purge_makes_the_written_file_unreachable(front_root, client, site):
    """Publishing a correction switches nginx to a directory without the old story."""
    story = site["article"]
    client.get(story.url)
    _follow()
    assert b"Cranes return" in served(front_root, story.url)
    story.title = "Cranes return to the quay, says port"
    story.save_revision().publish()
    assert served(front_root, story.url) is None  # the purging process switched at once
    assert b"says port" in client.get(story.url).content
    assert b"says port" in served(front_root, story.url)


def test_a_purge_in_another_process_is_followed_by_the_watcher(front_root, settings):
    """The task worker purges; a web process's watcher points nginx at the new generation."""
    settings.MASTHEAD_PAGE_CACHE_CHECK_INTERVAL = 0.05
    web, worker = PageCache(Config()), PageCache(Config())
    worker.front = None  # a worker on another node: this node's files are the web's to follow
    web.front.watch(web.read_generation)
    try:
        _watched(web, worker, front_root)
    finally:
        web.front.stopped.set()


def _watched(web, worker, front_root):
    key = "http://testserver/watched/"
    web.put(_entry(key + "?", b"<p>before</p>"), generation_before=web.read_generation())
    deadline = time.time() + 2
    while served(front_root, "/watched/") is None and time.time() < deadline:
        time.sleep(0.02)
    assert served(front_root, "/watched/") is not None
    worker.purge({"page:7"})
    deadline = time.time() + 2
    while served(front_root, "/watched/") is not None and time.time() < deadline:
        time.sleep(0.02)
    assert served(front_root, "/watched/") is None


def test_a_render_racing_a_purge_never_lands_where_nginx_reads(front_root, rf):
    """A page rendered while a publish happens is not served from a file afterwards."""

    def view(request):
        PageCache(Config()).purge({"page:1"})  # another process publishes meanwhile
        return HttpResponse("<p>rendered during a publish</p>" * 20)

    response = PageCacheMiddleware(view)(rf.get("/racing-front/", HTTP_HOST="testserver"))
    assert response.status_code == 200
    _follow()
    assert served(front_root, "/racing-front/") is None


def test_a_store_hit_that_raced_a_purge_lands_in_the_old_directory(front_root):
    """Written under the generation its render started in: once switched, nginx skips it."""
    cache = page_cache()
    before = cache.read_generation()
    cache.purge({"all"})
    cache.front.write(_entry("http://testserver/late/?", b"<p>old</p>"), before)
    assert served(front_root, "/late/") is None
    assert list(front_root.glob(f"{generation_dir(before)}/h-*/http/testserver/late/index.html"))


def test_signed_in_and_personal_requests_are_never_written(front_root, client, site, settings):
    """Only what Masthead would hand every anonymous reader becomes a file."""
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_user("editor", password="x", is_superuser=True)
    client.force_login(editor)
    client.get(site["section"].url)
    client.logout()
    client.get("/", {"page": "2"})
    _follow()
    assert served(front_root, site["section"].url) is None
    assert not list(front_root.rglob("index.html"))


@pytest.mark.parametrize(
    "key",
    [
        "http://testserver/feeds/rss/?page=2",  # a query string: nginx serves files without
        "http://testserver/sitemap.xml?",  # not a directory page
        "http://testserver/news/.hidden/?",
        "http://testserver/news/index.html/?",
        "http://Testserver/news/?",  # Host headers that are not lower case go to Masthead
        "ftp://testserver/news/?",
    ],
)
def test_keys_nginx_would_map_elsewhere_are_not_written(key):
    """A file is written only where nginx's path for the same request is exactly it."""
    assert file_path(key) is None


def test_pages_with_other_headers_or_types_get_no_file_nginx_reads(front_root):
    """A feed, or a page with a header the rest lack, is left to Masthead."""
    cache = page_cache()
    generation = cache.read_generation()
    feed = _entry(
        "http://testserver/feeds/rss/?", b"<rss/>" * 100, content_type="application/rss+xml"
    )
    assert cache.front.write(feed, generation) is False
    odd = _entry("http://testserver/odd/?", b"<p>odd</p>", extra=[("X-Robots-Tag", "noindex")])
    plain = _entry("http://testserver/plain/?", b"<p>plain</p>")
    assert cache.front.write(odd, generation) and cache.front.write(plain, generation)
    digests = {p.name for p in front_root.glob("g-*/h-*")}
    assert len(digests) == 2  # nginx reads one of them: the front page's, per front_nginx


def test_an_unchanged_page_keeps_its_validators_and_a_changed_one_moves_on(front_root):
    """After a purge an identical page keeps nginx's ETag (mtime and size); a changed page
    of the same size gets a later time even within the same second."""
    cache = page_cache()
    cache.front.switch(cache.read_generation())
    same = _entry("http://testserver/same/?", b"<p>aaaa</p>")
    changed = _entry("http://testserver/changed/?", b"<p>aaaa</p>")
    for entry in (same, changed):
        cache.front.write(entry, cache.read_generation())
    times = {u: _file(front_root, u).stat().st_mtime for u in ("/same/", "/changed/")}
    cache.purge({"all"})
    cache.front.write(_entry("http://testserver/same/?", b"<p>aaaa</p>"), cache.read_generation())
    cache.front.write(
        _entry("http://testserver/changed/?", b"<p>bbbb</p>"), cache.read_generation()
    )
    assert _file(front_root, "/same/").stat().st_mtime == times["/same/"]
    assert _file(front_root, "/changed/").stat().st_mtime > times["/changed/"]


def test_old_generations_are_removed_once_unused(front_root, settings):
    """Directories nginx no longer reads are deleted; current and previous stay."""
    front = FileFront(front_root)
    for n in range(3):
        front.switch(f"gen-{n}")
    old = front_root / generation_dir("gen-0")
    os.utime(old, (time.time() - 60, time.time() - 60))
    front.prune()
    assert not old.exists()
    assert (front_root / generation_dir("gen-1")).exists()
    assert os.readlink(front_root / "current") == generation_dir("gen-2")


def _file(root, url):
    return next(Path(root, "current").glob(f"h-*/http/testserver{url}index.html"))


def _entry(key, body, *, content_type="text/html; charset=utf-8", extra=()):
    return Entry(
        key=key,
        status=200,
        headers=[("Content-Type", content_type), *extra],
        body=body,
        tags={"all", "page:7"},
        cache_control="public, max-age=0",
    )


def test_the_web_entry_point_keeps_nginx_on_the_current_generation(front_root, settings):
    """Every web process (masthead.wsgi) starts a watcher, so a node whose pages all come
    from files still follows purges."""
    from django.core.handlers.wsgi import WSGIHandler

    from masthead.delivery.wsgi import PageCacheApplication

    settings.MASTHEAD_PAGE_CACHE_CHECK_INTERVAL = 0.05
    PageCacheApplication(WSGIHandler())
    cache = page_cache()
    try:
        deadline = time.time() + 2
        while not (front_root / "current").is_symlink() and time.time() < deadline:
            time.sleep(0.02)
        expected = generation_dir(cache.read_generation())
        assert os.readlink(front_root / "current") == expected
        other = PageCache(Config())
        other.front = None  # a purge from another machine
        other.purge({"all"})
        deadline = time.time() + 2
        while os.readlink(front_root / "current") == expected and time.time() < deadline:
            time.sleep(0.02)
        assert os.readlink(front_root / "current") == generation_dir(cache.read_generation())
    finally:
        cache.front.stopped.set()


def test_a_page_rewritten_in_the_same_generation_never_keeps_a_stale_validator(front_root):
    """Written again with other bytes (a scheduled story came due), the file's time moves on;
    written again with the same bytes, it is left as it is."""
    cache = page_cache()
    generation = cache.read_generation()
    cache.front.switch(generation)
    cache.front.write(_entry("http://testserver/again/?", b"<p>one</p>"), generation)
    first = _file(front_root, "/again/").stat()
    cache.front.write(_entry("http://testserver/again/?", b"<p>one</p>"), generation)
    assert _file(front_root, "/again/").stat().st_ino == first.st_ino
    cache.front.write(_entry("http://testserver/again/?", b"<p>two</p>"), generation)
    assert _file(front_root, "/again/").read_bytes() == b"<p>two</p>"
    assert _file(front_root, "/again/").stat().st_mtime > first.st_mtime


def test_the_reader_never_waits_for_the_files(front_root, client, site, monkeypatch):
    """The page is answered while its files are still being written (by the writer thread
    of the process), and is written once the disk is free again."""
    import threading

    cache = page_cache()
    disk_free = threading.Event()
    write = cache.front.write
    monkeypatch.setattr(cache.front, "write", lambda *a: disk_free.wait(10) and write(*a))
    url = site["article"].url
    first = client.get(url)
    assert first.status_code == 200 and first.headers["X-Masthead-Cache"] == "miss"
    assert not list(front_root.rglob("index.html"))  # still waiting for the disk
    disk_free.set()
    _follow()
    assert served(front_root, url) == first.content


def test_pages_past_the_writers_backlog_are_left_to_masthead(front_root, monkeypatch):
    """A writer that fell behind drops pages rather than holding ever more in memory: nginx
    finds no file for them and asks Masthead."""
    import threading

    from masthead.delivery import front as front_module

    monkeypatch.setattr(front_module, "_PENDING", 2)
    front = FileFront(front_root)
    started, disk_free = threading.Event(), threading.Event()
    monkeypatch.setattr(front, "write", lambda *a: started.set() or disk_free.wait(10))
    assert front.submit(_entry("http://testserver/a/?", b"a"), "g")
    assert started.wait(5)  # the writer holds the first page
    assert front.submit(_entry("http://testserver/b/?", b"b"), "g")
    assert front.submit(_entry("http://testserver/c/?", b"c"), "g")
    assert not front.submit(_entry("http://testserver/d/?", b"d"), "g")
    disk_free.set()
    front.flush()
    assert front.submit(_entry("http://testserver/e/?", b"e"), "g")
