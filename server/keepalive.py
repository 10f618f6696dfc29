"""gunicorn's ``gthread`` worker, except that a thread which answered a kept-alive connection waits a moment
for that connection's next request and serves it itself.

In stock ``gthread`` every request of a kept-alive connection makes a round trip through the worker's main
thread: the answering thread hands the connection back through a pipe, the main thread registers it with its
poller, wakes when the next request arrives, unregisters it and queues it for a pool thread, which wakes in
turn. Each of those hand-offs is a thread switch and a pass of the interpreter lock. A device replaying its
offline queue, a handheld scanning a pallet or a dashboard loading its figures sends its next request within
milliseconds, so the thread that has just answered waits for it (up to ``LINGER`` seconds, outside the
interpreter lock) and the connection goes back to the poller when it falls quiet, or at once if another
connection is waiting for a thread (busy connections must not starve it). Measured under the scan
load (bench/README.md, session 7): thread switches per scan 24 → 12, server CPU per scan −14 %.

Installed by ``gunicorn.conf.py`` (``worker_class``); tied to gunicorn's ``ThreadWorker.handle`` and
``enqueue_req`` and to the connection's parser buffer, so gunicorn is pinned (constraints.txt) and
tests/system/test_keepalive.py checks this worker on the pinned release.
"""
from __future__ import annotations

import select
import threading

from gunicorn.workers.gthread import ThreadWorker

# Long enough for a client that answers at once (a queue replay, the bench's clients), short enough that a
# quiet device's connection does not keep one of the worker's threads from the others.
LINGER = 0.05


class KeepAliveThreadWorker(ThreadWorker):

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._queued = 0  # connections handed to the pool that no thread has picked up yet
        self._queued_lock = threading.Lock()

    def enqueue_req(self, conn):
        with self._queued_lock:
            self._queued += 1
        super().enqueue_req(conn)

    def handle(self, conn):
        with self._queued_lock:
            self._queued -= 1
        keep = super().handle(conn)
        # A connection waiting for a thread comes first: a thread that kept serving its own busy connection
        # while every thread was taken would starve it.
        while keep is True and self.alive and not conn.is_http2 and not self._queued:
            # Bytes already read past the last request are the next one: no need to wait for the socket.
            if not conn.parser.unreader.buf.getvalue():
                waiting = select.poll()  # (poll, not select: no limit on the descriptor's number)
                waiting.register(conn.sock, select.POLLIN)
                if not waiting.poll(LINGER * 1000):
                    break
            keep = super().handle(conn)
        return keep
