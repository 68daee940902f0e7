import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Uploaded images and renditions go to a per-test folder, never the demo's media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def migration_rows():
    """Tests that commit (transaction=True) flush the database after them, so an earlier
    one may have removed the rows that migrations create: Wagtail's default locale, root
    page and root collection, and the newsroom groups and workflow. Put them back (each
    step is idempotent)."""
    from importlib import import_module

    from django.apps import apps

    from tests.factories import wagtail_roots

    wagtail_roots()
    import_module("masthead.news.migrations.0002_newsroom_roles").create_roles(apps, None)


def is_postgres():
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    if is_postgres():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def smtp_server(settings):
    """Start a real SMTP server and point Django's SMTP backend at it; yields its Mailbox."""
    from tests.smtp import SMTPServer

    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = server.host
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        yield server.mailbox
