from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html

from masthead.news.selectors import related_articles
from tests import factories
from tests.discovery.helpers import hidden_articles

pytestmark = pytest.mark.django_db


def _ago(hours):
    return timezone.now() - timedelta(hours=hours)


def test_more_on_this_prefers_shared_topic_and_section_then_newest(client):
    """Stories sharing topic and section come first, then topic, then section; newest first
    within each; the story itself, unrelated and hidden stories never appear."""
    politics = factories.section(title="Politics")
    sport = factories.section(title="Sport")
    story = factories.article(politics, title="The story", topics=["Harbour"])
    factories.article(politics, title="Same section old", published_at=_ago(50))
    factories.article(politics, title="Same section new", published_at=_ago(1))
    factories.article(sport, title="Topic elsewhere", topics=["Harbour"], published_at=_ago(2))
    factories.article(politics, title="Both older", topics=["Harbour"], published_at=_ago(30))
    factories.article(politics, title="Both newer", topics=["Harbour"], published_at=_ago(20))
    factories.article(sport, title="Unrelated", topics=["Football"], published_at=_ago(1))
    hidden_articles(politics)
    related = related_articles(article=story, limit=10)
    assert [a.title for a in related] == [
        "Both newer",
        "Both older",
        "Topic elsewhere",
        "Same section new",
        "Same section old",
    ]

    doc = html.fromstring(client.get(story.url).content)
    aside = doc.xpath('//aside[@aria-labelledby="related-heading"]')[0]
    assert aside.xpath(".//h2/text()") == ["More on this"]
    assert [a.text_content() for a in aside.xpath(".//h3/a")] == [
        "Both newer",
        "Both older",
        "Topic elsewhere",
        "Same section new",
    ]


def test_story_alone_in_its_section_has_no_more_on_this(client):
    """With nothing related, the page has no empty "More on this" box."""
    story = factories.article(topics=["Lonely"])
    factories.article(title="Elsewhere")
    assert related_articles(article=story) == []
    assert b"More on this" not in client.get(story.url).content


