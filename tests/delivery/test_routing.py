import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, len(ctx.captured_queries)


def test_remembered_route_saves_the_site_and_tree_walk(client, site, settings):
    """Rendering a page again skips the site lookup and the walk down the page tree."""
    settings.MASTHEAD_PAGE_CACHE = False
    url = site["article"].url
    first, first_count = _queries(client, url)
    again, again_count = _queries(client, url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again_count <= first_count - 3, (first_count, again_count)


def test_remembered_route_is_not_used_once_the_page_moves_or_goes(client, site, settings):
    """A slug change or unpublish is honoured even by a process that remembers the route."""
    settings.MASTHEAD_PAGE_CACHE = False
    story = site["article"]
    old_url = story.url
    client.get(old_url)
    story.slug = "cranes-return"
    story.save_revision().publish()
    story.refresh_from_db()
    assert story.url != old_url
    assert client.get(old_url).status_code in (301, 404)
    assert client.get(story.url).status_code == 200
    story.unpublish()
    story.refresh_from_db()
    assert client.get(story.url).status_code == 404


def test_stories_sharing_a_slug_in_two_sections_each_get_their_own_url(client, site, settings):
    """The one-query route (compiled once, run per story) finds the story of that section."""
    from tests import factories

    settings.MASTHEAD_PAGE_CACHE = False
    weather = factories.section(title="Weather", slug="weather")
    here = factories.article(site["section"], slug="storm", title="Storm at the quay")
    there = factories.article(weather, slug="storm", title="Storm warning")
    for story in (here, there, here):
        response = client.get(story.url)
        assert response.status_code == 200
        assert story.title.encode() in response.content
    draft = factories.article(weather, slug="draft-storm", publish=False)
    assert client.get(f"{weather.url}draft-storm/").status_code == 404
    assert client.get(f"{site['section'].url}draft-storm/").status_code == 404
    assert draft.pk
