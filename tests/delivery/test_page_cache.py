import gzip
import time
from email.utils import formatdate

import brotli
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db


def _state(response):
    return response.headers.get("X-Masthead-Cache")


def test_second_anonymous_request_is_a_hit_without_queries(client, site):
    """A cached article is answered from stored bytes without touching the database."""
    url = site["article"].url
    first = client.get(url)
    assert first.status_code == 200 and _state(first) == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert _state(second) == "hit"
    assert second.content == first.content
    assert b"Cranes return to the quay" in second.content
    assert len(queries) == 0


def test_hit_sends_shared_cache_headers_and_no_cookie(client, site):
    """Anonymous responses let a CDN keep them and never carry Set-Cookie."""
    url = site["article"].url
    client.get(url)
    client.cookies["csrftoken"] = "x" * 32  # a reader who once saw a form
    hit = client.get(url)
    assert _state(hit) == "hit"
    assert "s-maxage=" in hit["Cache-Control"] and "stale-while-revalidate=" in hit["Cache-Control"]
    assert "Set-Cookie" not in hit.headers and not hit.cookies
    assert hit["Vary"] == "Accept-Encoding"


def test_response_setting_a_cookie_is_never_stored(rf, site):
    """A view that sets a cookie makes its response per-reader: it is not cached."""
    from django.http import HttpResponse

    from masthead.delivery.middleware import PageCacheMiddleware

    def view(request):
        response = HttpResponse("<p>per reader</p>")
        response.set_cookie("seen", "1")
        return response

    middleware = PageCacheMiddleware(view)
    first = middleware(rf.get("/cookie-page/"))
    second = middleware(rf.get("/cookie-page/"))
    assert _state(first) == "bypass" and _state(second) == "bypass"
    assert second.cookies["seen"].value == "1"


def test_signed_in_reader_bypasses_and_is_never_stored(client, site):
    """A signed-in request neither reads nor fills the anonymous cache."""
    url = site["article"].url
    editor = get_user_model().objects.create_user("editor", password="pw", is_staff=True)
    client.force_login(editor)
    signed_in = client.get(url)
    assert _state(signed_in) == "bypass"
    client.logout()
    anonymous = client.get(url)
    assert _state(anonymous) == "miss"
    client.force_login(editor)
    assert _state(client.get(url)) == "bypass"


def test_post_is_never_answered_from_the_cache(client, site):
    """A POST to a cached URL reaches the application."""
    url = site["article"].url
    client.get(url)
    response = client.post(url, {"x": "1"})
    assert _state(response) == "bypass"


def test_admin_and_preview_urls_are_never_cached(client, site):
    """Editors' previews and the admin are never stored, even when fetched anonymously."""
    editor = get_user_model().objects.create_superuser("chief", "c@example.org", "pw")
    client.force_login(editor)
    story = site["article"]
    story.title = "Draft headline"
    story.save_revision()
    draft = f"/admin/pages/{story.pk}/view_draft/"
    shown = client.get(draft)
    assert shown.status_code == 200 and b"Draft headline" in shown.content
    assert _state(shown) == "bypass"
    client.logout()
    for _ in range(2):
        assert _state(client.get(draft)) == "bypass"
        assert _state(client.get("/admin/login/")) == "bypass"
    assert b"Draft headline" not in client.get(story.url).content


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [
        ("gzip, deflate, br", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
        ("br;q=0, gzip;q=1", "gzip", gzip.decompress),
        ("", None, lambda b: b),
        ("identity", None, lambda b: b),
    ],
)
def test_hit_is_compressed_as_the_reader_accepts(client, site, accept, encoding, decode):
    """Brotli, gzip or plain bytes by Accept-Encoding, all the same page."""
    url = site["article"].url
    plain = client.get(url).content
    response = client.get(url, headers={"Accept-Encoding": accept})
    assert _state(response) == "hit"
    assert response.headers.get("Content-Encoding") == encoding
    assert decode(response.content) == plain
    assert int(response["Content-Length"]) == len(response.content)
    assert response["Vary"] == "Accept-Encoding"


def test_each_encoding_is_made_when_first_asked_for(client, site):
    """A brotli reader's miss is answered in brotli; the gzip and plain readers after
    them are answered from the same entry in theirs, each the same page."""
    url = site["article"].url
    first = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert _state(first) == "miss" and first["Content-Encoding"] == "br"
    page = brotli.decompress(first.content)
    assert b"Cranes return to the quay" in page
    for accept, encoding, decode in (
        ("gzip", "gzip", gzip.decompress),
        ("", None, lambda b: b),
        ("br", "br", brotli.decompress),
    ):
        response = client.get(url, headers={"Accept-Encoding": accept})
        assert _state(response) == "hit"
        assert response.headers.get("Content-Encoding") == encoding
        assert decode(response.content) == page
        assert int(response["Content-Length"]) == len(response.content)
        assert response["ETag"] == first["ETag"]


