"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, keeping what it receives."""

import email
import socket
import threading
import time
from email import policy

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """Messages received by the server, parsed as email.message.EmailMessage objects."""

    def __init__(self):
        self.messages = []
        self.envelopes = []
        self._lock = threading.Lock()
        self.reject_with = None  # e.g. "451 4.3.0 try later" to simulate a failing server

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        if self.reject_with:
            return self.reject_with
        with self._lock:
            self.envelopes.append(envelope)
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def wait_for(self, count, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                return self.messages
            time.sleep(0.02)
        raise AssertionError(f"expected {count} messages, got {len(self.messages)}")

    def to(self, address):
        return [m for m in self.messages if address in (m["To"] or "")]

    def clear(self):
        with self._lock:
            self.messages.clear()
            self.envelopes.clear()


class SMTPServer:
    def __init__(self, host="127.0.0.1", port=None):
        self.host, self.port = host, port or free_port()
        self.mailbox = Mailbox()
        self.controller = Controller(self.mailbox, hostname=self.host, port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
