import pytest
from django.contrib.auth.models import Group, User
from lxml import html

from masthead.comments.models import Comment, MemberBan, ModerationLog
from tests import factories
from tests.comments.conftest import member, policy, post, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    user = User.objects.create_user("mod", "mod@example.org", "pw")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def premod_story():
    section = factories.section()
    policy(section, moderation="pre")
    return factories.article(section)


def _queue(client, **params):
    response = client.get("/admin/comments/", params)
    assert response.status_code == 200
    return response, html.fromstring(response.content)


def test_moderators_group_has_comment_permissions(moderator):
    """Members of the Moderators group may open the queue; other staff may not."""
    assert moderator.has_perm("comments.moderate_comment")
    assert moderator.has_perm("wagtailadmin.access_admin")
    editor = User.objects.create_user("ed", "ed@example.org", "pw")
    editor.user_permissions.add(
        *Group.objects.get(name="Moderators").permissions.filter(codename="access_admin")
    )
    assert not editor.has_perm("comments.moderate_comment")


def test_queue_requires_moderation_permission(client, db):
    """Staff without the moderation permission are refused the queue."""
    from django.contrib.auth.models import Permission

    user = User.objects.create_user("ed", "ed@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get("/admin/comments/")
    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_approve_from_queue_publishes_and_logs(client, moderator, premod_story):
    """Approving a waiting comment shows it to readers, counts it, and logs who did it."""
    writer = member()
    sign_in(client, writer)
    post(client, premod_story, "Please approve me.")
    comment = Comment.objects.get()
    client.force_login(moderator)
    _, doc = _queue(client)
    assert doc.xpath(f'//tr[@data-comment="{comment.pk}"]')
    response = client.post("/admin/comments/act/", {"single": f"{comment.pk}:approve"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert premod_story.comment_thread.approved_count == 1
    entry = ModerationLog.objects.get()
    assert (entry.user, entry.action, entry.comment) == (moderator, "approve", comment)
    reader_page = factories_client().get(f"/comments/{premod_story.pk}/")
    assert "Please approve me." in reader_page.content.decode()


def factories_client():
    from django.test import Client

    return Client()


def test_bulk_reject_and_filters(client, moderator, premod_story):
    """Bulk actions change every selected comment; filters narrow by member and article."""
    a, b = member(), member()
    other_story = factories.article(premod_story.get_parent())
    for who, story, body in [
        (a, premod_story, "A1"),
        (a, other_story, "A2"),
        (b, premod_story, "B1"),
    ]:
        sign_in(client, who)
        post(client, story, body)
    client.force_login(moderator)
    _, doc = _queue(client, member=a.email)
    assert len(doc.xpath("//tr[@data-comment]")) == 2
    _, doc = _queue(client, article=str(premod_story.pk))
    assert len(doc.xpath("//tr[@data-comment]")) == 2
    ids = list(Comment.objects.filter(member=a).values_list("pk", flat=True))
    client.post("/admin/comments/act/", {"action": "reject", "ids": ids})
    assert set(Comment.objects.filter(member=a).values_list("status", flat=True)) == {"rejected"}
    assert Comment.objects.get(member=b).status == "pending"
    assert ModerationLog.objects.filter(action="reject").count() == 2


def test_ban_rejects_pending_and_stops_posting(client, moderator, premod_story):
    """Banning a member rejects their waiting comments and refuses their next post."""
    writer = member()
    sign_in(client, writer)
    post(client, premod_story, "One.")
    post(client, premod_story, "Two.")
    first = Comment.objects.first()
    staff = factories_client()
    staff.force_login(moderator)
    staff.post("/admin/comments/act/", {"single": f"{first.pk}:ban"})
    assert MemberBan.objects.filter(member=writer).exists()
    assert set(Comment.objects.values_list("status", flat=True)) == {"rejected"}
    response = post(client, premod_story, "Three.")
    assert response.status_code == 403
    assert "can no longer post comments" in response.content.decode()
    assert Comment.objects.count() == 2


def test_pick_sorts_into_editors_picks(client, moderator, story):
    """An editors' pick appears under the 'Editors' picks' sort; others do not."""
    sign_in(client, member())
    post(client, story, "Ordinary.")
    post(client, story, "Insightful.")
    picked = Comment.objects.get(body="Insightful.")
    staff = factories_client()
    staff.force_login(moderator)
    staff.post("/admin/comments/act/", {"single": f"{picked.pk}:pick"})
    page = client.get(f"/comments/{story.pk}/?sort=picks").content.decode()
    assert "Insightful." in page and "Ordinary." not in page
    assert "Editors&#x27; pick" in page or "Editors' pick" in page


def test_reports_hide_comment_over_threshold(client, story, settings):
    """Each member reports once; at the threshold the comment is hidden pending review."""
    settings.COMMENTS_REPORT_THRESHOLD = 2
    sign_in(client, member())
    post(client, story, "Controversial.")
    comment = Comment.objects.get()
    reporter = member()
    sign_in(client, reporter)
    client.post(f"/comments/c/{comment.pk}/report/")
    client.post(f"/comments/c/{comment.pk}/report/")
    comment.refresh_from_db()
    assert comment.report_count == 1 and comment.status == "approved"
    sign_in(client, member())
    client.post(f"/comments/c/{comment.pk}/report/")
    comment.refresh_from_db()
    assert comment.status == "pending" and comment.hidden_by_reports
    assert "Controversial." not in factories_client().get(f"/comments/{story.pk}/").content.decode()
    assert story.comment_thread.__class__.objects.get(pk=story.pk).approved_count == 0


def test_reports_do_not_hide_again_what_a_moderator_approved(client, moderator, story, settings):
    """Once a moderator has looked and approved, further reports are counted for the queue
    but no longer take the comment down."""
    settings.COMMENTS_REPORT_THRESHOLD = 1
    sign_in(client, member())
    post(client, story, "Unpopular but fair.")
    comment = Comment.objects.get()
    sign_in(client, member())
    client.post(f"/comments/c/{comment.pk}/report/")
    comment.refresh_from_db()
    assert comment.hidden_by_reports

    staff = factories_client()
    staff.force_login(moderator)
    staff.post("/admin/comments/act/", {"single": f"{comment.pk}:approve"})
    sign_in(client, member())
    client.post(f"/comments/c/{comment.pk}/report/")
    comment.refresh_from_db()
    assert (comment.status, comment.hidden_by_reports, comment.report_count) == (
        "approved",
        False,
        2,
    )
    assert (
        "Unpopular but fair." in factories_client().get(f"/comments/{story.pk}/").content.decode()
    )


def test_editor_closes_thread_from_queue(client, moderator, story):
    """The queue filtered by article offers closing the thread; readers then cannot post."""
    client.force_login(moderator)
    _, doc = _queue(client, article=str(story.pk), status="all")
    assert doc.xpath('//button[contains(., "Close comments")]')
    client.post(f"/admin/comments/threads/{story.pk}/", {"close": "1"})
    assert ModerationLog.objects.get().action == "close"
    reader = factories_client()
    sign_in(reader, member())
    assert post(reader, story, "Anyone?").status_code == 403


def test_moderation_log_page_lists_actions(client, moderator, premod_story):
    """The log names who did what."""
    sign_in(client, member())
    post(client, premod_story, "Log me.")
    client.force_login(moderator)
    client.post("/admin/comments/act/", {"single": f"{Comment.objects.get().pk}:spam"})
    page = client.get("/admin/comments/log/").content.decode()
    assert "Marked as spam" in page and "mod" in page
