"""When Redis stops answering: readers still get pages, editors still publish, and no copy
made before a change is served after it, during the outage or once Redis is back.

Each test runs a Redis server of its own, which it stops (killed: connections refused),
freezes (SIGSTOP: connections accepted, nothing answered, as behind a partition) and
restarts with the data it held (a snapshot, as a Redis with persistence comes back).
"""

import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest
from django.test import Client

from masthead.delivery.cache import reset_page_cache
from masthead.delivery.models import PendingPurge
from tests import factories
from tests.news.newsroom import article_form, edit_url, staff

pytestmark = [
    # Committed: the page cache's probe thread reads the kept purges on its own connection.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_rows"),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]


class OwnRedis:
    def __init__(self, folder):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.folder = folder
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.folder), "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            if self._cli("PING").stdout.strip() == "PONG":
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        """Snapshot what it holds, then die: connections are refused until start()."""
        self._cli("SAVE")
        self.process.kill()
        self.process.wait()

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def _cli(self, *command):
        return subprocess.run(
            ["redis-cli", "-p", str(self.port), *command], capture_output=True, text=True
        )


@pytest.fixture
def redis(settings, tmp_path):
    """The production settings' two aliases on a Redis of the test's own."""
    server = OwnRedis(tmp_path)
    server.start()
    location = f"redis://127.0.0.1:{server.port}/0"
    timeouts = {"SOCKET_CONNECT_TIMEOUT": 0.1, "SOCKET_TIMEOUT": 0.1}
    alias = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": location}
    remembering = "masthead.core.redis.RememberingConnectionFactory"
    settings.CACHES = {
        "default": {
            **alias,
            "OPTIONS": {**timeouts, "IGNORE_EXCEPTIONS": True, "CONNECTION_FACTORY": remembering},
        },
        "pages": {**alias, "OPTIONS": timeouts},
    }
    settings.MASTHEAD_PAGE_CACHE_ALIAS = "pages"
    settings.MASTHEAD_PAGE_CACHE_SHARED = True
    reset_page_cache()
    yield server
    server.thaw()
    server.process.kill()
    reset_page_cache()


def _cache_back():
    """Wait for this process's probe thread to find Redis answering and take it back."""
    from masthead.delivery.cache import page_cache

    for _ in range(100):
        if not page_cache().store_down:
            return
        time.sleep(0.05)
    raise AssertionError("the page cache did not take Redis back")


def _get(url):
    response = Client().get(url)
    assert response.status_code == 200, url
    return response


def _correct_while_down(story, redis, capture_on_commit, *, before_restart=None):
    """The story cached, a correction published with Redis gone, Redis back with the
    copy it held."""
    _get(story.url)
    redis.stop()
    with capture_on_commit(execute=True):
        story.title = "Cranes return a week late"
        story.save_revision().publish()
    if before_restart is not None:
        before_restart()
    redis.start()


def test_readers_get_every_page_while_redis_hangs_or_is_gone(site, redis):
    """A frozen Redis (each call waits for its timeout) and a dead one (refused): the
    story, section and front page are rendered for every request, none from memory. (One
    slow answer is not taken for an outage: the request that meets it is served as if
    Redis had answered late.)"""
    story = site["article"]
    _get(story.url)
    assert _get(story.url)["X-Masthead-Cache"] == "hit"
    for outage, recover in ((redis.freeze, redis.thaw), (redis.stop, redis.start)):
        outage()
        assert b"Cranes return to the quay" in _get(story.url).content
        for url in (story.url, site["section"].url, "/"):
            for _ in range(2):
                response = _get(url)
                assert response["X-Masthead-Cache"] == "miss", url
                assert b"Cranes return to the quay" in response.content
        recover()
        _cache_back()
        _get(story.url)
        assert _get(story.url)["X-Masthead-Cache"] == "hit"


def test_an_editor_publishes_while_redis_is_down_and_readers_see_it_at_once(
    site, redis, client, django_capture_on_commit_callbacks
):
    """Publishing through the admin works with Redis gone; the story shows the new
    wording to the next reader, and the purge Redis missed is kept for later."""
    story = site["article"]
    _get(story.url)
    redis.stop()
    client.force_login(staff("Editors"))
    form = article_form(
        author=site["author"], action="publish", title="Cranes return a week late", slug=story.slug
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit_url(story), form).status_code == 302
    story.refresh_from_db()
    assert story.live and story.title == "Cranes return a week late"
    assert b"Cranes return a week late" in _get(story.url).content
    assert PendingPurge.objects.exists()


