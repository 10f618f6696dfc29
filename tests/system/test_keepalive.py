"""server/keepalive.py under the real gunicorn of gunicorn.conf.py: kept-alive connections are served to the
last byte whether the next request comes at once, together with the previous one, after the thread stopped
waiting, or never, busy connections do not starve one waiting for a thread, and a large body refused unread
closes its connection openly. The worker subclass leans on gunicorn's internals: these are the tests that
fail first if a new gunicorn release moves them."""
from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest

from server.keepalive import LINGER
from tests.system.support import Gunicorn

ONE_WORKER = {"TENDU_WORKERS": "1", "TENDU_SPREAD_CONNECTIONS": "0"}  # every connection on the same worker


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("keepalive")
    gunicorn = Gunicorn("keepalive", tmp, {**ONE_WORKER, "TENDU_DATABASE_URL": f"sqlite:///{tmp / 'k.db'}"})
    gunicorn.start()
    yield gunicorn
    gunicorn.stop()


def read_answer(sock_file) -> tuple[int, bytes]:
    """One HTTP/1.1 answer with a Content-Length, read off a socket's file."""
    status = int(sock_file.readline().split()[1])
    length = 0
    while (line := sock_file.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status, sock_file.read(length)


def test_gunicorn_conf_runs_the_keepalive_worker(server):
    assert "Using worker: server.keepalive.KeepAliveThreadWorker" in server.tail(20_000)


def test_back_to_back_requests_share_one_connection_unread_bodies_included(server):
    conn = server.connection()
    try:
        conn.request("GET", "/healthz/live")
        assert conn.getresponse().read() and conn.sock is not None
        first = conn.sock
        for i in range(150):
            if i % 3:
                conn.request("GET", "/healthz/live")
                answer = conn.getresponse()
                assert (answer.status, answer.read()) == (200, b'{"status":"ok"}\n')
            else:  # a body the app never reads: gunicorn drains it before the next request (up to 64 KiB;
                # a body that may be longer is answered "Connection: close": the test below)
                conn.request("POST", "/healthz/live", b"x" * 16_000, {"Content-Type": "application/octet-stream"})
                answer = conn.getresponse()
                answer.read()
                assert answer.status == 405
            assert conn.sock is first, f"the server closed the connection after request {i}"
    finally:
        conn.close()


@pytest.mark.parametrize("framing", ["length", "chunked"])
def test_a_large_body_refused_unread_is_answered_with_connection_close(server, framing):
    """gunicorn drains 64 KiB of an unread body and then hangs up: a 401 to a photo, refused before its
    bytes are read, must say so rather than promise a keep-alive the next request would find closed."""
    conn = server.connection()
    try:
        photo = b"\x89PNG" + b"x" * 300_000
        if framing == "chunked":
            # One chunk and its terminator in one write, as the length case sends its body: http.client's own
            # chunking writes the terminator apart, and on a busy machine it met the connection already closed.
            body = b"%x\r\n%s\r\n0\r\n\r\n" % (len(photo), photo)
            conn.request("POST", "/api/v1/barcodes/decode", body,
                         {"Content-Type": "image/png", "Transfer-Encoding": "chunked"})
        else:
            conn.request("POST", "/api/v1/barcodes/decode", photo, {"Content-Type": "image/png"})
        answer = conn.getresponse()
        assert answer.status == 401 and answer.read()
        assert answer.getheader("Connection") == "close" and answer.will_close
        conn.request("GET", "/healthz/live")  # http.client opens a new connection, as told
        answer = conn.getresponse()
        assert (answer.status, answer.read()) == (200, b'{"status":"ok"}\n')
        conn.request("POST", "/healthz/live", b"x" * 60_000, {"Content-Type": "application/octet-stream"})
        answer = conn.getresponse()
        assert answer.status == 405 and answer.read() and not answer.will_close  # small: drained, kept
    finally:
        conn.close()


def test_requests_sent_together_are_answered_in_order(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock_file = sock.makefile("rb")
        paths = ["/healthz/live", "/healthz/nope", "/healthz/live"]
        sock.sendall(b"".join(f"GET {p} HTTP/1.1\r\nHost: t\r\n\r\n".encode() for p in paths))
        assert [read_answer(sock_file)[0] for _ in paths] == [200, 404, 200]
        sock.sendall(b"GET /healthz/live HTTP/1.1\r\nHost: t\r\n\r\n")  # and the connection is still open
        assert read_answer(sock_file)[0] == 200


def test_a_connection_quiet_for_longer_than_the_wait_is_served_from_the_poller(server):
    conn = server.connection()
    try:
        conn.request("GET", "/healthz/live")
        conn.getresponse().read()
        first = conn.sock
        time.sleep(LINGER * 6)
        conn.request("GET", "/healthz/live")
        answer = conn.getresponse()
        assert (answer.status, conn.sock is first) == (200, True)
    finally:
        conn.close()


def test_clients_that_hang_up_while_the_thread_waits_cost_nothing(server):
    for _ in range(40):
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(b"GET /healthz/live HTTP/1.1\r\nHost: t\r\n\r\n")
            assert read_answer(sock.makefile("rb"))[0] == 200
        # closed at once: the thread waiting for a next request sees the end of the stream
    status, body = server.request("GET", "/healthz/live")
    assert (status, body) == (200, {"status": "ok"})
    assert "Traceback" not in server.tail(50_000)


def test_a_connection_waiting_for_a_thread_is_not_starved_by_busy_ones(tmp_path):
    """Two threads, two connections sending without a pause: a third connection still gets its answer at once,
    because a thread gives its own connection back when another one is waiting for a thread."""
    gunicorn = Gunicorn("starve", tmp_path, {**ONE_WORKER, "TENDU_THREADS": "2",
                                              "TENDU_DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}"})
    gunicorn.start()
    stop, served = threading.Event(), []

    def busy():
        conn = gunicorn.connection()
        try:
            while not stop.is_set():
                conn.request("GET", "/healthz/live")
                served.append(conn.getresponse().read())
        finally:
            conn.close()
    senders = [threading.Thread(target=busy) for _ in range(2)]
    try:
        for sender in senders:
            sender.start()
        time.sleep(0.5)  # both threads of the worker now loop on their own connections
        started = time.monotonic()
        status, _ = gunicorn.request("GET", "/healthz/live", timeout=10)
        waited = time.monotonic() - started
        busy_meanwhile = len(served)
        time.sleep(0.2)
    finally:
        stop.set()
        for sender in senders:
            sender.join(10)
        gunicorn.stop()
    assert status == 200 and waited < 1.5, f"answered after {waited:.2f} s"
    assert len(served) > busy_meanwhile > 0  # the busy connections were still being served


def test_a_stopping_server_does_not_wait_on_idle_kept_alive_connections(tmp_path):
    gunicorn = Gunicorn("stop", tmp_path, {**ONE_WORKER, "TENDU_DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}"})
    gunicorn.start()
    idle: list[http.client.HTTPConnection] = []
    try:
        for _ in range(5):
            conn = gunicorn.connection()
            conn.request("GET", "/healthz/live")
            conn.getresponse().read()
            idle.append(conn)
        started = time.monotonic()
        gunicorn.stop(grace=15)
        # graceful_timeout is 20 s; gunicorn gives idle kept-alive connections 2 s (STOP_KEEPALIVE_LINGER)
        assert time.monotonic() - started < 8 and gunicorn.proc.returncode is not None
    finally:
        for conn in idle:
            conn.close()
        gunicorn.stop()
