"""Hostile reader input and the moderation queue, in a real Chromium."""

import pytest
from django.contrib.auth.models import Group, User

from masthead.comments.models import Comment
from tests import factories
from tests.browser.conftest import browser, page  # noqa: F401 - shared Playwright fixtures
from tests.comments.conftest import member, policy

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PWN = "window.__pwned=1;document.title='pwned'"
HOSTILE = [
    f"<script>{PWN}</script>",
    f'<img src=x onerror="{PWN}">',
    f'<svg onload="{PWN}"><script>{PWN}</script></svg>',
    f'<a href="javascript:{PWN}">click me</a> javascript:{PWN}',
    "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+ "
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    f'<iframe src="javascript:parent.__pwned=1"></iframe><object data="javascript:{PWN}">',
    f"<div><p>unclosed <b>bold <i>it</div></p><!-- <script>{PWN}</script> --> <![CDATA[ x ]]>",
    f"\"><script>{PWN}</script> ' onmouseover='{PWN}' x=\"",
    "\u202eexe.txt\u202c harmless \u2067reversed\u2069 \u200f\u061c done",
    "<style>body{display:none}*{color:red}</style><link rel=stylesheet href=//evil.example>",
    f'<math><mtext><table><mglyph><style><img src=x onerror="{PWN}">',
    "{{ 7|add:7 }} {% csrf_token %} ${7*7} <%= 7*7 %>",
    "W" * 2900,
    "https://example.org/" + "path" * 400 + " and https://example.org/short",
]


def _post_corpus(client_factory, story):
    """Every hostile string as a body (with a plain name) and as a name (with a plain body)."""
    for i, payload in enumerate(HOSTILE):
        for as_name in (False, True):
            who = member(display_name="")
            client = client_factory(who)
            data = {
                "body": f"Plain body {i}." if as_name else payload,
                "display_name": payload[:80] if as_name else f"Plain name {i}",
            }
            response = client.post(f"/comments/{story.pk}/post/", data)
            assert response.status_code == 302, response.content[:500]


def _signed_in_client(who):
    from django.test import Client

    from tests.comments.conftest import sign_in

    return sign_in(Client(), who)


BOXES_JS = """
() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) problems.push("page scrolls sideways");
  document.querySelectorAll(".comment").forEach((box) => {
    const outer = box.getBoundingClientRect();
    if (outer.right > width + 1) problems.push(box.id + " wider than the page");
    box.querySelectorAll("*").forEach((el) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return;
      if (r.left < outer.left - 1 || r.right > outer.right + 1 ||
          r.top < outer.top - 1 || r.bottom > outer.bottom + 1) {
        problems.push(box.id + " " + el.tagName + " escapes its box");
      }
    });
  });
  return problems;
}
"""


def _assert_harmless(tab, expected_title):
    assert tab.evaluate("() => window.__pwned") is None
    assert tab.title() == expected_title
    assert tab.evaluate(BOXES_JS) == []
    assert tab.console_errors == []


def test_hostile_corpus_renders_inert_and_contained(live_server, page, settings, wagtail_base):  # noqa: F811
    """Hostile bodies and names render as text in Chromium: no script runs, nothing overflows."""
    settings.COMMENTS_RATE_LIMITS_IP = [(60, 1000)]
    section = factories.section()
    policy(section, moderation="post")
    story = factories.article(section)
    _post_corpus(_signed_in_client, story)
    assert Comment.objects.filter(status="approved").count() == 2 * len(HOSTILE)

    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_viewport_size({"width": 390, "height": 800})
    # The site has no favicon yet; its 404 would be the only console error.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))

    page.goto(f"{live_server.url}/comments/{story.pk}/")
    title = page.title()
    assert title.startswith("Comments:")
    assert page.locator("article.comment").count() == 2 * len(HOSTILE)
    # The text readers see is the text that was written (bar removed direction controls).
    assert page.locator(".comment__body", has_text="<script>window.__pwned").count() >= 1
    page.locator(".comment__body a").first.hover()
    _assert_harmless(page, title)

    page.goto(f"{live_server.url}{story.url}")
    page.wait_for_selector(".comments__inline .comments-fragment article.comment")
    assert page.locator("[data-comment-count]").inner_text() == str(2 * len(HOSTILE))
    _assert_harmless(page, page.title())
    assert page.title() != "pwned"
    assert dialogs == []


def test_admin_queue_moderation_in_browser(live_server, page, wagtail_base):  # noqa: F811
    """A moderator signs in, approves one comment, bulk-rejects two, bans a member."""
    section = factories.section()
    policy(section, moderation="pre")
    story = factories.article(section, title="Harbour bridge reopens")
    writers = [member(display_name=f"Writer {i}") for i in range(4)]
    for i, who in enumerate(writers):
        client = _signed_in_client(who)
        client.post(
            f"/comments/{story.pk}/post/",
            {
                "body": f"Queued comment {i} <script>{PWN}</script>",
                "display_name": who.display_name,
            },
        )
    assert Comment.objects.filter(status="pending").count() == 4
    moderator = User.objects.create_user("moderator", "m@example.org", "correct horse")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    c0, c1, c2, c3 = Comment.objects.order_by("pk")

    page.goto(f"{live_server.url}/admin/login/?next=/admin/comments/")
    page.fill("input[name=username]", "moderator")
    page.fill("input[name=password]", "correct horse")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/comments/")
    assert page.locator("tr[data-comment]").count() == 4
    assert page.evaluate("() => window.__pwned") is None

    page.locator(f'tr[data-comment="{c0.pk}"] button[value="{c0.pk}:approve"]').click()
    page.wait_for_load_state()
    assert "1 comment(s) changed" in page.locator(".messages").inner_text()
    assert page.locator("tr[data-comment]").count() == 3

    page.check(f"#sel-{c1.pk}")
    page.check(f"#sel-{c2.pk}")
    page.select_option("#bulk-action", "reject")
    page.click("button[name=bulk]")
    page.wait_for_load_state()
    assert page.locator("tr[data-comment]").count() == 1

    page.locator(f'button[value="{c3.pk}:ban"]').click()
    page.wait_for_load_state()
    assert page.locator("tr[data-comment]").count() == 0

    page.click("text=Moderation log")
    log = page.locator("table.moderation-log").inner_text()
    assert log.count("moderator") >= 4 and "Banned member" in log and "Approved" in log

    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {c0.pk: "approved", c1.pk: "rejected", c2.pk: "rejected", c3.pk: "rejected"}
    page.goto(f"{live_server.url}/comments/{story.pk}/")
    assert page.locator("article.comment").count() == 1
    assert "Queued comment 0" in page.locator("article.comment").inner_text()
    assert page.evaluate("() => window.__pwned") is None
