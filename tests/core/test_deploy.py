"""Production settings: Django's deployment checklist passes, missing config fails loudly."""

import os
import subprocess
import sys

import pytest

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "masthead.settings.production",
    "SECRET_KEY": "x9Lr2-production-like-secret-key-with-plenty-of-entropy-7Qw!e4Tz0pKs",
    "ALLOWED_HOSTS": "news.example.org",
    "DATABASE_URL": "postgres://masthead@db.internal:5432/masthead",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "MASTHEAD_BASE_URL": "https://news.example.org",
}


# Set by the browser tests' conftest for Playwright; never present in a real deployment.
NOT_INHERITED = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _masthead(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return subprocess.run(
        [sys.executable, "-m", "masthead.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    """`masthead check --deploy` reports no issue at all, warnings included."""
    result = _masthead("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_required_settings(missing):
    """A missing required variable stops the process with a message naming it."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _masthead("check", env=env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr
