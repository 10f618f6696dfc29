"""A customer cancels an order already (partly) picked: the goods go back from dispatch to the shelves by new
movements (the picks stay in the ledger), reservations and demand go, and nothing more happens on the order.
A shipped order cannot be cancelled. Races with picks, shipments and other cancels: on SQLite the write lock makes
writers take turns; the interleaved ones need PostgreSQL (TENDU_TEST_DATABASE_URL)."""
import threading
import time
from datetime import date

from sqlalchemy import func, select

from server.extensions import db
from server.models import Movement, MovementKind
from server.queries import planning
from server.services import sales as sales_service
from server.services.scans import picking as picking_scan
from tests.conftest import event, fingerprint
from tests.flows.conftest import EAN, OTHER_EAN, Scanner, stock
from tests.flows.histories import NOW
from tests.flows.test_closing_races import pg_only
from tests.flows.test_two_at_once import together


def order(client, headers, *lines):
    return client.post("/api/v1/sales-orders", headers=headers, json=event(
        customer="GARAGE", lines=[{"product": sku, "qty": qty} for sku, qty in lines])).json


def cancel(client, headers, number, body=None, **fields):
    return client.post(f"/api/v1/sales-orders/{number}/cancel", headers=headers,
                       json=body or event(reason="the customer called", **fields))


def add(client, headers, sku, where, qty, **lot):
    assert client.post("/api/v1/adjustments", headers=headers, json=event(
        product=sku, location=where, qty=qty, reason="shelf", **lot)).status_code == 201


def movements(app, kind):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Movement).where(Movement.kind == int(kind)))


def without_scan_records(state: dict) -> dict:
    """A refused scan is kept (the device learns why), and a refused request is audited: the rest must not move."""
    return {k: v for k, v in state.items() if k not in ("scan_events", "audit_log")}


def ledger_is_consistent(app):
    result = app.test_cli_runner().invoke(args=["ledger", "check"])
    assert result.exit_code == 0, result.output


def test_a_picked_order_cancelled_puts_each_part_back_where_it_was_picked(app, client, warehouse, shelf, scanner):
    sup = warehouse["supervisor"]
    add(client, sup, "PAD", "B-01", 5)
    add(client, sup, "WIPER", "B-01", 6, lot="W1", expiry="2030-01-31")
    so = order(client, sup, ("PAD", 8), ("WIPER", 3))
    assert scanner.scan(EAN, "pick", order=so["number"], bin="A-01", qty=3)[0] == 201
    assert scanner.scan(EAN, "pick", order=so["number"], bin="B-01", qty=2)[0] == 201    # 5 of 8 picked
    assert scanner.scan(OTHER_EAN, "pick", order=so["number"], bin="B-01", qty=3)[0] == 201
    assert stock(client, sup)[("DISPATCH", "")] == 5 and stock(client, sup, "WIPER")[("DISPATCH", "W1")] == 3
    picks = movements(app, MovementKind.PICK)

    assert cancel(client, warehouse["operator"], so["number"]).status_code == 403     # a supervisor's decision
    body = event(reason="the customer bought elsewhere")
    cancelled = cancel(client, sup, so["number"], body)
    assert cancelled.status_code == 200, cancelled.json
    assert cancelled.json["status"] == "cancelled" and cancelled.json["events"][-1]["note"] == body["reason"]
    lines = {ln["sku"]: ln for ln in cancelled.json["lines"]}
    assert (lines["PAD"]["picked"], lines["PAD"]["put_back"], lines["PAD"]["reserved"]) == (5, 5, 0)
    assert (lines["WIPER"]["picked"], lines["WIPER"]["put_back"], lines["WIPER"]["reserved"]) == (3, 3, 0)
    pads = stock(client, sup)
    assert (pads[("A-01", "")], pads[("B-01", "")], pads.get(("DISPATCH", ""), 0)) == (40, 5, 0)
    wipers = stock(client, sup, "WIPER")
    assert (wipers[("B-01", "W1")], wipers.get(("DISPATCH", "W1"), 0)) == (6, 0)
    levels = client.get("/api/v1/stock?product=WIPER&location=B-01", headers=sup).json["items"]
    assert levels[0]["expiry"] == "2030-01-31"                                          # the lot keeps its date
    # the picks stay; each part comes back by a movement of its order line, from dispatch to its bin
    assert movements(app, MovementKind.PICK) == picks
    back = [m for m in client.get("/api/v1/movements?limit=1000", headers=sup).json["items"] if m["kind"] == "put_back"]
    assert sorted((m["sku"], m["from_location"], m["to_location"], m["qty"], m["lot"]) for m in back) == [
        ("PAD", "DISPATCH", "A-01", 3, None), ("PAD", "DISPATCH", "B-01", 2, None),
        ("WIPER", "DISPATCH", "B-01", 3, "W1")]
    assert {m["so_line_id"] for m in back} == {ln["line_id"] for ln in cancelled.json["lines"]}
    assert all(m["kind_code"] == 31 and m["reason"] == body["reason"] for m in back)
    lookup = client.get(f"/api/v1/lookup?code={EAN}", headers=sup).json["stock"]
    assert lookup["reserved"] == 0 and lookup["on_hand"] == 45
    ledger_is_consistent(app)

    with app.app_context():
        before = without_scan_records(fingerprint())
    assert cancel(client, sup, so["number"], body).status_code == 200                  # a replay: nothing again
    again = cancel(client, sup, so["number"])
    assert again.status_code == 409 and again.json["error"]["code"] == "order_closed"
    # nothing more happens on it: no pick, no shipment
    status, refused = scanner.scan(EAN, "pick", order=so["number"], bin="A-01")
    assert status == 409 and refused["error"]["code"] == "order_closed"
    status, refused = scanner.scan(so["label"], "ship")
    assert status == 409 and refused["error"]["code"] == "order_closed"
    with app.app_context():
        assert without_scan_records(fingerprint()) == before
        today = NOW.date()
        history = planning.demand_history(planning.active_products(), date.fromordinal(today.toordinal() + 1))
        assert history.sum() == 0                                                        # no longer demand


