"""Orders that end before they are done: a purchase order the supplier will not complete, a customer's order
withdrawn. What is left stops counting (on order, reserved, demand) and nothing more can be booked on them."""
from sqlalchemy import select

from server.extensions import db
from server.models import SalesOrder
from server.queries import planning
from tests.conftest import event, fingerprint
from tests.flows.conftest import EAN
from tests.flows.histories import NOW, sale


def lookup(client, headers):
    return client.get(f"/api/v1/lookup?code={EAN}", headers=headers).json["stock"]


def close(client, headers, number, body=None):
    return client.post(f"/api/v1/purchase-orders/{number}/close", headers=headers,
                       json=body or event(reason="supplier discontinued the part"))


def test_a_purchase_order_closed_short_is_no_longer_on_order(app, client, warehouse, shelf, scanner):
    sup, op = warehouse["supervisor"], warehouse["operator"]
    assert lookup(client, op)["on_order"] == 24
    assert scanner.scan(EAN, "receive", order=shelf)[0] == 201                  # 1 of 24 arrives
    assert close(client, op, shelf).status_code == 403                         # a supervisor's decision
    body = event(reason="the rest will not come")
    closed = close(client, sup, shelf, body)
    assert closed.status_code == 200 and closed.json["status"] == "closed", closed.json
    assert closed.json["events"][-1]["kind"] == "closed"
    assert closed.json["events"][-1]["note"] == "the rest will not come"
    assert close(client, sup, shelf, body).status_code == 200                   # a replay
    again = close(client, sup, shelf)
    assert again.status_code == 409 and again.json["error"]["code"] == "order_closed"
    assert lookup(client, op)["on_order"] == 0
    # nothing more is received on it; what came is still put away against its line, and it stays closed
    status, refused = scanner.scan(EAN, "receive", order=shelf)
    assert status == 409 and refused["error"]["code"] == "order_closed"
    status, label = scanner.scan(f"TL:PO:{shelf}", "receive")      # said at the order's label already
    assert status == 409 and label["error"]["code"] == "order_closed" and "closed" in label["message"]
    assert scanner.scan(EAN, "put_away", bin="A-01")[0] == 201
    detail = client.get(f"/api/v1/purchase-orders/{shelf}", headers=sup).json
    assert detail["status"] == "closed" and detail["lines"][0]["received"] == 1


def test_a_purchase_order_closed_before_anything_came_is_cancelled_and_bought_again(app, client, warehouse):
    sup = warehouse["supervisor"]
    po = client.post("/api/v1/purchase-orders", headers=sup,
                     json={"supplier": "ACME", "lines": [{"product": "PAD", "qty": 30}]}).json
    sale(app, "GARAGE", [("PAD", 12)], NOW)                                      # nothing on the shelf
    with app.app_context():
        assert not [s for s in planning.suggestions(NOW.date()) if s["sku"] == "PAD"]   # the 30 cover it
    cancelled = close(client, sup, po["number"])
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    with app.app_context():
        again = {s["sku"]: s for s in planning.suggestions(NOW.date())}
    assert again["PAD"]["on_order"] == 0 and again["PAD"]["qty"] >= 12


def test_an_unknown_or_bad_close_changes_nothing(app, client, warehouse, shelf):
    sup = warehouse["supervisor"]
    with app.app_context():
        before = fingerprint()
    assert close(client, sup, "PO-999999").status_code == 404
    no_reason = client.post(f"/api/v1/purchase-orders/{shelf}/close", headers=sup, json=event(reason=""))
    assert no_reason.status_code == 422 and no_reason.json["error"]["field"] == "reason"
    assert client.post("/api/v1/sales-orders/SO-999999/cancel", headers=sup,
                       json=event(reason="x")).status_code == 404
    with app.app_context():
        assert fingerprint() == before


def test_a_sales_order_cancelled_before_picking_releases_its_reservation_and_its_demand(app, client, warehouse,
                                                                                         shelf, scanner):
    sup, op = warehouse["supervisor"], warehouse["operator"]
    so = client.post("/api/v1/sales-orders", headers=sup,
                     json=event(customer="GARAGE", lines=[{"product": "PAD", "qty": 15}])).json
    assert lookup(client, op)["reserved"] == 15
    assert client.post(f"/api/v1/sales-orders/{so['number']}/cancel", headers=op,
                       json=event(reason="customer called")).status_code == 403
    body = event(reason="customer called")
    cancelled = client.post(f"/api/v1/sales-orders/{so['number']}/cancel", headers=sup, json=body)
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert cancelled.json["lines"][0]["reserved"] == 0 and lookup(client, op)["reserved"] == 0
    assert client.post(f"/api/v1/sales-orders/{so['number']}/cancel", headers=sup, json=body).status_code == 200
    # nothing more happens on it
    status, refused = scanner.scan(EAN, "pick", order=so["number"], bin="A-01")
    assert status == 409
    listed = client.get(f"/api/v1/sales-orders/{so['number']}/pick-list", headers=op)    # no list to walk
    assert listed.status_code == 409 and listed.json["error"]["code"] == "order_closed"
    line = so["lines"][0]["line_id"]
    short = client.post(f"/api/v1/sales-orders/{so['number']}/lines/{line}/short", headers=op,
                        json=event(qty=1, reason="x"))
    assert short.status_code == 409 and short.json["error"]["code"] == "order_closed"
    # its 15 units are not demand
    with app.app_context():
        today = NOW.date()
        products = planning.active_products()
        history = planning.demand_history(products, today.fromordinal(today.toordinal() + 1))
        assert history.sum() == 0
        assert db.session.scalar(select(SalesOrder.status)) == "cancelled"
