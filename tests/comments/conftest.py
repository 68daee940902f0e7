import itertools

import pytest

from masthead.comments.models import SectionCommentPolicy
from masthead.members.models import Member
from masthead.members.selectors import SESSION_KEY
from tests import factories

_seq = itertools.count(1)


def member(**fields):
    n = next(_seq)
    defaults = {"email": f"reader{n}@example.org", "display_name": f"Reader {n}"}
    defaults.update(fields)
    from django.utils import timezone

    defaults.setdefault("confirmed_at", timezone.now())
    return Member.objects.create(**defaults)


def sign_in(client, who):
    """Sign a member in on the test client the way members.services.member_sign_in does."""
    session = client.session
    session[SESSION_KEY] = who.pk
    session.save()
    return client


def policy(section, **fields):
    return SectionCommentPolicy.objects.create(section=section, **fields)


def post(client, story, body="A thoughtful comment.", **extra):
    data = {"body": body, "display_name": extra.pop("display_name", "Reader"), **extra}
    return client.post(f"/comments/{story.pk}/post/", data)


@pytest.fixture
def story(db):
    """An article in a post-moderated section: comments appear at once."""
    section = factories.section()
    policy(section, moderation="post")
    return factories.article(section)


@pytest.fixture
def reader(db):
    return member()


@pytest.fixture
def reader_client(client, reader):
    return sign_in(client, reader)


@pytest.fixture
def wagtail_base(transactional_db):
    """What migrations create and a transactional test's flush may have removed: the page
    tree root, the admin-access permission and the Moderators group."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from masthead.comments.apps import ensure_moderators_group
    from tests.factories import wagtail_roots

    wagtail_roots()
    content_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    Permission.objects.get_or_create(
        content_type=content_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    ensure_moderators_group()
