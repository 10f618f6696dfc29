"""Valuation from the ledger, checked by hand: 10 @ 5 + 10 @ 7 → WAC 6; 5 out → COGS 30, 15 left worth 90."""
from datetime import date, datetime, timedelta, timezone

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


def test_the_value_curve_is_the_value_at_each_week_end_in_one_call(client, history):
    since = days_ago(30)[:10]
    curve = client.get(f"/api/v1/analytics/valuation/history?since={since}", headers=history).json
    ends = [point["at"] for point in curve]
    assert ends == sorted(ends) and ends[-1] == days_ago(0)[:10]                  # the period's last day is today
    assert all(date.fromisoformat(day).weekday() == 6 for day in ends[:-1])        # then every Sunday
    for point in curve:
        at = client.get(f"/api/v1/analytics/valuation?at={point['at']}", headers=history).json
        assert point["value"] == pytest.approx(at["value"]), point
    values = {point["at"]: point["value"] for point in curve}
    assert values[ends[-1]] == 90
    # Hand-worked: 10 @ 5 in on day −20, 10 @ 7 on day −10, so a week end in between is worth 50.
    between = [day for day in ends if days_ago(20)[:10] <= day < days_ago(10)[:10]]
    assert between and all(values[day] == 50 for day in between)
    monthly = client.get(f"/api/v1/analytics/valuation/history?since={since}&bucket=month&product=PAD",
                         headers=history).json
    assert monthly[-1]["value"] == 90 and len(monthly) in (2, 3)
    unknown = client.get("/api/v1/analytics/valuation/history?product=NOPE", headers=history)
    assert unknown.status_code == 404
    assert client.get("/api/v1/analytics/valuation/history", headers=history).status_code == 200


def test_dormant_means_nothing_went_out_for_90_days_whatever_the_period(client, warehouse):
    sup = warehouse["supervisor"]
    for sku, moves in (("PAD", ((10, 60), (-2, 40))),          # last out 40 days ago, before a 30-day period
                       ("WIPER", ((10, 3),)),                   # came in 3 days ago, never out yet
                       ):
        for qty, ago in moves:
            client.post("/api/v1/adjustments", headers=sup, json=event(
                product=sku, location="A-01", qty=qty, unit_cost=5, reason="t", occurred_at=days_ago(ago)))
    client.post("/api/v1/products", headers=sup, json={"sku": "OLD", "name": "Old stock", "unit_cost": 1})
    client.post("/api/v1/adjustments", headers=sup, json=event(
        product="OLD", location="A-01", qty=4, unit_cost=1, reason="t", occurred_at=days_ago(200)))
    since = days_ago(30)[:10]
    rows = {p["sku"]: p for p in client.get(f"/api/v1/analytics/kpis?since={since}", headers=sup).json["products"]}
    assert rows["PAD"]["dormant"] is False and rows["PAD"]["days_since_outflow"] == 40
    assert rows["WIPER"]["dormant"] is False and rows["WIPER"]["days_since_outflow"] is None
    assert rows["OLD"]["dormant"] is True                       # in for 200 days, never out


def test_the_kpis_say_the_dormant_rule_they_apply(client, warehouse):
    """The valuation page states the rule: the threshold comes from the server, not a copy in the page."""
    from server.queries.valuation import DORMANT_DAYS
    sup = warehouse["supervisor"]
    kpis = client.get("/api/v1/analytics/kpis", headers=sup).json
    assert kpis["dormant_days"] == DORMANT_DAYS == 90
