"""Newsletter data: lists, subscriptions with their consent trail, editions and the outbox.

Glossary and lifecycle: see README.md beside this file.
"""

from django.conf import settings
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from masthead.members.models import Member


class NewsletterList(models.Model):
    class Kind(models.TextChoices):
        DIGEST = "digest", "Digest"
        ALERTS = "alerts", "Breaking news alerts"
        SECTION = "section", "Section newsletter"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DIGEST)
    section = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For section newsletters and self-building digests.",
    )
    is_public = models.BooleanField(default=True, help_text="Offered to readers on signup forms.")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting confirmation"
        ACTIVE = "active", "Active"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Marked as spam"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="subscriptions")
    newsletter = models.ForeignKey(
        NewsletterList, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "newsletter"], name="one_subscription_per_list"
            )
        ]
        indexes = [models.Index(fields=["newsletter", "status"])]

    def __str__(self):
        return f"{self.member} → {self.newsletter} ({self.status})"


class ConsentRecord(models.Model):
    """What a reader agreed to, when, where and in which words. Kept after unsubscribing."""

    class Action(models.TextChoices):
        REQUESTED = "requested", "Requested (form sent)"
        CONFIRMED = "confirmed", "Confirmed (link clicked)"
        WITHDRAWN = "withdrawn", "Withdrawn (unsubscribed)"

    member = models.ForeignKey(
        Member, null=True, on_delete=models.SET_NULL, related_name="consent_records"
    )
    newsletter = models.ForeignKey(NewsletterList, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=500, blank=True, help_text="Page or form it came from.")
    wording = models.TextField(blank=True, help_text="The consent text the reader was shown.")

    class Meta:
        ordering = ["at"]

    def __str__(self):
        return f"{self.get_action_display()} {self.newsletter_id} at {self.at:%Y-%m-%d %H:%M}"


class Edition(ClusterableModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"

    class Kind(models.TextChoices):
        EDITION = "edition", "Edition"
        DIGEST = "digest", "Automatic digest"
        ALERT = "alert", "Breaking news alert"

    newsletter = models.ForeignKey(
        NewsletterList, on_delete=models.PROTECT, related_name="editions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EDITION)
    subject = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    latest_from_section = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Fill the edition with the latest stories from this section.",
    )
    latest_count = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The day a self-building digest covers; unique per list so a day is never sent twice.
    digest_for = models.DateField(null=True, blank=True, editable=False)
    # When send tasks were last handed to the workers (the periodic check re-dispatches
    # editions whose worker died, see README.md "Failure and crash recovery").
    dispatched_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "digest_for"], name="one_digest_per_list_and_day"
            )
        ]

    def __str__(self):
        return self.subject

    def clean(self):
        from django.core.exceptions import ValidationError

        # A line break in a subject would start a new mail header.
        if any(ch in self.subject for ch in "\r\n\x00"):
            raise ValidationError({"subject": "The subject must be a single line."})
        if self.latest_from_section_id and not self.latest_count:
            raise ValidationError(
                {"latest_count": "Say how many of the latest stories to include."}
            )


class EditionArticle(Orderable):
    edition = ParentalKey(Edition, on_delete=models.CASCADE, related_name="chosen_articles")
    article = models.ForeignKey("news.ArticlePage", on_delete=models.CASCADE, related_name="+")


class OutboxMessage(models.Model):
    """One recipient of one edition. Written in one transaction when the edition is queued."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        CLAIMED = "claimed", "Claimed by a worker"
        SENT = "sent", "Submitted to the mail server"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (unsubscribed or bounced before sending)"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="outbox")
    subscription = models.ForeignKey(
        Subscription, null=True, on_delete=models.SET_NULL, related_name="outbox"
    )
    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "email"], name="one_message_per_recipient")
        ]
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self):
        return f"{self.email} ({self.status})"
