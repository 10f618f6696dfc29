"""Two people doing the same thing at the same moment: one wins, the other is told why; nothing is done twice.

The races matter most on PostgreSQL (statements see each other's commits); on SQLite the write lock already
makes writers take turns. Both run them (TENDU_TEST_DATABASE_URL)."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from server.services import sales as sales_service
from tests.conftest import event
from tests.flows.conftest import CARTON, EAN, Scanner, stock


def order_of(client, headers, qty):
    return client.post("/api/v1/sales-orders", headers=headers,
                       json=event(customer="GARAGE", lines=[{"product": "PAD", "qty": qty}])).json


def together(app, work, arguments):
    """Each argument's request from its own client, released at the same instant."""
    barrier = threading.Barrier(len(arguments))

    def run(argument):
        with app.test_client() as client:
            return work(client, barrier, argument)
    with ThreadPoolExecutor(len(arguments)) as pool:
        return list(pool.map(run, arguments))


def test_two_devices_shipping_one_order_ship_it_once(app, client, warehouse, scanner, shelf):
    sup = warehouse["supervisor"]
    for _ in range(5):
        mine, other = order_of(client, sup, 1), order_of(client, sup, 1)
        assert scanner.scan(EAN, "pick", order=mine["number"], bin="A-01")[0] == 201
        assert scanner.scan(EAN, "pick", order=other["number"], bin="A-01")[0] == 201

        def ship(c, barrier, _):
            body = Scanner(c, sup).body(mine["label"], "ship")
            barrier.wait()
            return c.post("/api/v1/scans", json=body, headers=sup).status_code
        assert sorted(together(app, ship, range(2))) == [201, 409]
        # The other order's unit is still in dispatch, and ships.
        assert stock(client, sup)[("DISPATCH", "")] == 1
        assert scanner.scan(other["label"], "ship")[0] == 201


def test_a_pick_that_lands_while_its_order_ships_is_refused_or_shipped_never_stranded(app, client, warehouse, scanner,
                                                                                      shelf, monkeypatch):
    """Half picked, the order's shipment is held; a supervisor accepts it (ship, the rest short) while the rest is
    being picked."""
    sup = warehouse["supervisor"]
    order = order_of(client, sup, 4)
    assert scanner.scan(EAN, "pick", order=order["number"], bin="A-01", qty=2)[0] == 201
    status, held = scanner.scan(order["label"], "ship")
    assert status == 202 and held["error"]["code"] == "not_all_picked"
    read, picked = threading.Event(), threading.Event()
    real = sales_service.picked_not_shipped

    def slow_read(s, o):  # the shipment has read what is picked; the pick tries to land now
        found = real(s, o)
        read.set()
        picked.wait(3)
        return found
    monkeypatch.setattr(sales_service, "picked_not_shipped", slow_read)

    def work(c, barrier, what):
        barrier.wait()
        if what == "ship":
            return c.post(f"/api/v1/scans/{held['client_event_id']}/decision", json={"accept": True},
                          headers=sup).status_code
        read.wait(3)
        try:
            return Scanner(c, sup).scan(EAN, "pick", order=order["number"], bin="A-01", qty=2)[0]
        finally:
            picked.set()
    shipped, pick = together(app, work, ["ship", "pick"])
    monkeypatch.undo()
    assert shipped == 201 and pick in (201, 409)
    # Either the pick waited and was refused (the order had shipped, the rest short) or it went first and shipped
    # with the rest.
    assert stock(client, sup).get(("DISPATCH", ""), 0) == 0
    line = client.get(f"/api/v1/sales-orders/{order['number']}", headers=sup).json["lines"][0]
    assert (line["picked"], line["short"]) == ((2, 2) if pick == 409 else (4, 0))


