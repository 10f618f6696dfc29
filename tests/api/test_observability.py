"""Request ids, the request log line, /metrics (counts and access) and the health probes."""
import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import event, select, text

from server.api.health import HEADS, KNOWN
from server.extensions import db
from server.observability import logs
from tests.scrape import sample, scrape

ROOT = Path(__file__).resolve().parents[2]
REMOTE = {"REMOTE_ADDR": "203.0.113.9"}


def request_records(caplog):
    return [r for r in caplog.records if r.name == logs.REQUEST_LOGGER]


# --- request ids ----------------------------------------------------------------------------------------------

def test_a_sane_request_id_is_echoed(client):
    res = client.get("/healthz/live", headers={"X-Request-Id": "dock-7:scan/42"})
    assert res.headers["X-Request-Id"] == "dock-7:scan/42"


@pytest.mark.parametrize("incoming", [None, "", "x" * 65, "has space", 'quote"d', "semi;colon", "é"])
def test_a_missing_or_odd_request_id_is_replaced_by_a_fresh_one(client, incoming):
    headers = {} if incoming is None else {"X-Request-Id": incoming}
    first = client.get("/healthz/live", headers=headers).headers["X-Request-Id"]
    second = client.get("/healthz/live", headers=headers).headers["X-Request-Id"]
    assert first != second and len(first) == 16 and int(first, 16) >= 0


def test_error_answers_carry_the_request_id_too(client):
    res = client.get("/api/v1/products", headers={"X-Request-Id": "req-401"})
    assert res.status_code == 401 and res.headers["X-Request-Id"] == "req-401"


# --- the request log line -------------------------------------------------------------------------------------

def test_one_line_per_request_with_user_route_status_and_duration(client, tokens, caplog):
    caplog.set_level(logging.INFO, logger=logs.REQUEST_LOGGER)
    raw = tokens["supervisor"]["Authorization"].removeprefix("Bearer ")
    # The live feed takes its token in the query string: it must reach neither the log nor the route.
    with client.get(f"/api/v1/events/stream?access_token={raw}&backlog=0", buffered=False,
                    headers={"X-Request-Id": "feed-1"}) as res:
        assert res.status_code == 200
    client.get("/api/v1/products/PAD?secret=zzz", headers={**tokens["operator"], "X-Request-Id": "prod-1"})
    records = request_records(caplog)
    assert [r.request_id for r in records] == ["feed-1", "prod-1"]
    feed, product = (r.request for r in records)
    assert feed == {"user": "supervisor", "method": "GET", "route": "/api/v1/events/stream", "status": 200,
                    "duration_ms": feed["duration_ms"]} and feed["duration_ms"] >= 0
    assert product["user"] == "operator" and product["route"] == "/api/v1/products/<string:sku>"
    assert product["status"] == 404
    for fmt in ("json", "text"):
        lines = [logs.formatter(fmt).format(r) for r in records]
        assert not any(raw in line or "access_token" in line or "zzz" in line or "PAD" in line for line in lines)
    line = json.loads(logs.formatter("json").format(records[0]))
    assert set(line) == {"time", "level", "logger", "request_id", "user", "method", "route", "status", "duration_ms"}
    assert line["request_id"] == "feed-1" and line["logger"] == "tendu.request"


def test_anonymous_requests_log_no_user(client, caplog):
    caplog.set_level(logging.INFO, logger=logs.REQUEST_LOGGER)
    client.get("/healthz/live")
    (record,) = request_records(caplog)
    assert record.request["user"] is None and record.request["route"] == "/healthz/live"


def test_an_expired_user_is_named_by_id_without_a_query(app, tokens):
    """A rollback expires the signed-in user; writing the log line must not load it again."""
    from server.models import User
    from server.observability.hooks import _user
    statements = []

    def seen(*_args):
        statements.append(1)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "operator"))
        uid = user.id
        assert _user(user) == "operator"
        db.session.expire(user)
        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            assert _user(user) == f"id:{uid}"
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        assert statements == []


