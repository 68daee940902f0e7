"""Querysets compiled once and run with other values give what the queryset would."""

import pytest

from masthead.core.prepared import PreparedQuery, run_together
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


def _server_statements():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _bylines_query():
    return PreparedQuery(
        lambda article_id: ArticleByline.objects.filter(article_id=article_id).select_related(
            "author"
        ),
        article_id=int,
    )


@pytest.mark.postgres
def test_postgresql_plans_a_prepared_query_once_per_connection():
    """On PostgreSQL the query is a server-side prepared statement: later runs with other
    values reuse it (no new statement), and still answer for their own values."""
    ana, ben = factories.author(name="Ana"), factories.author(name="Ben")
    first, second = factories.article(authors=[ana]), factories.article(authors=[ben])
    bylines = _bylines_query()
    before = _server_statements()
    assert [b.author.name for b in bylines.run(article_id=first.pk)] == ["Ana"]
    added = [s for s in _server_statements() if s not in before]
    assert len(added) == 1 and "news_articlebyline" in added[0] and "$1" in added[0]
    assert [b.author.name for b in bylines.run(article_id=second.pk)] == ["Ben"]
    assert [b.author.name for b in bylines.run(article_id=first.pk)] == ["Ana"]
    assert [s for s in _server_statements() if s not in before] == added
    # Other queries keep Django's own binding: nothing else is prepared.
    assert ArticleByline.objects.filter(article_id=second.pk).count() == 1
    assert [s for s in _server_statements() if s not in before] == added


@pytest.mark.postgres
def test_prepared_statements_can_be_turned_off(settings):
    """MASTHEAD_PREPARED_STATEMENTS=false (a pooler that cannot keep them): same answers,
    nothing prepared on the server."""
    settings.MASTHEAD_PREPARED_STATEMENTS = False
    story = factories.article(authors=[factories.author(name="Ana")])
    before = _server_statements()
    assert [b.author.name for b in _bylines_query().run(article_id=story.pk)] == ["Ana"]
    assert _server_statements() == before


def test_queries_run_together_answer_as_each_run_alone():
    """Several prepared queries sent at once (one round trip on PostgreSQL) answer for
    their own values, in their own order, rows and instances as each gives alone, the
    same query twice in one batch included."""
    ana, ben = factories.author(name="Ana"), factories.author(name="Ben")
    first, second = factories.article(authors=[ana]), factories.article(authors=[ben, ana])
    bylines = _bylines_query()
    slugs = PreparedQuery(
        lambda pk: ArticlePage.objects.filter(pk=pk).values_list("slug", flat=True), pk=int
    )
    for _ in range(2):
        one, two, slug, none = run_together(
            (bylines, {"article_id": first.pk}),
            (bylines, {"article_id": second.pk}),
            (slugs, {"pk": second.pk}),
            (bylines, {"article_id": 0}),
        )
        assert [b.author.name for b in one] == ["Ana"]
        assert sorted(b.author.name for b in two) == ["Ana", "Ben"]
        assert all(b.article_id == second.pk for b in two)
        assert slug == [second.slug]
        assert none == []
