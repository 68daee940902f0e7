"""Reader comments on articles, the per-section policy that governs them, and the
records moderators rely on: reports, bans, the blocklist and the moderation log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet

from masthead.comments import conf


class Moderation(models.TextChoices):
    PRE = "pre", "Pre-moderation: every comment waits for a moderator"
    POST = "post", "Post-moderation: visible at once, reviewed afterwards"
    FIRST = "first", "First comment: new members wait until one comment is approved"


class CommentQuerySet(models.QuerySet):
    def visible(self):
        """What every reader sees: approved, including deleted ones (shown as placeholders)."""
        return self.filter(status=Comment.Status.APPROVED)

    def countable(self):
        """Approved and not deleted: the number shown on articles and in listings."""
        return self.filter(status=Comment.Status.APPROVED, deleted_at__isnull=True)

    def in_moderation(self):
        return self.filter(status=Comment.Status.PENDING)

    def on_article(self, article_id):
        return self.filter(article_id=article_id)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="reader_comments"
    )
    # Erasing a member keeps their comments as placeholders (SET_NULL) so replies other
    # readers wrote to them are not deleted with them.
    member = models.ForeignKey(
        "members.Member", null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    # `root` is the top-level comment of the thread; replies deeper than one level are shown
    # under it, flattened, with an "in reply to" line pointing at `parent`.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="thread_replies"
    )
    display_name = models.CharField(max_length=80)
    body = models.TextField(help_text="The text as the member wrote it, after normalisation.")
    body_html = models.TextField(help_text="Escaped, linked rendering of the body.")
    body_hash = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    hidden_by_reports = models.BooleanField(default=False)
    is_pick = models.BooleanField("editors' pick", default=False)
    notify_replies = models.BooleanField(default=False)
    reply_notice_sent_at = models.DateTimeField(null=True, blank=True)
    report_count = models.PositiveIntegerField(default=0)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # One form submission creates at most one comment, however often it is re-sent.
    submission_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "submission_key"], name="comment_one_per_submission"
            )
        ]
        indexes = [models.Index(fields=["article", "status", "created_at"])]
        permissions = [("moderate_comment", "Can moderate reader comments")]

    def __str__(self):
        return f"{self.display_name}: {self.body[:60]}"

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    def editable_until(self):
        return self.created_at + conf.edit_window()


class CommentThread(models.Model):
    """Per-article state: the denormalised count listings show, and an editor's closure."""

    article = models.OneToOneField(
        "news.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="comment_thread",
    )
    approved_count = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"Comments on article {self.article_id}"


@register_snippet
class SectionCommentPolicy(models.Model):
    """How comments behave in a section; subsections without their own policy inherit it."""

    section = models.OneToOneField(
        "news.SectionPage", on_delete=models.CASCADE, related_name="comment_policy"
    )
    moderation = models.CharField(
        max_length=5, choices=Moderation.choices, blank=True, help_text="Empty: inherit."
    )
    close_after_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Close comments this many days after publication. Empty: inherit; 0: never.",
    )

    panels = [FieldPanel("section"), FieldPanel("moderation"), FieldPanel("close_after_days")]

    class Meta:
        verbose_name = "section comment policy"
        verbose_name_plural = "section comment policies"

    def __str__(self):
        return f"Comment policy for {self.section}"


class CommentReport(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "member"], name="report_once_per_member")
        ]

    def __str__(self):
        return f"Report on comment {self.comment_id} by member {self.member_id}"


class MemberBan(models.Model):
    member = models.OneToOneField(
        "members.Member", on_delete=models.CASCADE, related_name="comment_ban"
    )
    reason = models.CharField(max_length=200, blank=True)
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Ban on {self.member}"


@register_snippet
class BlockedTerm(models.Model):
    """A word or web domain that may not appear in comments. Editors maintain the list."""

    class Kind(models.TextChoices):
        WORD = "word", "Word or phrase"
        DOMAIN = "domain", "Web domain (subdomains included)"

    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.WORD)
    value = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    panels = [FieldPanel("kind"), FieldPanel("value")]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="blocked_term_once")]
        ordering = ["kind", "value"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def save(self, *args, **kwargs):
        self.value = self.value.strip().lower()
        super().save(*args, **kwargs)


class ModerationLog(models.Model):
    """Who did what to which comment or member, and when."""

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        SPAM = "spam", "Marked as spam"
        PICK = "pick", "Made an editors' pick"
        UNPICK = "unpick", "Removed from editors' picks"
        BAN = "ban", "Banned member"
        UNBAN = "unban", "Lifted ban"
        HIDE = "hide", "Hidden by reader reports"
        CLOSE = "close", "Closed thread"
        REOPEN = "reopen", "Reopened thread"

    action = models.CharField(max_length=10, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="log"
    )
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    article_id = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} by {self.user or 'the system'}"
