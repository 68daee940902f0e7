"""Writes: posting, editing, deleting, reporting, moderating, banning, closing threads.

Every write runs in one transaction and recounts the article's visible comments under a
row lock on its CommentThread, so concurrent posts never lose or double a count. Signals
and emails go out only after commit.
"""

import secrets
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from masthead.comments import antiabuse, conf, selectors, signals, text
from masthead.comments.antiabuse import CommentRejected
from masthead.comments.models import (
    Comment,
    CommentReport,
    CommentThread,
    MemberBan,
    Moderation,
    ModerationLog,
)

Action = ModerationLog.Action


def new_submission_key():
    return secrets.token_urlsafe(24)


def _recount(article_id):
    CommentThread.objects.bulk_create([CommentThread(article_id=article_id)], ignore_conflicts=True)
    thread = CommentThread.objects.select_for_update().get(article_id=article_id)
    thread.approved_count = Comment.objects.countable().on_article(article_id).count()
    thread.save(update_fields=["approved_count"])
    return thread


def _announce_change(article_id):
    urls = selectors.comment_urls_for_article(article_id=article_id)
    transaction.on_commit(
        partial(
            signals.comment_thread_changed.send,
            sender=Comment,
            article_id=article_id,
            urls=urls,
        )
    )


def _announce_approved(comment):
    transaction.on_commit(
        partial(
            signals.comment_was_approved.send,
            sender=Comment,
            comment=comment,
            article_id=comment.article_id,
        )
    )
    if comment.parent_id:
        from masthead.comments.tasks import send_reply_notification

        transaction.on_commit(partial(send_reply_notification.enqueue, comment.pk))


def _clean_fields(*, body, display_name):
    body = text.normalise(body)
    display_name = text.normalise(display_name, multiline=False)
    limit = conf.get("COMMENTS_NAME_MAX_LENGTH")
    if not display_name:
        raise CommentRejected("Give a name to show with your comment.", field="display_name")
    if len(display_name) > limit:
        raise CommentRejected(f"Names can be at most {limit} characters.", field="display_name")
    antiabuse.check_length(body=body)
    body_html = text.render(body)
    antiabuse.check_links(body_html=body_html)
    antiabuse.check_blocklist(body=body, display_name=display_name)
    return body, display_name, body_html


def _initial_status(*, member, policy):
    if policy.moderation == Moderation.PRE:
        return Comment.Status.PENDING
    if policy.moderation == Moderation.FIRST and not selectors.member_has_approved_comment(
        member=member
    ):
        return Comment.Status.PENDING
    return Comment.Status.APPROVED


def comment_post(
    *,
    article,
    member,
    body,
    display_name,
    parent_id=None,
    notify_replies=False,
    ip_address=None,
    submission_key="",
    honeypot="",
    request=None,
):
    """Store a member's comment after every anti-abuse check, visible or waiting per policy.

    A re-sent form (same submission key) returns the comment it already created.
    Raises CommentRejected, with nothing stored, when a check fails.
    """
    submission_key = (submission_key or "")[:64] or new_submission_key()
    existing = Comment.objects.filter(member=member, submission_key=submission_key).first()
    if existing is not None:
        return existing
    antiabuse.check_honeypot(value=honeypot)
    antiabuse.check_not_banned(member=member)
    policy = selectors.policy_for_article(article=article)
    closed = selectors.comments_closed_reason(article=article, policy=policy)
    if closed:
        raise CommentRejected(closed, status=403)
    parent = None
    if parent_id:
        parent = Comment.objects.visible().on_article(article.pk).filter(pk=parent_id).first()
        if parent is None or parent.is_deleted:
            raise CommentRejected("The comment you replied to is no longer available.")
    body, display_name, body_html = _clean_fields(body=body, display_name=display_name)
    body_hash = text.fingerprint(body)
    antiabuse.check_duplicate(member=member, body_hash=body_hash)
    antiabuse.check_rate_limits(member=member, ip_address=ip_address)
    status = _initial_status(member=member, policy=policy)
    comment = Comment(
        article_id=article.pk,
        member=member,
        parent=parent,
        root_id=(parent.root_id or parent.pk) if parent else None,
        display_name=display_name,
        body=body,
        body_html=body_html,
        body_hash=body_hash,
        status=status,
        notify_replies=notify_replies,
        ip_address=ip_address or None,
        submission_key=submission_key,
    )
    try:
        with transaction.atomic():
            comment.save()
            if status == Comment.Status.APPROVED:
                _recount(article.pk)
                _announce_approved(comment)
                _announce_change(article.pk)
    except IntegrityError:
        # The same form was sent twice at once; the other request stored it.
        existing = Comment.objects.filter(member=member, submission_key=submission_key).first()
        if existing is None:
            raise
        return existing
    transaction.on_commit(
        partial(signals.comment_was_posted.send, sender=Comment, comment=comment, request=request)
    )
    return comment


