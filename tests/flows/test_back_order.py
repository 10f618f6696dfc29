"""A shipment that leaves lines behind may keep them on back-order: what was picked ships now, the order stays open
for the rest (still reserved, still demand the replenishment plan sees), ships again later, or its back-order is
closed short by a supervisor. A back-order never ends in a cancel: what left was sold."""
from tests.conftest import event
from tests.flows.conftest import EAN, OTHER_EAN, stock
from tests.flows.test_partial_shipment import _order as partly_picked_order


def _part_shipped(client, sup, scanner, *, rest="back_order"):
    """5 pads and 3 wiper blades ordered; 5 pads and 1 blade picked, shipped, the 2 blades left kept for later."""
    so = partly_picked_order(client, sup, scanner)
    status, held = scanner.scan(so["label"], "ship")
    assert status == 202 and "kept for later" in held["message"], held
    res = client.post(f"/api/v1/scans/{held['client_event_id']}/decision", json={"accept": True, "rest": rest},
                      headers=sup)
    assert res.status_code == 201, res.json
    return so, res.json


def _wipers_ordered(client, sup, qty: int, *, shelved: int = 10) -> dict:
    """``shelved`` wiper blades put in B-01, then an order for ``qty`` of them."""
    client.post("/api/v1/adjustments", json=event(product="WIPER", location="B-01", qty=shelved, reason="open"),
                headers=sup)
    return client.post("/api/v1/sales-orders", headers=sup, json=event(
        customer="GARAGE", lines=[{"product": "WIPER", "qty": qty}])).json


def _held_shipment(client, sup, scanner, qty: int = 3) -> tuple[dict, dict]:
    """An order of ``qty`` blades, one picked, its shipment held: (order, held scan)."""
    so = _wipers_ordered(client, sup, qty)
    scanner.scan(OTHER_EAN, "pick", order=so["number"], bin="B-01")
    status, held = scanner.scan(so["label"], "ship")
    assert status == 202, held
    return so, held


def _lines(client, headers, number):
    detail = client.get(f"/api/v1/sales-orders/{number}", headers=headers).json
    return detail["status"], {ln["sku"]: {k: ln[k] for k in ("picked", "shipped", "short", "reserved", "left")}
                              for ln in detail["lines"]}


def _listed(client, headers, number):
    found = [o for o in client.get("/api/v1/sales-orders?status=open&per_page=500", headers=headers).json["items"]
             if o["number"] == number]
    return found[0] if found else None


def test_what_is_picked_ships_and_the_rest_stays_open_reserved(client, warehouse, scanner, shelf):
    sup = warehouse["supervisor"]
    so, shipped = _part_shipped(client, sup, scanner)
    assert shipped["outcome"] == "applied" and shipped["status"] == "part_shipped", shipped
    assert shipped["units"] == 6 and shipped["back_order"] == 2
    assert "2 kept on back-order" in shipped["message"]
    assert _lines(client, sup, so["number"]) == ("part_shipped", {
        "PAD": {"picked": 5, "shipped": 5, "short": 0, "reserved": 0, "left": 0},
        "WIPER": {"picked": 1, "shipped": 1, "short": 0, "reserved": 2, "left": 2}})
    # The 6 units left the building; the 2 blades stay promised to this customer, not free for another.
    assert ("DISPATCH", "") not in stock(client, sup) and stock(client, sup, "WIPER") == {("B-01", ""): 9}
    other = client.post("/api/v1/sales-orders", headers=sup, json=event(
        customer="GARAGE", lines=[{"product": "WIPER", "qty": 9}])).json
    assert other["lines"][0]["reserved"] == 7
    # Still open: listed to pick (2 left) but not to ship (nothing waits in dispatch).
    listed = _listed(client, sup, so["number"])
    assert listed["status"] == "part_shipped" and listed["left"] == 2 and listed["to_ship"] == 0
    notes = [e["note"] for e in client.get(f"/api/v1/sales-orders/{so['number']}", headers=sup).json["events"]
             if e["kind"] == "shipped"]
    assert notes == ["back-order: 2 WIPER"]


