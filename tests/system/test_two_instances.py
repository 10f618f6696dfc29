"""Two stateless app servers over one PostgreSQL: what one does, the other knows.

Two real gunicorn instances (separate process groups, two workers each, as deployed: ``gunicorn -c
gunicorn.conf.py wsgi:app`` configured by ``TENDU_*`` variables) serve one fresh PostgreSQL database made
for this module and dropped after it. They share nothing but the database (and Redis, when there is one):

* a scan posted to A then replayed to B — and the same scan posted to both at once, many times — is
  applied exactly once: one scan event, one movement, and every copy gets the same answer;
* the live feed opened on B shows, within seconds, a scan made through A (and a token issued by A is
  good on B);
* with ``TENDU_REDIS_URL`` set, wrong passwords tried through A and B are counted together, and the next
  attempt through either server is refused with 429.

PostgreSQL only: SQLite is one file on one machine, so there is nothing to share between servers.
"""
from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from tests.system.support import (Gunicorn, fresh_postgres_database, random_loopback, start_all, stop_all,
                                  suite_postgres_url)

pytestmark = pytest.mark.skipif(
    not suite_postgres_url(),
    reason="needs PostgreSQL (set TENDU_TEST_DATABASE_URL): two app servers cannot share a SQLite file")

EAN = "4006381333931"
LOGIN_ATTEMPTS = 4
SUPERVISOR_PASSWORD = "two-servers-supervisor"
OPERATOR_PASSWORD = "two-servers-operator"
REDIS_URL = "redis://127.0.0.1:6379/13"  # any database will do: every key this module makes is its own


def _redis():
    """A client for the Redis the servers will share, or None when none answers here."""
    try:
        import redis
        client = redis.Redis.from_url(redis_url(), socket_connect_timeout=1, socket_timeout=2)
        client.ping()
        return client
    except Exception:  # no server, no module: the throttling part says so and skips
        return None


def redis_url() -> str:
    return os.environ.get("TENDU_TEST_REDIS_URL", REDIS_URL)


def _seed(url: str) -> str:
    """Schema from the migrations, a dock, a bin, one product, an open purchase order; returns its number."""
    from flask_migrate import upgrade

    from server import create_app
    from server.extensions import db
    from server.models import Barcode, Location, Product, Supplier
    from server.services import auth, purchasing

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}})
    with app.app_context():
        upgrade()
        db.session.add_all([Location(code="DOCK", kind="dock"), Location(code="DISPATCH", kind="dispatch"),
                            Location(code="A-01", kind="bin"), Supplier(code="ACME", name="Acme"),
                            Product(sku="P1", name="Pad", barcodes=[Barcode(code="0" + EAN)])])
        db.session.commit()
        order = purchasing.create_order(supplier="ACME", lines=[{"sku": "P1", "qty": Decimal(1_000_000)}])
        auth.create_user("op", "operator", OPERATOR_PASSWORD)
        auth.create_user("boss", "supervisor", SUPERVISOR_PASSWORD)
        number = order.number
        db.session.remove()
        db.engine.dispose()
    return number


