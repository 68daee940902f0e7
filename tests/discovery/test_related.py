from datetime import timedelta

import pytest
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