def test_the_process_that_saw_the_outage_replays_its_purges_when_redis_is_back(
    site, redis, django_capture_on_commit_callbacks
):
    """Redis comes back with the copy it held before the correction: the process replays
    the purge made meanwhile before it uses Redis again, so that copy is never served."""
    story = site["article"]
    _correct_while_down(story, redis, django_capture_on_commit_callbacks)
    assert b"Cranes return a week late" in _get(story.url).content  # Redis not used yet
    _cache_back()
    response = _get(story.url)
    assert b"Cranes return a week late" in response.content
    assert b"Cranes return to the quay<" not in response.content
    assert not PendingPurge.objects.exists()


def test_a_correction_published_as_redis_is_taken_back_is_not_lost(site, redis, monkeypatch):
    """The probe thread replays the purges kept during the outage, then lets requests use
    Redis again. A correction published in between is kept too (Redis is not used yet);
    it must be replayed before then, not left for the worker's next tick while Redis
    serves the copy from before it."""
    from django.db import connections

    from masthead.delivery.cache import page_cache

    story = site["article"]
    _get(story.url)  # Redis holds the story
    redis.stop()
    _get(story.url)  # this process finds Redis gone
    cache = page_cache()
    assert cache.store_down
    replay = cache.replay_pending_purges

    def publish():
        story.title = "Cranes return a week late"
        story.save_revision().publish()
        connections.close_all()

    editor = threading.Thread(target=publish)

    def replay_then_a_correction_comes_in():
        replay()
        if editor.ident is None:  # an editor's request publishes just after the replay
            editor.start()
            editor.join(timeout=0.5)

    monkeypatch.setattr(cache, "replay_pending_purges", replay_then_a_correction_comes_in)
    redis.start()
    _cache_back()
    editor.join(timeout=10)
    response = _get(story.url)
    assert b"Cranes return a week late" in response.content
    assert b"Cranes return to the quay<" not in response.content
    assert not PendingPurge.objects.exists()


def test_the_worker_replays_purges_for_processes_that_never_saw_the_outage(
    site, redis, django_capture_on_commit_callbacks
):
    """A web process with no request during the outage trusts Redis when it is back; the
    worker's next tick replays the missed purge before that process serves the story."""
    from masthead.cli import scheduler_tick

    story = site["article"]
    # A process that never noticed: nothing in memory, no probe thread, store trusted.
    _correct_while_down(
        story, redis, django_capture_on_commit_callbacks, before_restart=reset_page_cache
    )
    scheduler_tick()
    assert b"Cranes return a week late" in _get(story.url).content
    assert not PendingPurge.objects.exists()


def test_a_reader_can_ask_for_a_sign_in_link_while_redis_is_down(
    redis, mailoutbox, django_capture_on_commit_callbacks
):
    """The sign-in form's rate limit counts in Redis; with Redis gone the reader still
    gets the link rather than an error page."""
    factories.home()
    redis.stop()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/account/sign-in/", {"email": "ada@example.org"})
    assert response.status_code == 302 and response["Location"] == "/account/sign-in/sent/"
    assert [m.to for m in mailoutbox] == [["ada@example.org"]]


def test_nginx_stops_serving_written_pages_while_redis_is_down(site, redis, settings, tmp_path):
    """With the nginx front, the first request to find Redis gone points nginx at an
    empty folder: every request then reaches Masthead, which renders it, until Redis is
    back (a file written before could be stale by a purge no one hears of)."""
    from tests.delivery.test_front import _follow, served

    settings.MASTHEAD_FRONT_ROOT = str(tmp_path / "front")
    reset_page_cache()
    story = site["article"]
    through_nginx = Client(HTTP_HOST="testserver")
    through_nginx.get(story.url)
    _follow()
    assert b"Cranes return to the quay" in served(tmp_path / "front", story.url)
    redis.stop()
    assert through_nginx.get(story.url).status_code == 200
    assert served(tmp_path / "front", story.url) is None


