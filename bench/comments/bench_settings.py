"""Settings for the comments benchmark: production-like (DEBUG off, real middleware stack),
plain static storage so no collectstatic is needed, and rate limits lifted so the benchmark
measures posting (including the rate-limit bookkeeping) rather than refusals."""

from masthead.settings.base import *  # noqa: F403
from masthead.settings.base import STORAGES

DEBUG = False
ALLOWED_HOSTS = ["*"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
COMMENTS_RATE_LIMITS_MEMBER = [(60, 1_000_000)]
COMMENTS_RATE_LIMITS_IP = [(60, 1_000_000)]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
