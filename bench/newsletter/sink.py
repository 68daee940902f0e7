"""A counting SMTP sink for the newsletter benchmark: aiosmtpd in its own process.

Prints the number of messages received when stopped (SIGTERM/SIGINT).
"""

import argparse
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self):
        self.count = 0
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        self.count += 1
        self.bytes += len(envelope.content)
        return "250 Message accepted"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8425)
    args = parser.parse_args()
    handler = Counter()
    controller = Controller(handler, hostname="127.0.0.1", port=args.port)
    controller.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    print("ready", flush=True)
    done.wait()
    controller.stop()
    print(f"received {handler.count} {handler.bytes}", flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
