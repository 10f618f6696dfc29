"""Order endpoints: lifecycle events in and out of order, replays, listings."""
from datetime import datetime, timedelta, timezone

from tests.conftest import event


def at(days):
    return (datetime.now(timezone.utc) - timedelta(days=10 - days)).isoformat()


def test_purchase_order_lifecycle(client, warehouse):
    sup, op = warehouse["supervisor"], warehouse["operator"]
    po = client.post("/api/v1/purchase-orders", headers=sup,
                     json={"supplier": "ACME", "lines": [{"product": "PAD", "qty": 10, "unit_cost": 9.5}]})
    assert po.status_code == 201 and po.json["status"] == "draft" and po.json["label"].startswith("TL:PO:")
    url = f"/api/v1/purchase-orders/{po.json['number']}/events"
    ordered = event(kind="ordered", occurred_at=at(0))
    assert client.post(url, json=ordered, headers=op).status_code == 201
    assert client.post(url, json=ordered, headers=op).status_code == 200           # replay
    arrived = client.post(url, json=event(kind="arrived", occurred_at=at(5)), headers=op)
    assert arrived.status_code == 201 and arrived.json["out_of_order"] is False
    late_paper = client.post(url, json=event(kind="confirmed", occurred_at=at(1), promised_date="2030-01-01"), headers=op)
    assert late_paper.status_code == 201 and late_paper.json["out_of_order"] is True     # typed after the arrival
    impossible = client.post(url, json=event(kind="shipped", occurred_at=at(6)), headers=op)
    assert impossible.status_code == 409 and impossible.json["error"]["code"] == "impossible_sequence"
    no_date = client.post(url, json=event(kind="confirmed", occurred_at=at(2)), headers=op)
    assert no_date.status_code == 422 and no_date.json["error"]["code"] == "promised_date_required"
    detail = client.get(f"/api/v1/purchase-orders/{po.json['number']}", headers=op).json
    assert detail["status"] == "arrived" and detail["promised_date"] == "2030-01-01"
    assert [e["kind"] for e in detail["events"]] == ["ordered", "confirmed", "arrived"]
    listing = client.get("/api/v1/purchase-orders?status=arrived", headers=op).json
    assert [o["number"] for o in listing["items"]] == [po.json["number"]]


def test_sales_order_replay_and_packing(client, warehouse):
    op = warehouse["operator"]
    body = event(customer="GARAGE", lines=[{"product": "PAD", "qty": 2}])
    first = client.post("/api/v1/sales-orders", json=body, headers=op)
    again = client.post("/api/v1/sales-orders", json=body, headers=op)
    assert (first.status_code, again.status_code) == (201, 200) and first.json["number"] == again.json["number"]
    assert first.json["lines"][0]["reserved"] == 0      # nothing on the shelves yet
    packed = client.post(f"/api/v1/sales-orders/{first.json['number']}/events", json=event(kind="packed"), headers=op)
    assert packed.status_code == 201
    unknown = client.post("/api/v1/sales-orders", json=event(customer="NOPE", lines=[{"product": "PAD", "qty": 1}]),
                          headers=op)
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "unknown_customer"


def test_an_event_id_reused_for_another_request_is_refused_not_taken_for_a_replay(client, warehouse):
    sup, op = warehouse["supervisor"], warehouse["operator"]
    client.post("/api/v1/customers", json={"code": "OTHER", "name": "Other"}, headers=sup)
    body = event(customer="GARAGE", lines=[{"product": "PAD", "qty": 1}])
    first = client.post("/api/v1/sales-orders", json=body, headers=op)
    assert client.post("/api/v1/sales-orders", json=body, headers=op).status_code == 200       # a replay
    for changed in ({"customer": "OTHER"}, {"lines": [{"product": "PAD", "qty": 7}]}):
        reused = client.post("/api/v1/sales-orders", json={**body, **changed}, headers=op)
        assert reused.status_code == 409 and reused.json["error"]["code"] == "client_event_id_reused", changed
    second = client.post("/api/v1/sales-orders", json=event(customer="GARAGE", lines=[{"product": "PAD", "qty": 5}]),
                         headers=op).json
    short = event(qty=1, reason="shelf empty")
    line = first.json["lines"][0]["line_id"]
    assert client.post(f"/api/v1/sales-orders/{first.json['number']}/lines/{line}/short", json=short,
                       headers=op).status_code == 200
    other = client.post(f"/api/v1/sales-orders/{second['number']}/lines/{second['lines'][0]['line_id']}/short",
                        json=short, headers=op)
    assert other.status_code == 409 and other.json["error"]["code"] == "client_event_id_reused"
    pos = [client.post("/api/v1/purchase-orders", headers=sup, json={
        "supplier": "ACME", "lines": [{"product": "PAD", "qty": 10}]}).json["number"] for _ in range(2)]
    ordered = event(kind="ordered")
    assert client.post(f"/api/v1/purchase-orders/{pos[0]}/events", json=ordered, headers=op).status_code == 201
    reused = client.post(f"/api/v1/purchase-orders/{pos[1]}/events", json=ordered, headers=op)
    assert reused.status_code == 409 and reused.json["error"]["code"] == "client_event_id_reused"
    assert client.get(f"/api/v1/purchase-orders/{pos[1]}", headers=op).json["status"] == "draft"
