"""Under a real gunicorn with two worker processes, /metrics shows the totals of both, whichever answers.

N requests and M scans are sent on fresh connections from several threads until both workers have served
some; every scrape must then count exactly N and M. Each worker's own share is read from its files in the
multiprocess directory, to prove that both took part. The JSON request log holds one line per request, and
the directory gunicorn.conf.py made is gone once the server stops. Skipped when gunicorn cannot start here.
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import pytest
from prometheus_client import generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from tests.scrape import parse, sample

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EAN = "4006381333931"
LIVE = {"method": "GET", "route": "/healthz/live", "status": "200"}


def _seed(url: str, instance: Path) -> str:
    """One product and an operator; returns the operator's token."""
    from flask_migrate import upgrade

    from server import create_app
    from server.extensions import db
    from server.models import Barcode, Product
    from server.services import auth

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TENDU_INSTANCE_PATH": str(instance)})
    with app.app_context():
        upgrade()
        db.session.add(Product(sku="PAD", name="Brake pad", barcodes=[Barcode(code="0" + EAN)]))
        db.session.commit()
        raw, _ = auth.new_token(auth.create_user("op", "operator", "metrics-test-password"), 1)
        db.session.remove()
        db.engine.dispose()
    return raw


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _call(port: int, method: str, path: str, body: dict | None = None, headers: dict | None = None):
    """One request on its own connection, so that either worker may accept it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request(method, path, json.dumps(body) if body else None,
                     {"Content-Type": "application/json", **(headers or {})})
        res = conn.getresponse()
        return res.status, res.read()
    finally:
        conn.close()


def _workers(master: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _served_by(directory: Path, pid: int, scratch: Path) -> float:
    """GET /healthz/live requests one worker answered, from its own counter file alone."""
    own = scratch / str(pid)
    own.mkdir(parents=True)
    if not (directory / f"counter_{pid}.db").exists():
        return 0.0
    shutil.copy(directory / f"counter_{pid}.db", own)
    values = parse(generate_latest(MultiProcessCollector(None, path=str(own))).decode())
    return sample(values, "tendu_http_requests_total", **LIVE)


def test_every_scrape_counts_the_requests_and_scans_of_both_workers(tmp_path):
    url = f"sqlite:///{tmp_path / 'metrics.db'}"
    token = {"Authorization": f"Bearer {_seed(url, tmp_path)}"}
    port = _port()
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    temp = tmp_path / "tmp"  # where gunicorn.conf.py makes its metrics directory
    temp.mkdir()
    env.update(TMPDIR=str(temp), TENDU_DATABASE_URL=url, TENDU_INSTANCE_PATH=str(tmp_path), TENDU_WORKERS="2",
               TENDU_THREADS="4", TENDU_LOG_FORMAT="json")
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "ab") as log:
        proc = subprocess.Popen([str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
                                 "-b", f"127.0.0.1:{port}", "wsgi:app"],
                                cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _call(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"gunicorn could not start here: {log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        workers = _workers(proc.pid)
        assert len(workers) == 2, workers
        (directory,) = temp.glob("tendu-metrics-*")

        def scan(i: int) -> int:
            body = {"client_event_id": str(uuid.uuid4()), "occurred_at": datetime.now(timezone.utc).isoformat(),
                    "code": EAN if i % 3 else "4006381333932", "action": "lookup", "device": "metrics"}
            return _call(port, "POST", "/api/v1/scans", body, token)[0]

        sent, scans = 0, []
        with ThreadPoolExecutor(6) as pool:
            for attempt in range(20):  # until each worker has answered some: the kernel spreads connections
                assert set(pool.map(lambda _: _call(port, "GET", "/healthz/live")[0], range(30))) == {200}
                sent += 30
                scans += pool.map(scan, range(12))
                if all(_served_by(directory, w, tmp_path / f"try{attempt}") for w in workers):
                    break
        shares = [_served_by(directory, w, tmp_path / "final") for w in workers]
        assert all(shares) and sum(shares) == sent, (shares, sent)
        print(f"requests per worker: {shares}, scans: {len(scans)}")
        assert sorted(set(scans)) == [200, 422]

        for previous in range(6):  # each on a new connection: both workers answer some of them
            status, body = _call(port, "GET", "/metrics")
            assert status == 200
            seen = parse(body.decode())
            assert sample(seen, "tendu_http_requests_total", **LIVE) == sent
            assert sample(seen, "tendu_http_request_duration_seconds_count", **LIVE) == sent
            assert sample(seen, "tendu_scans_total", action="lookup", outcome="looked_up") == scans.count(200)
            assert sample(seen, "tendu_scans_total", action="lookup", outcome="refused") == scans.count(422)
            assert sample(seen, "tendu_http_requests_total", method="GET", route="/metrics", status="200") == previous
            assert sample(seen, "tendu_scans_awaiting_decision") == 0
        proxied = _call(port, "GET", "/metrics", headers={"X-Forwarded-For": "198.51.100.4"})
        assert proxied[0] == 401 and json.loads(proxied[1])["error"]["code"] == "unauthorized"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    output = log_path.read_text()
    assert '"GET /healthz/live HTTP/1.1" 200' not in output, "gunicorn's access log is off with JSON logs"
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert sum(1 for x in lines if x.get("route") == "/healthz/live") == sent
    assert sum(1 for x in lines if x.get("route") == "/api/v1/scans") == len(scans)
    assert all(x["user"] == "op" for x in lines if x.get("route") == "/api/v1/scans")
    assert not directory.exists(), "gunicorn.conf.py leaves its metrics directory behind"
