"""Through a real nginx on 127.0.0.1 with the configuration `masthead front_nginx` prints."""

import gzip
import io
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from masthead.delivery.cache import page_cache
from tests import factories

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_rows"),
    pytest.mark.skipif(
        not Path(NGINX).exists(), reason="needs nginx (apt-get install nginx-light)"
    ),
]

CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  sendfile on; tcp_nopush on;
  open_file_cache max=1000 inactive=30s; open_file_cache_valid 1s;
{http}
  server {{
    listen 127.0.0.1:{port};
{server}
  }}
}}
"""


@pytest.fixture
def front(live_server, settings):
    """nginx in front of the live server, as docs/production.md sets it up."""
    yield from _front(live_server, settings)


@pytest.fixture
def front_opening_files(live_server, settings):
    """The same with `front_nginx --no-open-file-cache`."""
    yield from _front(live_server, settings, no_open_file_cache=True)


def _front(live_server, settings, **options):
    tmp = Path(tempfile.mkdtemp(prefix="masthead-front-test-"))
    tmp.chmod(0o755)  # nginx's workers (nobody, when started as root) read the pages here
    settings.MASTHEAD_FRONT_ROOT = str(tmp / "front")
    settings.MASTHEAD_PAGE_CACHE_CHECK_INTERVAL = 0.1
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    home = factories.home()
    story = factories.article(factories.section(title="City", slug="city"), title="Tram line opens")
    out = io.StringIO()
    call_command(
        "front_nginx",
        host=f"127.0.0.1:{port}",
        scheme="http",
        upstream=live_server.url.removeprefix("http://"),
        root=str(tmp / "front"),
        stdout=out,
        **options,
    )
    http, _, server = out.getvalue().partition("# server block")
    for d in ("body", "proxy", "fcgi", "uwsgi", "scgi"):
        (tmp / d).mkdir()
    (tmp / "nginx.conf").write_text(
        CONF.format(tmp=tmp, port=port, http=http, server="# server block" + server)
    )
    cache = page_cache()
    cache.front.watch(cache.read_generation)  # what every web process runs
    nginx = subprocess.Popen([NGINX, "-c", str(tmp / "nginx.conf"), "-p", str(tmp), "-e", "stderr"])
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 10
    while True:
        try:
            _get(base + "/")
            break
        except OSError:
            if time.time() > deadline or nginx.poll() is not None:
                raise
            time.sleep(0.05)
    try:
        yield {"base": base, "story": story, "home": home}
    finally:
        cache.front.stopped.set()
        nginx.terminate()
        nginx.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


def _get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def _from_file(front, path, **headers):
    """Ask until nginx answers from the file (the watcher points nginx at the generation)."""
    deadline = time.time() + 5
    while True:
        status, headers_, body = _get(front["base"] + path, **headers)
        if headers_.get("x-masthead-cache") == "file" or time.time() > deadline:
            return status, headers_, body
        time.sleep(0.05)


def test_a_cached_story_is_served_from_its_file_with_masthead_headers(front):
    """The second reader gets the file: same body and headers, gzip by Accept-Encoding, 304."""
    url = front["base"] + front["story"].url
    status, first, body = _get(url)
    assert status == 200 and first["x-masthead-cache"] in ("miss", "hit")
    status, headers, again = _from_file(front, front["story"].url)
    assert headers["x-masthead-cache"] == "file"
    assert again == body and b"Tram line opens" in body
    assert "set-cookie" not in headers
    for name in ("content-security-policy", "x-frame-options", "cache-control", "content-type"):
        assert headers[name] == first[name], name
    assert headers["vary"] == "Accept-Encoding"
    status, gz, packed = _get(url, **{"Accept-Encoding": "gzip"})
    assert gz["content-encoding"] == "gzip" and gzip.decompress(packed) == body
    assert _get(url, **{"If-None-Match": headers["etag"]})[0] == 304


@pytest.mark.parametrize(
    "headers, query",
    [
        ({"Cookie": "sessionid=abc"}, ""),
        ({"Cookie": "csrftoken=x; messages=y"}, ""),
        ({"Authorization": "Basic ZWQ6cHc="}, ""),
        ({}, "?utm_source=x"),
    ],
)
def test_signed_in_and_query_requests_always_reach_masthead(front, headers, query):
    """With a session, credentials or a query string nginx never answers from a file."""
    _from_file(front, front["story"].url)
    status, got, _ = _get(front["base"] + front["story"].url + query, **headers)
    assert status == 200
    assert got["x-masthead-cache"] != "file"


def test_a_correction_is_visible_through_nginx_within_about_a_second(front):
    """Publishing a change stops nginx serving the old file; the new headline follows."""
    story = front["story"]
    _from_file(front, story.url)
    story.title = "Tram line opens to passengers"
    story.save_revision().publish()
    published = time.time()
    while b"to passengers" not in _get(front["base"] + story.url)[2]:
        assert time.time() - published < 3, "the old file was still served after 3 s"
        time.sleep(0.02)
    assert time.time() - published < 2.0  # the purge switches at once; nginx re-checks in 1 s


def test_without_the_open_file_cache_the_first_request_after_a_publish_shows_it(
    front_opening_files,
):
    """`--no-open-file-cache`: nginx opens the file on every request, so the very next
    reader after a publish gets the change (with the default one nginx sends the file it
    holds open until the next second begins)."""
    front = front_opening_files
    story = front["story"]
    for _ in range(3):  # nginx has answered from the file more than once
        assert _from_file(front, story.url)[1]["x-masthead-cache"] == "file"
    story.title = "Tram line opens to passengers"
    story.save_revision().publish()
    status, headers, body = _get(front["base"] + story.url)
    assert status == 200 and b"to passengers" in body
    assert headers["x-masthead-cache"] != "file"  # the new generation has no file yet
    assert b"to passengers" in _from_file(front, story.url)[2]