def test_the_back_order_is_picked_and_shipped_later_and_the_order_ends_shipped(client, warehouse, scanner, shelf):
    sup = warehouse["supervisor"]
    so, _ = _part_shipped(client, sup, scanner)
    assert scanner.scan(OTHER_EAN, "pick", order=so["number"], bin="B-01", qty=2)[0] == 201
    # A pick does not move the order back to 'picked': it is still an order shipped in part.
    assert _listed(client, sup, so["number"])["status"] == "part_shipped"
    assert _listed(client, sup, so["number"])["to_ship"] == 2
    status, body = scanner.scan(so["label"], "ship")
    assert status == 201 and body["status"] == "shipped" and body["units"] == 2 and body["back_order"] == 0, body
    assert _lines(client, sup, so["number"])[1]["WIPER"] == {"picked": 3, "shipped": 3, "short": 0, "reserved": 0,
                                                            "left": 0}
    assert _listed(client, sup, so["number"]) is None
    assert scanner.scan(OTHER_EAN, "pick", order=so["number"], bin="B-01")[1]["error"]["code"] == "order_closed"


def test_a_second_partial_shipment_is_held_again(client, warehouse, scanner, shelf):
    sup = warehouse["supervisor"]
    so = _wipers_ordered(client, sup, 5)
    for done in (1, 3):   # 1 shipped, 4 kept; 2 more shipped, 2 kept
        assert scanner.scan(OTHER_EAN, "pick", order=so["number"], bin="B-01", qty=done - (done > 1))[0] == 201
        status, held = scanner.scan(so["label"], "ship")
        assert status == 202 and held["error"]["code"] == "not_all_picked", held
        decided = client.post(f"/api/v1/scans/{held['client_event_id']}/decision", headers=sup,
                              json={"accept": True, "rest": "back_order"}).json
        assert decided["status"] == "part_shipped" and decided["back_order"] == 5 - done, decided
    assert _lines(client, sup, so["number"])[1]["WIPER"] == {"picked": 3, "shipped": 3, "short": 0, "reserved": 2,
                                                            "left": 2}


def test_accepted_without_a_choice_the_rest_is_recorded_short_as_before(client, warehouse, scanner, shelf):
    sup = warehouse["supervisor"]
    so, shipped = _part_shipped(client, sup, scanner, rest="short")
    assert shipped["status"] == "shipped" and "2 short" in shipped["message"]
    assert _lines(client, sup, so["number"])[1]["WIPER"]["short"] == 2


def test_a_back_order_is_closed_short_by_a_supervisor(client, warehouse, scanner, shelf):
    sup, op = warehouse["supervisor"], warehouse["operator"]
    so, _ = _part_shipped(client, sup, scanner)
    path = f"/api/v1/sales-orders/{so['number']}/close"
    assert client.post(path, json=event(reason="customer found it elsewhere"), headers=op).status_code == 403
    body = event(reason="customer found it elsewhere")
    res = client.post(path, json=body, headers=sup)
    assert res.status_code == 200 and res.json["status"] == "closed", res.json
    assert _lines(client, sup, so["number"])[1]["WIPER"] == {"picked": 1, "shipped": 1, "short": 2, "reserved": 0,
                                                            "left": 0}
    assert client.post(path, json=body, headers=sup).status_code == 200   # a replay changes nothing
    assert _lines(client, sup, so["number"])[1]["WIPER"]["short"] == 2
    assert _listed(client, sup, so["number"]) is None
    again = client.post(path, json=event(reason="twice"), headers={**sup, "Accept-Language": "fr"})
    assert again.status_code == 409 and again.json["error"]["code"] == "order_closed"
    assert "est déjà close" in again.json["error"]["message"]


