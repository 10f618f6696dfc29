"""The stock overview (/analytics/stock), checked by hand on four products.

PAD (Acme): 10 @ 5 received 20 days ago, 10 @ 7 ten days ago → WAC 6; 5 shipped 5 days ago; an open order of 4 of
    which 1 is picked (in dispatch); 6 more on order. On hand 14 (not the 1 in dispatch), reserved 3, available 11,
    on order 6; still owned 15 → value 90. The ledger's first day is 200 days ago (HORN): the health is measured
    over those 201 days (the year but for the days before), so its cover is 15 ÷ (5 shipped / 201 days) = 603 days;
    the 180 days before its first receipt it was not stocked yet: no stock-out.
WIPER (no supplier): 8 @ 4 found yesterday, an order of 10 reserves those 8, then 3 broken → on hand 5, reserved 8,
    available −3 (over-reserved), value 20; never shipped: no cover.
HORN (Bosco): 2 @ 3 in 200 days ago, never shipped → dormant, value 6.
BULB (Bosco): never received, 12 on order → out of stock now, value 0, no stock-out (never stocked).
OLD: deactivated → not listed.
"""
import pytest

from tests.conftest import event
from tests.flows.conftest import EAN
from tests.flows.test_valuation import days_ago, scan

STOCK = "/api/v1/analytics/stock"


def post(client, headers, path, body):
    res = client.post(path, headers=headers, json=body)
    assert res.status_code == 201, (path, res.json)
    return res.json


def place(client, sup, supplier, lines, ago):
    number = post(client, sup, "/api/v1/purchase-orders", {"supplier": supplier, "lines": lines})["number"]
    post(client, sup, f"/api/v1/purchase-orders/{number}/events", event(kind="ordered", occurred_at=days_ago(ago)))
    return number


@pytest.fixture
def catalogue(client, warehouse):
    sup, op = warehouse["supervisor"], warehouse["operator"]
    post(client, sup, "/api/v1/suppliers", {"code": "BOSCO", "name": "Bosco"})
    for sku, name, supplier in (("HORN", "Horn", "BOSCO"), ("BULB", "Head bulb", "BOSCO"), ("OLD", "Old stock", None)):
        post(client, sup, "/api/v1/products", {"sku": sku, "name": name, "unit_cost": 1, "supplier": supplier})
    for qty, cost, ago in ((10, 5, 20), (10, 7, 10)):
        number = place(client, sup, "ACME", [{"product": "PAD", "qty": qty, "unit_cost": cost}], ago + 2)
        scan(client, op, ago, EAN, "receive", order=number, qty=qty)
        scan(client, op, ago, EAN, "put_away", bin="A-01", qty=qty)
    shipped = post(client, sup, "/api/v1/sales-orders", event(
        customer="GARAGE", lines=[{"product": "PAD", "qty": 5}], occurred_at=days_ago(7)))
    scan(client, op, 6, EAN, "pick", order=shipped["number"], bin="A-01", qty=5)
    scan(client, op, 5, shipped["label"], "ship")
    waiting = post(client, sup, "/api/v1/sales-orders", event(customer="GARAGE", lines=[{"product": "PAD", "qty": 4}]))
    scan(client, op, 0, EAN, "pick", order=waiting["number"], bin="A-01", qty=1)
    place(client, sup, "ACME", [{"product": "PAD", "qty": 6}], 1)
    place(client, sup, "BOSCO", [{"product": "BULB", "qty": 12}], 1)
    for sku, qty, cost, ago in (("WIPER", 8, 4, 1), ("HORN", 2, 3, 200), ("OLD", 1, 1, 200)):
        post(client, sup, "/api/v1/adjustments", event(product=sku, location="A-01", qty=qty, unit_cost=cost,
                                                       reason="found", occurred_at=days_ago(ago)))
    post(client, sup, "/api/v1/sales-orders", event(customer="GARAGE", lines=[{"product": "WIPER", "qty": 10}]))
    post(client, sup, "/api/v1/adjustments", event(product="WIPER", location="A-01", qty=-3, reason="broken"))
    assert client.delete("/api/v1/products/OLD", headers=sup).status_code == 200
    return sup


