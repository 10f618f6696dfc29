"""Crash test: gunicorn killed with SIGKILL while scanners post, then restarted; nothing lost, nothing doubled.

A real gunicorn serves a temporary SQLite database. Client threads post receive scans, each with its own
``client_event_id``, and note which got an answer. Mid-stream the whole server (master and workers, one
process group) is killed with SIGKILL and started again — or only one worker is killed and the master
replaces it. Afterwards:

* every scan that got a 2xx is in the ledger exactly once (one movement, one scan event);
* every scan that got no answer (it may or may not have been applied) is replayed as the device's queue
  would, gets a 2xx, and is then in the ledger exactly once;
* the ledger holds nothing else, and ``flask --app wsgi ledger check`` is clean.

Skipped, with the reason, when gunicorn cannot start here.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
THREADS = 6
EANS = ["4006381333931", "5901234123457", "9780201379624"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _seed(url: str) -> str:
    """Docks, bins, three products, one purchase order per client thread; returns an operator's token."""
    from server import create_app
    from server.extensions import db
    from server.models import Barcode, Location, Product, Supplier
    from server.services import auth, purchasing

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
        s = db.session
        s.add_all([Location(code="DOCK", kind="dock"), Location(code="DISPATCH", kind="dispatch"),
                   Location(code="A-01", kind="bin"), Supplier(code="ACME", name="Acme")])
        for n, ean in enumerate(EANS):
            s.add(Product(sku=f"P{n}", name=f"Part {n}", barcodes=[Barcode(code="0" + ean)]))
        s.commit()
        for _ in range(THREADS):
            purchasing.create_order(supplier="ACME", lines=[{"sku": f"P{n}", "qty": 1_000_000} for n in range(3)])
        user = auth.create_user("op", "operator", "crash-test-password")
        raw, _ = auth.new_token(user, 1)
        db.session.remove()
        db.engine.dispose()
    return raw


