"""The live feed: the position query, and the SSE stream a dashboard keeps open."""
import threading
import time
from datetime import datetime, timezone

import pytest

from server.extensions import db
from server.models import ScanEvent
from server.queries import feed
from server.queries.feed_position import Position
from tests.conftest import event
from tests.flows.conftest import EAN, OTHER_EAN, Scanner


def blocks(chunks):
    """SSE blocks as dicts: {'event', 'data', 'id', 'comment', 'retry'} as present."""
    for chunk in chunks:
        for block in chunk.decode().split("\n\n"):
            fields = {}
            for line in filter(None, block.split("\n")):
                name, _, value = line.partition(": ") if not line.startswith(":") else ("comment", "", line[2:])
                fields[name] = value
            if fields:
                yield fields


@pytest.fixture
def quick_feed(app, monkeypatch):
    for name, value in {"TENDU_FEED_POLL_SECONDS": 0.05, "TENDU_FEED_HEARTBEAT_SECONDS": 0.3,
                        "TENDU_FEED_MAX_SECONDS": 1.0}.items():
        monkeypatch.setitem(app.config, name, value)


def open_stream(client, token_header, last_event_id=None, **query):
    token = token_header["Authorization"].removeprefix("Bearer ")
    headers = {"Last-Event-ID": last_event_id} if last_event_id else {}
    res = client.get("/api/v1/events/stream", query_string={"access_token": token, "backlog": 0, **query},
                     headers=headers, buffered=False)
    assert res.status_code == 200 and res.mimetype == "text/event-stream", res.data
    return res


def test_a_position_keeps_skipped_ids_until_they_commit_or_expire():
    position = Position()
    position.seen("m", 10, now=0, ttl=60)
    position.seen("m", 13, now=0, ttl=60)       # 11 and 12 may still be committing
    position.seen("s", 4, now=0, ttl=60)
    assert position.encode() == "s4~1-3.m13~1-9,11-12.p0.o0"
    again = Position.decode(position.encode(), now=100, ttl=60)
    assert again.encode() == position.encode()
    again.seen("m", 12, now=100, ttl=60)
    assert again.encode() == "s4~1-3.m13~1-9,11.p0.o0"
    again.expire(now=161)
    assert again.encode() == "s4.m13.p0.o0"


@pytest.mark.parametrize("text", ["", "x1", "s1.m2.p3.q4", "s5~9.m0.p0.o0", "s5~1-100000.m0.p0.o0", "s-1"])
def test_a_position_that_cannot_be_read_is_refused(text):
    from server.domain.errors import BadRequest
    with pytest.raises(BadRequest):
        Position.decode(text or "garbage!", now=0, ttl=60)


def test_the_feed_query_lists_what_happened_after_a_position(app, client, warehouse):
    sup, scanner = warehouse["supervisor"], Scanner(client, warehouse["operator"])
    with app.app_context():
        start = feed.head()
    client.post("/api/v1/adjustments", json=event(product="PAD", location="A-01", qty=5, reason="found"), headers=sup)
    scanner.scan(EAN, "lookup")
    scanner.scan("4006381333932", "lookup")  # bad check digit: refused
    po = client.post("/api/v1/purchase-orders", json={"supplier": "ACME", "lines": [{"product": "PAD", "qty": 6}]},
                     headers=sup).json
    client.post(f"/api/v1/purchase-orders/{po['number']}/events", json=event(kind="ordered"), headers=sup)
    with app.app_context():
        events, after = feed.changes_after(start, lang="fr")
        assert feed.changes_after(after)[0] == []
    kinds = [(e.kind, e.data.get("sku") or e.data.get("order")) for e in events]
    assert kinds == [("movement", "PAD"), ("scan", "PAD"), ("exception", None), ("order_event", po["number"])]
    scan, refused = events[1].data, events[2].data
    assert (scan["action"], scan["outcome"], scan["user"]) == ("lookup", "looked_up", "operator")
    assert refused["outcome"] == "refused" and refused["error_code"] == "bad_check_digit"
    assert "chiffre de contrôle attendu 1, lu 2" in refused["message"]  # in the language asked for
    assert events[-1].position == after.encode()