def _own(comment, member):
    if member is None or comment.member_id != member.pk:
        raise CommentRejected("You can only change your own comments.", status=403)
    if comment.is_deleted:
        raise CommentRejected("This comment has been deleted.", status=404)


@transaction.atomic
def comment_edit(*, comment, member, body):
    """The author changes their text within the edit window; checks run again."""
    _own(comment, member)
    if timezone.now() > comment.editable_until():
        raise CommentRejected(
            "Comments can only be edited for "
            f"{int(conf.edit_window().total_seconds() // 60)} minutes after posting.",
            status=403,
        )
    if comment.status in (Comment.Status.REJECTED, Comment.Status.SPAM):
        raise CommentRejected("This comment was removed by a moderator.", status=403)
    body, _, body_html = _clean_fields(body=body, display_name=comment.display_name)
    body_hash = text.fingerprint(body)
    antiabuse.check_duplicate(member=member, body_hash=body_hash, exclude_pk=comment.pk)
    was_visible = comment.status == Comment.Status.APPROVED
    comment.body, comment.body_html, comment.body_hash = body, body_html, body_hash
    comment.edited_at = timezone.now()
    policy = selectors.policy_for_article(article=comment.article)
    if policy.moderation == Moderation.PRE:
        # An approved text may not be swapped for an unreviewed one.
        comment.status = Comment.Status.PENDING
    comment.save(update_fields=["body", "body_html", "body_hash", "edited_at", "status"])
    if was_visible:
        _recount(comment.article_id)
        _announce_change(comment.article_id)
    return comment


@transaction.atomic
def comment_delete(*, comment, member):
    """The author removes their comment; replies keep a placeholder in its place."""
    _own(comment, member)
    comment.deleted_at = timezone.now()
    comment.notify_replies = False
    comment.save(update_fields=["deleted_at", "notify_replies"])
    if comment.status == Comment.Status.APPROVED:
        _recount(comment.article_id)
        _announce_change(comment.article_id)
    return comment


def comment_report(*, comment, member, reason=""):
    """A member flags a comment once; enough reports hide it until a moderator decides,
    and a comment a moderator has approved after that stays up.

    Returns False when this member had already reported it.
    """
    if member is None:
        raise CommentRejected("Sign in to report a comment.", status=403)
    if comment.member_id == member.pk:
        raise CommentRejected("You cannot report your own comment.", status=400)
    with transaction.atomic():
        try:
            with transaction.atomic():
                CommentReport.objects.create(
                    comment=comment, member=member, reason=text.normalise(reason)[:200]
                )
        except IntegrityError:
            return False
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        comment.report_count = comment.reports.count()
        fields = ["report_count"]
        threshold = conf.get("COMMENTS_REPORT_THRESHOLD")
        if (
            comment.report_count >= threshold
            and comment.status == Comment.Status.APPROVED
            and not comment.hidden_by_reports
            # Hidden before and approved since: a moderator has decided; reports only
            # keep it in the queue's reported list.
            and not ModerationLog.objects.filter(comment=comment, action=Action.HIDE).exists()
        ):
            comment.status = Comment.Status.PENDING
            comment.hidden_by_reports = True
            fields += ["status", "hidden_by_reports"]
            ModerationLog.objects.create(
                action=Action.HIDE,
                comment=comment,
                member=comment.member,
                article_id=comment.article_id,
                note=f"{comment.report_count} reader reports",
            )
        comment.save(update_fields=fields)
        if "status" in fields:
            _recount(comment.article_id)
            _announce_change(comment.article_id)
    return True