class Server:
    def __init__(self, url: str, tmp: Path):
        self.url, self.tmp, self.port, self.proc = url, tmp, _free_port(), None

    def start(self) -> None:
        env = {**os.environ, "TENDU_DATABASE_URL": self.url, "TENDU_INSTANCE_PATH": str(self.tmp),
               "TENDU_WORKERS": "2", "TENDU_THREADS": "4"}
        log = open(self.tmp / "gunicorn.log", "ab")
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "-b", f"127.0.0.1:{self.port}",
             "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        self.kill()
        tail = (self.tmp / "gunicorn.log").read_text(errors="replace")[-2000:]
        pytest.skip(f"gunicorn could not start here: {tail}")

    def workers(self) -> dict[int, int]:
        """pid → CPU ticks used so far, for each worker of the master."""
        found = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                found[int(stat.parent.name)] = int(fields[11]) + int(fields[12])
        return found

    def busiest_worker(self) -> int | None:
        """The worker serving the clients' keep-alive connections: the one burning CPU right now."""
        before = self.workers()
        time.sleep(0.3)
        after = self.workers()
        busy = sorted(after, key=lambda pid: after[pid] - before.get(pid, 0), reverse=True)
        return busy[0] if busy else None

    def kill(self) -> None:
        """SIGKILL to the whole process group: the master and every worker die at once, mid-request."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


class Device(threading.Thread):
    """A handheld posting receive scans one after the other; remembers which got a 2xx and which got nothing."""

    def __init__(self, n: int, server: Server, token: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.n, self.server, self.token, self.stop = n, server, token, stop
        self.acked: dict[str, dict] = {}
        self.unanswered: dict[str, dict] = {}
        self.refused: list[tuple[int, bytes]] = []

    def body(self, i: int) -> dict:
        return {"client_event_id": str(uuid.uuid4()), "occurred_at": datetime.now(timezone.utc).isoformat(),
                "code": EANS[i % len(EANS)], "action": "receive", "context": {"order": f"PO-{self.n + 1:06d}"},
                "device": f"crash-{self.n}"}

    def run(self) -> None:
        conn, i = None, 0
        while not self.stop.is_set():
            body = self.body(i)
            i += 1
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=15)
                status, data = post(conn, body, self.token)
            except (OSError, http.client.HTTPException):
                self.unanswered[body["client_event_id"]] = body
                if conn is not None:
                    conn.close()
                conn = None
                time.sleep(0.05)
                continue
            if 200 <= status < 300:
                self.acked[body["client_event_id"]] = body
            else:
                self.refused.append((status, data[:300]))
        if conn is not None:
            conn.close()


def post(conn, body: dict, token: str) -> tuple[int, bytes]:
    conn.request("POST", "/api/v1/scans", json.dumps(body),
                 {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    res = conn.getresponse()
    return res.status, res.read()


def _ledger(url: str) -> tuple[dict, dict]:
    import sqlite3
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        movements = dict(con.execute("SELECT client_event_id, COUNT(*) FROM movements GROUP BY client_event_id"))
        scans = dict(con.execute("SELECT client_event_id, COUNT(*) FROM scan_events GROUP BY client_event_id"))
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    return movements, scans


def _run(tmp_path: Path, crash) -> dict:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    token = _seed(url)
    server = Server(url, tmp_path)
    server.start()
    stop = threading.Event()
    devices = [Device(n, server, token, stop) for n in range(THREADS)]
    try:
        for d in devices:
            d.start()
        deadline = time.monotonic() + 10
        while sum(len(d.acked) for d in devices) < 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        before = sum(len(d.acked) for d in devices)
        crash(server)
        time.sleep(0.5)  # scans keep coming and get no answer while the server is down
        if server.proc.poll() is not None:
            server.start()
        mark = sum(len(d.acked) for d in devices)
        deadline = time.monotonic() + 10
        while sum(len(d.acked) for d in devices) < mark + 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.set()
        for d in devices:
            d.join(20)
        acked = {k: v for d in devices for k, v in d.acked.items()}
        unanswered = {k: v for d in devices for k, v in d.unanswered.items()}
        refused = [r for d in devices for r in d.refused]
        assert not refused, refused[:3]
        assert before >= 60 and len(acked) >= before + 30, (before, len(acked))
        assert unanswered, "the crash should have cut some scans off"

        movements, scans = _ledger(url)
        # What the database holds for the cut-off scans before the replay: some may have committed.
        committed_unanswered = sum(1 for k in unanswered if movements.get(k))

        # The devices replay their unanswered scans, as an offline queue does: each ends applied once.
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
        for body in unanswered.values():
            status, data = post(conn, body, token)
            assert status == 201, (status, data[:300])
            assert json.loads(data)["outcome"] == "applied"
        conn.close()
    finally:
        stop.set()
        server.stop()

    movements, scans = _ledger(url)
    applied = set(acked) | set(unanswered)
    assert all(movements.get(k) == 1 and scans.get(k) == 1 for k in acked), "a 2xx scan is missing or doubled"
    assert all(movements.get(k) == 1 and scans.get(k) == 1 for k in unanswered), "a replayed scan is missing"
    assert set(movements) == applied and set(scans) == applied, "the ledger holds scans nobody sent"
    check = subprocess.run([str(BIN / "flask"), "--app", "wsgi", "ledger", "check"], cwd=ROOT,
                           env={**os.environ, "TENDU_DATABASE_URL": url, "TENDU_INSTANCE_PATH": str(tmp_path)},
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0 and "clean" in check.stdout, check.stdout + check.stderr
    return {"acked": len(acked), "unanswered": len(unanswered), "committed_unanswered": committed_unanswered}


def test_master_killed_with_sigkill_and_restarted(tmp_path):
    def crash(server: Server):
        server.kill()
    counts = _run(tmp_path, crash)
    print(f"master SIGKILL: {counts}")


def test_worker_killed_with_sigkill_while_master_lives(tmp_path):
    def crash(server: Server):
        worker = server.busiest_worker()
        assert worker, "gunicorn has no worker"
        os.kill(worker, signal.SIGKILL)
    counts = _run(tmp_path, crash)
    print(f"worker SIGKILL: {counts}")
