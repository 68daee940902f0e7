from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html

from masthead.news.models import articles_published
from tests import factories
from tests.discovery.helpers import hidden_articles

pytestmark = pytest.mark.django_db


def _search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response, html.fromstring(response.content)


def _headlines(doc):
    return [h.text_content() for h in doc.xpath('//li[@class="search-result"]//h3')]


def test_headline_match_ranks_above_body_match(client):
    """A story with the word in its headline comes before one with it only in the body."""
    section = factories.section()
    factories.article(
        section,
        title="Council meets on Tuesday",
        body=factories.paragraphs("The lighthouse keeper spoke about the lighthouse repairs."),
    )
    factories.article(section, title="Lighthouse repairs approved")
    _, doc = _search(client, q="lighthouse")
    assert _headlines(doc) == ["Lighthouse repairs approved", "Council meets on Tuesday"]


@pytest.mark.postgres
def test_postgres_weighs_headline_over_standfirst_over_body_and_stems(client):
    """On PostgreSQL: headline > standfirst > body, and 'ferries' finds 'ferry'."""
    section = factories.section()
    factories.article(section, title="In the body", body=factories.paragraphs("A new ferry route."))
    factories.article(section, title="In the standfirst", dek="The ferry route opens.")
    factories.article(section, title="Ferry route opens")
    _, doc = _search(client, q="ferries")
    assert _headlines(doc) == ["Ferry route opens", "In the standfirst", "In the body"]


def test_quoted_phrase_matches_words_together_only(client):
    """A quoted phrase finds the words side by side, not apart."""
    section = factories.section()
    factories.article(section, title="Harbour bridge closes for repairs")
    factories.article(section, title="Bridge over the harbour", dek="A different crossing.")
    _, doc = _search(client, q='"harbour bridge"')
    assert _headlines(doc) == ["Harbour bridge closes for repairs"]
    _, doc = _search(client, q="harbour bridge")
    assert len(_headlines(doc)) == 2


def test_matches_are_highlighted_and_escaped(client):
    """Matching words are marked in headline and standfirst; the rest stays escaped text."""
    factories.article(title="Ferry <b>timetable</b> changes", dek="New ferry times from May.")
    response, doc = _search(client, q="ferry")
    body = response.content.decode()
    assert "<mark>Ferry</mark> &lt;b&gt;timetable&lt;/b&gt; changes" in body
    assert "New <mark>ferry</mark> times from May." in body
    assert doc.xpath("//h3//b") == []


def test_filters_narrow_results(client):
    """Section (with subsections), author, date range and label each narrow the results."""
    politics = factories.section(title="Politics")
    elections = factories.section(politics, title="Elections")
    sport = factories.section(title="Sport")
    ana = factories.author(name="Ana Ruiz", slug="ana-ruiz")
    now = timezone.now()
    factories.article(politics, title="Budget vote", published_at=now - timedelta(days=40))
    factories.article(elections, title="Ballot vote", authors=[ana], kicker="analysis")
    factories.article(sport, title="Vote for player of the year", authors=[ana])

    _, doc = _search(client, q="vote", section=politics.pk)
    assert sorted(_headlines(doc)) == ["Ballot vote", "Budget vote"]
    _, doc = _search(client, q="vote", author="ana-ruiz")
    assert sorted(_headlines(doc)) == ["Ballot vote", "Vote for player of the year"]
    _, doc = _search(client, q="vote", kicker="analysis")
    assert _headlines(doc) == ["Ballot vote"]
    since = (now - timedelta(days=7)).date().isoformat()
    _, doc = _search(client, q="vote", date_from=since)
    assert "Budget vote" not in _headlines(doc) and len(_headlines(doc)) == 2
    until = (now - timedelta(days=30)).date().isoformat()
    _, doc = _search(client, q="vote", date_to=until)
    assert _headlines(doc) == ["Budget vote"]
    _, doc = _search(client, section=sport.pk)
    assert _headlines(doc) == ["Vote for player of the year"]


def test_sort_by_newest(client):
    """Sorting by newest puts the latest story first, whatever matches best."""
    section = factories.section()
    now = timezone.now()
    factories.article(section, title="Tram tram tram", published_at=now - timedelta(days=3))
    factories.article(
        section, title="Late news", dek="A tram stopped.", published_at=now - timedelta(hours=1)
    )
    _, doc = _search(client, q="tram")
    assert _headlines(doc)[0] == "Tram tram tram"
    _, doc = _search(client, q="tram", sort="newest")
    assert _headlines(doc) == ["Late news", "Tram tram tram"]