def test_related_queries_do_not_grow_with_the_archive():
    """Finding related stories costs the same queries with three candidates or forty."""
    section = factories.section()
    story = factories.article(section, topics=["Harbour", "Budget"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            cards = related_articles(article=story)
            for card in cards:
                list(card.bylines.all())
                card.lead_image  # noqa: B018 - loaded with the card
        return len(ctx), len(cards)

    for _ in range(3):
        factories.article(section, topics=["Harbour"], lead_image=factories.image())
    small, shown = count()
    assert shown == 3
    other = factories.section()
    for n in range(40):
        factories.article(
            section if n % 2 else other,
            topics=["Budget"] if n % 3 else [],
            authors=[factories.author(), factories.author()],
            lead_image=factories.image(),
        )
    assert count() == (small, 4)


def _more_on_this(client, story):
    doc = html.fromstring(client.get(story.url).content)
    return [a.text_content() for a in doc.xpath('//aside[@class="related"]//h3/a')]


def test_a_story_published_after_a_miss_shows_in_more_on_this_of_the_next(client):
    """What "More on this" weighs is kept between misses, and the next publish renews it:
    a new story sharing the topic is listed under a story rendered after it went live."""
    section = factories.section()
    first = factories.article(section, title="First", topics=["Harbour"])
    second = factories.article(section, title="Second", topics=["Harbour"])
    assert _more_on_this(client, first) == ["Second"]
    factories.article(factories.section(), title="Newcomer elsewhere", topics=["Harbour"])
    assert _more_on_this(client, second) == ["First", "Newcomer elsewhere"]


def test_an_unpublished_story_leaves_more_on_this_of_the_next_miss(client):
    """A withdrawn story is not listed under stories rendered after it was unpublished."""
    section = factories.section()
    first = factories.article(section, title="First")
    withdrawn = factories.article(section, title="Withdrawn later")
    third = factories.article(section, title="Third")
    assert "Withdrawn later" in _more_on_this(client, first)
    withdrawn.unpublish()
    assert _more_on_this(client, third) == ["First"]


def test_a_scheduled_story_shows_once_its_time_has_come_without_a_publish(client):
    """A story dated in the future is weighed from its publication time on, even though
    nothing was published in between (the kept list holds it, the reading decides)."""
    section = factories.section()
    first = factories.article(section, title="First")
    factories.article(section, title="Embargoed", published_at=_ago(-2))
    later = factories.article(section, title="Later", published_at=_ago(1))
    assert _more_on_this(client, first) == ["Later"]
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        assert _more_on_this(client, later) == ["Embargoed", "First"]


def test_more_on_this_asks_again_when_the_kept_list_is_all_scheduled_stories(monkeypatch):
    """When the newest stories kept for a section are all scheduled for later, the
    published ones behind them are still found."""
    from masthead.news import selectors

    monkeypatch.setattr(selectors, "RELATED_CANDIDATES", 2)
    monkeypatch.setattr(selectors, "_KEPT_PER_LIST", 3)
    section = factories.section()
    story = factories.article(section, title="The story", published_at=_ago(5))
    factories.article(section, title="Older", published_at=_ago(3))
    factories.article(section, title="Old", published_at=_ago(4))
    for n in range(3):
        factories.article(section, title=f"Embargoed {n}", published_at=_ago(-n - 1))
    assert [a.title for a in related_articles(article=story)] == ["Older", "Old"]


def _linked(client, story):
    doc = html.fromstring(client.get(story.url).content)
    return [a.text_content() for a in doc.xpath('//p[@class="related-link"]/a')]


def _links_to(*stories):
    return [("related_story", {"page": s, "label": "See also"}) for s in stories]


def test_a_related_story_link_names_only_stories_readers_can_open(client):
    """A "related story" link in a story's body is shown for a published story only: a
    draft, withdrawn, dated later, scheduled, private or members-only one is not named,
    on the page or in a feed carrying whole stories."""
    from wagtail.models import Site

    from masthead.discovery.models import DiscoverySettings

    section = factories.section(title="Local", slug="local")
    open_story = factories.article(section, title="Open story")
    hidden = hidden_articles(section)
    story = factories.article(section, title="Linking story", body=_links_to(open_story, *hidden))
    page = client.get(story.url).content.decode()
    assert _linked(client, story) == ["Open story"]
    options = DiscoverySettings.for_site(Site.objects.get(is_default_site=True))
    options.feed_full_content = True
    options.save()
    feed = client.get("/feeds/atom/").content.decode()
    assert "Open story" in feed
    for target in hidden:
        assert target.title not in page, target.title
        assert target.title not in feed, target.title
    with time_machine.travel(timezone.now() + timedelta(hours=6)):
        story.save_revision().publish()  # rendered anew once the embargo is over
        assert _linked(client, story) == ["Open story", "Embargoed story"]


def test_a_related_story_link_follows_the_linked_story(client):
    """A story already cached drops its link when the linked story is withdrawn, and shows
    it once the linked story is published."""
    target = factories.article(title="Linked story")
    draft = factories.article(title="Draft story", publish=False)
    story = factories.article(title="Linking story", body=_links_to(target, draft))
    assert _linked(client, story) == ["Linked story"]
    assert client.get(story.url)["X-Masthead-Cache"] == "hit"
    target.unpublish()
    assert _linked(client, story) == []
    draft.refresh_from_db()
    draft.save_revision().publish()
    assert _linked(client, story) == ["Draft story"]


def test_editors_previewing_see_why_a_related_link_is_hidden():
    """In the editor's preview, a link readers will not see says so instead of vanishing."""
    target = factories.article(title="Not out yet", publish=False)
    story = factories.article(title="Linking story", body=_links_to(target))
    response = story.make_preview_request()
    text = html.fromstring(response.content).text_content()
    assert "Not out yet" in text and "Readers do not see this link" in text


def test_more_on_this_drops_a_story_made_private_after_it_was_listed(client):
    """A story put behind a password after it was listed under others leaves their "More
    on this" (and its cached copies) at once."""
    from wagtail.models import PageViewRestriction

    section = factories.section()
    first = factories.article(section, title="First")
    second = factories.article(section, title="Second")
    assert _more_on_this(client, first) == ["Second"]
    PageViewRestriction.objects.create(
        page=second, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert _more_on_this(client, first) == []


def test_a_related_card_names_its_authors_in_the_bylines_order_and_shows_its_picture(client):
    section = factories.section()
    names = ["Zed Adams", "Amy Brook", "Cal Dunn"]
    factories.article(
        section,
        title="Ferry timetable redrawn",
        topics=["Harbour"],
        authors=[factories.author(name=n) for n in names],
        lead_image=factories.image(),
        published_at=_ago(2),
    )
    story = factories.article(section, topics=["Harbour"], published_at=_ago(1))
    doc = html.fromstring(client.get(story.url).content)
    cards = doc.xpath('//article[contains(@class, "story-card")]')
    (card,) = [c for c in cards if "Ferry" in c.text_content()]
    meta = card.xpath('.//p[@class="story-card__meta"]')[0].text_content()
    assert meta.startswith("Zed Adams, Amy Brook and Cal Dunn")
    assert card.xpath(".//picture//img[@src]")
