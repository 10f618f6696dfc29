"""The truck's arrival at the dock, timed by the first scan of its order's label there: worked by hand, the stages it
separates (transport: shipped → arrived; reception: arrived → put away)."""
from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import event
from tests.flows.conftest import EAN

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def day(n: float) -> str:
    return (NOW + timedelta(days=n)).isoformat()


def _placed(client, sup, *steps) -> str:
    number = client.post("/api/v1/purchase-orders", headers=sup, json={
        "supplier": "ACME", "lines": [{"product": "PAD", "qty": 2}]}).json["number"]
    for kind, at in steps:
        assert client.post(f"/api/v1/purchase-orders/{number}/events", headers=sup,
                           json=event(kind=kind, occurred_at=day(at))).status_code == 201
    return number


def _scan(client, scanner, code, action, at, **context):
    body = {**scanner.body(code, action, **context), "occurred_at": day(at)}
    res = client.post("/api/v1/scans", json=body, headers=scanner.headers)
    return res.status_code, res.json, body


def _arrivals(client, sup, number):
    return [e["occurred_at"][:19] for e in client.get(f"/api/v1/purchase-orders/{number}", headers=sup).json["events"]
            if e["kind"] == "arrived"]


def test_the_first_label_scan_at_the_dock_is_the_arrival_and_splits_transport_from_reception(
        client, warehouse, scanner):
    sup = warehouse["supervisor"]
    number = _placed(client, sup, ("ordered", -9), ("shipped", -6))
    label = f"TL:PO:{number}"
    status, answer, body = _scan(client, scanner, label, "receive", -3)
    assert status == 200 and answer["outcome"] == "looked_up" and answer["arrived"] is True, answer
    assert answer["message"].endswith("Arrival recorded.")
    assert _arrivals(client, sup, number) == [day(-3)[:19]]
    # The same scan replayed (an offline queue sent twice), and the label scanned again: no second arrival.
    assert client.post("/api/v1/scans", json=body, headers=scanner.headers).json["arrived"] is True
    again = _scan(client, scanner, label, "receive", -2.9)[1]
    assert again["arrived"] is False and "Arrival" not in again["message"]
    for action, at, context in (("receive", -2.5, {"order": number}), ("put_away", -1, {"bin": "A-01"})):
        status, answer, _ = _scan(client, scanner, EAN, action, at, qty=2, **context)
        assert status == 201, answer
    [line] = client.get("/api/v1/analytics/lead-times/lines?supplier=ACME", headers=sup).json
    # ordered −9 → shipped −6 → arrived −3 → put away −1: supplier 3, transport 3, reception 2 days.
    assert line["stages"]["supplier_delay"] == pytest.approx(3)
    assert line["stages"]["transport_delay"] == pytest.approx(3)
    assert line["stages"]["reception_delay"] == pytest.approx(2)
    assert _arrivals(client, sup, number) == [day(-3)[:19]]


def test_an_arrival_typed_before_stands_and_a_draft_or_a_reception_begun_records_none(client, warehouse, scanner):
    sup = warehouse["supervisor"]
    typed = _placed(client, sup, ("ordered", -9), ("arrived", -4))
    assert _scan(client, scanner, f"TL:PO:{typed}", "receive", -3)[1]["arrived"] is False
    assert _arrivals(client, sup, typed) == [day(-4)[:19]]
    draft = _placed(client, sup)
    assert _scan(client, scanner, f"TL:PO:{draft}", "receive", -3)[1]["arrived"] is False
    assert _arrivals(client, sup, draft) == []
    begun = _placed(client, sup, ("ordered", -9))
    assert _scan(client, scanner, EAN, "receive", -3, order=begun)[0] == 201   # the label was not scanned first
    assert _scan(client, scanner, f"TL:PO:{begun}", "receive", -2)[1]["arrived"] is False
    assert _arrivals(client, sup, begun) == []


def test_a_label_scanned_before_a_shipment_typed_later_records_no_arrival_and_is_still_answered(
        client, warehouse, scanner):
    """The supplier's shipment typed for a later time than the scan: the arrival would come before it, impossible;
    the look-up still answers, and nothing is written."""
    sup = warehouse["supervisor"]
    number = _placed(client, sup, ("ordered", -9), ("shipped", -2))
    status, answer, _ = _scan(client, scanner, f"TL:PO:{number}", "receive", -3)
    assert status == 200 and answer["arrived"] is False and answer["lines"][0]["ordered"] == 2
    assert _arrivals(client, sup, number) == []