def test_a_row_committed_after_a_higher_id_was_shown_still_appears(app, ctx):
    """PostgreSQL hands out ids at insert, not at commit: a slow transaction shows up below the position."""
    position = feed.head()
    top = position.cursors["s"].high

    def scan_row(row_id):
        now = datetime.now(timezone.utc)
        db.session.add(ScanEvent(id=row_id, client_event_id=f"late-{row_id}", raw_code=EAN, action="lookup",
                                 outcome="looked_up", status=200, response={}, occurred_at=now, recorded_at=now))
        db.session.commit()

    scan_row(top + 2)
    shown, position = feed.changes_after(position)
    assert [e.data["id"] for e in shown] == [top + 2]
    scan_row(top + 1)  # the slow one commits now
    shown, position = feed.changes_after(position)
    assert [e.data["id"] for e in shown] == [top + 1]
    assert feed.changes_after(position)[0] == [] and not position.cursors["s"].holes


def test_a_scan_posted_by_another_client_appears_in_an_open_stream(app, client, warehouse, monkeypatch, quick_feed):
    monkeypatch.setitem(app.config, "TENDU_FEED_MAX_SECONDS", 3.0)
    res = open_stream(client, warehouse["supervisor"])
    received, connected = [], threading.Event()

    def read():
        for block in blocks(res.iter_encoded()):
            received.append((time.monotonic(), block))
            connected.set()
            if block.get("event") == "scan":
                return

    reader = threading.Thread(target=read)
    reader.start()
    assert connected.wait(2)
    posted_at = time.monotonic()
    status, body = Scanner(app.test_client(), warehouse["operator"]).scan(OTHER_EAN, "lookup")
    assert status == 200
    reader.join(5)
    res.close()
    scans = [(at, b) for at, b in received if b.get("event") == "scan"]
    assert len(scans) == 1 and '"sku":"WIPER"' in scans[0][1]["data"]
    assert scans[0][0] - posted_at < 2.0


def test_reconnecting_with_the_last_event_id_misses_nothing_and_repeats_nothing(app, client, warehouse, quick_feed):
    scanner = Scanner(client, warehouse["operator"])
    first = open_stream(client, warehouse["supervisor"])
    for _ in range(3):
        scanner.scan(EAN, "lookup")
    client.post("/api/v1/adjustments", json=event(product="PAD", location="A-01", qty=2, reason="found"),
                headers=warehouse["supervisor"])
    seen, last_id = [], None
    for block in blocks(first.iter_encoded()):
        last_id = block.get("id", last_id)   # what EventSource remembers, data or not
        if "event" in block:
            seen.append(block["data"])
        if len(seen) == 2:
            break                             # the connection drops here
    first.close()
    for _ in range(2):
        scanner.scan(OTHER_EAN, "lookup")     # while the dashboard is away
    second = open_stream(client, warehouse["supervisor"], last_event_id=last_id)
    for block in blocks(second.iter_encoded()):
        if "event" in block:
            seen.append(block["data"])
    assert len(seen) == 6 == len(set(seen))   # 5 scans and a movement, each once
    assert sum('"kind":"movement"' in d for d in seen) == 1


def test_a_quiet_stream_sends_heartbeats_with_its_position_then_ends(app, client, warehouse, quick_feed):
    got = list(blocks(open_stream(client, warehouse["supervisor"]).iter_encoded()))
    assert got[0]["retry"] == "2000" and got[0]["id"]
    beats = [b for b in got if b.get("comment") == "heartbeat"]
    assert beats and all(b["id"] == got[0]["id"] for b in beats)


def test_the_stream_needs_a_supervisor_token_and_a_readable_position(client, warehouse):
    assert client.get("/api/v1/events/stream").status_code == 401
    assert client.get("/api/v1/events/stream?access_token=tdu_nope").json["error"]["code"] == "invalid_token"
    operator = warehouse["operator"]["Authorization"].removeprefix("Bearer ")
    assert client.get(f"/api/v1/events/stream?access_token={operator}").status_code == 403
    bad = client.get("/api/v1/events/stream", headers={**warehouse["supervisor"], "Last-Event-ID": "nonsense"})
    assert bad.status_code == 400 and bad.json["error"]["code"] == "bad_last_event_id"


def test_a_stream_ends_once_its_token_is_revoked(app, client, warehouse, monkeypatch, quick_feed):
    """A supervisor deactivated (or signed out) stops receiving the feed within a heartbeat, not after 300 s."""
    monkeypatch.setitem(app.config, "TENDU_FEED_MAX_SECONDS", 30.0)
    res = open_stream(client, warehouse["supervisor"])
    chunks = res.iter_encoded()
    next(chunks)                                                     # the stream is open
    started = time.monotonic()
    assert client.patch("/api/v1/users/supervisor", json={"active": False},
                        headers=warehouse["admin"]).status_code == 200
    list(chunks)                                                     # runs to its end
    assert time.monotonic() - started < 5
