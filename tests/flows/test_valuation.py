"""Valuation from the ledger, checked by hand: 10 @ 5 + 10 @ 7 → WAC 6; 5 out → COGS 30, 15 left worth 90."""
from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import event


def days_ago(n):
    return (datetime.now(timezone.utc) - timedelta(days=n)).isoformat()


@pytest.fixture
def history(client, warehouse):
    sup = warehouse["supervisor"]
    for qty, cost, ago in ((10, 5, 20), (10, 7, 10)):
        res = client.post("/api/v1/adjustments", headers=sup, json=event(
            product="PAD", location="A-01", qty=qty, unit_cost=cost, reason="receipt", occurred_at=days_ago(ago)))
        assert res.status_code == 201
    client.post("/api/v1/transfers", headers=sup, json=event(        # inside the walls: no value change
        product="PAD", from_location="A-01", to_location="B-01", qty=3, occurred_at=days_ago(8)))
    client.post("/api/v1/adjustments", headers=sup, json=event(
        product="PAD", location="A-01", qty=-5, reason="broken", occurred_at=days_ago(5)))
    return sup


def test_weighted_average_cost_and_value(client, history):
    now = client.get("/api/v1/analytics/valuation", headers=history).json
    [pad] = now["products"]
    assert (pad["qty"], pad["wac"], pad["value"]) == (15, 6, 90) and now["value"] == 90
    before = client.get(f"/api/v1/analytics/valuation?at={days_ago(15)[:10]}", headers=history).json
    assert before["value"] == 50                                          # only the first 10 @ 5


def test_flows_and_kpis(client, history):
    weeks = client.get("/api/v1/analytics/flows?product=PAD", headers=history).json
    assert sum(w["in_qty"] for w in weeks) == 20 and sum(w["in_value"] for w in weeks) == 120
    assert sum(w["out_qty"] for w in weeks) == 5 and sum(w["out_value"] for w in weeks) == 30
    kpis = client.get(f"/api/v1/analytics/kpis?product=PAD&since={days_ago(30)[:10]}", headers=history).json
    [pad] = kpis["products"]
    assert pad["cogs"] == 30 and pad["on_hand"] == 15 and pad["days_since_outflow"] == 5
    # 31 days (30 days ago to today), end-of-day values: 0 for 10 days, 50 for 10, 120 for 5, 90 for the last 6.
    average = (10 * 0 + 10 * 50 + 5 * 120 + 6 * 90) / 31
    assert pad["average_value"] == pytest.approx(average)
    assert pad["coverage_days"] == pytest.approx(15 / (5 / 31))          # on hand / daily usage
    assert pad["stockouts"] == 1 and pad["stockout_days"] == 10           # empty until the first receipt
    assert pad["turnover"] == pytest.approx(30 / average)


def test_money_is_for_supervisors(client, warehouse):
    assert client.get("/api/v1/analytics/kpis", headers=warehouse["operator"]).status_code == 403


def test_bad_periods(client, history):
    res = client.get("/api/v1/analytics/kpis?since=2026-05-01&until=2026-04-01", headers=history)
    assert res.status_code == 422 and res.json["error"]["code"] == "empty_period"
