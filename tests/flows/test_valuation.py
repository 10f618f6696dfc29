"""Valuation from the ledger, checked by hand: 10 @ 5 + 10 @ 7 received → WAC 6; 5 shipped → cost of goods sold 30;
2 broken (an adjustment: no sale) → written off 12; 13 left worth 78."""
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from tests.conftest import event
from tests.flows.conftest import EAN


def days_ago(n):
    return (datetime.now(timezone.utc) - timedelta(days=n)).isoformat()


def scan(client, headers, ago, code, action, **context):
    res = client.post("/api/v1/scans", headers=headers, json={
        "client_event_id": str(uuid.uuid4()), "occurred_at": days_ago(ago), "code": code, "action": action,
        "context": context, "device": "tc52"})
    assert res.status_code == 201, res.json


@pytest.fixture
def history(client, warehouse):
    sup, op = warehouse["supervisor"], warehouse["operator"]
    for qty, cost, ago in ((10, 5, 20), (10, 7, 10)):
        number = client.post("/api/v1/purchase-orders", headers=sup, json={
            "supplier": "ACME", "lines": [{"product": "PAD", "qty": qty, "unit_cost": cost}]}).json["number"]
        assert client.post(f"/api/v1/purchase-orders/{number}/events", headers=sup,
                           json=event(kind="ordered", occurred_at=days_ago(ago + 2))).status_code == 201
        scan(client, op, ago, EAN, "receive", order=number, qty=qty)
        scan(client, op, ago, EAN, "put_away", bin="A-01", qty=qty)
    client.post("/api/v1/transfers", headers=sup, json=event(        # inside the walls: no value change
        product="PAD", from_location="A-01", to_location="B-01", qty=3, occurred_at=days_ago(8)))
    so = client.post("/api/v1/sales-orders", headers=sup, json=event(
        customer="GARAGE", lines=[{"product": "PAD", "qty": 5}], occurred_at=days_ago(7))).json
    scan(client, op, 6, EAN, "pick", order=so["number"], bin="A-01", qty=5)
    scan(client, op, 5, so["label"], "ship")
    assert client.post("/api/v1/adjustments", headers=sup, json=event(
        product="PAD", location="A-01", qty=-2, reason="broken", occurred_at=days_ago(3))).status_code == 201
    return sup


def test_weighted_average_cost_and_value(client, history):
    now = client.get("/api/v1/analytics/valuation", headers=history).json
    [pad] = now["products"]
    assert (pad["qty"], pad["wac"], pad["value"]) == (13, 6, 78) and now["value"] == 78
    before = client.get(f"/api/v1/analytics/valuation?at={days_ago(15)[:10]}", headers=history).json
    assert before["value"] == 50                                          # only the first 10 @ 5


def test_flows_and_kpis(client, history):
    weeks = client.get("/api/v1/analytics/flows?product=PAD", headers=history).json
    assert sum(w["in_qty"] for w in weeks) == 20 and sum(w["in_value"] for w in weeks) == 120
    assert sum(w["out_qty"] for w in weeks) == 5 and sum(w["out_value"] for w in weeks) == 30
    assert sum(w["adjusted_qty"] for w in weeks) == -2 and sum(w["adjusted_value"] for w in weeks) == -12
    kpis = client.get(f"/api/v1/analytics/kpis?product=PAD&since={days_ago(30)[:10]}", headers=history).json
    [pad] = kpis["products"]
    assert (pad["cogs"], pad["adjusted_qty"], pad["adjusted_value"], pad["on_hand"]) == (30, -2, -12, 13)
    assert (kpis["cogs"], kpis["adjusted_value"]) == (30, -12)
    assert pad["days_since_outflow"] == 5                                 # the shipment, not the breakage 3 days ago
    # 31 days (30 days ago to today), end-of-day values: 0 for 10 days, 50 for 10, 120 for 5, 90 for 2, 78 for 4.
    average = (10 * 0 + 10 * 50 + 5 * 120 + 2 * 90 + 4 * 78) / 31
    assert pad["average_value"] == pytest.approx(average)
    assert pad["coverage_days"] == pytest.approx(13 / (5 / 31))          # on hand / units shipped a day
    assert pad["stockouts"] == 0 and pad["stockout_days"] == 0            # not yet stocked before its first receipt
    assert pad["turnover"] == pytest.approx(30 / average * 365 / 31, abs=1e-6)   # times a year: 31 days scaled


def test_a_loss_found_by_a_count_is_no_sale(client, warehouse):
    """A dormant product counted one short was booked as 'sold' that day: no longer dormant, its cover cut to
    what a single lost unit said of its usage, the loss in the cost of goods sold."""
    sup = warehouse["supervisor"]
    assert client.post("/api/v1/adjustments", headers=sup, json=event(
        product="PAD", location="A-01", qty=39, unit_cost=20, reason="open",
        occurred_at=days_ago(200))).status_code == 201
    scan(client, warehouse["operator"], 1, EAN, "count", bin="A-01", qty=38)
    kpis = client.get(f"/api/v1/analytics/kpis?product=PAD&since={days_ago(30)[:10]}", headers=sup).json
    [pad] = kpis["products"]
    assert (pad["on_hand"], pad["cogs"], pad["adjusted_qty"], pad["adjusted_value"]) == (38, 0, -1, -20)
    assert pad["dormant"] is True and pad["days_since_outflow"] is None and pad["coverage_days"] is None
    assert kpis["dormant"] == 1 and kpis["dormant_value"] == 760


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
    assert values[ends[-1]] == 78
    # Hand-worked: 10 @ 5 in on day −20, 10 @ 7 on day −10, so a week end in between is worth 50.
    between = [day for day in ends if days_ago(20)[:10] <= day < days_ago(10)[:10]]
    assert between and all(values[day] == 50 for day in between)
    monthly = client.get(f"/api/v1/analytics/valuation/history?since={since}&bucket=month&product=PAD",
                         headers=history).json
    assert monthly[-1]["value"] == 78 and len(monthly) in (2, 3)
    unknown = client.get("/api/v1/analytics/valuation/history?product=NOPE", headers=history)
    assert unknown.status_code == 404
    assert client.get("/api/v1/analytics/valuation/history", headers=history).status_code == 200


