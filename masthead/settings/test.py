"""Tests: fast hasher, tasks run immediately, plain static storage.

DATABASE_URL and CACHE_URL/REDIS_URL are honoured, so the same suite runs on the
embedded default and on PostgreSQL + Redis (see .ci/run)."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, STORAGES, env

SECRET_KEY = "masthead-test-key"  # noqa: S105 - tests only
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's in-memory database: that one is a single connection the live
    # server's threads share with the test, so a browser's late request (the admin's
    # release beacon when a tab closes) ran on it in the middle of the test's teardown
    # flush. With a file each thread has its own connection, as each web process has.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"masthead-test-{os.getpid()}.sqlite3")
    }
# Each test run gets its own key space on a shared Redis.
for _alias in CACHES.values():
    _alias["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="masthead-test")
MASTHEAD_BASE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = MASTHEAD_BASE_URL
# Every request checks for purges, so a test never sees a page cached by an earlier one.
MASTHEAD_PAGE_CACHE_CHECK_INTERVAL = 0
# Tasks run at once here: a render after each publish would make every test's first
# reader a hit (tests/delivery/test_render_on_publish.py turns it on).
MASTHEAD_RENDER_ON_PUBLISH = False