def test_one_slow_answer_from_redis_is_not_an_outage(site, redis):
    """Under load one answer can come later than the timeout: the request that meets it
    is still served, the cache does not step aside, and the next requests are hits."""
    from masthead.delivery.cache import page_cache

    story = site["article"]
    _get(story.url)
    redis.freeze()
    threading.Timer(0.3, redis.thaw).start()
    assert b"Cranes return to the quay" in _get(story.url).content  # one read gave up
    assert not page_cache().store_down
    time.sleep(0.4)
    assert _get(story.url)["X-Masthead-Cache"] == "hit"


def test_a_frozen_redis_costs_a_request_one_timeout_not_one_per_call(
    site, redis, settings, client, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    """Each call to a frozen Redis waits for the socket timeout. The default cache stops
    asking it after two, and says so once; so an editor's publish and the readers' pages
    during the freeze wait for a few timeouts in all, not one per call (an admin page
    alone makes dozens)."""
    import masthead.core.redis

    _slow_timeouts(settings, monkeypatch, seconds=1.0)
    monkeypatch.setattr(masthead.core.redis, "RETRY_AFTER", 60)
    # The page cache asks Redis again every half second meanwhile, from a thread of its
    # own: no request waits for that.
    settings.MASTHEAD_PAGE_CACHE_CHECK_INTERVAL = 0.5
    reset_page_cache()
    story = site["article"]
    client.force_login(staff("Editors"))
    assert client.get(edit_url(story)).status_code == 200
    redis.freeze()
    started = time.monotonic()
    assert client.get(edit_url(story)).status_code == 200
    form = article_form(
        author=site["author"], action="publish", title="Cranes return a week late", slug=story.slug
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit_url(story), form).status_code == 302
    for url in (story.url, site["section"].url, "/"):
        assert b"Cranes return a week late" in _get(url).content
    waited = time.monotonic() - started
    # Two timeouts for each of the two cache aliases before they step aside.
    assert waited < 8 * 1.0, waited
    stopped = [r.name for r in caplog.records if "is not answering" in r.getMessage()]
    assert sorted(stopped) == ["masthead.delivery.cache", "masthead.redis"]  # once each
    for _ in range(3):
        time.sleep(0.6)  # the page cache has asked Redis again meanwhile, not this reader
        started = time.monotonic()
        _get(story.url)
        assert time.monotonic() - started < 1.0


def test_the_default_cache_asks_redis_again_a_while_after_it_stopped_answering(
    redis, settings, monkeypatch, caplog
):
    """While it is not asked, a call is a miss at once; the first call after the wait
    asks again, waiting a moment rather than the whole timeout, and once Redis answers
    the cache holds values again."""
    from django.core.cache import cache

    import masthead.core.redis

    _slow_timeouts(settings, monkeypatch, seconds=1.0)
    monkeypatch.setattr(masthead.core.redis, "RETRY_AFTER", 0.5)
    cache.set("kept", "yes")
    redis.freeze()
    assert cache.get("kept") is None and cache.get("kept") is None  # two timeouts

    def waited_for_a_miss():
        started = time.monotonic()
        assert cache.get("kept") is None
        return time.monotonic() - started

    assert waited_for_a_miss() < 0.2  # not asked
    time.sleep(0.6)
    assert 0.2 <= waited_for_a_miss() < 0.9  # asked again, not for the whole timeout
    redis.thaw()
    assert waited_for_a_miss() < 0.2  # not asked until the next wait is over
    time.sleep(0.6)
    assert cache.get("kept") == "yes"
    assert any("answers again" in r.getMessage() for r in caplog.records)


def _slow_timeouts(settings, monkeypatch, seconds):
    """Timeouts long beside the work of the requests, so the waits are what is measured;
    new connection pools, so they apply."""
    from django_redis.pool import ConnectionFactory

    slow = dict.fromkeys(("SOCKET_CONNECT_TIMEOUT", "SOCKET_TIMEOUT"), seconds)
    settings.CACHES = {
        alias: {**config, "OPTIONS": {**config["OPTIONS"], **slow}}
        for alias, config in settings.CACHES.items()
    }
    monkeypatch.setattr(ConnectionFactory, "_pools", {})
