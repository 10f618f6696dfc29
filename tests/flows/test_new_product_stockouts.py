"""A product new to the warehouse has not been out of stock for the year before it came (review: a product imported
today with no stock read « Ruptures 1 », « Jours en rupture 365 » on the desk's Stock view)."""
from tests.conftest import event
from tests.flows.test_valuation import days_ago

STOCK = "/api/v1/analytics/stock"


def test_days_before_a_product_was_first_stocked_are_no_stock_out(client, warehouse):
    sup = warehouse["supervisor"]
    # An old product sets the ledger's first day a year ago: the Stock view measures health over that year.
    assert client.post("/api/v1/adjustments", headers=sup, json=event(
        product="WIPER", location="A-01", qty=5, reason="open", occurred_at=days_ago(364))).status_code == 201
    for sku in ("NEW", "FRESH"):
        assert client.post("/api/v1/products", headers=sup, json={"sku": sku, "name": sku.title()}).status_code == 201
    # FRESH: first stocked 7 days ago (its days before: waiting for its first delivery), never out since.
    assert client.post("/api/v1/adjustments", headers=sup, json=event(
        product="FRESH", location="A-01", qty=4, reason="open", occurred_at=days_ago(7))).status_code == 201
    # WIPER (there all year): out for the last 2 days, its figures as before.
    assert client.post("/api/v1/adjustments", headers=sup, json=event(
        product="WIPER", location="A-01", qty=-5, reason="broken", occurred_at=days_ago(1))).status_code == 201
    answer = client.get(STOCK, headers=sup).json
    assert answer["since"] == days_ago(364)[:10]
    rows = {row["sku"]: row for row in answer["items"]}
    health = ("stockouts", "stockout_days", "out_of_stock_now")
    assert [rows["NEW"][k] for k in health] == [0, 0, True]      # created today, nothing on hand: out now, no run
    assert [rows["FRESH"][k] for k in health] == [0, 0, False]   # the days waiting for its first delivery: none
    assert [rows["WIPER"][k] for k in health] == [1, 2, True]    # yesterday and today
    kpis = client.get(f"/api/v1/analytics/kpis?since={answer['since']}", headers=sup).json
    assert (kpis["stockouts"], kpis["out_of_stock_now"]) == (1, 3)   # NEW, WIPER and PAD (never stocked) out now
