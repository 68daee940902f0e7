"""In a real browser: subscribe, confirm, get the edition, unsubscribe from its link."""

import re

import pytest

from masthead.newsletter import services
from masthead.newsletter.models import Edition, EditionArticle
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _link(message, pattern):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"(http://\S+/newsletter/{pattern}/\S+/)", text)[1]


def test_reader_subscribes_reads_and_leaves_in_the_browser(
    page, live_server, smtp_server, settings
):
    """The edition arrives after confirming; after unsubscribing, the next one does not."""
    settings.MASTHEAD_BASE_URL = live_server.url
    factories.home()
    daily = factories.newsletter_list(name="Daily briefing", slug="daily")
    story = factories.article(title="Harbour reopens after storm repairs")

    # The site ships no /favicon.ico yet; Chromium's automatic request for it is not ours.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(f"{live_server.url}/newsletter/")
    page.get_by_label("Daily briefing").check()
    page.get_by_label("Email address").fill("noor@example.org")
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url("**/check-your-inbox/")
    (confirmation,) = smtp_server.wait_for(1)
    page.goto(_link(confirmation, "confirm"))
    assert "subscribed" in page.content()

    smtp_server.clear()
    edition = Edition.objects.create(newsletter=daily, subject="Evening news", intro="Hi.")
    EditionArticle.objects.create(edition=edition, article=story, sort_order=0)
    services.edition_queue(edition_id=edition.pk)
    (mail,) = smtp_server.wait_for(1)
    page.goto(_link(mail, "unsubscribe"))
    page.get_by_role("button", name="Unsubscribe").click()
    page.wait_for_load_state()
    assert "unsubscribed" in page.content().lower()
    # The story link in the mail opens the story.
    html = mail.get_body(preferencelist=("html",)).get_content()
    page.goto(re.search(rf'href="([^"]+/{story.slug}/)"', html)[1])
    assert page.get_by_role("heading", level=1).inner_text() == story.title

    smtp_server.clear()
    later = Edition.objects.create(newsletter=daily, subject="Next day", intro="Hi again.")
    assert services.edition_queue(edition_id=later.pk) == 0
    assert smtp_server.messages == []
    assert page.console_errors == []
