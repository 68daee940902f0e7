"""Reads: the policy that applies to an article, whether its thread is open, and the thread
itself shaped for display at a fixed number of queries however many comments it holds."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from masthead.comments import conf
from masthead.comments.models import (
    Comment,
    CommentThread,
    MemberBan,
    SectionCommentPolicy,
)

SORTS = {
    "oldest": "Oldest first",
    "newest": "Newest first",
    "picks": "Editors' picks",
}


@dataclass
class Policy:
    moderation: str
    close_after_days: int


def policy_for_article(*, article):
    """The nearest section's setting wins; a section that leaves a field empty inherits it."""
    steplen = article.steplen
    ancestor_paths = [article.path[:i] for i in range(steplen, len(article.path), steplen)]
    found = {
        p.section_path: p
        for p in SectionCommentPolicy.objects.filter(section__path__in=ancestor_paths).annotate(
            section_path=F("section__path")
        )
    }
    moderation, close_after = None, None
    for path in reversed(ancestor_paths):
        policy = found.get(path)
        if policy is None:
            continue
        moderation = moderation or policy.moderation or None
        if close_after is None:
            close_after = policy.close_after_days
    if close_after is None:
        close_after = conf.get("COMMENTS_DEFAULT_CLOSE_AFTER_DAYS")
    return Policy(
        moderation=moderation or conf.get("COMMENTS_DEFAULT_MODERATION"),
        close_after_days=close_after,
    )


def thread_state(*, article_id):
    return CommentThread.objects.filter(article_id=article_id).first()


def comments_closed_reason(*, article, policy=None, thread=None):
    """Why new comments are refused on this article, or None when it is open."""
    if not article.comments_enabled or not article.live:
        return "Comments are not available on this story."
    if thread is None:
        thread = thread_state(article_id=article.pk)
    if thread is not None and thread.closed_at is not None:
        return "Comments on this story have been closed by the editors."
    policy = policy or policy_for_article(article=article)
    published = article.first_published_at
    if policy.close_after_days and published is not None:
        closes = published + timedelta(days=policy.close_after_days)
        if timezone.now() >= closes:
            return f"Comments close {policy.close_after_days} days after publication."
    return None


def comment_count(*, article_id, article=None):
    """Approved comments shown on the story. Pass the article when it was loaded with its
    thread (select_related("comment_thread")) to save the query."""
    if article is not None and "comment_thread" in article._state.fields_cache:
        thread = getattr(article, "comment_thread", None)
    else:
        thread = thread_state(article_id=article_id)
    return thread.approved_count if thread else 0


def member_is_banned(*, member):
    return MemberBan.objects.filter(member=member).exists()


def member_has_approved_comment(*, member):
    return Comment.objects.filter(member=member, status=Comment.Status.APPROVED).exists()


def comment_urls_for_article(*, article_id):
    """Cacheable URLs whose content changes when the article's visible comments change.

    The page cache purges these on `comment_thread_changed`; the article page itself is not
    among them (its count is refreshed by the fragment, see static/comments/comments.js).
    """
    return [reverse("comments:fragment", kwargs={"article_id": article_id})]


@dataclass
class ThreadEntry:
    comment: Comment
    replies: list = field(default_factory=list)
    reply_total: int = 0

    @property
    def more_replies(self):
        return self.reply_total - len(self.replies)


_LIST_FIELDS = (
    "id",
    "article_id",
    "member_id",
    "parent_id",
    "root_id",
    "display_name",
    "body_html",
    "status",
    "is_pick",
    "created_at",
    "edited_at",
    "deleted_at",
)


def _listing(qs):
    return qs.only(*_LIST_FIELDS).annotate(parent_name=F("parent__display_name"))


def thread_page(*, article_id, sort="oldest", page_number=1, focus_root_id=None):
    """One page of the thread: top-level comments with their replies (two levels shown).

    Replies to replies are listed under the top-level comment in time order, each naming
    the comment it answers. Deleted comments stay as placeholders only where replies hang
    from them. A long thread shows its first replies and links to itself in full
    (`focus_root_id`), so a page stays a readable size. Three queries: count, roots, replies.
    """
    visible = Comment.objects.visible().on_article(article_id)
    if sort == "picks":
        roots_qs = _listing(visible.filter(is_pick=True, deleted_at__isnull=True)).order_by(
            "-created_at", "-pk"
        )
    else:
        order = ("-created_at", "-pk") if sort == "newest" else ("created_at", "pk")
        roots_qs = _listing(visible.filter(root__isnull=True)).order_by(*order)
        if focus_root_id:
            roots_qs = roots_qs.filter(pk=focus_root_id)
    paginator = Paginator(roots_qs, conf.get("COMMENTS_THREADS_PER_PAGE"))
    page = paginator.get_page(page_number)
    roots = list(page.object_list)
    entries = [ThreadEntry(comment=c) for c in roots]
    if sort != "picks" and roots:
        by_root = {e.comment.pk: e for e in entries}
        replies = list(_listing(visible.filter(root_id__in=by_root)).order_by("created_at", "pk"))
        parents_with_replies = {r.parent_id for r in replies if r.deleted_at is None}
        # A deleted reply stays only as a placeholder for live replies beneath it.
        kept = [r for r in replies if r.deleted_at is None or r.pk in parents_with_replies]
        parents_with_replies |= {r.parent_id for r in kept}
        shown = None if focus_root_id else conf.get("COMMENTS_REPLIES_SHOWN")
        for reply in kept:
            reply.shows_in_reply_to = reply.parent_id != reply.root_id
            entry = by_root[reply.root_id]
            entry.reply_total += 1
            if shown is None or len(entry.replies) < shown:
                entry.replies.append(reply)
        entries = [e for e in entries if e.comment.deleted_at is None or e.replies]
    return {"entries": entries, "page_obj": page, "sort": sort, "total": paginator.count}


def member_pending_comments(*, article_id, member):
    """A member's own comments still waiting for review, so they know they were received."""
    if member is None:
        return []
    return list(
        Comment.objects.in_moderation()
        .on_article(article_id)
        .filter(member=member, deleted_at__isnull=True)
        .order_by("created_at")
    )


def member_comments_data(*, member):
    """A member's comments for their data download."""
    return [
        {
            "article_id": c.article_id,
            "created_at": c.created_at,
            "edited_at": c.edited_at,
            "deleted_at": c.deleted_at,
            "status": c.status,
            "display_name": c.display_name,
            "body": c.body,
        }
        for c in Comment.objects.filter(member=member).order_by("created_at")
    ]
