"""Backup under load: ``flask backup`` while gunicorn takes scans, then ``flask restore`` into an empty database.

A real gunicorn serves a fresh database. Client threads post receive scans, each with its own
``client_event_id``, and note when each got its 2xx. Mid-stream ``flask --app wsgi backup`` runs in a
subprocess, as an operator would run it; the scans go on meanwhile. The backup is then restored into a new,
empty database with ``flask --app wsgi restore``, which runs the ledger check. Afterwards:

* the restore succeeded and the ledger check it runs is clean;
* every scan acknowledged before the backup began is in the restored ledger exactly once (one movement,
  one scan event), and no scan is there twice.

On SQLite always; on PostgreSQL too when ``TENDU_TEST_DATABASE_URL`` names one (two databases are created
on its server for the test and dropped after it). Skipped, with the reason, when gunicorn cannot start.
Every wait is bounded (subprocesses 60 s, threads 20 s); about 20 s a backend on an idle machine.
"""
from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.system.support import Gunicorn, fresh_postgres_database

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
THREADS = 4
EAN = "4006381333931"
SUITE_URL = os.environ.get("TENDU_TEST_DATABASE_URL", "")


def _seed(url: str) -> str:
    """A dock, a bin, a product, one purchase order per client thread; returns an operator's token."""
    from flask_migrate import upgrade

    from server import create_app
    from server.extensions import db
    from server.models import Barcode, Location, Product, Supplier
    from server.services import auth, purchasing

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}})
    with app.app_context():
        upgrade()
        db.session.add_all([Location(code="DOCK", kind="dock"), Location(code="A-01", kind="bin"),
                            Supplier(code="ACME", name="Acme"),
                            Product(sku="P1", name="Pad", barcodes=[Barcode(code="0" + EAN)])])
        db.session.commit()
        for _ in range(THREADS):
            purchasing.create_order(supplier="ACME", lines=[{"sku": "P1", "qty": 1_000_000}])
        user = auth.create_user("op", "operator", "backup-test-password")
        raw, _ = auth.new_token(user, 1)
        db.session.remove()
        db.engine.dispose()
    return raw


def _env(url: str, tmp: Path) -> dict:
    return {**os.environ, "TENDU_DATABASE_URL": url, "TENDU_INSTANCE_PATH": str(tmp)}


def _flask(url: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=_env(url, tmp),
                          capture_output=True, text=True, timeout=60, check=False)


class Device(threading.Thread):
    """A handheld posting receive scans back to back; remembers when each 2xx arrived."""

    def __init__(self, n: int, port: int, token: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.n, self.port, self.token, self.stop = n, port, token, stop
        self.acked: dict[str, float] = {}  # client_event_id → time.monotonic() when the 2xx was read
        self.refused: list = []

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        while not self.stop.is_set():
            cid = str(uuid.uuid4())
            body = {"client_event_id": cid, "occurred_at": datetime.now(timezone.utc).isoformat(), "code": EAN,
                    "action": "receive", "context": {"order": f"PO-{self.n + 1:06d}"}, "device": f"bk-{self.n}"}
            try:
                conn.request("POST", "/api/v1/scans", json.dumps(body),
                             {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
                res = conn.getresponse()
                data = res.read()
            except (OSError, http.client.HTTPException) as exc:
                self.refused.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
                continue
            if 200 <= res.status < 300:
                self.acked[cid] = time.monotonic()
            else:
                self.refused.append((res.status, data[:300]))
        conn.close()


def _restored_ledger(url: str) -> tuple[dict, dict]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            movements = dict(conn.execute(text(
                "SELECT client_event_id, COUNT(*) FROM movements GROUP BY client_event_id")).all())
            scans = dict(conn.execute(text(
                "SELECT client_event_id, COUNT(*) FROM scan_events GROUP BY client_event_id")).all())
    finally:
        engine.dispose()
    return movements, scans


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not SUITE_URL.startswith("postgresql"), reason="PostgreSQL only when TENDU_TEST_DATABASE_URL names one"))]


@pytest.mark.parametrize("backend", BACKENDS)
def test_backup_while_serving_restores_every_acknowledged_scan(tmp_path, backend):
    with ExitStack() as dbs:
        def new(name: str) -> str:
            if backend == "sqlite":
                return f"sqlite:///{tmp_path / (name + '.db')}"
            return dbs.enter_context(fresh_postgres_database(SUITE_URL))
        source = new("source")
        token = _seed(source)
        server = Gunicorn("source", tmp_path, {"TENDU_DATABASE_URL": source, "TENDU_WORKERS": "2",
                                                "TENDU_THREADS": str(THREADS)})
        server.start()
        stop = threading.Event()
        devices = [Device(n, server.port, token, stop) for n in range(THREADS)]
        try:
            for d in devices:
                d.start()
            deadline = time.monotonic() + 15
            while sum(len(d.acked) for d in devices) < 40 and time.monotonic() < deadline:
                time.sleep(0.05)
            backup_path = tmp_path / ("tendu.db" if backend == "sqlite" else "tendu.dump")
            began = time.monotonic()
            made = _flask(source, tmp_path, "backup", str(backup_path))
            ended = time.monotonic()
            # Scans keep coming a little after the backup, so the source holds rows the backup cannot have.
            mark = sum(len(d.acked) for d in devices)
            deadline = time.monotonic() + 5
            while sum(len(d.acked) for d in devices) < mark + 10 and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            stop.set()
            for d in devices:
                d.join(20)
            server.stop()
        assert made.returncode == 0, made.stdout + made.stderr
        assert "backup: done" in made.stderr, made.stderr  # the progress said so, in plain lines (no tty)
        assert backup_path.is_file() and not list(tmp_path.glob(".*.part"))
        acked = {cid: at for d in devices for cid, at in d.acked.items()}
        refused = [r for d in devices for r in d.refused]
        assert not refused, refused[:3]
        before = {cid for cid, at in acked.items() if at < began}
        during = [cid for cid, at in acked.items() if began <= at <= ended]
        assert len(before) >= 40, len(before)
        assert during or any(at > ended for at in acked.values()), "the server should be taking scans meanwhile"

        target = new("restored")
        restored = _flask(target, tmp_path, "restore", str(backup_path))
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert "ledger check: clean" in restored.stdout, restored.stdout + restored.stderr

        movements, scans = _restored_ledger(target)
        missing = [cid for cid in before if movements.get(cid) != 1 or scans.get(cid) != 1]
        assert not missing, f"{len(missing)} scan(s) acknowledged before the backup are missing or doubled"
        assert all(n == 1 for n in movements.values()) and all(n == 1 for n in scans.values())
        assert set(movements) <= set(acked), "the restored ledger holds a scan nobody got an answer for"