def test_json_lines_on_stderr_when_nothing_else_configured_logging(tmp_path):
    """Outside pytest (as under gunicorn) the app sends its own logs to stderr: one JSON object per line,
    an unexpected error included, with the request id of its request."""
    script = textwrap.dedent(f"""
        from server import create_app
        app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path}/t.db",
                          "TENDU_INSTANCE_PATH": "{tmp_path}"}})
        def boom():
            raise RuntimeError("boom")
        app.add_url_rule("/boom", "boom", boom)
        client = app.test_client()
        client.get("/healthz/live?access_token=tdu_not_to_be_logged", headers={{"X-Request-Id": "live-1"}})
        assert client.get("/boom", headers={{"X-Request-Id": "boom-1"}}).status_code == 500
    """)
    env = {**os.environ, "TENDU_LOG_FORMAT": "json"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "tdu_not_to_be_logged" not in done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    live = [x for x in lines if x.get("route") == "/healthz/live"]
    assert live == [{"time": live[0]["time"], "level": "INFO", "logger": "tendu.request", "request_id": "live-1",
                     "user": None, "method": "GET", "route": "/healthz/live", "status": 200,
                     "duration_ms": live[0]["duration_ms"]}]
    error = [x for x in lines if x["logger"] == "server.errors"]
    assert len(error) == 1 and error[0]["request_id"] == "boom-1" and "RuntimeError: boom" in error[0]["exception"]
    assert [x["status"] for x in lines if x.get("route") == "/boom"] == [500]


# --- /metrics ---------------------------------------------------------------------------------------------------

def test_request_counts_and_latencies_grow_by_exactly_the_requests_sent(client, tokens):
    before = scrape(client)
    for _ in range(7):
        assert client.get("/healthz/live").status_code == 200
    for _ in range(3):
        assert client.get("/api/v1/products/NOPE", headers=tokens["operator"]).status_code == 404
    client.open("/no/such/page/anywhere", method="PATCH")  # no rule for this method: no route to name
    after = scrape(client)

    def grew(name, **labels):
        return sample(after, name, **labels) - sample(before, name, **labels)
    live = {"method": "GET", "route": "/healthz/live", "status": "200"}
    product = {"method": "GET", "route": "/api/v1/products/<string:sku>", "status": "404"}
    assert grew("tendu_http_requests_total", **live) == 7
    assert grew("tendu_http_request_duration_seconds_count", **live) == 7
    assert grew("tendu_http_request_duration_seconds_bucket", le="+Inf", **live) == 7
    assert grew("tendu_http_request_duration_seconds_sum", **live) > 0
    assert grew("tendu_http_requests_total", **product) == 3
    assert grew("tendu_http_requests_total", method="PATCH", route="unmatched", status="405") == 1
    # The first scrape is counted once its answer is gone: in the second scrape's numbers.
    assert grew("tendu_http_requests_total", method="GET", route="/metrics", status="200") == 1
    assert not any("NOPE" in str(key) or "/no/such" in str(key) for key in after)


def test_metrics_from_this_machine_need_no_token(client):
    for address in ("127.0.0.1", "::1"):
        res = client.get("/metrics", environ_base={"REMOTE_ADDR": address})
        assert res.status_code == 200 and b"tendu_http_requests_total" in res.data
        assert res.headers["Content-Type"].startswith("text/plain")


def test_openmetrics_is_served_when_asked(client):
    res = client.get("/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"})
    assert res.headers["Content-Type"].startswith("application/openmetrics-text")
    assert res.data.rstrip().endswith(b"# EOF")


@pytest.mark.parametrize("environ, headers", [
    (REMOTE, {}),
    ({"REMOTE_ADDR": "127.0.0.1"}, {"X-Forwarded-For": "198.51.100.4"}),  # a proxy on this machine
    ({"REMOTE_ADDR": "127.0.0.1"}, {"X-Real-IP": "198.51.100.4"}),
    (REMOTE, {"Authorization": "Bearer tdu_forged"}),
])
def test_metrics_from_elsewhere_without_a_valid_token_is_401(client, environ, headers):
    res = client.get("/metrics", environ_base=environ, headers=headers)
    assert res.status_code == 401 and res.json["error"]["code"] in {"unauthorized", "invalid_token"}
    assert b"tendu_" not in res.data


def test_metrics_from_elsewhere_need_a_supervisor_or_an_admin(client, tokens):
    denied = client.get("/metrics", environ_base=REMOTE, headers=tokens["operator"])
    assert denied.status_code == 403 and denied.json["error"]["code"] == "forbidden"
    for role in ("supervisor", "admin"):
        res = client.get("/metrics", environ_base=REMOTE, headers=tokens[role])
        assert res.status_code == 200 and b"tendu_scans_awaiting_decision" in res.data


# --- health -----------------------------------------------------------------------------------------------------

def test_liveness_answers_without_touching_the_database(app, client):
    statements = []

    def seen(*_args):
        statements.append(1)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        res = client.get("/healthz/live")
        assert client.get("/healthz").status_code == 200 and statements  # the listener does see queries
        statements.clear()
        res = client.get("/healthz/live")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert res.status_code == 200 and res.json == {"status": "ok"} and statements == []


def test_ready_when_the_database_is_at_the_migrations_head(app, client):
    res = client.get("/healthz/ready")
    assert res.status_code == 200 and res.json["status"] == "ok"
    with app.app_context():
        current = db.session.scalars(text("SELECT version_num FROM alembic_version")).all()
    assert res.json["revision"] == ", ".join(sorted(current))


def test_not_ready_when_the_database_is_behind_the_code(app, client, monkeypatch):
    # This code's head is a newer revision than the database's, which it knows: migrations not applied yet.
    monkeypatch.setitem(app.extensions, HEADS, frozenset({"9999_future"}))
    monkeypatch.setitem(app.extensions, KNOWN, app.extensions[KNOWN] | {"9999_future"})
    res = client.get("/healthz/ready")
    assert res.status_code == 503 and res.json["status"] == "not_ready"
    assert "9999_future" in res.json["reason"]
    assert client.get("/healthz/live").status_code == 200   # alive all the same: do not restart it
    assert client.get("/healthz").status_code == 200        # the old probe is unchanged


def test_still_ready_when_a_newer_release_migrated_the_database(app, client, monkeypatch):
    # Rolling upgrade: the database is at a revision this (previous) release does not know.
    monkeypatch.setitem(app.extensions, HEADS, frozenset({"0001"}))
    monkeypatch.setitem(app.extensions, KNOWN, frozenset({"0001"}))
    res = client.get("/healthz/ready")
    assert res.status_code == 200 and res.json["status"] == "ok"
    assert "ahead" in res.json["note"]


def test_not_ready_without_migrations(app, client, monkeypatch):
    with app.app_context():
        current = db.session.scalars(text("SELECT version_num FROM alembic_version")).all()
        db.session.execute(text("DELETE FROM alembic_version"))
        db.session.commit()
    try:
        res = client.get("/healthz/ready")
        assert res.status_code == 503 and "none" in res.json["reason"]
    finally:
        with app.app_context():
            for rev in current:
                db.session.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": rev})
            db.session.commit()
