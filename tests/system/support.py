"""Shared by the system tests: a fresh database of the suite's kind, and real gunicorn servers.

* ``suite_postgres_url()``: the PostgreSQL the suite runs on (``TENDU_TEST_DATABASE_URL``), or None on SQLite.
* ``fresh_database(tmp_path)``: a new, empty database for one test — a SQLite file under ``tmp_path``, or a
  database created on the suite's PostgreSQL server (``CREATE DATABASE``) and dropped afterwards, so the
  test never touches the suite's own database.
* ``Gunicorn``: ``gunicorn -c gunicorn.conf.py wsgi:app`` in its own process group, configured only through
  ``TENDU_*`` variables (as in production), on a free loopback port; ``request()`` talks HTTP to it.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def suite_postgres_url() -> str | None:
    url = os.environ.get("TENDU_TEST_DATABASE_URL") or ""
    return url if url.startswith("postgresql") else None


def _admin_connection(base_url: str):
    """An autocommit psycopg connection to the database named by ``base_url`` (CREATE DATABASE needs one)."""
    import psycopg
    from sqlalchemy.engine import make_url
    url = make_url(base_url)
    params = {"host": url.host, "port": url.port, "user": url.username, "password": url.password,
              "dbname": url.database or "postgres", **{k: v for k, v in url.query.items() if isinstance(v, str)}}
    return psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=True)


@contextmanager
def fresh_postgres_database(base_url: str) -> Iterator[str]:
    """A new database on the server of ``base_url``; yields its SQLAlchemy URL; dropped (even if in use) after."""
    from psycopg import sql
    from sqlalchemy.engine import make_url
    import psycopg
    name = f"tendu_t_{uuid.uuid4().hex[:12]}"
    for attempt in range(5):
        try:
            with _admin_connection(base_url) as conn:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            break
        except psycopg.errors.ObjectInUse:  # "template1 is being accessed by other users": someone else's CREATE
            if attempt == 4:
                raise
            time.sleep(0.5 * (attempt + 1))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with _admin_connection(base_url) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """A new empty database of the kind the suite runs on."""
    base = suite_postgres_url()
    if base:
        with fresh_postgres_database(base) as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def random_loopback() -> str:
    """A loopback address of its own (127.x.y.z): the server sees it as the client's address, so per-address
    counts (login throttling) start from zero and never mix with another test's."""
    raw = uuid.uuid4().bytes
    return f"127.{raw[0] % 254 + 1}.{raw[1]}.{raw[2] % 254 + 1}"


class Gunicorn:
    """One app server: a gunicorn master and its workers, in a process group of their own."""

    def __init__(self, name: str, tmp: Path, env: dict[str, str]):
        self.name, self.env = name, env
        self.dir = tmp / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.log = self.dir / "gunicorn.log"
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None

    def launch(self) -> None:
        """Start the master (it forks its workers); ``wait_ready`` then waits for it to answer."""
        self.port = free_port()
        env = {**os.environ, "TENDU_INSTANCE_PATH": str(self.dir), **self.env, "TENDU_BIND": f"127.0.0.1:{self.port}"}
        with open(self.log, "ab") as log:
            # gunicorn >= 25 opens a control socket at one path per user (~/.gunicorn/gunicorn.ctl) and unlinks
            # it when it stops: each instance gets its own, as several instances on one host need.
            self.proc = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py",
                                          "--control-socket", str(self.dir / "gunicorn.ctl"), "wsgi:app"],
                                         cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)

    def wait_ready(self, timeout: float = 45) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if self.request("GET", "/healthz", timeout=2)[0] == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        return False

    def start(self) -> None:
        start_all([self])

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def stop(self, grace: float = 15) -> None:
        stop_all([self], grace)

    def connection(self, timeout: float = 15, source: str | None = None) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout,
                                          source_address=(source, 0) if source else None)

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None,
                timeout: float = 15, source: str | None = None) -> tuple[int, dict | bytes]:
        """One request on a new connection; the body parsed when it is JSON."""
        conn = self.connection(timeout, source)
        try:
            sent = {"Content-Type": "application/json", **(headers or {})} if body is not None else (headers or {})
            conn.request(method, path, json.dumps(body) if body is not None else None, sent)
            res = conn.getresponse()
            data = res.read()
            if res.getheader("Content-Type", "").startswith("application/json"):
                return res.status, json.loads(data)
            return res.status, data
        finally:
            conn.close()


def start_all(servers: list[Gunicorn]) -> None:
    """Start several servers side by side (each imports the app in its workers: slow on a busy machine)."""
    for server in servers:
        server.launch()
    for server in servers:
        for _ in range(3):  # a free port may be taken by someone else before gunicorn binds it
            if server.wait_ready():
                break
            if "Address already in use" not in server.tail():
                pytest.fail(f"gunicorn {server.name} did not start:\n{server.tail()}")
            server.launch()
        else:
            pytest.fail(f"gunicorn {server.name} found no free port:\n{server.tail()}")


def stop_all(servers: list[Gunicorn], grace: float = 15) -> None:
    """SIGTERM to each process group (graceful: requests in flight finish), SIGKILL to any still there after."""
    running = [s for s in servers if s.proc is not None and s.proc.poll() is None]
    for server in running:
        os.killpg(server.proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for server in running:
        try:
            server.proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(server.proc.pid, signal.SIGKILL)
            server.proc.wait()
