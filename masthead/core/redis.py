"""Redis connections that stop asking a Redis that stopped answering.

The default cache (renditions, rate-limit counters, feed versions) treats a failed call as
a miss, but each call to a frozen Redis still waits for the socket timeout: a page that
makes five calls would wait five timeouts, on every request. The connections of
`RememberingConnectionFactory` (the default cache's OPTIONS["CONNECTION_FACTORY"])
remember, per process and per server, that it is not answering: a refused or broken
connection, or two timeouts in a row (one slow answer from a busy server is not an
outage). For `RETRY_AFTER` seconds every call then fails at once instead, as a miss; the
first call after that asks the server again, waiting `PROBE_TIMEOUT` for its answer.

The page cache's own alias does not use them: it steps aside by itself and keeps the
purges made meanwhile (masthead.delivery.cache).
"""

import logging
import threading
import time

from django_redis.pool import ConnectionFactory
from redis.connection import Connection, SSLConnection, UnixDomainSocketConnection
from redis.exceptions import ConnectionError, TimeoutError  # noqa: A004

logger = logging.getLogger("masthead.redis")

RETRY_AFTER = 5.0
# How long the first call after RETRY_AFTER waits for an answer: a request (and the web
# worker's only thread) waits this, not the socket timeout, each time Redis is tried again.
PROBE_TIMEOUT = 0.25


class NotAnswering(ConnectionError):
    """Raised instead of calling a server that recently did not answer."""


class _Server:
    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        self.timeouts = 0
        self.skip_until = 0.0
        self.down = False

    def check(self):
        if self.skip_until and time.monotonic() < self.skip_until:
            raise NotAnswering(f"{self.name} did not answer; not asked again until later")

    def answered(self):
        if self.timeouts or self.down:
            with self.lock:
                if self.down:
                    logger.warning("Redis at %s answers again", self.name)
                self.timeouts, self.skip_until, self.down = 0, 0.0, False

    def failed(self, exc):
        with self.lock:
            if isinstance(exc, TimeoutError):
                self.timeouts += 1
                if self.timeouts < 2 and not self.down:
                    logger.warning("Redis at %s answered late (%s)", self.name, exc)
                    return
            if not self.down:
                logger.error(
                    "Redis at %s is not answering (%s); the cache goes without it, "
                    "trying again every %s s",
                    self.name,
                    exc,
                    RETRY_AFTER,
                )
            self.down = True
            self.skip_until = time.monotonic() + RETRY_AFTER


_servers = {}
_servers_lock = threading.Lock()


def _server(name):
    server = _servers.get(name)
    if server is None:
        with _servers_lock:
            server = _servers.setdefault(name, _Server(name))
    return server


class _Remembering:
    """Mixed into redis-py's connection classes: every way a call reaches the server
    (connect, send, read) checks and reports to the server's record."""

    @property
    def _server_record(self):
        record = self.__dict__.get("_masthead_record")
        if record is None:
            record = self.__dict__["_masthead_record"] = _server(self._host_error())
        return record

    def connect(self):
        record = self._server_record
        record.check()
        try:
            super().connect()
        except (ConnectionError, TimeoutError) as exc:
            record.failed(exc)
            raise

    def send_packed_command(self, command, check_health=True):
        record = self._server_record
        record.check()
        try:
            super().send_packed_command(command, check_health=check_health)
        except (ConnectionError, TimeoutError) as exc:
            record.failed(exc)
            raise

    def read_response(self, *args, **kwargs):
        record = self._server_record
        if record.down and "timeout" not in kwargs:  # asking again after RETRY_AFTER
            kwargs["timeout"] = min(PROBE_TIMEOUT, self.socket_timeout or PROBE_TIMEOUT)
        try:
            response = super().read_response(*args, **kwargs)
        except (ConnectionError, TimeoutError) as exc:
            record.failed(exc)
            raise
        record.answered()
        return response


class RememberingConnection(_Remembering, Connection):
    pass


class RememberingSSLConnection(_Remembering, SSLConnection):
    pass


class RememberingUnixConnection(_Remembering, UnixDomainSocketConnection):
    pass


def _connection_class_for(url):
    scheme = url.partition("://")[0].lower()
    return {
        "rediss": RememberingSSLConnection,
        "unix": RememberingUnixConnection,
    }.get(scheme, RememberingConnection)


class RememberingConnectionFactory(ConnectionFactory):
    """django-redis's connection factory (OPTIONS["CONNECTION_FACTORY"]), its pools'
    connections remembering. Its pools are its own: django-redis keeps one pool per URL
    for every alias, and the page cache's alias, on the same URL, must not share them."""

    def get_or_create_connection_pool(self, params):
        key = ("remembering", params["url"])
        if key not in self._pools:
            connection_class = _connection_class_for(params["url"])
            self._pools[key] = self.get_connection_pool(
                {**params, "connection_class": connection_class}
            )
        return self._pools[key]
