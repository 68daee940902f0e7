"""Querysets compiled once and run with other values give what the queryset would."""

import pytest

from masthead.core.prepared import PreparedQuery
from masthead.news.models import ArticleByline, ArticlePage
from tests import factories

pytestmark = pytest.mark.django_db


def test_each_run_answers_for_its_own_values():
    """The same prepared query finds each story's bylines, with their authors loaded."""
    ana, ben = factories.author(name="Ana"), factories.author(name="Ben")
    first = factories.article(authors=[ana])
    second = factories.article(authors=[ben, ana])
    bylines = PreparedQuery(
        lambda article_id: ArticleByline.objects.filter(article_id=article_id).select_related(
            "author"
        ),
        article_id=int,
    )
    for _ in range(2):
        assert [b.author.name for b in bylines.run(article_id=first.pk)] == ["Ana"]
        assert sorted(b.author.name for b in bylines.run(article_id=second.pk)) == ["Ana", "Ben"]
    assert bylines.run(article_id=0) == []


def test_strings_and_ints_together_and_values_list():
    """Several values of both kinds land in their own places; rows come as the queryset's."""
    section = factories.section()
    story = factories.article(section, slug="same-slug")
    factories.article(factories.section(), slug="same-slug")
    rows = PreparedQuery(
        lambda slug, url_path, depth: ArticlePage.objects.filter(
            slug=slug, url_path=url_path, depth=depth
        ).values_list("pk", flat=True),
        slug=str,
        url_path=str,
        depth=int,
    )
    assert rows.run(slug="same-slug", url_path=story.url_path, depth=story.depth) == [story.pk]
    assert rows.run(slug="same-slug", url_path=story.url_path, depth=story.depth + 1) == []


def test_only_exact_comparisons_can_be_prepared():
    """A value used inside a pattern (startswith) cannot be swapped in: refused at once."""
    factories.article()
    prefix = PreparedQuery(lambda path: ArticlePage.objects.filter(path__startswith=path), path=str)
    with pytest.raises(ValueError, match="compared exactly"):
        prefix.run(path="0001")