def test_two_supervisors_deciding_one_held_scan_cannot_both_win(app, client, warehouse, scanner, shelf):
    sup = warehouse["supervisor"]
    assert scanner.scan(CARTON, "receive", order=shelf, qty=2)[0] == 201      # 24 of 24
    for decisions in ((True, False), (True, True), (False, False)):
        held = scanner.body(EAN, "receive", order=shelf, qty=3)                 # 27 > 24 × 1.05: held
        assert client.post("/api/v1/scans", json=held, headers=scanner.headers).status_code == 202
        dock = stock(client, sup)[("DOCK", "")]

        def decide(c, barrier, accept):
            barrier.wait()
            answer = c.post(f"/api/v1/scans/{held['client_event_id']}/decision", json={"accept": accept}, headers=sup)
            return answer.status_code, (answer.json.get("error") or {}).get("code"), accept
        answers = together(app, decide, decisions)
        winners = [a for a in answers if a[0] in (200, 201)]
        assert len(winners) == 1 and [a[1] for a in answers if a not in winners] == ["not_pending"], answers
        accepted = winners[0][2]
        stored = client.post("/api/v1/scans", json=held, headers=scanner.headers).json    # the replay tells
        assert stored["outcome"] == ("applied" if accepted else "rejected")
        assert stock(client, sup)[("DOCK", "")] == dock + (3 if accepted else 0)


def test_a_best_before_date_orders_the_lot_like_an_expiry(client, warehouse, scanner, shelf):
    status, body = scanner.scan("]C1" + "0104006381333931" + "15270331" + "10LOTBB", "receive", order=shelf)
    assert status == 201 and (body["lot"], body["expiry"]) == ("LOTBB", "2027-03-31")


def test_two_reversals_of_one_movement_at_once_reverse_it_once(app, client, warehouse, shelf):
    sup = warehouse["supervisor"]
    moved = client.get("/api/v1/movements?product=PAD", headers=sup).json["items"][-1]

    def reverse(c, barrier, _):
        body = event(reason="typed twice")
        barrier.wait()
        answer = c.post(f"/api/v1/movements/{moved['id']}/reversal", json=body, headers=sup)
        return answer.status_code, (answer.json.get("error") or {}).get("code")
    assert sorted(together(app, reverse, range(2))) == [(201, None), (409, "already_reversed")]
    assert stock(client, sup).get(("A-01", ""), 0) == 0


def test_a_short_typed_while_a_held_shipment_is_accepted_is_counted_once(app, client, warehouse, scanner, shelf,
                                                                          monkeypatch):
    """PostgreSQL: the short had read the line before the shipment locked the order, and wrote its total over the
    shipment's (one unit neither shipped nor short)."""
    sup = warehouse["supervisor"]
    order = order_of(client, sup, 4)
    line = order["lines"][0]["line_id"]
    assert scanner.scan(EAN, "pick", order=order["number"], bin="A-01", qty=2)[0] == 201
    status, held = scanner.scan(order["label"], "ship")
    assert status == 202
    in_ship = threading.Event()
    real = sales_service.book_short

    def slow_short(s, o, ln, qty, stamp, reason):
        if "supervisor" in reason:  # the shipment's own short, the order's row held: the typed one waits for it
            in_ship.set()
            time.sleep(0.5)
        return real(s, o, ln, qty, stamp, reason)
    monkeypatch.setattr(sales_service, "book_short", slow_short)

    def work(c, barrier, what):
        barrier.wait()
        if what == "ship":
            return c.post(f"/api/v1/scans/{held['client_event_id']}/decision", json={"accept": True},
                          headers=sup).status_code
        in_ship.wait(5)
        return c.post(f"/api/v1/sales-orders/{order['number']}/lines/{line}/short", headers=sup,
                      json=event(qty=1, reason="shelf empty")).status_code
    shipped, shorted = together(app, work, ["ship", "short"])
    monkeypatch.undo()
    detail = client.get(f"/api/v1/sales-orders/{order['number']}", headers=sup).json
    shorts = [e["note"] for e in detail["events"] if (e.get("note") or "").startswith("short")]
    assert shipped == 201 and shorted == 409 and len(shorts) == 1, (shipped, shorted, shorts)
    assert (detail["lines"][0]["picked"], detail["lines"][0]["short"]) == (2, 2)
