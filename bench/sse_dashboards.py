"""Does scanning stay fast while 20 dashboards hold the live feed open? Measured per gunicorn worker class.

    .venv/bin/python bench/sse_dashboards.py [--streams 20] [--seconds 8] [--threads 4,8,16,32]
                                             [--gevent-path DIR] [--database-url URL]

Builds a throw-away SQLite database (``db upgrade`` + ``demo --days 30``) unless ``--database-url`` names
an empty one, then for each worker class starts gunicorn (2 workers) on a loopback port and measures
look-up scans (``POST /api/v1/scans``, 4 scanners in a loop, ``--seconds`` each phase, 10 s time-out per
request): first alone, then with ``--streams`` SSE connections open. It also times how long each scan
takes to reach the open streams. gevent is measured only if it imports (from the venv or
``--gevent-path``, e.g. ``pip install --target DIR gevent``); Tendu does not depend on it.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

KEEPALIVE = "server.keepalive.KeepAliveThreadWorker"  # gthread whose threads keep a busy connection
ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PASSWORD = "bench-password-1"
SCANNERS = 4


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env, *args):
    subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def prepare(env):
    flask(env, "db", "upgrade")
    flask(env, "demo", "--days", "30")
    for name, role in (("bench-sup", "supervisor"), ("bench-op", "operator")):
        flask(env, "users", "create", name, "--role", role, "--password", PASSWORD)


def request(port, method, path, body=None, token=None, timeout=10.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    try:
        conn.request(method, path, json.dumps(body) if body is not None else None, headers)
        res = conn.getresponse()
        return res.status, json.loads(res.read() or b"null")
    finally:
        conn.close()


class Server:
    def __init__(self, env, worker_class, threads, log):
        self.port = free_port()
        args = [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app", "--bind", f"127.0.0.1:{self.port}",
                "--workers", "2", "--worker-class", worker_class, "--access-logfile", "/dev/null"]
        if worker_class != "gevent":
            args += ["--threads", str(threads)]
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn ({worker_class}) did not start; see its log")

    def stop(self):
        self.process.send_signal(signal.SIGINT)  # quick shutdown: a graceful one would wait for the streams
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Dashboard(threading.Thread):
    """One open EventSource: notes when each scan's event arrives."""

    def __init__(self, port, token, arrivals):
        super().__init__(daemon=True)
        self.port, self.token, self.arrivals = port, token, arrivals
        self.connected = threading.Event()
        self.conn = None

    def run(self):
        try:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.request("GET", f"/api/v1/events/stream?backlog=0&access_token={self.token}")
            res = self.conn.getresponse()
            data = None
            while True:
                line = res.fp.readline()
                if not line:
                    return
                self.connected.set()
                if line.startswith(b"data: "):
                    data = json.loads(line[6:])
                    if data.get("kind") == "scan":
                        self.arrivals.setdefault(data["client_event_id"], []).append(time.monotonic())
        except OSError:
            return

    def close(self):
        if self.conn and self.conn.sock:
            self.conn.sock.shutdown(socket.SHUT_RDWR)
            self.conn.close()