def test_the_supervisor_may_name_one_bin_for_everything_picked(app, client, warehouse, shelf, scanner):
    sup = warehouse["supervisor"]
    so = order(client, sup, ("PAD", 4))
    assert scanner.scan(EAN, "pick", order=so["number"], bin="A-01", qty=4)[0] == 201
    cancelled = cancel(client, sup, so["number"], put_back_to="B-01")
    assert cancelled.status_code == 200, cancelled.json
    pads = stock(client, sup)
    assert (pads[("A-01", "")], pads[("B-01", "")], pads.get(("DISPATCH", ""), 0)) == (36, 4, 0)
    ledger_is_consistent(app)


def test_goods_picked_from_a_bin_no_longer_in_use_wait_for_a_bin_to_be_named(app, client, warehouse, shelf, scanner):
    sup = warehouse["supervisor"]
    so = order(client, sup, ("PAD", 2))
    assert scanner.scan(EAN, "pick", order=so["number"], bin="A-01", qty=2)[0] == 201
    assert client.patch("/api/v1/locations/A-01", headers=sup, json={"active": False}).status_code == 200
    with app.app_context():
        before = fingerprint()
    refused = cancel(client, sup, so["number"])
    assert refused.status_code == 409, refused.json
    assert refused.json["error"]["code"] == "put_back_location_required"
    assert refused.json["error"]["field"] == "put_back_to" and "PAD" in refused.json["error"]["message"]
    with app.app_context():
        assert fingerprint() == before
    assert cancel(client, sup, so["number"], put_back_to="B-01").status_code == 200
    assert stock(client, sup)[("B-01", "")] == 2


def test_a_bad_place_to_put_back_or_a_shipped_order_changes_nothing(app, client, warehouse, shelf, scanner):
    sup = warehouse["supervisor"]
    so = order(client, sup, ("PAD", 2))
    assert scanner.scan(EAN, "pick", order=so["number"], bin="A-01", qty=2)[0] == 201
    assert client.post("/api/v1/locations", headers=sup, json={"code": "OLD", "active": False}).status_code == 201
    with app.app_context():
        before = fingerprint()
    for place, status, code in (("Z-99", 422, "unknown_location"), ("DOCK", 409, "not_a_bin"),
                                ("DISPATCH", 409, "not_a_bin"), ("OLD", 409, "not_a_bin"),
                                ("bad code!", 422, None)):
        refused = cancel(client, sup, so["number"], put_back_to=place)
        assert refused.status_code == status, (place, refused.json)
        assert code is None or refused.json["error"]["code"] == code, (place, refused.json)
        assert refused.json["error"]["message"]
    with app.app_context():
        assert fingerprint() == before
    # goods moved out of dispatch by hand: the put-back would take what is not there; refused, nothing changed
    assert client.post("/api/v1/transfers", headers=sup, json=event(
        product="PAD", from_location="DISPATCH", to_location="B-01", qty=2)).status_code == 201
    with app.app_context():
        moved = fingerprint()
    refused = cancel(client, sup, so["number"])
    assert refused.status_code == 409 and refused.json["error"]["code"] == "insufficient_stock"
    with app.app_context():
        assert fingerprint() == moved
    assert client.post("/api/v1/transfers", headers=sup, json=event(
        product="PAD", from_location="B-01", to_location="DISPATCH", qty=2)).status_code == 201
    # shipped, it is gone: a cancel is refused
    assert scanner.scan(so["label"], "ship")[0] == 201
    with app.app_context():
        shipped = fingerprint()
    refused = cancel(client, sup, so["number"])
    assert refused.status_code == 409 and refused.json["error"]["code"] == "order_closed"
    assert refused.json["error"]["details"]["status"] == "shipped"
    with app.app_context():
        assert fingerprint() == shipped


