from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.contrib.sessions.backends.db import SessionStore
from lxml import html

from masthead.comments.models import Comment, CommentThread
from masthead.members.selectors import SESSION_KEY
from tests import factories
from tests.comments.conftest import member, policy

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

CSRF = "c" * 32  # Django accepts the unmasked secret in the form when it matches the cookie


def _session_cookie(who):
    session = SessionStore()
    session[SESSION_KEY] = who.pk
    session.create()
    return session.session_key


def test_200_concurrent_posts_all_stored_once(live_server, settings, wagtail_base):
    """200 members posting at once on one story: 200 comments, none twice, count 200."""
    settings.COMMENTS_RATE_LIMITS_IP = [(60, 10_000)]
    section = factories.section()
    policy(section, moderation="post")
    story = factories.article(section)
    writers = [(member(), i) for i in range(200)]
    cookies = {who.pk: _session_cookie(who) for who, _ in writers}
    url = f"{live_server.url}/comments/{story.pk}/post/"

    def send(item, key_suffix=""):
        who, i = item
        response = requests.post(
            url,
            data={
                "body": f"Concurrent comment number {i}.",
                "display_name": f"Writer {i}",
                "submission_key": f"key-{i}",
                "csrfmiddlewaretoken": CSRF,
            },
            cookies={"sessionid": cookies[who.pk], "csrftoken": CSRF},
            allow_redirects=False,
            timeout=60,
        )
        return response.status_code

    # The first 20 forms are also sent a second time at once, like a double click.
    work = writers + writers[:20]
    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(send, work))
    assert codes == [302] * len(work)

    bodies = list(Comment.objects.filter(article=story).values_list("body", flat=True))
    assert len(bodies) == 200
    assert sorted(bodies) == sorted(f"Concurrent comment number {i}." for i in range(200))
    assert CommentThread.objects.get(article=story).approved_count == 200
    page = requests.get(f"{live_server.url}/comments/{story.pk}/", timeout=30)
    summary = html.fromstring(page.content).xpath('//p[@class="comments__summary"]')[0]
    assert summary.text_content().strip() == "200 comments"
