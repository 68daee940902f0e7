import json

import pytest
from django.test import Client

from masthead.comments.models import Comment
from masthead.members.services import member_erase
from tests.comments.conftest import member, post, sign_in

pytestmark = pytest.mark.django_db


def test_erasing_a_member_keeps_other_readers_replies(reader_client, reader, story):
    """A deleted account's comments become placeholders; replies to them stay visible."""
    post(reader_client, story, "Words the erased reader wrote.", display_name="Erin Erased")
    theirs = Comment.objects.get()
    other = sign_in(Client(), member())
    post(other, story, "A reply that must survive.", parent=str(theirs.pk))
    assert Comment.objects.count() == 2

    member_erase(member=reader)

    assert Comment.objects.count() == 2
    theirs.refresh_from_db()
    assert theirs.member_id is None and theirs.deleted_at is not None
    assert theirs.body == "" and theirs.display_name == "" and theirs.ip_address is None
    page = other.get(f"/comments/{story.pk}/").content.decode()
    assert "A reply that must survive." in page
    assert "Words the erased reader wrote." not in page and "Erin Erased" not in page


def test_data_download_includes_comments(reader_client, story):
    """The member's data download lists what they wrote."""
    post(reader_client, story, "My view on the compact.")
    data = json.loads(reader_client.get("/account/my-data.json").content)
    assert [c["body"] for c in data["comments"]] == ["My view on the compact."]