def test_dormant_means_nothing_went_out_for_90_days_whatever_the_period(client, warehouse):
    sup = warehouse["supervisor"]
    for sku, ago in (("PAD", 60), ("WIPER", 3)):              # WIPER came in 3 days ago, never out yet
        client.post("/api/v1/adjustments", headers=sup, json=event(
            product=sku, location="A-01", qty=10, unit_cost=5, reason="t", occurred_at=days_ago(ago)))
    so = client.post("/api/v1/sales-orders", headers=sup, json=event(  # PAD: shipped 40 days ago, before the period
        customer="GARAGE", lines=[{"product": "PAD", "qty": 2}], occurred_at=days_ago(41))).json
    scan(client, warehouse["operator"], 40, EAN, "pick", order=so["number"], bin="A-01", qty=2)
    scan(client, warehouse["operator"], 40, so["label"], "ship")
    client.post("/api/v1/adjustments", headers=sup, json=event(        # broken 10 days ago: no sale, no use
        product="PAD", location="A-01", qty=-1, reason="broken", occurred_at=days_ago(10)))
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


def test_figures_carry_no_float_noise(client, warehouse):
    """3 × 1.10 € read 3.3000000000000003 €; a weighted average 9.949999999999996."""
    sup = warehouse["supervisor"]
    for qty, cost in ((3, "1.10"), (7, "12.30")):
        assert client.post("/api/v1/adjustments", headers=sup, json=event(
            product="PAD", location="A-01", qty=qty, unit_cost=cost, reason="open")).status_code == 201
    assert 3 * 1.10 != 3.3 and (3 * 1.10 + 7 * 12.30) / 10 != 8.94    # the noise this guards against
    [pad] = client.get("/api/v1/analytics/valuation", headers=sup).json["products"]
    assert (pad["qty"], pad["wac"], pad["value"]) == (10, 8.94, 89.4)


def test_days_are_the_companys_not_utcs(app, client, warehouse, monkeypatch):
    """A shipment at 00:30 in Paris (23:30 UTC) was counted on the day before: the value at the end of that day,
    the curve and the stock-outs were a day off for whatever moved after midnight, local time."""
    sup = warehouse["supervisor"]
    monkeypatch.setitem(app.config, "TENDU_TIMEZONE", "Europe/Paris")
    day = datetime.now(timezone.utc).date() - timedelta(days=10)
    late = datetime(day.year, day.month, day.day, 23, 30, tzinfo=timezone.utc)   # the next day's 00:30 (01:30) in Paris
    assert client.post("/api/v1/adjustments", headers=sup, json=event(
        product="PAD", location="A-01", qty=10, unit_cost=5, reason="open",
        occurred_at=(late - timedelta(days=5)).isoformat())).status_code == 201
    so = client.post("/api/v1/sales-orders", headers=sup, json=event(
        customer="GARAGE", lines=[{"product": "PAD", "qty": 4}],
        occurred_at=(late - timedelta(hours=5)).isoformat())).json
    op = warehouse["operator"]
    picked = {"order": so["number"], "bin": "A-01", "qty": 4}
    for code, action, context, at in ((EAN, "pick", picked, late - timedelta(hours=1)),
                                      (so["label"], "ship", {}, late)):
        res = client.post("/api/v1/scans", headers=op, json={
            "client_event_id": str(uuid.uuid4()), "occurred_at": at.isoformat(), "code": code, "action": action,
            "context": context, "device": "t"})
        assert res.status_code == 201, res.json
    value = client.get(f"/api/v1/analytics/valuation?at={day.isoformat()}", headers=sup).json["value"]
    after = client.get(f"/api/v1/analytics/valuation?at={(day + timedelta(days=1)).isoformat()}", headers=sup).json
    assert (value, after["value"]) == (50, 30)             # shipped on the next day, Paris time
    monkeypatch.setitem(app.config, "TENDU_TIMEZONE", "UTC")
    assert client.get(f"/api/v1/analytics/valuation?at={day.isoformat()}", headers=sup).json["value"] == 30


def test_turnover_is_said_per_year_and_not_on_a_few_days(client, warehouse):
    """A warehouse started the day before read "16.6 times a year": one day of sales over a year of nothing."""
    sup = warehouse["supervisor"]
    assert client.post("/api/v1/adjustments", headers=sup, json=event(
        product="PAD", location="A-01", qty=10, unit_cost=5, reason="open", occurred_at=days_ago(1))).status_code == 201
    kpis = client.get("/api/v1/analytics/kpis", headers=sup).json
    assert kpis["since"] == days_ago(1)[:10]                 # from the ledger's first day, not a year of nothing
    assert kpis["turnover"] is None and kpis["products"][0]["turnover"] is None
