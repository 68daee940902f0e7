"""Comment settings with their defaults; any of them may be set in Django settings."""

from datetime import timedelta

from django.conf import settings

DEFAULTS = {
    "COMMENTS_MAX_LENGTH": 3000,
    "COMMENTS_NAME_MAX_LENGTH": 80,
    "COMMENTS_EDIT_WINDOW": timedelta(minutes=15),
    "COMMENTS_MAX_LINKS": 2,
    "COMMENTS_REPORT_THRESHOLD": 3,
    # (seconds, posts allowed in that window)
    "COMMENTS_RATE_LIMITS_MEMBER": [(60, 5), (3600, 40)],
    "COMMENTS_RATE_LIMITS_IP": [(60, 20), (3600, 300)],
    "COMMENTS_DUPLICATE_WINDOW": timedelta(days=1),
    "COMMENTS_DEFAULT_MODERATION": "first",
    "COMMENTS_DEFAULT_CLOSE_AFTER_DAYS": 30,
    "COMMENTS_THREADS_PER_PAGE": 50,
    # Replies shown under a top-level comment before a "show all replies" link.
    "COMMENTS_REPLIES_SHOWN": 10,
    "COMMENTS_SIGN_IN_URL": "/account/sign-in/",
}


def get(name):
    return getattr(settings, name, DEFAULTS[name])


def edit_window():
    return get("COMMENTS_EDIT_WINDOW")