def test_results_paginate_and_keep_the_query(client):
    """Twenty-five matches make two pages; page links carry the query and filters."""
    section = factories.section()
    for n in range(25):
        factories.article(section, title=f"Market report {n}")
    _, doc = _search(client, q="market", sort="newest")
    assert len(_headlines(doc)) == 20
    next_link = doc.xpath('//nav[@aria-label="Result pages"]//a[@rel="next"]/@href')[0]
    assert "q=market" in next_link and "sort=newest" in next_link and "page=2" in next_link
    response = client.get("/search/" + next_link)
    assert len(_headlines(html.fromstring(response.content))) == 5


def test_empty_states(client):
    """No query shows how to search; a query without matches says so plainly."""
    factories.article(title="Something")
    _, doc = _search(client)
    assert "Type a word" in doc.text_content() and not _headlines(doc)
    _, doc = _search(client, q="zeppelin")
    assert doc.xpath('//h2[@id="no-results"]/text()') == ["No stories found"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "x" * 10_000,
        "harbour " * 2_000,
        '"unbalanced quote',
        'two "quoted" "phrases" "',
        "'; DROP TABLE wagtailcore_page; --",
        r".*+?[](){}|^$\ % _ ' \" ` ~",
        "AND OR NOT NEAR * ^ -",
        "\x00\x1f null and control",
        "ﬁsh 🐟 ünïcødé",
    ],
)
def test_bad_queries_give_a_normal_page(client, query):
    """Empty, huge, unbalanced, SQL-like or regex-like queries get an ordinary results page."""
    factories.article(title="Harbour news")
    response, doc = _search(client, q=query)
    assert doc.xpath("//h1/text()") == ["Search"]
    if len(query) > 200:
        assert "shortened to its first 200 characters" in response.content.decode()


def test_bad_filter_values_are_explained_and_ignored(client):
    """Nonsense filter values are reported beside their field and the search still runs."""
    factories.article(title="Harbour news")
    response, doc = _search(
        client, q="harbour", section="abc", author="nobody", date_from="not-a-date", kicker="zzz"
    )
    assert len(doc.xpath('//span[@class="field-error"]')) == 4
    assert _headlines(doc) == ["Harbour news"]
    _, doc = _search(client, q="harbour", date_from="2026-05-02", date_to="2026-05-01")
    assert "end date is before the start date" in doc.text_content()


