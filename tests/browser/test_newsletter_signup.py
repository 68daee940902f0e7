"""Signing up for the newsletter from an article page in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from masthead.newsletter.models import Subscription
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("migration_rows")]


def test_sign_up_from_an_article_page_and_confirm(live_server, page, smtp_server, settings):
    """With JavaScript on, the cached page's form gets its token, subscribes, and the mailed
    link confirms."""
    settings.MASTHEAD_BASE_URL = live_server.url
    factories.newsletter_list(name="Daily briefing", slug="daily")
    factories.newsletter_list(name="Breaking news", slug="alerts")
    story = factories.article(newsletter_promo=True, title="Council approves the budget")
    errors = []  # page.console_errors without the site's missing /favicon.ico (not ours)
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not m.location.get("url", "").endswith("/favicon.ico")
            and errors.append(m.text)
        ),
    )
    page.goto(live_server.url + story.url)
    box = page.get_by_role("region", name="Subscribe to our newsletter")
    token = box.locator('input[name="csrfmiddlewaretoken"]')
    expect(token).not_to_have_value("", timeout=10_000)
    box.get_by_label("Breaking news").check()
    box.get_by_label("Email address").fill("browser.reader@example.org")
    box.get_by_role("button", name="Subscribe").click()

    page.get_by_role("heading", name="Check your inbox").wait_for()
    assert "/newsletter/check-your-inbox/" in page.url
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "browser.reader@example.org"
    sub = Subscription.objects.get(member__email="browser.reader@example.org")
    assert (sub.newsletter.slug, sub.status) == ("alerts", "pending")

    text = message.get_body(preferencelist=("plain",)).get_content()
    confirm = re.search(r"(http://\S+/newsletter/confirm/\S+/)", text).group(1)
    page.goto(confirm)
    page.get_by_role("heading", name="You're subscribed").wait_for()
    sub.refresh_from_db()
    assert sub.status == "active"
    assert errors == []


def test_the_signup_box_reports_bad_input(live_server, page, settings):
    """A malformed address comes back with a clear message and the reader's input kept."""
    factories.newsletter_list(name="Daily briefing", slug="daily")
    story = factories.article(newsletter_promo=True)
    page.goto(live_server.url + story.url)
    box = page.get_by_role("region", name="Subscribe to our newsletter")
    token = box.locator('input[name="csrfmiddlewaretoken"]')
    expect(token).not_to_have_value("", timeout=10_000)
    box.get_by_label("Daily briefing").check()
    box.get_by_label("Email address").fill("not an address")
    box.get_by_role("button", name="Subscribe").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "doesn't look like an email address" in alert.inner_text()
    assert page.get_by_label("Email address").input_value() == "not an address"
    assert Subscription.objects.count() == 0


def test_header_shows_sign_in_then_account(live_server, page, smtp_server, settings):
    """The cached page's header offers 'Sign in'; after signing in by link, 'Your account'."""
    settings.MASTHEAD_BASE_URL = live_server.url
    story = factories.article()
    page.goto(live_server.url + story.url)
    header = page.locator("header.site-header")
    header.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email address").fill("header.reader@example.org")
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    (message,) = smtp_server.wait_for(1)
    text = message.get_body(preferencelist=("plain",)).get_content()
    page.goto(re.search(r"(http://\S+/account/sign-in/\S+/)", text).group(1))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + story.url)
    account = header.get_by_role("link", name="Your account")
    account.wait_for()
    assert header.get_by_role("link", name="Sign in").is_hidden()
    assert "header.reader@example.org" in account.inner_text()