def test_a_page_read_again_is_sent_at_full_compression(client, site):
    """A miss answers its brotli reader quickly; once a second reader has it, the readers
    after them get the smaller, fully compressed copy of the same page."""
    from masthead.delivery.cache import flush_settling

    url = site["article"].url
    br = {"Accept-Encoding": "gzip, deflate, br"}
    first = client.get(url, headers=br)
    assert _state(first) == "miss"
    second = client.get(url, headers=br)
    assert _state(second) == "hit" and second.content == first.content
    flush_settling()
    third = client.get(url, headers=br)
    assert _state(third) == "hit" and third["Content-Encoding"] == "br"
    assert brotli.decompress(third.content) == brotli.decompress(first.content)
    assert len(third.content) < len(first.content)
    assert int(third["Content-Length"]) == len(third.content)
    assert third["ETag"] == first["ETag"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_conditional_get_answers_not_modified(client, site):
    """If-None-Match and If-Modified-Since answer 304 with no body; a changed page 200.
    (By date only for a copy from a later second than the last purge: see test_purge.)"""
    url = site["article"].url
    with time_machine.travel(time.time() + 2):
        first = client.get(url)
        etag, modified = first["ETag"], first["Last-Modified"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        not_modified = client.get(url, headers={"If-Modified-Since": modified})
        assert not_modified.status_code == 304 and not_modified.content == b""
        old = formatdate(0, usegmt=True)
        assert client.get(url, headers={"If-Modified-Since": old}).status_code == 200
        assert client.get(url, headers={"If-None-Match": 'W/"other"'}).status_code == 200
        story = site["article"]
        story.title = "Cranes leave the quay"
        story.save_revision().publish()
        changed = client.get(url, headers={"If-None-Match": etag})
        assert changed.status_code == 200 and b"Cranes leave the quay" in changed.content


def test_head_is_answered_from_the_cache(client, site):
    """HEAD gets the stored headers."""
    url = site["article"].url
    client.get(url)
    response = client.head(url)
    assert response.status_code == 200 and _state(response) == "hit"


def test_keys_ignore_tracking_parameters_and_parameter_order(client, site):
    """Links shared with tracking tags hit the same entry; real parameters do not."""
    url = site["section"].url
    client.get(url + "?page=1&sort=new")
    assert _state(client.get(url + "?sort=new&page=1&utm_source=mail")) == "hit"
    assert _state(client.get(url + "?page=2")) == "miss"


def test_disabled_cache_renders_every_time(client, site, settings):
    """MASTHEAD_PAGE_CACHE = False turns the cache off (for measuring rendering)."""
    settings.MASTHEAD_PAGE_CACHE = False
    url = site["article"].url
    client.get(url)
    assert _state(client.get(url)) is None


def test_render_racing_a_purge_is_not_stored(rf, site):
    """A page rendered while a purge happened may hold old data: it is not kept."""
    from django.http import HttpResponse

    from masthead.delivery.cache import page_cache
    from masthead.delivery.middleware import PageCacheMiddleware

    def view(request):
        page_cache().purge({"page:1"})
        return HttpResponse("<p>rendered during a publish</p>" * 20)

    middleware = PageCacheMiddleware(view)
    response = middleware(rf.get("/racing/", HTTP_HOST="testserver"))
    assert response.status_code == 200
    assert page_cache().get("http://testserver/racing/?") is None


def test_new_users_first_page_after_purge_is_fresh(client, site):
    """A stale entry is never served after a purge: the next request renders again."""
    url = site["article"].url
    client.get(url)
    story = site["article"]
    story.title = "Quay reopens after storm"
    story.save_revision().publish()
    response = client.get(url)
    assert _state(response) == "miss"
    assert b"Quay reopens after storm" in response.content
    assert b"Cranes return to the quay" not in response.content


def test_unrelated_pages_stay_cached_after_a_publish(client, site):
    """Publishing one story leaves other sections' stories cached."""
    other_section = factories.section(title="Weather")
    other = factories.article(other_section, title="Fog expected")
    client.get(other.url)
    story = site["article"]
    story.title = "Quay reopens"
    story.save_revision().publish()
    assert _state(client.get(other.url)) == "hit"
