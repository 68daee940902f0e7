"""The persistent PostgreSQL connection's per-request health check (masthead.core.postgresql):
a connection the server closed is noticed and replaced before a reader's request uses it,
and a healthy one is not sent a probe query.

Each test stands in for Django's request boundary itself: the test client leaves out
close_old_connections, which a real request_started runs (and which makes the next first
query check the connection again)."""

import select
import time

import psycopg
import pytest
from django.db import close_old_connections, connection, connections
from django.db.backends.postgresql import base as django_backend

from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server():
    """A second, separate connection to the same database, as an operator's psql."""
    params = connection.settings_dict
    keys = {"host": "HOST", "port": "PORT", "user": "USER", "password": "PASSWORD"}
    conn = psycopg.connect(
        dbname=params["NAME"],
        autocommit=True,
        **{key: params[name] for key, name in keys.items() if params.get(name)},
    )
    yield conn
    conn.close()


def _backend_pid():
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def _last_statement(server, pid):
    """What the server last ran for that backend, as pg_stat_activity shows it (None once
    the backend is gone)."""
    row = server.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    return row and row[0]


def _wait_until(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_postgresql_urls_run_on_this_backend():
    """DATABASE_URL=postgres://… gets the checking backend; code asking connection.vendor
    still sees PostgreSQL."""
    assert type(connections["default"]).__module__ == "masthead.core.postgresql.base"
    assert connection.vendor == "postgresql"


def test_request_after_the_server_ended_the_connection_succeeds(client, server):
    """The server terminates the process's idle connection (as a restart, an idle timeout or
    pg_terminate_backend would): the next reader request still gets its page, on a new
    connection."""
    story = factories.article()
    old_pid = _backend_pid()
    assert server.execute("SELECT pg_terminate_backend(%s)", [old_pid]).fetchone()[0]
    _wait_until(lambda: _last_statement(server, old_pid) is None)  # the backend has exited

    close_old_connections()  # the request boundary
    response = client.get(story.url)

    assert response.status_code == 200
    assert story.title in response.text
    assert _backend_pid() != old_pid


def test_healthy_connection_is_not_sent_a_probe(client, server):
    """At the start of a request a healthy idle connection is checked without a round trip:
    the server sees no statement from the check, and the request goes on on the same
    connection. Django's own check (SELECT 1), by contrast, is seen by the server."""
    story = factories.article()
    assert client.get(story.url).status_code == 200
    pid = _backend_pid()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'masthead-health-marker'")

    close_old_connections()  # the request boundary
    connection.close_if_health_check_failed()  # what the request's first query runs first

    assert connection.health_check_done
    assert _last_statement(server, pid) == "SELECT 'masthead-health-marker'"
    assert client.get(story.url).status_code == 200
    assert _backend_pid() == pid

    # The control: the same observation does see a round trip when one is made.
    close_old_connections()
    django_backend.DatabaseWrapper.close_if_health_check_failed(connections["default"])
    assert _last_statement(server, pid) == "SELECT 1"


def test_healthy_connection_with_something_to_read_is_kept(server):
    """A socket with something waiting is not taken for a dead one: a notification (here
    NOTIFY to a LISTENing connection) makes it readable, Django's real check then runs and
    finds it usable, so the connection is kept."""
    pid = _backend_pid()
    with connection.cursor() as cursor:
        cursor.execute("LISTEN masthead_health")
    try:
        server.execute("NOTIFY masthead_health")
        fd = connection.connection.fileno()
        _wait_until(lambda: select.select([fd], [], [], 0)[0])

        close_old_connections()
        connection.close_if_health_check_failed()

        assert connection.connection is not None
        assert _backend_pid() == pid
        assert _last_statement(server, pid) == "SELECT 1"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("UNLISTEN masthead_health")
