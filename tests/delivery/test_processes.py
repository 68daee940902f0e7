"""Several processes: the WSGI fast path, and purges reaching other processes' memory."""

import os
import time

import brotli
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test.utils import CaptureQueriesContext

from masthead.delivery.cache import Config, PageCache, page_cache, reset_page_cache
from masthead.delivery.wsgi import PageCacheApplication

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Calling WSGIHandler directly fires request_started/finished, whose receiver closes the
    database connection; inside a test transaction that kills the test's own connection (seen
    on PostgreSQL). Django's test client unhooks the same receiver for the same reason."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _call(app, path, **headers):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": __import__("io").BytesIO(),
        "wsgi.errors": __import__("sys").stderr,
        **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
    }
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return started["status"], started["headers"], body


def test_wsgi_fast_path_serves_hits_without_django(site):
    """Behind the production WSGI entry point a hit never reaches Django or the database."""
    from django.db import connection

    app = PageCacheApplication(WSGIHandler())
    url = site["article"].url
    status, headers, first = _call(app, url)
    assert status.startswith("200") and headers["X-Masthead-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        status, headers, body = _call(app, url, **{"Accept-Encoding": "gzip"})
    assert status == "200 OK" and headers["X-Masthead-Cache"] == "hit"
    assert headers["Content-Encoding"] == "gzip" and "Set-Cookie" not in headers
    assert __import__("gzip").decompress(body) == first
    assert len(queries) == 0
    status, _, body = _call(app, url, **{"If-None-Match": headers["ETag"]})
    assert status == "304 Not Modified" and body == b""


def test_wsgi_fast_path_hit_has_the_page_compressed_again(site):
    """A hit answered before Django also has a quickly compressed copy made again at full
    quality for the readers after it."""
    from masthead.delivery.cache import flush_settling

    app = PageCacheApplication(WSGIHandler())
    url = site["article"].url
    br = {"Accept-Encoding": "br"}
    _, headers, first = _call(app, url, **br)
    assert headers["X-Masthead-Cache"] == "miss" and headers["Content-Encoding"] == "br"
    _, headers, second = _call(app, url, **br)
    assert headers["X-Masthead-Cache"] == "hit" and second == first
    flush_settling()
    _, headers, third = _call(app, url, **br)
    assert len(third) < len(first) and int(headers["Content-Length"]) == len(third)
    assert brotli.decompress(third) == brotli.decompress(first)


def test_wsgi_fast_path_lets_signed_in_readers_through(site, client):
    """A session cookie sends the request to Django even when the page is cached."""
    app = PageCacheApplication(WSGIHandler())
    url = site["article"].url
    _call(app, url)
    _, headers, _ = _call(app, url, Cookie="sessionid=abc; csrftoken=x")
    assert headers["X-Masthead-Cache"] == "bypass"
    _, headers, _ = _call(app, url, Cookie="csrftoken=x")
    assert headers["X-Masthead-Cache"] == "hit"


def _two_processes():
    """Two page caches as two web processes would hold them (separate memory)."""
    reset_page_cache()
    return PageCache(Config()), PageCache(Config())


def _entry(key):
    from masthead.delivery.cache import Entry

    return Entry(
        key=key,
        status=200,
        headers=[("Content-Type", "text/html; charset=utf-8")],
        body=b"<p>story</p>" * 50,
        tags={"page:7", "all"},
        cache_control="public",
    )


def test_purge_in_one_process_reaches_another_through_the_stamp(settings):
    """Without a shared cache, a purge in the worker empties the web processes' memory."""
    settings.MASTHEAD_PAGE_CACHE_SHARED = False
    web, worker = _two_processes()
    key = "http://testserver/story/?"
    web.put(_entry(key), generation_before=web.read_generation())
    assert web.get(key) is not None
    worker.purge({"page:7"})
    assert web.get(key) is None


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (set REDIS_URL)")
def test_purge_reaches_other_processes_through_redis_within_the_check_interval(settings):
    """With Redis, entries are shared; a purge elsewhere is seen within the check interval."""
    settings.MASTHEAD_PAGE_CACHE_SHARED = True
    settings.MASTHEAD_PAGE_CACHE_CHECK_INTERVAL = 0.2
    web, worker = _two_processes()
    key = "http://testserver/shared-story/?"
    web.put(_entry(key), generation_before=web.read_generation())
    assert worker.get(key) is not None  # found in Redis by the other process
    other_key = "http://testserver/other/?"
    other = _entry(other_key)
    other.tags = frozenset({"page:8"})
    web.put(other, generation_before=web.read_generation())
    worker.purge({"page:7"})
    time.sleep(0.25)
    assert web.get(key) is None
    assert worker.get(key) is None
    assert web.get(other_key) is not None  # other tags survive in Redis
    assert web.store.get(PageCache.GENERATION_KEY) is not None


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (set REDIS_URL)")
def test_a_reader_in_the_middle_of_a_purge_keeps_no_purged_copy(settings, monkeypatch):
    """Another process that looks at the store after each of a purge's answers from Redis
    (its periodic check, then the page) never ends up holding the purged copy in memory:
    the new generation and the tags' versions arrive together."""
    from redis.connection import AbstractConnection

    settings.MASTHEAD_PAGE_CACHE_SHARED = True
    settings.MASTHEAD_PAGE_CACHE_CHECK_INTERVAL = 60
    web, worker = _two_processes()
    key = "http://testserver/purged-mid-way/?"
    web.put(_entry(key), generation_before=web.read_generation())
    web.local.clear()  # its next look goes to Redis
    state = {"purging": False, "looking": False}
    looks = []
    read_response = AbstractConnection.read_response

    def reader_looks_after_each_answer(connection, *args, **kwargs):
        answer = read_response(connection, *args, **kwargs)
        if state["purging"] and not state["looking"]:
            state["looking"] = True
            try:
                web._check_generation()
                looks.append(web.get(key))
            finally:
                state["looking"] = False
        return answer

    monkeypatch.setattr(AbstractConnection, "read_response", reader_looks_after_each_answer)
    state["purging"] = True
    worker.purge({"page:7"})
    state["purging"] = False
    assert looks  # the reader did look while the purge was under way
    web._check_generation()
    assert web.get(key) is None


def test_entries_of_another_release_are_not_read_from_the_shared_cache(settings, monkeypatch):
    """During a rolling deploy, a process never reads an entry stored by a release whose
    entries hold other attributes (it renders the page instead)."""
    from masthead.delivery.cache import Entry

    settings.MASTHEAD_PAGE_CACHE_SHARED = True
    old, new = _two_processes()
    key = "http://testserver/deploy-story/?"
    monkeypatch.setattr(Entry, "FORMAT", Entry.FORMAT - 1)
    old.put(_entry(key), generation_before=old.read_generation())
    assert PageCache(Config()).get(key) is not None  # the old release's own processes
    monkeypatch.undo()
    assert new.get(key) is None


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (set REDIS_URL)")
def test_a_miss_costs_three_round_trips_to_the_shared_cache(settings, site, client):
    """Entry and generation in one read, tag versions and generation in another, then the
    store: a miss waits on Redis three times, not five; a story's first miss once more, to
    see no purge came while its own part was kept (masthead.delivery.fragments)."""
    settings.MASTHEAD_PAGE_CACHE_SHARED = True
    settings.MASTHEAD_PAGE_CACHE_CHECK_INTERVAL = 60
    reset_page_cache()
    client.get(site["section"].url)  # the periodic generation check is done
    url = site["article"].url  # outside a request, a URL reads the generation too
    store = page_cache().store
    calls = []
    for name in ("get", "get_many", "set", "set_many", "add"):
        original = getattr(store, name)

        def spy(key, *args, _original=original, _name=name, **kwargs):
            keys = [key] if isinstance(key, str) else list(key)
            if any(k.startswith("pagecache:") for k in keys):
                calls.append(_name)
            return _original(key, *args, **kwargs)

        setattr(store, name, spy)
    try:
        response = client.get(url)
        first = list(calls)
        page_cache().local.clear()
        store.delete_pattern("pagecache:e*")  # the entry only: no purge
        calls.clear()
        again = client.get(url)
    finally:
        for name in ("get", "get_many", "set", "set_many", "add"):
            store.__dict__.pop(name, None)
    assert response.headers["X-Masthead-Cache"] == again.headers["X-Masthead-Cache"] == "miss"
    assert first == ["get_many", "get", "get_many", "set"]
    assert calls == ["get_many", "get_many", "set"]
    assert client.get(url).headers["X-Masthead-Cache"] == "hit"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (set REDIS_URL)")
def test_a_render_racing_a_purge_is_not_stored_in_the_shared_cache(settings, rf):
    """The generation read with the tag versions still refuses a render a purge overtook."""
    from django.http import HttpResponse

    from masthead.delivery.cache import page_cache
    from masthead.delivery.middleware import PageCacheMiddleware

    settings.MASTHEAD_PAGE_CACHE_SHARED = True
    reset_page_cache()

    def view(request):
        PageCache(Config()).purge({"page:1"})  # another process publishes meanwhile
        return HttpResponse("<p>rendered during a publish</p>" * 20)

    response = PageCacheMiddleware(view)(rf.get("/racing-shared/", HTTP_HOST="testserver"))
    assert response.status_code == 200
    assert page_cache().get("http://testserver/racing-shared/?") is None
    assert PageCache(Config()).get("http://testserver/racing-shared/?") is None


def _draft_entry(key):
    """An entry as a brotli reader's miss stores it: a page that compresses well."""
    from masthead.delivery.cache import Entry

    body = b"".join(b"<p>Paragraph %d of the story, about the harbour.</p>" % n for n in range(400))
    return Entry(
        key=key,
        status=200,
        headers=[("Content-Type", "text/html; charset=utf-8")],
        body=body,
        tags={"page:7", "all"},
        cache_control="public",
        accept_encoding="br",
    )


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (set REDIS_URL)")
def test_a_copy_compressed_again_reaches_other_processes(settings):
    """The fully compressed copy one process makes on a hit is what other processes read
    from Redis, with the stored copy's time to live."""
    from masthead.delivery.cache import flush_settling

    settings.MASTHEAD_PAGE_CACHE_SHARED = True
    web, other = _two_processes()
    key = "http://testserver/settled-story/?"
    web.put(_draft_entry(key), generation_before=web.read_generation())
    stored_key = web.store.make_key(web._entry_key(key))
    client = web.store.client.get_client(write=True)
    ttl = client.ttl(stored_key)
    quick = web.get(key)
    assert quick.draft == {"br"}
    web.settle(quick)
    flush_settling()
    settled = other.get(key)
    assert settled.draft == frozenset()
    assert len(settled.bodies["br"]) < len(quick.bodies["br"])
    assert brotli.decompress(settled.bodies["br"]) == quick.bodies[None]
    assert web.get(key).bodies["br"] == settled.bodies["br"]  # this process's memory too
    assert ttl - 5 <= client.ttl(stored_key) <= ttl


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (set REDIS_URL)")
def test_a_copy_compressed_again_after_a_purge_is_never_served(settings):
    """A hit just before a purge: compressing its copy again afterwards stores nothing any
    process would serve."""
    settings.MASTHEAD_PAGE_CACHE_SHARED = True
    web, worker = _two_processes()
    key = "http://testserver/purged-settle/?"
    web.put(_draft_entry(key), generation_before=web.read_generation())
    served = web.get(key)
    worker.purge({"page:7"})
    web.purge({"page:7"})  # as the check interval would have it in this process
    web._settle(served)  # the thread's job, run late
    assert web.get(key) is None
    assert PageCache(Config()).get(key) is None
