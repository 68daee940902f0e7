"""PostgreSQL as Django's backend has it, but a persistent connection is checked at the
start of each request by looking at its socket instead of sending SELECT 1: the same
protection against a connection the server closed, without a round trip per request when
the connection is healthy.

Django needs only this module's DatabaseWrapper; the backend's other parts (features,
operations, creation, introspection, client) are Django's own, and `vendor` stays
"postgresql"."""

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        # Django's own early returns (no connection, checks off, already checked this
        # request, a pool) are left to it: super() returns before touching the server.
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and self._idle_and_quiet()
        ):
            self.health_check_done = True
            return
        # Anything on the socket, not idle, or the look itself failed: Django's real check
        # (SELECT 1; an unusable connection is closed, so Django reconnects).
        super().close_if_health_check_failed()

    def _idle_and_quiet(self):
        """True when the connection is idle and the server has sent nothing since.

        Idle in autocommit, every answer has been read, and a server sends nothing unasked
        (bar NOTIFY or a notice). A server that closed the connection (restart, idle
        timeout, pg_terminate_backend) has sent its FATAL message and FIN, or the kernel
        an error: the socket is then readable, which poll(0) tells without waiting."""
        conn = self.connection
        try:
            if conn.closed or conn.broken:
                return False
            if conn.info.transaction_status != TransactionStatus.IDLE:
                return False
            poller = select.poll()  # poll, not select: no FD_SETSIZE limit
            poller.register(conn.fileno(), select.POLLIN)
            return not poller.poll(0)
        except Exception:  # any doubt goes to the real check
            return False
