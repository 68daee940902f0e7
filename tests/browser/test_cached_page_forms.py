"""Forms on cached reader pages keep CSRF protection, with and without JavaScript."""

import pytest
from playwright.sync_api import expect

from masthead.newsletter.models import Subscription
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cached_story(live_server):
    """An article with the newsletter box, already in the page cache."""
    factories.newsletter_list(name="Daily briefing", slug="daily")
    story = factories.article(newsletter_promo=True, title="Harbour wall repaired")
    return live_server.url + story.url


def _fill_and_send(tab):
    form = tab.locator("form[data-csrf]").first
    form.get_by_label("Email address").fill("reader@example.org")
    form.get_by_label("Daily briefing").check()
    form.get_by_role("button", name="Subscribe").click()


def test_form_on_a_cached_page_sends_with_javascript(page, cached_story):
    """reader.js fills the token on a cache hit, so the signup goes straight through."""
    # The browser asks for /favicon.ico by itself; the site has none (not this test's concern).
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(cached_story)
    response = page.goto(cached_story)
    assert response.headers["x-masthead-cache"] == "hit"
    assert "set-cookie" not in response.headers
    # expect() polls from Playwright's own script world; a string passed to wait_for_function
    # is eval'd in the page, which the site's CSP refuses once polling starts (a slow fetch).
    expect(page.locator("form[data-csrf] input[name=csrfmiddlewaretoken]").first).not_to_have_value(
        ""
    )
    _fill_and_send(page)
    page.wait_for_url("**/newsletter/check-your-inbox/")
    assert Subscription.objects.filter(member__email="reader@example.org").count() == 1
    assert page.console_errors == []


def test_form_on_a_cached_page_sends_without_javascript(browser, cached_story):
    """Without JavaScript the token is missing; one click on the confirm page sends it."""
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(cached_story)
        response = tab.goto(cached_story)
        assert response.headers["x-masthead-cache"] == "hit"
        _fill_and_send(tab)
        assert tab.get_by_role("heading", name="Please confirm").is_visible()
        assert not Subscription.objects.exists()
        tab.get_by_role("button", name="Confirm and send").click()
        tab.wait_for_url("**/newsletter/check-your-inbox/")
        assert Subscription.objects.filter(member__email="reader@example.org").count() == 1
    finally:
        context.close()