def test_a_part_shipped_order_is_not_cancelled_and_picked_goods_are_shipped_before_closing(
        client, warehouse, scanner, shelf):
    sup = warehouse["supervisor"]
    so, _ = _part_shipped(client, sup, scanner)
    before = _lines(client, sup, so["number"])
    cancel = client.post(f"/api/v1/sales-orders/{so['number']}/cancel", json=event(reason="no"),
                         headers={**sup, "Accept-Language": "fr"})
    assert cancel.status_code == 409 and cancel.json["error"]["code"] == "order_part_shipped", cancel.json
    assert "reliquat" in cancel.json["error"]["message"]
    assert _lines(client, sup, so["number"]) == before
    assert scanner.scan(OTHER_EAN, "pick", order=so["number"], bin="B-01")[0] == 201
    close = client.post(f"/api/v1/sales-orders/{so['number']}/close", json=event(reason="enough"), headers=sup)
    assert close.status_code == 409 and close.json["error"]["code"] == "picked_waiting", close.json
    assert _lines(client, sup, so["number"])[1]["WIPER"]["short"] == 0


def test_an_order_not_shipped_in_part_has_no_back_order_to_close(client, warehouse, scanner, shelf):
    sup = warehouse["supervisor"]
    so = client.post("/api/v1/sales-orders", headers=sup,
                     json=event(customer="GARAGE", lines=[{"product": "PAD", "qty": 5}])).json
    res = client.post(f"/api/v1/sales-orders/{so['number']}/close", json=event(reason="x"), headers=sup)
    assert res.status_code == 409 and res.json["error"]["code"] == "no_back_order"
    assert _lines(client, sup, so["number"])[0] == "ordered"


def test_a_back_order_out_of_stock_is_demand_the_plan_orders_for(client, warehouse, scanner, shelf):
    """A part with no stock, kept on back-order: the plan lists it with the customer's demand uncovered."""
    sup = warehouse["supervisor"]
    assert client.post("/api/v1/products", headers=sup, json={"sku": "GASKET", "name": "Gasket", "unit_cost": 2,
                                                              "supplier": "ACME"}).status_code == 201
    so = client.post("/api/v1/sales-orders", headers=sup, json=event(
        customer="GARAGE", lines=[{"product": "PAD", "qty": 5}, {"product": "GASKET", "qty": 4}])).json
    assert scanner.scan(EAN, "pick", order=so["number"], bin="A-01", qty=5)[0] == 201
    held = scanner.scan(so["label"], "ship")[1]
    client.post(f"/api/v1/scans/{held['client_event_id']}/decision", json={"accept": True, "rest": "back_order"},
                headers=sup)
    plan = {r["sku"]: r for r in client.get("/api/v1/replenishment", headers=sup).json["items"]}
    assert plan["GASKET"]["unreserved_demand"] == 4 and plan["GASKET"]["qty"] >= 4, plan.get("GASKET")


def test_a_decision_names_no_other_rest(client, warehouse, scanner, shelf):
    sup = warehouse["supervisor"]
    so, held = _held_shipment(client, sup, scanner)
    res = client.post(f"/api/v1/scans/{held['client_event_id']}/decision", json={"accept": True, "rest": "later"},
                      headers=sup)
    assert res.status_code == 422
    assert _lines(client, sup, so["number"])[0] == "picked"


def test_goods_put_away_go_to_the_back_order_before_a_newer_order(client, warehouse, scanner, shelf):
    """40 pads on the shelf, 50 ordered: 40 ship, 10 kept. The 24 of the purchase order, once put away, are the
    back-order's first (10), a newer order gets the 14 left; the back-order closed, its 10 go to the newer one."""
    sup = warehouse["supervisor"]
    first = client.post("/api/v1/sales-orders", headers=sup, json=event(
        customer="GARAGE", lines=[{"product": "PAD", "qty": 50}])).json
    assert scanner.scan(EAN, "pick", order=first["number"], bin="A-01", qty=40)[0] == 201
    held = scanner.scan(first["label"], "ship")[1]
    client.post(f"/api/v1/scans/{held['client_event_id']}/decision", json={"accept": True, "rest": "back_order"},
                headers=sup)
    assert _lines(client, sup, first["number"])[1]["PAD"]["reserved"] == 0          # nothing on the shelves
    assert scanner.scan(EAN, "receive", order=shelf, qty=24)[0] == 201
    assert _lines(client, sup, first["number"])[1]["PAD"]["reserved"] == 0          # at the dock: not pickable yet
    assert scanner.scan(EAN, "put_away", bin="A-01", qty=24)[0] == 201
    assert _lines(client, sup, first["number"])[1]["PAD"]["reserved"] == 10
    newer = client.post("/api/v1/sales-orders", headers=sup, json=event(
        customer="GARAGE", lines=[{"product": "PAD", "qty": 20}])).json
    assert newer["lines"][0]["reserved"] == 14
    client.post(f"/api/v1/sales-orders/{first['number']}/close", json=event(reason="no longer needed"), headers=sup)
    assert _lines(client, sup, newer["number"])[1]["PAD"]["reserved"] == 20


