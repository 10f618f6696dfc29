"""At most N requests of a worker process run at once, admitted first come, first served.

A gunicorn ``gthread`` worker keeps 32 threads so that live dashboards (each holds a thread, sleeping between
polls of the feed) never starve the scanners. But threads of one process share one interpreter lock: with
ten requests running at once, a scan that holds SQLite's write lock waits for the interpreter after each
statement, and every other writer of the warehouse waits behind it (measured: the lock was held 3.5–5 ms
per scan with 32 threads, 2 ms with one request at a time, and ingest doubled). Requests beyond N wait here,
outside the interpreter lock, in arrival order; the live feed streams are not counted. Installed by
``gunicorn.conf.py`` (``TENDU_ACTIVE_REQUESTS``); the test client and ``flask run`` do without it.
"""
from __future__ import annotations

import threading
from collections import deque


class Admission:
    """WSGI middleware: ``slots`` requests at a time, the others queued FIFO; ``exempt`` paths pass through."""

    def __init__(self, app, slots: int, exempt: tuple[str, ...] = ()):
        if slots < 1:
            raise ValueError("Admission needs at least one slot.")
        self.app, self.slots, self.exempt = app, slots, frozenset(exempt)
        self._mutex = threading.Lock()
        self._running = 0
        self._waiting: deque[threading.Lock] = deque()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") in self.exempt:
            return self.app(environ, start_response)
        self._enter()
        try:
            # The response is built here; gunicorn sends it after the slot is handed on.
            return self.app(environ, start_response)
        finally:
            self._leave()

    def _enter(self) -> None:
        with self._mutex:
            if self._running < self.slots and not self._waiting:
                self._running += 1
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        turn.acquire()  # released by the request that hands its slot to this one

    def _leave(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().release()  # the slot passes on, still counted as running
            else:
                self._running -= 1
