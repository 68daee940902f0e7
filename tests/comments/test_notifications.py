import re

import pytest

from masthead.comments.models import Comment
from tests.comments.conftest import member, post, sign_in

pytestmark = pytest.mark.django_db


def test_reply_notice_sent_once_with_working_unsubscribe(
    client, story, smtp_server, django_capture_on_commit_callbacks
):
    """An opted-in writer gets one email per reply; its unsubscribe link stops further mail."""
    from django.test import Client

    writer = member(email="writer@example.org")
    sign_in(client, writer)
    post(client, story, "Tell me about replies.", notify_replies="on")
    parent = Comment.objects.get()
    replier = sign_in(Client(), member(display_name="Bo"))
    with django_capture_on_commit_callbacks(execute=True):
        post(replier, story, "Here is a reply.", display_name="Bo", parent=parent.pk)
    smtp_server.wait_for(1)
    message = smtp_server.messages[0]
    assert message["To"] == "writer@example.org"
    assert "Bo replied" in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.search(r"<([^>]+)>", str(message["List-Unsubscribe"])).group(1)
    assert "Here is a reply." in message.get_content()

    path = unsubscribe.replace("http://testserver", "")
    response = Client().post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    parent.refresh_from_db()
    assert not parent.notify_replies
    with django_capture_on_commit_callbacks(execute=True):
        post(replier, story, "A second reply.", display_name="Bo", parent=parent.pk)
    assert len(smtp_server.messages) == 1


def test_no_notice_without_opt_in_or_for_own_reply(
    client, story, smtp_server, django_capture_on_commit_callbacks
):
    """No email unless the writer asked, and never for replying to oneself."""
    from django.test import Client

    writer = member()
    sign_in(client, writer)
    post(client, story, "Do not email me.")
    quiet = Comment.objects.get()
    post(client, story, "Email me.", notify_replies="on")
    loud = Comment.objects.get(body="Email me.")
    with django_capture_on_commit_callbacks(execute=True):
        post(sign_in(Client(), member()), story, "Reply to quiet.", parent=quiet.pk)
        post(client, story, "Replying to myself.", parent=loud.pk)
    assert smtp_server.messages == []


def test_forged_unsubscribe_link_refused(client, db):
    """A mangled unsubscribe token is refused with 404."""
    assert client.get("/comments/unsubscribe/not-a-token/").status_code == 404