def scan_load(port, token, code, seconds):
    """``SCANNERS`` operators looking codes up back to back; returns [(sent_at, latency or None, cid)]."""
    results, stop = [], time.monotonic() + seconds

    def operator():
        while time.monotonic() < stop:
            cid, sent = str(uuid.uuid4()), time.monotonic()
            body = {"client_event_id": cid, "occurred_at": datetime.now(timezone.utc).isoformat(), "code": code,
                    "action": "lookup", "context": {}, "device": "bench"}
            try:
                ok = request(port, "POST", "/api/v1/scans", body, token)[0] == 200
            except OSError:
                ok = False
            results.append((sent, time.monotonic() - sent if ok else None, cid))

    workers = [threading.Thread(target=operator) for _ in range(SCANNERS)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return results


def summary(results):
    times = sorted(r[1] * 1000 for r in results if r[1] is not None)
    failed = sum(r[1] is None for r in results)
    if not times:
        return f"{0:>5} {'-':>7} {'-':>7} {'-':>7} {failed:>6}"
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    return f"{len(times):>5} {statistics.median(times):>7.1f} {p95:>7.1f} {times[-1]:>7.0f} {failed:>6}"


def measure(env, worker_class, threads, streams, seconds, log):
    server = Server(env, worker_class, threads, log)
    try:
        sup = request(server.port, "POST", "/api/v1/auth/tokens", {"username": "bench-sup", "password": PASSWORD})[1]
        op = request(server.port, "POST", "/api/v1/auth/tokens", {"username": "bench-op", "password": PASSWORD})[1]
        products = request(server.port, "GET", "/api/v1/products?per_page=1", token=op["token"])[1]
        code = products["items"][0]["barcodes"][0]["code"]
        scan_load(server.port, op["token"], code, 1.0)  # warm-up: each worker imports and connects on first use
        alone = scan_load(server.port, op["token"], code, seconds)
        arrivals: dict[str, list[float]] = {}
        dashboards = [Dashboard(server.port, sup["token"], arrivals) for _ in range(streams)]
        for d in dashboards:
            d.start()
        time.sleep(2)  # let every stream connect, or queue
        connected = sum(d.connected.is_set() for d in dashboards)
        loaded = scan_load(server.port, op["token"], code, seconds)
        time.sleep(1)
        # From the scan's answer (its commit) to its arrival on the slowest of the open streams.
        delays = sorted(max(arrivals[cid]) - sent - latency for sent, latency, cid in loaded
                        if latency and cid in arrivals)
        for d in dashboards:
            d.close()
        return alone, loaded, connected, delays
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--streams", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--threads", default="4,8,16,32")
    parser.add_argument("--gevent-path", default=None, help="a folder where gevent is installed (pip --target)")
    parser.add_argument("--database-url", default=None, help="an empty database to use instead of a temp SQLite")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="tendu-sse-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TENDU_")}
    env |= {"TENDU_INSTANCE_PATH": str(workdir), "TENDU_DATABASE_URL": args.database_url or
            f"sqlite:///{workdir / 'tendu.db'}"}
    print(f"preparing {env['TENDU_DATABASE_URL']} (db upgrade, demo --days 30)…", flush=True)
    prepare(env)

    configs = [("gthread", int(n)) for n in args.threads.split(",")] + [(KEEPALIVE, 32)]  # the last: gunicorn.conf.py's
    gevent_env = dict(env, PYTHONPATH=os.pathsep.join(filter(None, [args.gevent_path, env.get("PYTHONPATH")])))
    probe = subprocess.run([str(VENV_BIN / "python"), "-c", "import gevent; print(gevent.__version__)"],
                           env=gevent_env, capture_output=True, text=True)
    if probe.returncode == 0:
        configs.append(("gevent", 0))
    else:
        print("gevent: not importable, skipped")

    log = open(workdir / "gunicorn.log", "w")
    print(f"{os.cpu_count()} CPUs; 2 workers; {SCANNERS} scanners × {args.seconds:g} s per phase; "
          f"{args.streams} SSE streams; latencies in ms; gunicorn log: {workdir / 'gunicorn.log'}")
    scans = f"{'scans':>5} {'p50':>7} {'p95':>7} {'max':>7} {'failed':>6}"
    loaded_title = f"scanning with {args.streams} streams open"
    print(f"{'':16}| {'scanning alone':<36} | {loaded_title:<36} | streams | feed delay")
    print(f"{'worker class':<16}| {scans} | {scans} | {'open':>7} | p50/max s")
    for worker_class, threads in configs:
        label = {"gthread": f"gthread ×{threads}", KEEPALIVE: f"keepalive ×{threads}"}.get(worker_class, worker_class)
        alone, loaded, connected, delays = measure(gevent_env if worker_class == "gevent" else env, worker_class,
                                                   threads, args.streams, args.seconds, log)
        feed = f"{statistics.median(delays):.2f}/{delays[-1]:.2f}" if delays else "-"
        print(f"{label:<16}| {summary(alone)} | {summary(loaded)} | {connected:>4}/{args.streams:<2} | {feed}",
              flush=True)


if __name__ == "__main__":
    sys.exit(main())
