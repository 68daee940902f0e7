"""After a publish the task worker renders the story, its section and the front page for
readers (masthead.delivery.rendering): the first reader after it gets a hit."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from masthead.delivery.models import KeptFragment
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """A reader's browser names the host, as the worker's render does (the test client
    sends only SERVER_NAME and SERVER_PORT unless told)."""
    client.defaults["HTTP_HOST"] = "testserver"
    return client


@pytest.fixture
def rendering(settings):
    settings.MASTHEAD_RENDER_ON_PUBLISH = True


HEADLINE = "Cranes return to the quay at dawn"


def _publish_headline(story, capture):
    story.title = HEADLINE
    with capture(execute=True):
        story.save_revision().publish()


def _first_reader(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    return response, len(queries.captured_queries)


def test_the_first_readers_after_a_publish_get_the_new_page_from_the_cache(
    client, site, rendering, django_capture_on_commit_callbacks
):
    story = site["article"]
    _publish_headline(story, django_capture_on_commit_callbacks)
    for url in (story.url, site["section"].url, "/"):
        response, queries = _first_reader(client, url)
        assert response.headers["X-Masthead-Cache"] == "hit", url
        assert queries == 0, url
        assert response.headers["Content-Encoding"] == "br"
        assert HEADLINE in client.get(url).content.decode(), url
    assert KeptFragment.objects.filter(name=f"story:{story.pk}").exists()


def test_without_it_the_first_reader_renders_the_page(
    client, site, settings, django_capture_on_commit_callbacks
):
    settings.MASTHEAD_RENDER_ON_PUBLISH = False
    story = site["article"]
    _publish_headline(story, django_capture_on_commit_callbacks)
    response, queries = _first_reader(client, story.url)
    assert response.headers["X-Masthead-Cache"] == "miss"
    assert queries > 0


@pytest.mark.django_db(transaction=True)
def test_the_worker_renders_what_is_still_live_when_it_comes(client, site, settings):
    """The task is queued as the publish commits and run later, by the database-backed
    worker (as `masthead worker` runs it); a story unpublished meanwhile is left alone."""
    settings.MASTHEAD_RENDER_ON_PUBLISH = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    story, other = site["article"], factories.article(site["section"], title="Tugboat strike ends")
    for page, title in ((story, "Cranes return at dawn"), (other, "Tugboat strike ends")):
        page.title = title
        page.save_revision().publish()
    other.unpublish()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert client.get(story.url).headers["X-Masthead-Cache"] == "hit"
    assert client.get(other.url).status_code == 404
    assert not KeptFragment.objects.filter(name=f"story:{other.pk}").exists()


def test_a_story_readers_may_not_see_is_not_rendered(
    client, site, rendering, django_capture_on_commit_callbacks
):
    PageViewRestriction.objects.create(page=site["section"], restriction_type="login")
    story = site["article"]
    _publish_headline(story, django_capture_on_commit_callbacks)
    assert not KeptFragment.objects.filter(name=f"story:{story.pk}").exists()
    response, _ = _first_reader(client, "/")
    assert response.headers["X-Masthead-Cache"] == "hit"  # the front page is public
    assert client.get(story.url).status_code == 302  # to the sign-in page


def test_pages_are_rendered_where_readers_reach_them(site, settings):
    from masthead.delivery.rendering import reader_urls

    settings.MASTHEAD_BASE_URL = "https://news.example.org"
    story = site["article"]
    assert reader_urls(story) == [
        "https://news.example.org" + story.url,
        "https://news.example.org" + site["section"].url,
        "https://news.example.org/",
    ]


def test_after_a_release_the_command_renders_the_newest_stories_and_the_pages_above(client, site):
    """`masthead render_for_readers` (run by the deploy job) fills the emptied cache."""
    older, newest = site["article"], factories.article(site["section"], title="Ferry resumes")
    out = io.StringIO()
    call_command("render_for_readers", latest=1, stdout=out)
    assert "Rendered 3 pages for readers." in out.getvalue()
    for url in (newest.url, site["section"].url, "/"):
        response, queries = _first_reader(client, url)
        assert response.headers["X-Masthead-Cache"] == "hit", url
        assert queries == 0, url
    assert client.get(older.url).headers["X-Masthead-Cache"] == "miss"  # not among --latest 1


def test_the_command_says_which_pages_readers_could_not_get(site, settings):
    settings.ALLOWED_HOSTS = ["elsewhere.example"]  # MASTHEAD_BASE_URL's host now refused
    with pytest.raises(CommandError, match=r"Not rendered: .*\(400\)"):
        call_command("render_for_readers", latest=1, stdout=io.StringIO())
    with pytest.raises(CommandError, match="at least 1"):
        call_command("render_for_readers", latest=0)