_STATUS_FOR = {
    Action.APPROVE: Comment.Status.APPROVED,
    Action.REJECT: Comment.Status.REJECTED,
    Action.SPAM: Comment.Status.SPAM,
}


@transaction.atomic
def comments_moderate(*, comment_ids, action, user):
    """Apply one moderator decision to many comments; each change is logged.

    Returns how many comments changed.
    """
    if action not in (*_STATUS_FOR, Action.PICK, Action.UNPICK):
        raise ValueError(f"unknown moderation action {action!r}")
    changed, articles = 0, set()
    comments = Comment.objects.select_for_update().filter(pk__in=comment_ids).order_by("pk")
    for comment in comments:
        if action in _STATUS_FOR:
            new = _STATUS_FOR[action]
            if comment.status == new and not comment.hidden_by_reports:
                continue
            was_visible = comment.status == Comment.Status.APPROVED
            comment.status = new
            comment.hidden_by_reports = False
            comment.save(update_fields=["status", "hidden_by_reports"])
            if new == Comment.Status.APPROVED:
                _announce_approved(comment)
            if was_visible or new == Comment.Status.APPROVED:
                articles.add(comment.article_id)
        else:
            pick = action == Action.PICK
            if comment.is_pick == pick:
                continue
            comment.is_pick = pick
            comment.save(update_fields=["is_pick"])
            if comment.status == Comment.Status.APPROVED:
                articles.add(comment.article_id)
        ModerationLog.objects.create(
            action=action,
            user=user,
            comment=comment,
            member_id=comment.member_id,
            article_id=comment.article_id,
        )
        changed += 1
    for article_id in sorted(articles):
        _recount(article_id)
        _announce_change(article_id)
    return changed


@transaction.atomic
def member_ban(*, member, user, reason=""):
    """Stop a member posting; their comments still waiting for review are rejected too."""
    ban, created = MemberBan.objects.get_or_create(
        member=member, defaults={"banned_by": user, "reason": reason[:200]}
    )
    pending = list(
        Comment.objects.in_moderation().filter(member=member).values_list("pk", flat=True)
    )
    rejected = comments_moderate(comment_ids=pending, action=Action.REJECT, user=user)
    if created:
        ModerationLog.objects.create(
            action=Action.BAN, user=user, member=member, note=f"{rejected} pending rejected"
        )
    return ban


@transaction.atomic
def member_unban(*, member, user):
    deleted, _ = MemberBan.objects.filter(member=member).delete()
    if deleted:
        ModerationLog.objects.create(action=Action.UNBAN, user=user, member=member)


@transaction.atomic
def thread_close(*, article_id, user):
    thread = _recount(article_id)
    if thread.closed_at is None:
        thread.closed_at, thread.closed_by = timezone.now(), user
        thread.save(update_fields=["closed_at", "closed_by"])
        ModerationLog.objects.create(action=Action.CLOSE, user=user, article_id=article_id)
        _announce_change(article_id)
    return thread


@transaction.atomic
def thread_reopen(*, article_id, user):
    thread = _recount(article_id)
    if thread.closed_at is not None:
        thread.closed_at, thread.closed_by = None, None
        thread.save(update_fields=["closed_at", "closed_by"])
        ModerationLog.objects.create(action=Action.REOPEN, user=user, article_id=article_id)
        _announce_change(article_id)
    return thread


def member_reply_notices_stop(*, member):
    """Unsubscribe: no more reply emails for any of this member's comments."""
    return Comment.objects.filter(member=member, notify_replies=True).update(notify_replies=False)


def comments_erase_member(*, member):
    """Erasure: the member's comments lose their text, name and address but keep their place,
    so the replies of other readers stay. Placeholders show like deleted comments."""
    comments = Comment.objects.filter(member=member)
    article_ids = set(comments.values_list("article_id", flat=True))
    comments.filter(deleted_at__isnull=True).update(deleted_at=timezone.now())
    comments.update(
        member=None,
        display_name="",
        body="",
        body_html="",
        body_hash="",
        ip_address=None,
        notify_replies=False,
    )
    for article_id in article_ids:
        _recount(article_id)
        _announce_change(article_id)
