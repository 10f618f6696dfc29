"""Times and numbers a caller sends: every write refuses the future, no time or day outside 2000–2099 reaches the
database or the maths (year 1 at +14:00 cannot even be converted to UTC), and no id or page beyond what a row
can have reaches SQL (SQLite cannot bind past 2**63). All of these were 500s."""
from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import event, fingerprint
from tests.flows.conftest import EAN


def in_an_hour() -> str:
    return (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()


def test_an_order_event_from_the_future_is_refused_and_the_order_stays_receivable(app, client, warehouse, scanner):
    sup = warehouse["supervisor"]
    number = client.post("/api/v1/purchase-orders", headers=sup,
                         json={"supplier": "ACME", "lines": [{"product": "PAD", "qty": 10}]}).json["number"]
    url = f"/api/v1/purchase-orders/{number}/events"
    assert client.post(url, json=event(kind="ordered"), headers=sup).status_code == 201
    with app.app_context():
        before = fingerprint()
    shipped = client.post(url, json=event(kind="shipped", occurred_at=in_an_hour()), headers=sup)
    assert shipped.status_code == 422 and shipped.json["error"]["code"] == "future_time"
    with app.app_context():
        assert fingerprint() == before
    # (once such an event was stored, every reception of the order was refused as out of sequence)
    status, body = scanner.scan(EAN, "receive", order=number)
    assert status == 201 and body["outcome"] == "applied", body


@pytest.mark.parametrize("path, extra", [
    ("/api/v1/sales-orders", {"customer": "GARAGE", "lines": [{"product": "PAD", "qty": 1}]}),
    ("/api/v1/adjustments", {"product": "PAD", "location": "A-01", "qty": 1, "reason": "found"}),
])
def test_other_writes_from_the_future_are_refused(app, client, warehouse, path, extra):
    with app.app_context():
        before = fingerprint()
    res = client.post(path, json=event(occurred_at=in_an_hour(), **extra), headers=warehouse["supervisor"])
    assert res.status_code == 422 and res.json["error"]["code"] == "future_time", res.json
    with app.app_context():
        assert fingerprint() == before


@pytest.mark.parametrize("method, path, body", [
    ("POST", "/api/v1/scans", {"code": EAN, "action": "lookup", "occurred_at": "0001-01-01T00:00:00+14:00"}),
    ("POST", "/api/v1/scans", {"code": EAN, "action": "lookup", "occurred_at": "1970-01-01T00:00:00Z"}),
    ("POST", "/api/v1/sales-orders", {"customer": "GARAGE", "lines": [{"product": "PAD", "qty": 1}],
                                      "occurred_at": "9999-12-31T23:59:59-14:00"}),
    ("GET", "/api/v1/movements?since=0001-01-01T00:00:00%2B14:00", None),
    ("GET", "/api/v1/analytics/kpis?until=0001-01-02", None),
    ("GET", "/api/v1/analytics/flows?since=9999-01-01", None),
    ("GET", "/api/v1/analytics/valuation?at=9999-12-31", None),
    ("GET", "/api/v1/analytics/lead-times?since=0001-01-01T00:00:00Z", None),
])
def test_times_outside_the_plausible_range_are_refused(app, client, warehouse, method, path, body):
    with app.app_context():
        before = fingerprint()
    json = {**event(), **body} if body else None
    res = client.open(path, method=method, json=json, headers=warehouse["supervisor"])
    assert res.status_code == 422 and res.json["error"]["code"] == "validation_error", res.json
    assert "2000-01-01" in str(res.json["error"]["details"])
    with app.app_context():
        assert fingerprint() == before


BIG = 2**63


@pytest.mark.parametrize("method, path, role, body", [
    ("GET", f"/api/v1/products?page={2**62}", "operator", None),
    ("GET", f"/api/v1/stock?page={2**62}", "operator", None),
    ("GET", f"/api/v1/purchase-orders?page={2**62}", "operator", None),
    ("GET", f"/api/v1/scans?after_id={BIG}", "supervisor", None),
    ("GET", f"/api/v1/movements?after_id={BIG}", "supervisor", None),
    ("GET", f"/api/v1/audit?user={BIG}", "admin", None),
    ("GET", f"/api/v1/audit?after_id={BIG}", "admin", None),
    ("POST", f"/api/v1/movements/{BIG}/reversal", "supervisor", {"reason": "typo"}),
    ("POST", f"/api/v1/sales-orders/SO/lines/{BIG}/short", "operator", {"qty": 1, "reason": "damaged"}),
])
def test_ids_and_pages_past_any_row_are_refused(app, client, warehouse, method, path, role, body):
    if "/SO/" in path:  # a real order, so that only the line's id is wrong
        order = client.post("/api/v1/sales-orders", headers=warehouse["supervisor"],
                            json=event(customer="GARAGE", lines=[{"product": "PAD", "qty": 1}])).json["number"]
        path = path.replace("/SO/", f"/{order}/")
    with app.app_context():
        before = fingerprint()
    res = client.open(path, method=method, json=event(**body) if body else None, headers=warehouse[role])
    assert res.status_code in (404, 422) and res.json["error"]["code"], res.json
    with app.app_context():
        assert fingerprint() == before


@pytest.mark.parametrize("path, body, code", [
    ("/api/v1/scans", {"code": EAN, "action": "count", "context": {"bin": "A-01", "qty": 1, "lot": "L" * 80},
                       **event()}, "validation_error"),
    ("/api/v1/barcodes", {"code": "A" * 300, "product": "PAD"}, "code_too_long"),
    ("/api/v1/suppliers", {"code": "LONG", "name": "x", "email": "a" * 60 + "@" + ".".join(["b" * 60] * 3) + ".com"},
     "validation_error"),
])
def test_texts_longer_than_their_column_are_refused(app, client, warehouse, path, body, code):
    """SQLite stores them anyway; PostgreSQL refused them with a 500."""
    with app.app_context():
        before = fingerprint()
    res = client.post(path, json=body, headers=warehouse["supervisor"])
    assert res.status_code == 422 and res.json["error"]["code"] == code, res.json
    with app.app_context():
        assert fingerprint() == before
