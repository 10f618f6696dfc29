"""Each purchase-order line as the server measures it, worked by hand: the steps, the four stages, the total."""
from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import event
from tests.flows.conftest import EAN

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def day(n: float) -> str:
    return (NOW + timedelta(days=n)).isoformat()


def test_lines_carry_their_stages_in_days(client, warehouse, scanner):
    sup, op = warehouse["supervisor"], warehouse["operator"]
    number = client.post("/api/v1/purchase-orders", headers=sup, json={
        "supplier": "ACME", "promised_date": day(-4)[:10],
        "lines": [{"product": "PAD", "qty": 1}, {"product": "WIPER", "qty": 3}]}).json["number"]
    for kind, at in (("need_detected", -10), ("ordered", -9), ("shipped", -6), ("arrived", -3)):
        res = client.post(f"/api/v1/purchase-orders/{number}/events", headers=sup,
                          json=event(kind=kind, occurred_at=day(at)))
        assert res.status_code == 201, res.json
    for action, context, at in (("receive", {"order": number}, -2.5), ("put_away", {"bin": "A-01"}, -1)):
        body = {**scanner.body(EAN, action, **context), "occurred_at": day(at)}
        assert client.post("/api/v1/scans", json=body, headers=op).status_code == 201

    answer = client.get("/api/v1/analytics/lead-times/lines?supplier=ACME", headers=op)
    assert answer.status_code == 200, answer.json
    rows = {row["sku"]: row for row in answer.json}
    pad, wiper = rows["PAD"], rows["WIPER"]
    # need −10 → ordered −9 → shipped −6 → arrived −3 → put away −1: 1 + 3 + 3 + 2 = 9 days.
    assert pad["stages"] == pytest.approx({"order_delay": 1, "supplier_delay": 3, "transport_delay": 3,
                                           "reception_delay": 2})
    assert pad["total"] == pytest.approx(9) and (pad["ordered"], pad["received"]) == (1, 1)
    assert pad["available"][:19] == day(-1)[:19] and pad["promised"] == day(-4)[:10] and pad["po"] == number
    # Nothing of the wiper came: its order's stages are known, its reception and total are not.
    assert wiper["stages"]["transport_delay"] == pytest.approx(3) and wiper["stages"]["reception_delay"] is None
    assert wiper["total"] is None and wiper["available"] is None and wiper["received"] == 0
    # The same line in the supplier's figures: one measured line, of 9 days.
    summary = client.get("/api/v1/analytics/lead-times?supplier=ACME", headers=op).json["suppliers"][0]
    assert summary["lead_time"]["n"] == 1 and summary["lead_time"]["mean"] == pytest.approx(9)
    # What the supplier's declared lead time is compared with: ordered −9 → arrived −3, for both lines (the
    # wiper's goods arrived with the order's, unreceived yet).
    assert summary["delivery"]["n"] == 2 and summary["delivery"]["p50"] == pytest.approx(6)

    latest = client.get("/api/v1/analytics/lead-times/lines?supplier=ACME&limit=1", headers=op).json
    assert [row["sku"] for row in latest] == ["PAD"]       # available on day −1; the wiper's order went on day −9
    assert client.get("/api/v1/analytics/lead-times/lines?limit=0", headers=op).status_code == 422
    assert client.get("/api/v1/analytics/lead-times/lines?supplier=NOPE", headers=op).status_code == 404
    assert client.get("/api/v1/analytics/lead-times/lines").status_code == 401


def test_an_order_typed_by_hand_is_measured_from_the_moment_it_was_placed(client, warehouse, scanner):
    """No need detected (nobody asked Tendu): the lead time runs from 'ordered', so the supplier is measured."""
    sup, op = warehouse["supervisor"], warehouse["operator"]
    number = client.post("/api/v1/purchase-orders", headers=sup, json={
        "supplier": "ACME", "lines": [{"product": "PAD", "qty": 1}]}).json["number"]
    client.post(f"/api/v1/purchase-orders/{number}/events", headers=sup,
                json=event(kind="ordered", occurred_at=day(-6)))
    body = {**scanner.body(EAN, "receive", order=number), "occurred_at": day(-2)}
    assert client.post("/api/v1/scans", json=body, headers=op).status_code == 201
    [row] = client.get("/api/v1/analytics/lead-times/lines?supplier=ACME", headers=op).json
    assert row["total"] == pytest.approx(4) and row["stages"]["order_delay"] is None
    summary = client.get("/api/v1/analytics/suppliers", headers=op).json[0]
    assert summary["lead_time"]["n"] == 1 and summary["lead_time"]["mean"] == pytest.approx(4)
    assert summary["delivery"]["n"] == 1 and summary["delivery"]["mean"] == pytest.approx(4)  # no arrival: received


def test_one_delivery_scanned_across_midnight_is_in_full(app, client, warehouse):
    from tests.flows.histories import purchase
    op = warehouse["operator"]
    midnight = NOW.replace(hour=0, minute=0, second=0) - timedelta(days=10)
    purchase(app, "ACME", [("PAD", 10)], midnight - timedelta(days=20), ordered=midnight - timedelta(days=20),
             promised=(midnight - timedelta(days=1)).date(),
             received=[(midnight - timedelta(minutes=10), 5), (midnight + timedelta(minutes=10), 5)])
    reliability = client.get("/api/v1/analytics/suppliers", headers=op).json[0]["reliability"]
    assert (reliability["in_full"], reliability["on_time"], reliability["otif"]) == (1.0, 1.0, 1.0)