def stock(client, headers, query="", status=200):
    res = client.get(f"{STOCK}?{query}", headers=headers)
    assert res.status_code == status, res.json
    return res.json


def skus(answer):
    return [row["sku"] for row in answer["items"]]


def test_each_products_position_value_and_health_worked_by_hand(client, catalogue):
    answer = stock(client, catalogue)
    assert (answer["since"], answer["until"]) == (days_ago(200)[:10], days_ago(-1)[:10])
    assert skus(answer) == ["PAD", "WIPER", "HORN", "BULB"]                     # by value, largest first
    assert answer["totals"] == {"count": 4, "value": 116} and answer["total"] == 4
    rows = {row["sku"]: row for row in answer["items"]}
    pad = rows["PAD"]
    assert (pad["on_hand"], pad["reserved"], pad["available"], pad["on_order"], pad["in_dispatch"]) == (14, 3, 11, 6, 1)
    assert (pad["wac"], pad["value"], pad["supplier"], pad["supplier_name"]) == (6, 90, "ACME", "Acme")
    assert pad["coverage_days"] == pytest.approx(603) and pad["days_since_outflow"] == 5
    assert (pad["dormant"], pad["out_of_stock_now"], pad["stockouts"]) == (False, False, 0)
    assert pad["stockout_days"] == 0                   # the 180 days before its first receipt: not stocked yet
    wiper = rows["WIPER"]
    assert (wiper["on_hand"], wiper["reserved"], wiper["available"], wiper["on_order"]) == (5, 8, -3, 0)
    assert (wiper["wac"], wiper["value"], wiper["coverage_days"], wiper["supplier"]) == (4, 20, None, None)
    assert rows["HORN"]["dormant"] is True and rows["HORN"]["value"] == 6
    bulb = rows["BULB"]
    assert (bulb["on_hand"], bulb["on_order"], bulb["value"], bulb["wac"], bulb["out_of_stock_now"]) == (0, 12, 0, None,
                                                                                                         True)
    assert (bulb["stockouts"], bulb["stockout_days"], bulb["unit"]) == (0, 0, "pce")   # never stocked: out now, no run


def test_the_figures_are_the_ones_the_kpis_give(client, catalogue):
    """One figure, one place: the health is the KPI fold's over the same period."""
    answer = stock(client, catalogue)
    kpis = {row["sku"]: row for row in client.get(f"/api/v1/analytics/kpis?since={answer['since']}",
                                                  headers=catalogue).json["products"]}
    for row in answer["items"]:
        same = kpis[row["sku"]]
        for key in ("wac", "value", "turnover", "coverage_days", "days_since_outflow", "dormant", "stockouts",
                    "stockout_days", "out_of_stock_now"):
            assert row[key] == same[key], (row["sku"], key)
    assert answer["totals"]["value"] == pytest.approx(
        client.get("/api/v1/analytics/valuation", headers=catalogue).json["value"] - 1)   # OLD's, deactivated


def test_search_supplier_and_quick_filters(client, catalogue):
    assert skus(stock(client, catalogue, "q=pad")) == ["PAD"]                  # the SKU, any case
    assert skus(stock(client, catalogue, "q=BULB")) == ["BULB"]
    assert skus(stock(client, catalogue, "q=blade")) == ["WIPER"]              # the name, in part
    assert skus(stock(client, catalogue, "q=old")) == []                       # deactivated
    assert skus(stock(client, catalogue, "supplier=BOSCO")) == ["HORN", "BULB"]
    assert skus(stock(client, catalogue, "only=out_of_stock")) == ["BULB"]
    assert skus(stock(client, catalogue, "only=dormant")) == ["HORN"]
    assert skus(stock(client, catalogue, "only=on_order&sort=sku")) == ["BULB", "PAD"]
    assert skus(stock(client, catalogue, "only=over_reserved")) == ["WIPER"]
    narrowed = stock(client, catalogue, "supplier=BOSCO&only=dormant")
    assert skus(narrowed) == ["HORN"] and narrowed["totals"] == {"count": 1, "value": 6}