class Cluster:
    def __init__(self, url, a: Gunicorn, b: Gunicorn, order: str, redis, source: str):
        self.url, self.a, self.b, self.order, self.redis, self.source = url, a, b, order, redis, source
        self.tokens: dict[str, str] = {}

    def login(self, server: Gunicorn, username: str, password: str) -> tuple[int, dict]:
        return server.request("POST", "/api/v1/auth/tokens", {"username": username, "password": password},
                              source=self.source)

    def auth(self, who: str) -> dict:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def scan(self, client_event_id: str | None = None) -> dict:
        return {"client_event_id": client_event_id or str(uuid.uuid4()),
                "occurred_at": datetime.now(timezone.utc).isoformat(), "code": EAN, "action": "receive",
                "context": {"order": self.order}, "device": "two-servers"}

    def post_scan(self, server: Gunicorn, body: dict) -> tuple[int, dict]:
        return server.request("POST", "/api/v1/scans", body, self.auth("op"), source=self.source)

    def rows(self, client_event_id: str) -> tuple[int, int]:
        """(scan events, movements) the database holds for this id."""
        import psycopg
        from sqlalchemy.engine import make_url
        u = make_url(self.url)
        with psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password or None,
                             dbname=u.database) as conn:
            scans = conn.execute("SELECT COUNT(*) FROM scan_events WHERE client_event_id = %s",
                                 (client_event_id,)).fetchone()[0]
            moves = conn.execute("SELECT COUNT(*) FROM movements WHERE client_event_id = %s",
                                 (client_event_id,)).fetchone()[0]
        return scans, moves


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("two-instances")
    redis = _redis()
    with fresh_postgres_database(suite_postgres_url()) as url:
        order = _seed(url)
        env = {"TENDU_DATABASE_URL": url, "TENDU_SECRET_KEY": "two-servers-secret", "TENDU_WORKERS": "2",
               "TENDU_THREADS": "8", "TENDU_LOGIN_ATTEMPTS": str(LOGIN_ATTEMPTS),
               # A closed live stream is noticed at the next keep-alive write: soon, so SIGTERM is quick.
               "TENDU_FEED_HEARTBEAT_SECONDS": "1", "TENDU_FEED_MAX_SECONDS": "30"}
        if redis is not None:
            env["TENDU_REDIS_URL"] = redis_url()
        a, b = Gunicorn("a", tmp, env), Gunicorn("b", tmp, env)
        try:
            start_all([a, b])
            assert a.proc.pid != b.proc.pid and a.port != b.port
            c = Cluster(url, a, b, order, redis, random_loopback())
            # Tokens are rows in the database: one issued by A must be good on B.
            for who, name, password in (("op", "op", OPERATOR_PASSWORD), ("boss", "boss", SUPERVISOR_PASSWORD)):
                status, body = c.login(a, name, password)
                assert status == 201, body
                c.tokens[who] = body["token"]
            status, me = b.request("GET", "/api/v1/auth/me", headers=c.auth("op"), source=c.source)
            assert status == 200 and me["username"] == "op", me
        except BaseException:
            print(f"--- gunicorn a ---\n{a.tail()}\n--- gunicorn b ---\n{b.tail()}")
            stop_all([a, b])
            raise
        try:
            yield c
        finally:
            stop_all([a, b])


def test_a_scan_replayed_on_the_other_server_is_applied_once(cluster):
    body = cluster.scan()
    status_a, first = cluster.post_scan(cluster.a, body)
    assert status_a == 201 and first["outcome"] == "applied", first
    status_b, again = cluster.post_scan(cluster.b, body)
    assert (status_b, again) == (status_a, first), "B answered a replay differently from A's first answer"
    assert cluster.rows(body["client_event_id"]) == (1, 1)


