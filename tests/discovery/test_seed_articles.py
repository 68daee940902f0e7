import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page

from masthead.images.models import NewsImage
from masthead.news.models import ArticlePage, articles_published

pytestmark = pytest.mark.django_db


def test_seeded_articles_render_and_are_findable(client):
    """Seeded stories are published, render, sit in a consistent tree and turn up in search."""
    call_command("seed_articles", count=30, sections=3, seed=7, stdout=io.StringIO())
    assert articles_published().count() == 30
    story = articles_published().newest_first().first()
    response = client.get(story.url)
    assert response.status_code == 200
    assert story.title in response.content.decode()
    section = story.get_parent().specific
    assert client.get(section.url).status_code == 200
    assert section.numchild == ArticlePage.objects.child_of(section).count()
    assert Page.find_problems() == ([], [], [], [], [])
    assert story.bylines.count() >= 1 and story.topics.exists() and story.lead_image_id
    found = articles_published().search(story.title)
    assert story.pk in [a.pk for a in found]


def test_seeded_articles_are_shaped_like_a_real_story(client):
    """Benchmarks render what a newsroom publishes: each story its own lead picture (with
    its renditions made already), three subheadings with a table of contents, two quotes."""
    call_command("seed_articles", count=6, sections=2, seed=3, stdout=io.StringIO())
    stories = list(articles_published())
    assert len({s.lead_image_id for s in stories}) == len(stories)
    story = stories[0]
    renditions = NewsImage.get_rendition_model().objects.count()
    html = client.get(story.url).content.decode()
    assert NewsImage.get_rendition_model().objects.count() == renditions
    assert "In this story" in html and html.count('<figure class="quote') == 2
    kinds = [block.block_type for block in story.body]
    assert kinds.count("subheading") == 3 and kinds.count("paragraph") == 12
    words = sum(len(str(block.value).split()) for block in story.body)
    assert 700 < words < 1100, words


def test_seeding_twice_adds_more_without_clashes(client):
    """A second run appends to the same sections with fresh paths and slugs."""
    call_command("seed_articles", count=5, sections=2, stdout=io.StringIO())
    call_command("seed_articles", count=5, sections=2, stdout=io.StringIO())
    assert articles_published().count() == 10
    assert Page.find_problems() == ([], [], [], [], [])


def test_seed_refuses_a_bad_count():
    """A count below one is refused with a clear message and nothing is created."""
    with pytest.raises(CommandError, match="--count"):
        call_command("seed_articles", count=0)
    assert not ArticlePage.objects.exists()


def test_seed_help_explains_the_options():
    """`masthead seed_articles --help` says what it does and lists its options."""
    from masthead.demo.management.commands.seed_articles import Command

    text = Command().create_parser("masthead", "seed_articles").format_help()
    assert "published articles" in text
    for option in ("--count", "--sections", "--days", "--no-index"):
        assert option in text
