"""Shipping an order with lines not fully picked closes it: the units left behind are never silently lost.

The scan is held for a supervisor; accepted, what is left is recorded short and the rest ships; rejected,
nothing moves and the order can still be picked to the end."""
from tests.conftest import event
from tests.flows.conftest import EAN, OTHER_EAN, stock


def _order(client, sup, scanner):
    """An order of 5 pads and 3 wiper blades; 5 pads picked, 1 blade of 3."""
    client.post("/api/v1/adjustments", json=event(product="WIPER", location="B-01", qty=10, reason="open"),
                headers=sup)
    so = client.post("/api/v1/sales-orders", headers=sup, json=event(
        customer="GARAGE", lines=[{"product": "PAD", "qty": 5}, {"product": "WIPER", "qty": 3}])).json
    assert scanner.scan(EAN, "pick", order=so["number"], bin="A-01", qty=5)[0] == 201
    assert scanner.scan(OTHER_EAN, "pick", order=so["number"], bin="B-01")[0] == 201
    return so


def _lines(client, headers, number):
    detail = client.get(f"/api/v1/sales-orders/{number}", headers=headers).json
    return detail["status"], {ln["sku"]: (ln["picked"], ln["short"], ln["reserved"]) for ln in detail["lines"]}


def test_a_partly_picked_order_is_held_not_shipped(client, warehouse, scanner, shelf):
    sup = warehouse["supervisor"]
    so = _order(client, sup, scanner)
    status, body = scanner.scan(so["label"], "ship")
    assert status == 202 and body["outcome"] == "pending", body
    assert body["error"]["code"] == "not_all_picked"
    assert "2 × Wiper blade" in body["message"] and "supervisor" in body["message"]
    assert body["error"]["details"]["lines"] == [{"line_id": so["lines"][1]["line_id"], "sku": "WIPER", "left": 2}]
    # Nothing left the dispatch area; the blades still missing stay reserved.
    assert stock(client, sup)[("DISPATCH", "")] == 5 and stock(client, sup, "WIPER")[("DISPATCH", "")] == 1
    assert _lines(client, sup, so["number"]) == ("picked", {"PAD": (5, 0, 0), "WIPER": (1, 0, 2)})


def test_accepted_the_rest_is_recorded_short_and_the_order_ships(client, warehouse, scanner, shelf):
    sup = warehouse["supervisor"]
    so = _order(client, sup, scanner)
    held = scanner.scan(so["label"], "ship")[1]
    res = client.post(f"/api/v1/scans/{held['client_event_id']}/decision", json={"accept": True}, headers=sup)
    assert res.status_code == 201 and res.json["outcome"] == "applied", res.json
    assert "2 short" in res.json["message"]
    assert _lines(client, sup, so["number"]) == ("shipped", {"PAD": (5, 0, 0), "WIPER": (1, 2, 0)})
    assert ("DISPATCH", "") not in stock(client, sup) and ("DISPATCH", "") not in stock(client, sup, "WIPER")
    notes = [e.get("note") for e in client.get(f"/api/v1/sales-orders/{so['number']}", headers=sup).json["events"]]
    assert any(n and n.startswith("short 2") for n in notes)


def test_rejected_nothing_moves_and_the_order_can_be_finished(client, warehouse, scanner, shelf):
    sup = warehouse["supervisor"]
    so = _order(client, sup, scanner)
    held = scanner.scan(so["label"], "ship")[1]
    res = client.post(f"/api/v1/scans/{held['client_event_id']}/decision", json={"accept": False}, headers=sup)
    assert res.status_code == 200 and res.json["outcome"] == "rejected"
    assert _lines(client, sup, so["number"]) == ("picked", {"PAD": (5, 0, 0), "WIPER": (1, 0, 2)})
    assert scanner.scan(OTHER_EAN, "pick", order=so["number"], bin="B-01", qty=2)[0] == 201
    status, body = scanner.scan(so["label"], "ship")
    assert status == 201 and body["status"] == "shipped" and body["units"] == 8, body
    assert _lines(client, sup, so["number"]) == ("shipped", {"PAD": (5, 0, 0), "WIPER": (3, 0, 0)})


