"""A thread per process that works through jobs handed to it, so a reader does not wait.

The nginx front's page files (masthead.delivery.front) and kept story parts
(masthead.delivery.fragments) are written this way, after the response.
"""

import logging
import os
import queue
import threading

logger = logging.getLogger(__name__)


class ProcessQueue:
    """`handle(*job)` for each submitted job, in order, by one daemon thread per process
    (started on first use, and again in a process forked from one that had it). At most
    `size` jobs wait: past that `submit` refuses (False) rather than hold more in memory.
    `on_idle()` runs once the thread has had no job for `idle_after` seconds."""

    def __init__(self, handle, *, name, size, on_idle=None, idle_after=5.0):
        self.handle, self.name, self.size = handle, name, size
        self.on_idle, self.idle_after = on_idle, idle_after
        self.lock = threading.Lock()
        self.pending = None
        self.pid = None

    def submit(self, *job):
        if self.pid != os.getpid():
            with self.lock:
                if self.pid != os.getpid():
                    self.pending = queue.Queue(self.size)
                    threading.Thread(
                        target=self._run, args=(self.pending,), daemon=True, name=self.name
                    ).start()
                    self.pid = os.getpid()
        try:
            self.pending.put_nowait(job)
        except queue.Full:
            return False
        return True

    def flush(self):
        """Wait until every job submitted so far in this process is done."""
        if self.pending is not None and self.pid == os.getpid():
            self.pending.join()

    def _run(self, pending):
        while True:
            try:
                job = pending.get(timeout=self.idle_after if self.on_idle else None)
            except queue.Empty:
                try:
                    self.on_idle()
                except Exception:
                    logger.exception("%s: going idle failed", self.name)
                job = pending.get()
            try:
                self.handle(*job)
            except Exception:
                logger.exception("%s: a job failed", self.name)
            finally:
                pending.task_done()
