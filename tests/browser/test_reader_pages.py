"""A reader's browser on the demo site: what is visible, and no console or CSP errors."""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from masthead.demo import content
from masthead.demo.loader import load_demo_site

pytestmark = pytest.mark.django_db(transaction=True)

FEATURED_PATH = "/politics/election-news/calder-allies-reassure-neighbours-river-compact/"
SCREENSHOTS = Path(os.environ.get("MASTHEAD_SCREENSHOTS", "var/screenshots"))


@pytest.fixture
def demo(migrated_rows):
    load_demo_site()
    return migrated_rows.url


def _screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_reader_sees_the_featured_story(page, demo):
    """Headline, photo with caption and credit, byline, subheadings and quotes are visible."""
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto(demo + FEATURED_PATH)
    assert response.status == 200
    f = content.FEATURED

    expect(page.locator("h1")).to_have_text(f["title"])
    expect(page.locator("header .kicker")).to_have_text("Exclusive")
    expect(page).to_have_title(re.compile("^" + re.escape(f["seo_title"])))
    crumbs = page.get_by_role("navigation", name="Breadcrumb").get_by_role("link")
    expect(crumbs).to_have_text(["Home", "Politics", "Election News"])

    figure = page.locator("figure.lead-figure")
    lead_image = figure.get_by_role("img")
    expect(lead_image).to_be_visible()
    assert lead_image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert lead_image.evaluate("img => img.currentSrc").endswith(".webp")
    expect(figure.locator("figcaption .caption")).to_contain_text("Mayor Ilse Calder speaks")
    expect(figure.locator("figcaption .credit")).to_be_visible()
    expect(figure.locator("figcaption .credit")).to_contain_text(
        "Tomas Reyes/File Photo", ignore_case=True
    )

    expect(page.locator(".byline")).to_have_text("By Mara Okafor and Daniel Whitlow")
    expect(page.locator(".article__body h2")).to_have_text(
        [
            "Planning for a second term",
            "Backing the current arrangements",
            "Continuity on the river",
        ]
    )
    quotes = page.locator(".article__body figure.quote")
    expect(quotes).to_have_count(4)
    expect(quotes.first.locator("blockquote")).to_contain_text("I told them plainly")
    expect(quotes.locator("cite")).to_have_text(
        ["Colm Baptiste", "Odile Marchetti", "Teodor Lindqvist", "Hana Voss"]
    )
    expect(page.locator(".source-attribution")).to_have_text("Based on reporting by Courier Wire")

    page.get_by_role("link", name="Continuity on the river").click()
    expect(page.locator("#continuity-on-the-river")).to_be_in_viewport()
    _screenshot(page, "featured-article")
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []


def test_reader_sees_the_front_page(page, demo):
    """The front page leads with the featured story and shows each section's latest."""
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.goto(demo + "/").status == 200
    top = page.get_by_role("region", name="Top story")
    expect(top.get_by_role("heading", level=2)).to_have_text(content.FEATURED["title"])
    expect(top.locator("img")).to_be_visible()
    for name in ("Politics", "Business", "Local", "Science"):
        expect(page.get_by_role("heading", name=name, level=2)).to_be_visible()
    expect(page.get_by_role("navigation", name="Sections").get_by_role("link")).to_have_text(
        ["Politics", "Business", "Local", "Science"]
    )
    page.mouse.wheel(0, 20000)  # bring lazy images into view so they load (and could fail)
    page.wait_for_load_state("networkidle")
    _screenshot(page, "front-page")
    assert page.console_errors == []

    page.get_by_role("link", name="Early voting opens with queues", exact=False).first.click()
    expect(page.locator("h1")).to_contain_text("Early voting opens")
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []


def test_phone_sized_screen_shows_the_story_in_one_column(page, demo):
    """On a phone the story fits the screen width: nothing scrolls sideways."""
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(demo + FEATURED_PATH)
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    _screenshot(page, "featured-article-phone")
    assert page.console_errors == []


def test_editor_signs_in_and_opens_the_page_editor(page, demo):
    """The site's security headers leave the Wagtail admin working: sign in, edit a story."""
    get_user_model().objects.create_superuser("desk", "desk@example.org", "correct-horse-77")
    page.goto(demo + "/admin/login/")
    page.get_by_label("Username").fill("desk")
    page.get_by_label("Password").fill("correct-horse-77")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="The Northgate Courier")).to_be_visible()

    from masthead.news.models import ArticlePage

    story = ArticlePage.objects.get(slug=content.FEATURED["slug"])
    page.goto(f"{demo}/admin/pages/{story.pk}/edit/")
    expect(page.get_by_role("textbox", name="Display headline")).to_have_value(
        content.FEATURED["title"]
    )
    expect(page.get_by_role("button", name="Save draft")).to_be_visible()
    _screenshot(page, "admin-editor")
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