def test_the_same_scan_sent_to_both_servers_at_once_is_applied_once(cluster):
    rounds, copies = 12, 8  # each round: 8 copies of one scan, 4 to each server, released together
    results: list[list] = []
    for _ in range(rounds):
        body = cluster.scan()
        answers: list = [None] * copies
        gate = threading.Barrier(copies)

        def send(i: int) -> None:
            server = cluster.a if i % 2 == 0 else cluster.b
            gate.wait()
            try:
                answers[i] = cluster.post_scan(server, body)
            except Exception as exc:  # noqa: BLE001 — reported in the assertion below
                answers[i] = exc

        threads = [threading.Thread(target=send, args=(i,)) for i in range(copies)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        results.append([body["client_event_id"], answers])

    for client_event_id, answers in results:
        errors = [a for a in answers if not isinstance(a, tuple)]
        assert not errors, errors[:2]
        statuses = {status for status, _ in answers}
        assert statuses == {201}, [(s, b) for s, b in answers if s != 201][:2]
        first = answers[0][1]
        assert first["outcome"] == "applied" and first["client_event_id"] == client_event_id, first
        assert all(b == first for _, b in answers), "copies of one scan got different answers"
        assert cluster.rows(client_event_id) == (1, 1), f"{client_event_id}: applied more or less than once"

    # And the stock levels agree with the ledger after the races.
    from server import create_app
    from server.extensions import db
    from server.queries.ledger_check import differences
    app = create_app({"SQLALCHEMY_DATABASE_URI": cluster.url, "SQLALCHEMY_ENGINE_OPTIONS": {}})
    with app.app_context():
        try:
            assert differences() == []
        finally:
            db.session.remove()
            db.engine.dispose()


def _sse_events(response, until: float):
    """Yield (event, data) pairs from an open text/event-stream response until the deadline.

    The servers send a keep-alive every second, so a read never waits long; a socket timeout (the stream
    went silent) ends the test with an error, as it should."""
    import json
    fields: dict[str, str] = {}
    while time.monotonic() < until:
        line = response.readline()
        if not line:
            return  # the server ended the stream
        line = line.decode().rstrip("\r\n")
        if line == "":
            if "event" in fields:
                yield fields["event"], json.loads(fields.get("data", "null"))
            fields = {}
        elif not line.startswith(":") and ":" in line:
            key, value = line.split(":", 1)
            fields[key] = value[1:] if value.startswith(" ") else value


def test_the_live_feed_on_b_shows_a_scan_made_through_a(cluster):
    conn = cluster.b.connection(timeout=10, source=cluster.source)
    try:
        # EventSource cannot send headers: the token goes in the query string, as the browser sends it.
        conn.request("GET", f"/api/v1/events/stream?backlog=0&access_token={cluster.tokens['boss']}",
                     headers={"Accept": "text/event-stream"})
        res = conn.getresponse()
        assert res.status == 200, res.read()[:300]
        assert res.getheader("Content-Type", "").startswith("text/event-stream")
        # The opening block (retry, position) ends with a blank line: then B has fixed where the feed starts.
        while res.readline() not in (b"\n", b"\r\n", b""):
            pass

        body = cluster.scan()
        sent = time.monotonic()
        status, answer = cluster.post_scan(cluster.a, body)
        assert status == 201, answer
        seen = {}
        for kind, data in _sse_events(res, sent + 5):
            if kind == "scan" and data.get("client_event_id") == body["client_event_id"]:
                seen["scan"] = time.monotonic() - sent
                assert data["outcome"] == "applied" and data["device"] == "two-servers", data
            if kind == "movement" and data.get("to_location") == "DOCK" and data.get("device") == "two-servers":
                seen.setdefault("movement", time.monotonic() - sent)
            if "scan" in seen and "movement" in seen:
                break
        assert "scan" in seen, "B's live feed did not show A's scan within 5 s"
        assert "movement" in seen, "B's live feed did not show the movement A's scan booked within 5 s"
    finally:
        conn.close()


def test_login_throttling_is_shared_through_redis(cluster):
    if cluster.redis is None:
        pytest.skip(f"Redis is not reachable at {redis_url()} (set TENDU_TEST_REDIS_URL): login throttling "
                    "is then per process, by design")
    name = f"victim-{uuid.uuid4().hex[:8]}"
    keys = [f"tendu:throttle:user:{name}@{cluster.source}", f"tendu:throttle:addr:{cluster.source}",
            f"tendu:throttle:user:{name}"]
    try:
        # The user exists, so the last attempts below, with the right password, would succeed if not throttled.
        _create_user(cluster.url, name, "the-right-password")

        for n in range(LOGIN_ATTEMPTS):  # A, B, A, B
            server = (cluster.a, cluster.b)[n % 2]
            status, body = cluster.login(server, name, f"wrong-{n}")
            assert status == 401, (n, server.name, body)  # counted, not refused yet
        # Each server saw only half the failures: only counts kept together reach the limit.
        for server in (cluster.a, cluster.b):
            status, body = cluster.login(server, name, "the-right-password")
            assert status == 429, (server.name, status, body)
            assert body["error"]["code"] == "too_many_attempts", body
        assert int(cluster.redis.get(keys[0]) or 0) == LOGIN_ATTEMPTS, "the failures are not counted in Redis"
    finally:
        cluster.redis.delete(*keys)


def _create_user(url: str, name: str, password: str) -> None:
    from server import create_app
    from server.extensions import db
    from server.services import auth
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}})
    with app.app_context():
        try:
            auth.create_user(name, "operator", password)
        finally:
            db.session.remove()
            db.engine.dispose()
