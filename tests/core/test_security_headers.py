"""Reader pages carry a strict Content Security Policy; the Wagtail admin keeps working."""

import pytest
from django.contrib.auth import get_user_model

from tests import factories

pytestmark = pytest.mark.django_db


def test_reader_pages_send_a_strict_content_security_policy(client):
    """Scripts, styles and forms only from this site; nobody may frame the page."""
    story = factories.article()
    for url in ("/", story.url, story.get_parent().url, "/no-such-page/"):
        policy = client.get(url).headers.get("Content-Security-Policy", "")
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["script-src"] == "'self'", url
        assert directives["style-src"] == "'self'", url
        assert directives["frame-ancestors"] == "'self'", url
        assert directives["object-src"] == "'none'", url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_admin_is_not_held_to_the_reader_policy(client):
    """The Wagtail admin, which needs inline scripts, renders without the reader CSP."""
    story = factories.article()
    admin = get_user_model().objects.create_superuser("desk", "desk@example.org", "pw-12345-x")
    client.force_login(admin)
    response = client.get(f"/admin/pages/{story.pk}/edit/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response.headers
    assert story.title in response.content.decode()
