"""The admission gate: N requests at a time per process, the others in arrival order; streams pass."""
import threading
import time

import pytest

from server.admission import Admission


class App:
    """A WSGI app that records who is inside and can hold a request until told to finish."""

    def __init__(self):
        self.inside, self.most, self.order = 0, 0, []
        self.mutex = threading.Lock()
        self.release: dict[str, threading.Event] = {}

    def __call__(self, environ, start_response):
        name = environ["name"]
        with self.mutex:
            self.inside += 1
            self.most = max(self.most, self.inside)
            self.order.append(name)
        try:
            if environ.get("fail"):
                raise RuntimeError("boom")
            self.release.setdefault(name, threading.Event()).wait(5)
            return [name.encode()]
        finally:
            with self.mutex:
                self.inside -= 1


def call(gate, name, path="/api/v1/scans", **extra):
    thread = threading.Thread(target=lambda: _swallow(gate, {"PATH_INFO": path, "name": name, **extra}))
    thread.start()
    return thread


def _swallow(gate, environ):
    try:
        gate(environ, lambda *a: None)
    except RuntimeError:
        pass


def wait_until(test, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not test():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_one_slot_admits_one_request_at_a_time_in_arrival_order():
    app = App()
    gate = Admission(app, 1)
    first = call(gate, "a")
    wait_until(lambda: app.inside == 1)
    waiting = []
    for name in "bcd":  # each queued before the next arrives
        waiting.append(call(gate, name))
        wait_until(lambda n=len(waiting): len(gate._waiting) == n)
    assert app.order == ["a"]
    for name in "abcd":
        app.release.setdefault(name, threading.Event()).set()
    for thread in [first, *waiting]:
        thread.join(5)
    assert app.order == ["a", "b", "c", "d"] and app.most == 1
    assert gate._running == 0 and not gate._waiting


def test_two_slots_run_two_and_queue_the_third():
    app = App()
    gate = Admission(app, 2)
    threads = [call(gate, "a"), call(gate, "b")]
    wait_until(lambda: app.inside == 2)
    threads.append(call(gate, "c"))
    wait_until(lambda: len(gate._waiting) == 1)
    app.release.setdefault("a", threading.Event()).set()
    wait_until(lambda: "c" in app.order)
    for name in "bc":
        app.release.setdefault(name, threading.Event()).set()
    for thread in threads:
        thread.join(5)
    assert app.most == 2 and gate._running == 0


def test_the_live_feed_is_not_counted():
    app = App()
    gate = Admission(app, 1, exempt=("/api/v1/events/stream",))
    scan = call(gate, "scan")
    wait_until(lambda: app.inside == 1)
    stream = call(gate, "stream", path="/api/v1/events/stream")
    wait_until(lambda: app.inside == 2)  # admitted while the only slot is taken
    for name in ("scan", "stream"):
        app.release.setdefault(name, threading.Event()).set()
    scan.join(5), stream.join(5)
    assert app.most == 2


def test_a_failing_request_hands_its_slot_on():
    app = App()
    gate = Admission(app, 1)
    call(gate, "broken", fail=True).join(5)
    after = call(gate, "next")
    wait_until(lambda: app.inside == 1)
    app.release.setdefault("next", threading.Event()).set()
    after.join(5)
    assert app.order == ["broken", "next"] and gate._running == 0


def test_at_least_one_slot():
    with pytest.raises(ValueError):
        Admission(App(), 0)