def test_two_cancels_at_once_put_the_goods_back_once(app, client, warehouse, shelf, scanner):
    sup = warehouse["supervisor"]
    for same_request in (False, True):
        so = order(client, sup, ("PAD", 3))
        assert scanner.scan(EAN, "pick", order=so["number"], bin="A-01", qty=3)[0] == 201
        shared = event(reason="the customer called")

        def work(c, barrier, _):
            body = shared if same_request else event(reason="the customer called")
            barrier.wait()
            return c.post(f"/api/v1/sales-orders/{so['number']}/cancel", headers=sup, json=body).status_code
        answers = sorted(together(app, work, range(2)))
        assert answers == ([200, 200] if same_request else [200, 409]), answers
        assert stock(client, sup)[("A-01", "")] == 40 and stock(client, sup).get(("DISPATCH", ""), 0) == 0
    assert movements(app, MovementKind.PUT_BACK) == 2
    ledger_is_consistent(app)


def test_a_shipment_and_a_cancel_at_once_one_wins_whole(app, client, warehouse, shelf, scanner):
    sup = warehouse["supervisor"]
    for _ in range(3):
        so = order(client, sup, ("PAD", 2))
        assert scanner.scan(EAN, "pick", order=so["number"], bin="A-01", qty=2)[0] == 201

        def work(c, barrier, what):
            ship = Scanner(c, sup).body(so["label"], "ship")
            barrier.wait()
            if what == "ship":
                return c.post("/api/v1/scans", json=ship, headers=sup).status_code
            return c.post(f"/api/v1/sales-orders/{so['number']}/cancel", headers=sup,
                          json=event(reason="the customer called")).status_code
        shipped, cancelled = together(app, work, ["ship", "cancel"])
        after = client.get(f"/api/v1/sales-orders/{so['number']}", headers=sup).json
        assert (shipped, cancelled) in ((201, 409), (409, 200)), (shipped, cancelled)
        assert after["status"] == ("shipped" if shipped == 201 else "cancelled")
        assert stock(client, sup).get(("DISPATCH", ""), 0) == 0
    ledger_is_consistent(app)


def test_a_pick_that_lands_while_its_order_is_cancelled_is_refused_or_put_back(app, client, warehouse, shelf,
                                                                               monkeypatch):
    """The cancel has read what is picked; a second pick of the order tries to land before the cancel commits. It
    must wait for the order's row: landing in between, it would stay in dispatch under a cancelled order."""
    pg_only(app)
    sup = warehouse["supervisor"]
    so = order(client, sup, ("PAD", 4))
    assert Scanner(client, sup).scan(EAN, "pick", order=so["number"], bin="A-01", qty=2)[0] == 201
    read, picked = threading.Event(), threading.Event()
    real = sales_service.in_dispatch

    def slow_read(s, o):
        found = real(s, o)
        read.set()
        picked.wait(3)
        return found
    monkeypatch.setattr(sales_service, "in_dispatch", slow_read)

    def work(c, barrier, what):
        barrier.wait()
        if what == "cancel":
            return c.post(f"/api/v1/sales-orders/{so['number']}/cancel", headers=sup,
                          json=event(reason="the customer called")).status_code
        read.wait(3)
        try:
            return Scanner(c, sup).scan(EAN, "pick", order=so["number"], bin="A-01", qty=2)[0]
        finally:
            picked.set()
    cancelled, second = together(app, work, ["cancel", "pick"])
    monkeypatch.undo()
    assert (cancelled, second) == (200, 409)
    assert stock(client, sup)[("A-01", "")] == 40 and stock(client, sup).get(("DISPATCH", ""), 0) == 0
    ledger_is_consistent(app)


def test_a_cancel_that_lands_while_a_pick_is_booked_puts_that_pick_back_too(app, client, warehouse, shelf,
                                                                            monkeypatch):
    pg_only(app)
    sup = warehouse["supervisor"]
    so = order(client, sup, ("PAD", 4))
    read = threading.Event()
    real = picking_scan.scanned_item

    def slow_item(s, scan, parsed):  # the pick holds the order's row; the cancel arrives now and waits for it
        found = real(s, scan, parsed)
        read.set()
        time.sleep(0.5)
        return found
    monkeypatch.setattr(picking_scan, "scanned_item", slow_item)

    def work(c, barrier, what):
        barrier.wait()
        if what == "pick":
            return Scanner(c, sup).scan(EAN, "pick", order=so["number"], bin="A-01", qty=3)[0]
        read.wait(3)
        return c.post(f"/api/v1/sales-orders/{so['number']}/cancel", headers=sup,
                      json=event(reason="the customer called")).status_code
    picked, cancelled = together(app, work, ["pick", "cancel"])
    monkeypatch.undo()
    assert (picked, cancelled) == (201, 200)
    after = client.get(f"/api/v1/sales-orders/{so['number']}", headers=sup).json
    assert after["status"] == "cancelled" and after["lines"][0]["put_back"] == 3
    assert stock(client, sup)[("A-01", "")] == 40 and stock(client, sup).get(("DISPATCH", ""), 0) == 0
    ledger_is_consistent(app)