def test_an_order_taken_short_is_served_by_the_next_count_before_a_newer_order(client, warehouse, scanner, shelf):
    """The same for an order taken when the shelf was short (no shipment yet): stock found by an adjustment is its."""
    sup = warehouse["supervisor"]
    older = client.post("/api/v1/sales-orders", headers=sup, json=event(
        customer="GARAGE", lines=[{"product": "WIPER", "qty": 3}])).json
    assert older["lines"][0]["reserved"] == 0
    client.post("/api/v1/adjustments", json=event(product="WIPER", location="B-01", qty=5, reason="found"),
                headers=sup)
    assert _lines(client, sup, older["number"])[1]["WIPER"]["reserved"] == 3
    newer = client.post("/api/v1/sales-orders", headers=sup, json=event(
        customer="GARAGE", lines=[{"product": "WIPER", "qty": 3}])).json
    assert newer["lines"][0]["reserved"] == 2
    client.post(f"/api/v1/sales-orders/{older['number']}/cancel", json=event(reason="withdrawn"), headers=sup)
    assert _lines(client, sup, newer["number"])[1]["WIPER"]["reserved"] == 3


def test_a_second_ship_scan_while_one_waits_is_refused_not_held_twice(client, warehouse, scanner, shelf):
    sup = warehouse["supervisor"]
    so, _ = _held_shipment(client, sup, scanner)
    status, again = scanner.scan(so["label"], "ship")
    assert status == 409 and again["error"]["code"] == "shipment_waiting", again
    pending = client.get("/api/v1/scans?outcome=pending", headers=sup).json
    assert [p["action"] for p in pending] == ["ship"]


def test_a_look_up_of_an_order_shipped_in_part_says_what_shipped_and_what_is_still_owed(
        client, warehouse, scanner, shelf):
    so, _ = _part_shipped(client, warehouse["supervisor"], scanner)
    found = client.get(f"/api/v1/lookup?code={so['label']}", headers=scanner.headers).json
    assert found["kind"] == "sales_order" and found["order"]["status"] == "part_shipped"
    assert {ln["sku"]: {k: ln[k] for k in ("ordered", "picked", "short", "shipped", "left")}
            for ln in found["lines"]} == {
        "PAD": {"ordered": 5, "picked": 5, "short": 0, "shipped": 5, "left": 0},
        "WIPER": {"ordered": 3, "picked": 1, "short": 0, "shipped": 1, "left": 2}}
    # The number typed by hand answers the same.
    typed = client.get(f"/api/v1/lookup?code={so['number']}", headers=scanner.headers).json
    assert typed["lines"] == found["lines"]


def test_the_operator_reads_what_the_supervisor_decided_for_the_rest(client, warehouse, scanner, shelf):
    so, shipped = _part_shipped(client, warehouse["supervisor"], scanner)
    rows = client.get("/api/v1/scans?mine=true&decided=true", headers=scanner.headers).json
    decided = [row for row in rows if row["action"] == "ship"]
    assert len(decided) == 1 and decided[0]["outcome"] == "applied"
    assert decided[0]["message"] == shipped["message"] and "2 kept on back-order" in decided[0]["message"]
    fr = client.get("/api/v1/scans?mine=true&decided=true",
                    headers={**scanner.headers, "Accept-Language": "fr"}).json
    assert "2 en reliquat" in [row for row in fr if row["action"] == "ship"][0]["message"]
