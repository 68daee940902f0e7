"""The demo loader builds a complete outlet once, and leaves it alone after that."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from masthead.demo import content
from masthead.images.models import NewsImage
from masthead.news.models import ArticlePage, Author, Correction, HomePage, SectionPage

pytestmark = pytest.mark.django_db


def _counts():
    return ArticlePage.objects.count(), NewsImage.objects.count(), Author.objects.count()


def test_demo_is_a_complete_outlet(capsys):
    """About twenty published stories over nested sections, five authors, captioned images."""
    call_command("load_demo")
    assert "Password:" in capsys.readouterr().out

    articles = ArticlePage.objects.published()
    assert articles.count() == 20
    election = SectionPage.objects.get(slug="election-news")
    assert election.get_parent().specific.title == "Politics"
    assert articles.in_section(election).count() >= 5
    for section in SectionPage.objects.filter(depth=3):
        assert articles.in_section(section).exists(), section.title
    assert Author.objects.filter(photo__isnull=False).count() == 5
    assert {a.kicker for a in articles} >= {"exclusive", "breaking", "analysis", "opinion"}
    for image in NewsImage.objects.all():
        assert image.alt_text and image.credit, image.title
    assert all(not a.publishing_problems() for a in articles)

    assert Correction.objects.count() == 1
    blocks = {b.block_type for a in articles for b in a.body}
    assert {"paragraph", "subheading", "quote", "image", "fact_box", "related_story"} <= blocks
    home = HomePage.objects.get()
    assert home.top_story.slug == content.FEATURED["slug"]


def test_demo_has_a_story_scheduled_to_go_live_later(client):
    """One story waits under embargo: not readable yet, on the dashboard's schedule."""
    from django.utils import timezone

    from tests.news.newsroom import staff

    call_command("load_demo")
    story = ArticlePage.objects.get(slug=content.SCHEDULED[0]["slug"])
    assert not story.live
    assert story.scheduled_revision.approved_go_live_at > timezone.now()
    assert client.get(story.url).status_code == 404
    client.force_login(staff("Editors"))
    assert content.SCHEDULED[0]["title"] in client.get("/admin/").content.decode()


def test_running_it_again_keeps_data_and_says_so(capsys):
    """A second run adds nothing, keeps the admin's password and tells the user."""
    call_command("load_demo")
    first = capsys.readouterr().out
    password = first.split("Password:")[1].split()[0]
    counts = _counts()

    call_command("load_demo")
    second = capsys.readouterr().out
    assert "already loaded; keeping existing data" in second
    assert "Password:" not in second
    assert counts == _counts()
    assert get_user_model().objects.get(username="admin").check_password(password)