def test_a_line_recorded_short_does_not_hold_the_shipment(client, warehouse, scanner, shelf):
    sup = warehouse["supervisor"]
    so = _order(client, sup, scanner)
    line = so["lines"][1]["line_id"]
    res = client.post(f"/api/v1/sales-orders/{so['number']}/lines/{line}/short", headers=sup,
                      json=event(qty=2, reason="shelf empty"))
    assert res.status_code == 200, res.json
    status, body = scanner.scan(so["label"], "ship")
    assert status == 201 and body["units"] == 6 and "short" not in body["message"], body


def test_an_order_with_nothing_picked_is_refused_not_held(client, warehouse, scanner, shelf):
    so = client.post("/api/v1/sales-orders", headers=warehouse["supervisor"],
                     json=event(customer="GARAGE", lines=[{"product": "PAD", "qty": 5}])).json
    status, body = scanner.scan(so["label"], "ship")
    assert status == 409 and body["error"]["code"] == "nothing_to_ship", body


def test_a_short_is_whole_for_a_product_counted_in_pieces_and_refused_once_shipped(client, warehouse, scanner, shelf):
    sup = warehouse["supervisor"]
    so = _order(client, sup, scanner)
    line = so["lines"][1]["line_id"]
    half = client.post(f"/api/v1/sales-orders/{so['number']}/lines/{line}/short", headers=sup,
                       json=event(qty=0.5, reason="half a blade"))
    assert half.status_code == 422 and half.json["error"]["code"] == "whole_units_required"
    held = scanner.scan(so["label"], "ship")[1]
    assert client.post(f"/api/v1/scans/{held['client_event_id']}/decision", json={"accept": True},
                       headers=sup).status_code == 201
    late = client.post(f"/api/v1/sales-orders/{so['number']}/lines/{line}/short", headers=sup,
                       json=event(qty=1, reason="shelf empty"))
    assert late.status_code == 409 and late.json["error"]["code"] == "order_closed"
    assert _lines(client, sup, so["number"]) == ("shipped", {"PAD": (5, 0, 0), "WIPER": (1, 2, 0)})


def test_the_french_message_agrees_with_how_many_units_are_not_picked(client, warehouse, scanner, shelf):
    sup = warehouse["supervisor"]
    so = _order(client, sup, scanner)  # 2 blades left
    fr = {**scanner.headers, "Accept-Language": "fr"}
    body = client.post("/api/v1/scans", json=scanner.body(so["label"], "ship"), headers=fr).json
    assert "pas encore prélevés : 2 × Wiper blade" in body["message"], body
    # One unit left: singular (the first hold rejected: one shipment of an order waits at a time).
    client.post(f"/api/v1/scans/{body['client_event_id']}/decision", json={"accept": False}, headers=sup)
    assert scanner.scan(OTHER_EAN, "pick", order=so["number"], bin="B-01")[0] == 201
    body = client.post("/api/v1/scans", json=scanner.body(so["label"], "ship"), headers=fr).json
    assert "pas encore prélevé : 1 × Wiper blade" in body["message"], body


def test_a_line_nothing_holds_is_listed_last_without_a_bin(client, warehouse, scanner, shelf):
    """The pick list's stop for what no bin holds has no bin: the phone says it is not in stock (not "go to ")."""
    sup = warehouse["supervisor"]
    so = client.post("/api/v1/sales-orders", headers=sup, json=event(
        customer="GARAGE", lines=[{"product": "WIPER", "qty": 3}, {"product": "PAD", "qty": 2}])).json
    path = f"/api/v1/sales-orders/{so['number']}/pick-list"
    stops = client.get(path, headers=scanner.headers).json["lines"]
    assert [(s["sku"], s["bin"], s["qty"]) for s in stops] == [("PAD", "A-01", 2), ("WIPER", None, 3)]
    assert scanner.scan(EAN, "pick", order=so["number"], bin="A-01", qty=2)[0] == 201
    stops = client.get(path, headers=scanner.headers).json["lines"]
    assert [(s["sku"], s["bin"], s["qty"]) for s in stops] == [("WIPER", None, 3)]