@pytest.mark.parametrize(
    "dates",
    [
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_explained_and_ignored(client, settings, dates):
    """The first and last days a date field takes are reported as out of range, not an
    error page, in a time zone east of UTC too, and a search for words still runs."""
    settings.TIME_ZONE = "Pacific/Auckland"
    factories.article(title="Harbour news")
    message = "Enter a date between the years 1000 and 9998."
    _, doc = _search(client, q="harbour", **dates)
    assert doc.xpath('//span[@class="field-error"]/text()') == [message] * len(dates)
    assert _headlines(doc) == ["Harbour news"]
    _, doc = _search(client, **dates)
    assert doc.xpath('//span[@class="field-error"]/text()') == [message] * len(dates)
    # The other date, when valid, still narrows the results.
    factories.article(title="Old harbour news", published_at=timezone.now() - timedelta(days=60))
    since = (timezone.now() - timedelta(days=7)).date().isoformat()
    _, doc = _search(client, q="harbour", date_from=since, date_to="9999-12-31")
    assert _headlines(doc) == ["Harbour news"]


def test_search_pages_are_not_indexed_but_are_cacheable(client):
    """Results pages ask search engines not to index them, and carry no cookie."""
    factories.article(title="Harbour news")
    response, doc = _search(client, q="harbour")
    assert doc.xpath('//meta[@name="robots"]/@content') == ["noindex, follow"]
    assert response["X-Robots-Tag"] == "noindex"
    assert "public" in response["Cache-Control"] and not response.cookies


def test_header_search_box_goes_to_the_search_page(client):
    """Every page's header has a labelled search box that submits to /search/."""
    factories.article()
    doc = html.fromstring(client.get("/").content)
    form = doc.xpath('//header//form[@role="search"]')[0]
    assert form.get("action") == "/search/" and form.get("method") == "get"
    assert doc.xpath('//label[@for="site-search-q"]') and form.xpath('.//input[@name="q"]')


def test_published_story_is_findable_and_unpublished_one_disappears(client):
    """Publishing makes a story findable; unpublishing removes it; hidden ones never show."""
    section = factories.section()
    hidden_articles(section)
    story = factories.article(section, title="Zeppelin lands in the park")
    _, doc = _search(client, q="zeppelin")
    assert _headlines(doc) == ["Zeppelin lands in the park"]
    story.unpublish()
    _, doc = _search(client, q="zeppelin")
    assert _headlines(doc) == []
    for term in ("secret", "withdrawn", "embargoed", "scheduled", "private", "members"):
        _, doc = _search(client, q=term)
        assert _headlines(doc) == [], term


def test_search_queries_do_not_grow_with_results(client, no_page_cache):
    """A page of twenty results costs the same queries as a page of two."""
    section = factories.section()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            _search(client, q="orchard")
        return len(ctx)

    count()  # what only the site's structure decides is kept from here on (with Redis)
    for _ in range(2):
        factories.article(section, title="Orchard story", lead_image=factories.image())
    small = count()
    for _ in range(18):
        factories.article(
            section,
            title="Orchard story",
            authors=[factories.author(), factories.author()],
            lead_image=factories.image(),
        )
    assert count() == small


@pytest.mark.django_db(transaction=True)
def test_publishing_indexes_through_the_task_worker(client, settings):
    """With the database task queue, a published story is findable once the worker has run."""
    from django_tasks_db.models import DBTaskResult

    # django-tasks drops its configured backends when TASKS changes.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    story = factories.article(title="Quokka spotted downtown")
    queued = DBTaskResult.objects.filter(task_path__endswith="insert_or_update_object_task")
    assert queued.filter(args_kwargs__args__2=str(story.pk)).exists()
    assert not list(articles_published().search("quokka"))
    call_command("db_worker", batch=True, queue_name="*", verbosity=0)
    assert [a.pk for a in articles_published().search("quokka")] == [story.pk]


@pytest.fixture
def ranked_matches(settings):
    """The search backend ranks and counts only the newest `n` matches."""

    def set_cap(n):
        default = dict(settings.WAGTAILSEARCH_BACKENDS["default"], RANKED_MATCHES=n)
        settings.WAGTAILSEARCH_BACKENDS = {**settings.WAGTAILSEARCH_BACKENDS, "default": default}

    return set_cap


def _status(doc):
    return doc.xpath('//section[@aria-labelledby="results-heading"]//p[@role="status"]')[0]


def test_past_the_cap_the_newest_matches_are_ranked_and_the_count_says_more(client, ranked_matches):
    """With more matches than the backend ranks, the newest ones are shown, best match
    first, and the page says there are more rather than counting them all."""
    ranked_matches(3)
    section = factories.section()
    now = timezone.now()
    factories.article(section, title="Kiosk reopens", published_at=now - timedelta(days=30))
    for days, title in ((3, "Market day"), (2, "Kiosk prices rise"), (1, "Harbour walk")):
        factories.article(
            section,
            title=title,
            body=factories.paragraphs("A kiosk stood nearby."),
            published_at=now - timedelta(days=days),
        )
    factories.article(
        section,
        title="Parking review",
        body=factories.paragraphs("The kiosk was closed."),
        published_at=now - timedelta(days=40),
    )
    _, doc = _search(client, q="kiosk")
    # The three newest matches, the headline match first; the 30-day-old headline match and
    # the 40-day-old body match are past the cap.
    first, *rest = _headlines(doc)
    assert first == "Kiosk prices rise" and sorted(rest) == ["Harbour walk", "Market day"]
    assert (
        _status(doc)
        .text_content()
        .startswith("More than 3 stories found; here are the 3 newest, best matches first")
    )
    _, doc = _search(client, q="kiosk", sort="newest")
    assert _headlines(doc) == ["Harbour walk", "Kiosk prices rise", "Market day"]
    assert _status(doc).text_content().startswith("More than 3 stories found")
    # A filter moves the window: the older headline match ranks first among older stories.
    until = (now - timedelta(days=10)).date().isoformat()
    _, doc = _search(client, q="kiosk", date_to=until)
    assert _headlines(doc) == ["Kiosk reopens", "Parking review"]
    assert _status(doc).text_content() == "2 stories found."
    # So does a section: its newest matches, however old, not what is left of the site's.
    archive = factories.section(title="Archive")
    factories.article(archive, title="Kiosk history", published_at=now - timedelta(days=900))
    _, doc = _search(client, q="kiosk", section=archive.pk)
    assert _headlines(doc) == ["Kiosk history"]
    _, doc = _search(client, q="kiosk")
    assert "Kiosk history" not in _headlines(doc)


def test_at_the_cap_the_count_is_exact(client, ranked_matches):
    """Exactly as many matches as the cap is an exact count, and every page is reachable."""
    ranked_matches(25)
    section = factories.section()
    for n in range(25):
        factories.article(section, title=f"Orchard report {n}")
    _, doc = _search(client, q="orchard")
    assert _status(doc).text_content() == "25 stories found; page 1 of 2."
    _, doc = _search(client, q="orchard", page=2)
    assert len(_headlines(doc)) == 5
    factories.article(section, title="Orchard report 25")
    _, doc = _search(client, q="orchard")
    assert _status(doc).text_content().startswith("More than 25 stories found")
    _, doc = _search(client, q="orchard", page=2)
    assert len(_headlines(doc)) == 5


def _options(doc, name):
    return [o.text_content() for o in doc.xpath(f'//select[@name="{name}"]/option')]


def test_a_new_section_and_author_are_offered_in_the_filters_after_publishing(client):
    """The section and author lists are remembered between pages, yet a section or author
    published since the last search shows in them, and an unpublished section goes."""
    politics = factories.section(title="Politics")
    factories.article(politics, title="Budget vote", authors=[factories.author(name="Ana Ruiz")])
    _, doc = _search(client)
    assert _options(doc, "section") == ["Any", "Politics"]
    assert _options(doc, "author") == ["Anyone", "Ana Ruiz"]
    weather = factories.section(politics, title="Weather")
    ben = factories.author(name="Ben Okafor", slug="ben-okafor")
    _, doc = _search(client)
    assert _options(doc, "author") == ["Anyone", "Ana Ruiz"]  # no story by Ben yet
    factories.article(weather, title="Fog delays the ferry", authors=[ben])
    _, doc = _search(client, q="fog", section=weather.pk, author="ben-okafor")
    assert _options(doc, "section") == ["Any", "Politics", "— Weather"]
    assert _options(doc, "author") == ["Anyone", "Ana Ruiz", "Ben Okafor"]
    assert _headlines(doc) == ["Fog delays the ferry"]
    weather.unpublish()
    _, doc = _search(client, section=weather.pk)
    assert _options(doc, "section") == ["Any", "Politics"]
    assert len(doc.xpath('//span[@class="field-error"]')) == 1


def test_filters_offer_only_authors_and_sections_readers_can_see(client):
    """An author whose only stories are hidden (draft, withdrawn, dated later, scheduled,
    private, members-only) is not offered, nor a members-only section; the author of a
    story dated later is offered once its time has come, without a publish in between."""
    local = factories.section(title="Local", slug="local")
    factories.article(local, title="Open story", authors=[factories.author(name="Ana Ruiz")])
    hidden = hidden_articles(local)  # each story by an author of its own
    _, doc = _search(client)
    assert _options(doc, "author") == ["Anyone", "Ana Ruiz"]
    assert _options(doc, "section") == ["Any", "Local"]
    private_author = hidden[4].bylines.first().author
    _, doc = _search(client, author=private_author.slug)
    assert _headlines(doc) == []
    assert len(doc.xpath('//span[@class="field-error"]')) == 1
    embargoed_author = hidden[2].bylines.first().author
    with time_machine.travel(timezone.now() + timedelta(hours=6)):
        _, doc = _search(client, q="story")  # a page not cached before
    assert _options(doc, "author") == ["Anyone", "Ana Ruiz", embargoed_author.name]


def test_the_filter_lists_cost_no_query_once_known(client, no_page_cache):
    """Listing sections and authors, and checking a chosen one, is not a query per search."""
    section = factories.section(title="Harbour")
    factories.article(section, title="Orchard story", authors=[factories.author(slug="ana")])

    def count(**params):
        with CaptureQueriesContext(connection) as ctx:
            _search(client, q="orchard", **params)
        return [q["sql"] for q in ctx.captured_queries]

    def lists_or_checks(sql):
        return (
            'FROM "news_sectionpage"' in sql
            or ("EXISTS" in sql and '"news_articlebyline"' in sql)
            or '"news_author"."slug" =' in sql
        )

    count()
    assert not any(lists_or_checks(sql) for sql in count())
    assert not any(lists_or_checks(sql) for sql in count(section=section.pk, author="ana"))


def _found(client, **params):
    return sorted(_headlines(_search(client, **params)[1]))


def test_a_moved_story_is_found_under_its_new_section(client):
    """After a move the section filter finds the story in its new section, not its old one."""
    politics = factories.section(title="Politics")
    sport = factories.section(title="Sport")
    story = factories.article(politics, title="Harbour vote delayed")
    factories.article(sport, title="Harbour regatta")
    assert _found(client, q="harbour", section=politics.pk) == ["Harbour vote delayed"]
    story.move(sport, pos="last-child")
    assert _found(client, q="harbour", section=sport.pk) == [
        "Harbour regatta",
        "Harbour vote delayed",
    ]
    assert _found(client, q="harbour", section=politics.pk) == []


def test_stories_follow_their_section_when_it_moves_or_is_reordered(client):
    """Moving a subsection, or reordering sections, moves the stories under them too: each
    section filter still finds exactly its own stories."""
    news = factories.section(title="News")
    local = factories.section(news, title="Local")
    sport = factories.section(title="Sport")
    factories.article(local, title="Ferry strike in the local port")
    factories.article(sport, title="Ferry race won")
    local.move(sport, pos="last-child")
    assert _found(client, q="ferry", section=sport.pk) == [
        "Ferry race won",
        "Ferry strike in the local port",
    ]
    assert _found(client, q="ferry", section=news.pk) == []
    # Sport before News: the tree renumbers News and everything under it.
    sport.specific.move(news, pos="left")
    assert _found(client, q="ferry", section=local.pk) == ["Ferry strike in the local port"]
    news_story = factories.article(news, title="Ferry fares rise")
    news_story.move(news, pos="first-child")
    assert _found(client, q="ferry", section=news.pk) == ["Ferry fares rise"]
    assert len(_found(client, q="ferry", section=sport.pk)) == 2


def test_section_and_label_filters_follow_unpublish_republish_and_relabelling(client):
    """A story leaves the filtered results when unpublished, returns when published again,
    and is found under its new label after an edit is published."""
    section = factories.section(title="Politics")
    story = factories.article(section, title="Quay budget agreed", kicker="analysis")
    factories.article(section, title="Quay closes", kicker="breaking")
    assert _found(client, q="quay", section=section.pk, kicker="analysis") == ["Quay budget agreed"]
    story.unpublish()
    assert _found(client, q="quay", section=section.pk, kicker="analysis") == []
    story.refresh_from_db()
    story.save_revision().publish()
    assert _found(client, q="quay", section=section.pk, kicker="analysis") == ["Quay budget agreed"]
    story.refresh_from_db()
    story.kicker = "breaking"
    story.save_revision().publish()
    assert _found(client, q="quay", kicker="analysis") == []
    assert _found(client, q="quay", section=section.pk, kicker="breaking") == [
        "Quay budget agreed",
        "Quay closes",
    ]


def test_words_that_go_together_past_the_cap_give_the_newest_matches(client, ranked_matches):
    """Two words and a phrase that match more stories than the cap show the newest matches
    in the chosen section, and say there are more."""
    ranked_matches(2)
    docks, sport = factories.section(title="Docks"), factories.section(title="Sport")
    now = timezone.now()
    for days in (1, 2, 3, 4):
        factories.article(docks, title=f"Night service {days}", published_at=now - timedelta(days))
    factories.article(sport, title="Night service 0", published_at=now)
    for q in ("night service", '"night service"'):
        _, doc = _search(client, q=q, section=docks.pk, sort="newest")
        assert _headlines(doc) == ["Night service 1", "Night service 2"], q
        assert _status(doc).text_content().startswith("More than 2 stories found")


def test_a_renamed_topic_finds_its_stories_by_the_new_name(client):
    """A story's topics are in its search entry: renaming one re-indexes its stories."""
    from taggit.models import Tag

    factories.article(title="Ferry timetable changes", topics=["Shipping"])
    assert _headlines(_search(client, q="shipping")[1]) == ["Ferry timetable changes"]
    topic = Tag.objects.get(name="Shipping")
    topic.name = "Maritime"
    topic.save()
    assert _headlines(_search(client, q="maritime")[1]) == ["Ferry timetable changes"]
    assert _headlines(_search(client, q="shipping")[1]) == []
