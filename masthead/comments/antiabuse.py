"""Checks a comment must pass before anything is stored as visible.

Each check raises CommentRejected with a message written for the person who posted, so
they know what to change. Rate limits count in the shared cache (Redis in production) so
every web node sees the same counters.
"""

import re
import time

from django.core.cache import cache
from django.utils import timezone

from masthead.comments import conf, text
from masthead.comments.models import BlockedTerm, Comment, MemberBan


class CommentRejected(Exception):
    """A comment refused for a reason the writer can act on. `status` is the HTTP status."""

    def __init__(self, message, *, status=400, field=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


def check_not_banned(*, member):
    if MemberBan.objects.filter(member=member).exists():
        raise CommentRejected(
            "Your account can no longer post comments. If you think this is a mistake, "
            "write to the newsroom.",
            status=403,
        )


def check_honeypot(*, value):
    if value:
        raise CommentRejected(
            "Your comment was not posted: a field meant to stay empty was filled in. "
            "If you use a form-filling tool, switch it off for this form and try again."
        )


def check_length(*, body):
    limit = conf.get("COMMENTS_MAX_LENGTH")
    if not body:
        raise CommentRejected("Write something before posting.", field="body")
    if len(body) > limit:
        raise CommentRejected(
            f"Comments can be at most {limit:,} characters; yours has {len(body):,}. "
            "Shorten it and post again.",
            field="body",
        )


def check_links(*, body_html):
    limit = conf.get("COMMENTS_MAX_LINKS")
    found = text.link_count(body_html)
    if found > limit:
        raise CommentRejected(
            f"Comments can contain at most {limit} links; yours has {found}. "
            "Remove some and post again.",
            field="body",
        )


def blocklist():
    """The editors' blocklist, cached briefly: it is read on every post."""
    terms = cache.get("comments:blocklist")
    if terms is None:
        terms = list(BlockedTerm.objects.values_list("kind", "value"))
        cache.set("comments:blocklist", terms, 60)
    return terms


def check_blocklist(*, body, display_name=""):
    words = [v for kind, v in blocklist() if kind == BlockedTerm.Kind.WORD]
    blocked_domains = [v for kind, v in blocklist() if kind == BlockedTerm.Kind.DOMAIN]
    haystack = text.folded(f"{display_name}\n{body}")
    for word in words:
        if re.search(rf"(?<!\w){re.escape(text.folded(word))}(?!\w)", haystack):
            raise CommentRejected(
                f"Your comment contains “{word}”, which is not allowed in comments here. "
                "Rephrase and post again.",
                field="body",
            )
    for host in text.domains(body):
        for domain in blocked_domains:
            if host == domain or host.endswith("." + domain):
                raise CommentRejected(
                    f"Links to {domain} are not allowed in comments here. "
                    "Remove the link and post again.",
                    field="body",
                )


def check_duplicate(*, member, body_hash, exclude_pk=None):
    since = timezone.now() - conf.get("COMMENTS_DUPLICATE_WINDOW")
    qs = Comment.objects.filter(member=member, body_hash=body_hash, created_at__gte=since)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exclude(status=Comment.Status.REJECTED).exists():
        raise CommentRejected(
            "You have already posted this comment. Each comment can be posted once.",
            field="body",
        )


def _hit(scope, ident, limits):
    now = int(time.time())
    for seconds, allowed in limits:
        window = now // seconds
        key = f"comments:rate:{scope}:{ident}:{seconds}:{window}"
        cache.add(key, 0, seconds + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, seconds + 5)
            count = 1
        # None: the shared cache is down; the other defences still hold (members only,
        # moderation, duplicates, links, the blocklist).
        if count is not None and count > allowed:
            wait = seconds - (now % seconds)
            raise CommentRejected(
                f"You are posting too quickly: at most {allowed} comments every "
                f"{_describe(seconds)}. Your text is kept below; try again in "
                f"{_describe(wait)}.",
                status=429,
            )


def _describe(seconds):
    if seconds < 90:
        return f"{seconds} seconds"
    if seconds < 5400:
        return f"{round(seconds / 60)} minutes"
    return f"{round(seconds / 3600)} hours"


def check_rate_limits(*, member, ip_address):
    """Counts this attempt against the member's and the address's allowance."""
    _hit("member", member.pk, conf.get("COMMENTS_RATE_LIMITS_MEMBER"))
    if ip_address:
        _hit("ip", ip_address, conf.get("COMMENTS_RATE_LIMITS_IP"))