def test_sort_and_pages(client, catalogue):
    assert skus(stock(client, catalogue, "sort=sku")) == ["BULB", "HORN", "PAD", "WIPER"]
    assert skus(stock(client, catalogue, "sort=-sku")) == ["WIPER", "PAD", "HORN", "BULB"]
    assert skus(stock(client, catalogue, "sort=available")) == ["WIPER", "BULB", "HORN", "PAD"]
    assert skus(stock(client, catalogue, "sort=supplier")) == ["PAD", "BULB", "HORN", "WIPER"]   # none: last
    # No cover can be told for stock of which nothing was shipped: last, whichever the direction (BULB, with
    # nothing on hand, covers 0 days).
    assert skus(stock(client, catalogue, "sort=-coverage_days")) == ["PAD", "BULB", "HORN", "WIPER"]
    assert skus(stock(client, catalogue, "sort=coverage_days")) == ["BULB", "PAD", "HORN", "WIPER"]
    second = stock(client, catalogue, "per_page=3&page=2")
    assert skus(second) == ["BULB"] and (second["total"], second["page"], second["per_page"]) == (4, 2, 3)
    assert second["totals"] == {"count": 4, "value": 116}                      # over every page


def test_bad_arguments_are_refused_in_the_one_error_shape(client, catalogue):
    for query in ("sort=price", "sort=--value", "only=everything", "per_page=0", "page=0"):
        error = stock(client, catalogue, query, status=422)["error"]
        assert error["code"] == "validation_error" and error["field"] == query.split("=")[0], query
    french = client.get(f"{STOCK}?only=everything", headers={**catalogue, "Accept-Language": "fr"}).json["error"]
    assert french["message"].startswith("Certains champs sont invalides. only : Valeur parmi : out_of_stock")
    unknown = client.get(f"{STOCK}?supplier=NOPE", headers={**catalogue, "Accept-Language": "fr"})
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "unknown_supplier"
    assert "NOPE" in unknown.json["error"]["message"]


def test_the_overview_is_for_the_desk(client, catalogue, warehouse):
    assert client.get(STOCK, headers=warehouse["operator"]).status_code == 403
    assert client.get(STOCK, headers=warehouse["admin"]).status_code == 200


def test_an_empty_catalogue(client, tokens):
    answer = stock(client, tokens["supervisor"])
    assert answer["items"] == [] and answer["totals"] == {"count": 0, "value": 0}


def test_the_health_is_measured_over_a_year_at_most(client, warehouse):
    sup = warehouse["supervisor"]
    post(client, sup, "/api/v1/adjustments", event(product="PAD", location="A-01", qty=3, unit_cost=2, reason="found",
                                                   occurred_at=days_ago(400)))
    answer = stock(client, sup)
    assert (answer["since"], answer["until"]) == (days_ago(364)[:10], days_ago(-1)[:10])
    assert answer["items"][0]["stockout_days"] == 0 and answer["items"][0]["dormant"] is True


def test_a_valuation_after_today_is_refused(client, catalogue):
    """It answered today's value for any later day, as if it were known."""
    from datetime import datetime, timedelta, timezone
    today = datetime.now(timezone.utc).date()
    for headers, words, written in ((catalogue, "after today", f"{today:%d %b %Y}"),
                                    ({**catalogue, "Accept-Language": "fr"}, "après aujourd'hui", f"{today:%d/%m/%Y}")):
        res = client.get(f"/api/v1/analytics/valuation?at={today + timedelta(days=1)}", headers=headers)
        assert res.status_code == 422, res.json
        assert (res.json["error"]["code"], res.json["error"]["field"]) == ("future_day", "at")
        assert words in res.json["error"]["message"] and written in res.json["error"]["message"]
    assert client.get(f"/api/v1/analytics/valuation?at={today}", headers=catalogue).json["value"] == 117
    assert client.get(f"/api/v1/analytics/valuation?at={today - timedelta(days=15)}",
                      headers=catalogue).json["value"] == 50 + 6 + 1           # PAD's first 10 @ 5, HORN, OLD
