"""The daily work end to end through the API: PO → reception → put-away → sales order → pick → ship."""
from sqlalchemy import func, select

from server.extensions import db
from server.models import Movement, PurchaseOrderEvent, ScanEvent
from tests.conftest import event, fingerprint
from tests.flows.conftest import CARTON, EAN, GS, OTHER_EAN


def levels(client, headers, sku="PAD"):
    items = client.get(f"/api/v1/stock?product={sku}", headers=headers).json["items"]
    return {(i["location"], i["lot"]): i["qty"] for i in items}


def test_full_flow(app, client, warehouse, scanner):
    sup, op = warehouse["supervisor"], warehouse["operator"]
    po = client.post("/api/v1/purchase-orders", headers=sup,
                     json={"supplier": "ACME", "lines": [{"product": "PAD", "qty": 24}]}).json
    number = po["number"]
    for kind, extra in (("ordered", {}), ("confirmed", {"promised_date": "2030-01-10"}), ("shipped", {}),
                        ("arrived", {})):
        res = client.post(f"/api/v1/purchase-orders/{number}/events", json=event(kind=kind, **extra), headers=sup)
        assert res.status_code == 201, res.json

    # Reception: the PO label, then a GS1-128 carton: GTIN of the carton, expiry, lot, and a count of 2 cartons.
    status, state = scanner.scan(po["label"], "receive")
    assert status == 200 and state["lines"][0]["received"] == 0
    gs1 = f"]C101{CARTON}17300630" + f"10LOT-7{GS}302"
    status, body = scanner.scan(gs1, "receive", order=number)
    assert status == 201, body
    assert (body["qty"], body["lot"], body["expiry"]) == (24, "LOT-7", "2030-06-30")
    assert body["lines"][0]["received"] == 24 and "24/24" in body["message"]
    assert levels(client, op) == {("DOCK", "LOT-7"): 24}

    # Put-away: scan the bin, then the carton (lot read from the code), then a single unit of the same lot.
    assert scanner.scan("TL:LOC:A-01", "put_away")[0] == 200
    status, body = scanner.scan(f"]C101{CARTON}10LOT-7", "put_away", bin="A-01")
    assert status == 201 and body["qty"] == 12, body
    assert levels(client, op) == {("DOCK", "LOT-7"): 12, ("A-01", "LOT-7"): 12}
    assert scanner.scan(f"]C101{CARTON}10LOT-7", "put_away", bin="A-01")[0] == 201
    assert levels(client, op) == {("A-01", "LOT-7"): 24}

    # Sales order: 5 reserved out of 24 available.
    so = client.post("/api/v1/sales-orders", headers=sup,
                     json=event(customer="GARAGE", lines=[{"product": "PAD", "qty": 5}])).json
    assert so["lines"][0]["reserved"] == 5
    stock = client.get(f"/api/v1/lookup?code={EAN}", headers=op).json["stock"]
    assert (stock["on_hand"], stock["reserved"], stock["available"]) == (24, 5, 19)

    # Pick: the order label, the bin, one wrong item (refused, nothing changes), then 5 units.
    status, plan = scanner.scan(so["label"], "pick")
    assert status == 200 and plan["lines"] == [{"line_id": so["lines"][0]["line_id"], "sku": "PAD",
                                                "name": "Brake pad", "bin": "A-01", "walk_order": 10,
                                                "lot": "LOT-7", "expiry": "2030-06-30", "qty": 5}]
    with app.app_context():
        before = fingerprint()
    status, refused = scanner.scan(OTHER_EAN, "pick", order=so["number"], bin="A-01")
    assert status == 409 and refused["outcome"] == "refused"
    assert refused["error"]["code"] == "not_on_order" and "put it back" in refused["message"]
    with app.app_context():
        after = fingerprint()
    assert after.pop("scan_events") == before.pop("scan_events") + 1 and after == before
    status, body = scanner.scan(EAN, "pick", order=so["number"], bin="A-01", qty=5)
    assert status == 201 and body["line"] == {"line_id": so["lines"][0]["line_id"], "ordered": 5, "picked": 5, "left": 0}
    assert levels(client, op) == {("A-01", "LOT-7"): 19, ("DISPATCH", "LOT-7"): 5}

    # Ship by the order's label.
    status, body = scanner.scan(so["label"], "ship")
    assert status == 201 and body["status"] == "shipped", body
    assert levels(client, op) == {("A-01", "LOT-7"): 19}
    detail = client.get(f"/api/v1/sales-orders/{so['number']}", headers=op).json
    assert [e["kind"] for e in detail["events"]] == ["ordered", "picked", "shipped"]
    assert detail["lines"][0]["reserved"] == 0

    with app.app_context():
        kinds = db.session.execute(select(Movement.kind, func.sum(Movement.qty)).group_by(Movement.kind)).all()
        events = db.session.scalars(select(PurchaseOrderEvent.kind).order_by(PurchaseOrderEvent.id)).all()
        scans = db.session.scalar(select(func.count(ScanEvent.id)))
    assert {k: int(q) for k, q in kinds} == {10: 24, 20: 24, 30: 5, 40: 5}
    assert events == ["ordered", "confirmed", "shipped", "arrived", "received", "put_away", "put_away"]
    assert scans == 9
    assert app.test_cli_runner().invoke(args=["ledger", "check"]).exit_code == 0
