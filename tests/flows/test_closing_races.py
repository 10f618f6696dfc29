"""Orders that end early, against what else happens at the same time: a receipt or a put-away while the order
closes, a short while it is cancelled, a receipt scanned offline before the close; and what a close means to the
plan and to the supplier's record. Also a split pick's refusal.

The races need PostgreSQL (TENDU_TEST_DATABASE_URL): on SQLite the write lock makes writers take turns."""
import threading

import pytest

from server.extensions import db
from server.services import purchasing as purchasing_service
from server.services import sales as sales_service
from server.services.scans import reception
from tests.conftest import event
from tests.flows.conftest import EAN, Scanner
from tests.flows.test_two_at_once import together


def pg_only(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("a race: PostgreSQL only")


def po(client, headers, number):
    return client.get(f"/api/v1/purchase-orders/{number}", headers=headers).json


@pytest.mark.parametrize("already_received", [False, True])
def test_a_receipt_scanned_while_its_order_closes_is_refused_or_seen_by_the_close(
        app, client, warehouse, scanner, shelf, monkeypatch, already_received):
    pg_only(app)
    sup = warehouse["supervisor"]
    if already_received:
        assert scanner.scan(EAN, "receive", order=shelf)[0] == 201
    read, closed = threading.Event(), threading.Event()
    real = reception.scanned_item

    def slow_item(s, scan, parsed):  # the receipt has read the order's status; the close lands now
        found = real(s, scan, parsed)
        read.set()
        closed.wait(3)
        return found
    monkeypatch.setattr(reception, "scanned_item", slow_item)

    def work(c, barrier, what):
        barrier.wait()
        if what == "receive":
            return Scanner(c, warehouse["operator"]).scan(EAN, "receive", order=shelf)[0], None
        read.wait(3)
        try:
            answer = c.post(f"/api/v1/purchase-orders/{shelf}/close", headers=sup, json=event(reason="no more"))
            return answer.status_code, answer.json
        finally:
            closed.set()
    (received, _), (close_status, close_answer) = together(app, work, ["receive", "close"])
    monkeypatch.undo()
    assert close_status == 200
    after = po(client, sup, shelf)
    # The order stays ended, and what the close saw received is all that was received.
    assert after["status"] in ("closed", "cancelled"), (received, after["status"])
    assert after["lines"][0]["received"] == close_answer["lines"][0]["received"], received
    assert after["lines"][0]["received"] == (1 if already_received else 0) + (1 if received == 201 else 0)


def test_a_put_away_racing_a_close_leaves_the_order_closed(app, client, warehouse, scanner, shelf, monkeypatch):
    pg_only(app)
    sup = warehouse["supervisor"]
    assert scanner.scan(EAN, "receive", order=shelf)[0] == 201             # 1 of 24 at the dock
    read, closed = threading.Event(), threading.Event()
    real = purchasing_service.event_summary

    def slow_summary(session, order, model):  # the put-away has read the order; the close lands now
        found = real(session, order, model)
        if model is purchasing_service.PurchaseOrderEvent:
            read.set()
            closed.wait(3)
        return found
    monkeypatch.setattr(purchasing_service, "event_summary", slow_summary)

    def work(c, barrier, what):
        barrier.wait()
        if what == "put_away":
            return Scanner(c, warehouse["operator"]).scan(EAN, "put_away", bin="A-01")[0]
        read.wait(3)
        try:
            return c.post(f"/api/v1/purchase-orders/{shelf}/close", headers=sup,
                          json=event(reason="no more")).status_code
        finally:
            closed.set()
    put, close_status = together(app, work, ["put_away", "close"])
    monkeypatch.undo()
    assert (put, close_status) == (201, 200)
    assert po(client, sup, shelf)["status"] == "closed"                    # not 'put_away' (on order again)
    assert client.get(f"/api/v1/lookup?code={EAN}", headers=sup).json["stock"]["on_order"] == 0


def test_a_short_racing_a_cancel_does_not_reopen_the_order(app, client, warehouse, shelf, monkeypatch):
    pg_only(app)
    sup = warehouse["supervisor"]
    so = client.post("/api/v1/sales-orders", headers=sup,
                     json=event(customer="GARAGE", lines=[{"product": "PAD", "qty": 10}])).json
    line = so["lines"][0]["line_id"]
    read, cancelled = threading.Event(), threading.Event()
    real = sales_service.picked_by_line

    def slow_picked(s, order):  # the short has read the order and its line; the cancel lands now
        found = real(s, order)
        read.set()
        cancelled.wait(3)
        return found
    monkeypatch.setattr(sales_service, "picked_by_line", slow_picked)

    def work(c, barrier, what):
        barrier.wait()
        if what == "short":
            return c.post(f"/api/v1/sales-orders/{so['number']}/lines/{line}/short", headers=sup,
                          json=event(qty=2, reason="shelf empty")).status_code
        read.wait(3)
        try:
            return c.post(f"/api/v1/sales-orders/{so['number']}/cancel", headers=sup,
                          json=event(reason="customer called")).status_code
        finally:
            cancelled.set()
    short, cancel = together(app, work, ["short", "cancel"])
    monkeypatch.undo()
    assert cancel == 200
    after = client.get(f"/api/v1/sales-orders/{so['number']}", headers=sup).json
    assert after["status"] == "cancelled", (short, after["status"])
    assert after["lines"][0]["reserved"] == 0
    assert client.get(f"/api/v1/lookup?code={EAN}", headers=sup).json["stock"]["reserved"] == 0


def test_a_receipt_scanned_offline_before_the_close_is_not_lost(app, client, warehouse, scanner, shelf):
    """The dock's handheld was offline: it scanned a carton at 10:00, the supervisor closed the order at 10:30,
    the queue syncs at 11:00. The carton is on the dock; refusing it leaves it out of the ledger for good."""
    from datetime import datetime, timedelta, timezone
    sup, op = warehouse["supervisor"], warehouse["operator"]
    scanned = scanner.body(EAN, "receive", order=shelf)
    close_at = datetime.now(timezone.utc) + timedelta(seconds=1)          # (within the allowed clock skew)
    assert client.post(f"/api/v1/purchase-orders/{shelf}/close", headers=sup, json={
        **event(reason="supplier says nothing more"), "occurred_at": close_at.isoformat()}).status_code == 200
    answer = client.post("/api/v1/scans/batch", json={"scans": [scanned]}, headers=op).json["results"][0]
    # Either booked (the order then is 'closed', not 'cancelled') or held for a supervisor: not refused.
    assert answer["status"] in (201, 202), answer


def test_a_weekly_suppliers_cancelled_order_is_bought_again_not_a_week_later(app, client, warehouse):
    """The close form says 'the replenishment plan buys it again if it is still needed': for a supplier on
    weekly review the cancelled order still counts as its last review, so nothing is suggested for 7 days."""
    from tests.flows.histories import smooth_history
    from tests.flows.test_periodic_review import plan, weekly
    sup = warehouse["supervisor"]
    smooth_history(app)
    weekly(client, sup)
    listed = client.get("/api/v1/replenishment", headers=sup).json
    ordered = client.post("/api/v1/replenishment/orders", headers=sup, json={
        "suggested_at": listed["generated_at"], "items": [{"sku": "PAD", "qty": i["qty"]} for i in listed["items"]]})
    assert ordered.status_code == 201, ordered.json
    number = ordered.json["orders"][0]["number"] if "orders" in ordered.json else ordered.json[0]["number"]
    assert "PAD" not in plan(client, sup)                                  # on order
    cancelled = client.post(f"/api/v1/purchase-orders/{number}/close", headers=sup,
                            json=event(reason="supplier cannot deliver"))
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert "PAD" in plan(client, sup)                                      # still needed: bought again today


def test_a_draft_cancelled_before_it_was_sent_does_not_count_against_the_supplier(app, client, warehouse):
    from datetime import date, timedelta
    sup = warehouse["supervisor"]
    draft = client.post("/api/v1/purchase-orders", headers=sup, json={
        "supplier": "ACME", "lines": [{"product": "PAD", "qty": 30}],
        "promised_date": (date.today() - timedelta(days=3)).isoformat()}).json
    assert client.post(f"/api/v1/purchase-orders/{draft['number']}/close", headers=sup,
                       json=event(reason="typed twice")).json["status"] == "cancelled"
    acme = {s["supplier"]: s for s in client.get("/api/v1/analytics/suppliers", headers=sup).json}.get("ACME")
    reliability = (acme or {}).get("reliability") or {}
    assert not reliability.get("overdue_lines") and reliability.get("otif") is None, reliability


def test_a_held_receipt_scanned_before_the_close_is_booked_when_accepted(app, client, warehouse, scanner, shelf):
    import time
    sup, op = warehouse["supervisor"], warehouse["operator"]
    scanned = scanner.body(EAN, "receive", order=shelf)                   # after 'ordered', before the close
    time.sleep(0.05)
    assert client.post(f"/api/v1/purchase-orders/{shelf}/close", headers=sup,
                       json=event(reason="nothing more")).json["status"] == "cancelled"
    assert client.post("/api/v1/scans/batch", json={"scans": [scanned]}, headers=op).json["results"][0]["status"] == 202
    decided = client.post(f"/api/v1/scans/{scanned['client_event_id']}/decision", json={"accept": True}, headers=sup)
    assert decided.status_code == 201, decided.json
    after = po(client, sup, shelf)
    assert after["status"] == "closed" and after["lines"][0]["received"] == 1
    assert scanner.scan(EAN, "receive", order=shelf)[0] == 409            # a new scan is still refused


def test_a_split_pick_refused_for_reservations_tells_what_the_order_may_take(app, client, warehouse, scanner):
    """EARLY 8 + no-lot 6 in A-01; another order holds 3, ours 11. A carton of 12 is refused (right), but the
    refusal is the second part's: 'Only 3 may be picked' when the order may take 11."""
    from tests.flows.conftest import CARTON
    sup = warehouse["supervisor"]
    for body in (event(product="PAD", location="A-01", qty=6, reason="count"),
                 event(product="PAD", location="A-01", qty=8, lot="EARLY", expiry="2030-06-30", reason="count")):
        assert client.post("/api/v1/adjustments", headers=sup, json=body).status_code == 201
    client.post("/api/v1/sales-orders", headers=sup,
                json=event(customer="GARAGE", lines=[{"product": "PAD", "qty": 3}]))
    so = client.post("/api/v1/sales-orders", headers=sup,
                     json=event(customer="GARAGE", lines=[{"product": "PAD", "qty": 13}])).json
    assert so["lines"][0]["reserved"] == 11
    status, answer = scanner.scan(CARTON, "pick", order=so["number"], bin="A-01")
    assert status == 409 and answer["error"]["code"] == "reserved_for_others"
    assert answer["error"]["details"]["allowed"] == "11", answer["error"]
