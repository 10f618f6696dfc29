"""A product never bought yet, at a supplier whose deliveries are measured: planned, listed and promised on the
supplier's measured lead times, not on its promise alone (a buyer's review: LENTOR, declared 7 days, measured p90
14.1, had its new products promised on 7 days + an assumed spread); three deliveries still weigh against the promise
(3/8), thirty or more alone."""
from datetime import date, timedelta

import pytest

from server.domain.days import day_text
from tests.flows.histories import ago, purchase, sale

# ACME declares 7 days (the default); its three deliveries took 12 d 6 h, 13 d 6 h and 14 d 12 h, need to put-away.
# Pool: mean 40/3 = 13.333333; p50 13.25; p90 at h = (3 − 1)·0.9 = 1.8: 13.25 + 0.8·(14.5 − 13.25) = 14.25.
# Three lines are weighed against the promise, 3/(3 + 5) (the promise: 7 days, p90 7 + 1.2815516·0.25·7):
# mean 3/8·40/3 + 5/8·7 = 9.375; p50 3/8·13.25 + 5/8·7 = 9.34375; p90 3/8·14.25 + 5/8·9.2427152 = 11.1204470.
POOL = (12.25, 13.25, 14.5)
MEAN, P50, P90 = 9.375, 9.34375, 3 / 8 * 14.25 + 5 / 8 * (7 + 1.2815515655446004 * 1.75)


@pytest.fixture
def new_product(app, client, warehouse):
    sup = warehouse["supervisor"]
    for start, days in zip((60, 45, 30), POOL):
        purchase(app, "ACME", [("PAD", 10)], ago(start), ordered=ago(start), received=ago(start - days))
    assert client.post("/api/v1/products", headers=sup, json={
        "sku": "NEW-0001", "name": "New brake disc", "unit_cost": 5, "supplier": "ACME"}).status_code == 201
    return sup


def test_a_new_product_is_planned_on_its_suppliers_measured_lead_time(client, new_product):
    sup = new_product
    listed = client.get("/api/v1/analytics/lead-times?supplier=ACME", headers=sup).json["products"]
    new = next((p for p in listed if p["sku"] == "NEW-0001"), None)
    assert new is not None, listed                                   # it was left out of the table
    estimate = new["estimate"]
    assert (estimate["source"], estimate["n"], estimate["weight"]) == ("supplier_pool", 0, 0)
    assert estimate["mean"] == pytest.approx(MEAN) and estimate["p50"] == pytest.approx(P50)
    assert estimate["p90"] == pytest.approx(P90) and estimate["declared_days"] == 7
    assert estimate["note_en"].startswith("No reception of this product yet: its supplier's 3 measured receptions")
    # Asked for the one product, the pool is still its supplier's (not the product's own lines: none).
    alone = client.get("/api/v1/analytics/lead-times?product=NEW-0001", headers=sup).json["products"]
    assert [(p["sku"], p["estimate"]["source"], p["estimate"]["p90"]) for p in alone] == [
        ("NEW-0001", "supplier_pool", round(P90, 6))]   # (figures are given to six decimals)
    # The product's page plans on the same estimate, and says where it came from.
    page = client.get("/api/v1/products/NEW-0001/policy", headers={**sup, "Accept-Language": "fr"}).json
    assert page["lead_time"]["source"] == "supplier_pool" and page["lead_time"]["p90"] == pytest.approx(P90)
    assert page["lead_time"]["note_fr"].startswith("Aucune réception de ce produit : les 3 réceptions mesurées")


@pytest.mark.usefixtures("every_day_open")
def test_the_look_up_and_the_replenishment_list_promise_the_same_measured_lead_time(app, client, new_product):
    sup = new_product
    # Nothing on the shelf nor on order: ordered from the supplier today, the p90 11.12 (said 11.2: a promise rounds
    # up) + a day's handling (no order
    # shipped yet) = ⌈12.12⌉ = 13 days. On the declared 7 days alone it was ⌈7 + 1.28·0.59 + 1⌉ = 9 days.
    promise = client.get("/api/v1/lookup?code=TL:PRD:NEW-0001&promise=true", headers=sup).json["promise"]
    today = date.today()
    assert promise["basis"] == "lead_time" and promise["days"] == 13
    assert promise["date"] == str(today + timedelta(days=13))
    assert promise["explanation"] == (f"If ordered from the supplier today ({day_text(today)[0]}): p90 lead time "
                                      "11.2 days + 1 day of handling.")
    # A customer orders 5: the list asks for them, expected on the same measured lead time.
    number = sale(app, "GARAGE", [("NEW-0001", 5)], ago(0.01))
    answer = client.get("/api/v1/replenishment", headers=sup).json
    item = next(i for i in answer["items"] if i["sku"] == "NEW-0001")
    today = date.fromisoformat(answer["generated_at"][:10])
    assert item["lead_time_source"] == "supplier_pool"
    assert (item["lead_time_p50"], item["lead_time_p90"]) == (pytest.approx(P50), pytest.approx(P90))
    # p50 9.34 days to the nearest day, 9 (rounded up it would read 10, a day late for half the deliveries); p90
    # up, 12.
    assert date.fromisoformat(item["expected_p50"]) == today + timedelta(days=9)
    assert date.fromisoformat(item["expected_p90"]) == today + timedelta(days=12)
    # The customer's order line is promised as the look-up said, in the reader's words.
    line = client.get(f"/api/v1/sales-orders/{number}", headers={**sup, "Accept-Language": "fr"}).json["lines"][0]
    assert line["promise"]["date"] == str(today + timedelta(days=13))
    assert line["promise"]["explanation"] == (f"Si commandé au fournisseur aujourd'hui ({day_text(today)[1]}) : "
                                              "délai p90 de 11,2 jours + 1 jour de préparation.")


def test_one_delivery_of_several_lines_weighs_as_one(app, client, warehouse):
    """A same-day test order of two lines weighed as two of the supplier's observations (2/7) and pulled its
    products' lead time far below the 7 days declared: one delivery is one observation, 1/6."""
    sup = warehouse["supervisor"]
    purchase(app, "ACME", [("PAD", 10), ("WIPER", 5)], ago(2), ordered=ago(2), received=ago(2 - 1 / 24))
    assert client.post("/api/v1/products", headers=sup, json={
        "sku": "NEW-0002", "name": "New part", "unit_cost": 5, "supplier": "ACME"}).status_code == 201
    listed = client.get("/api/v1/analytics/lead-times?supplier=ACME", headers=sup).json["products"]
    estimate = next(p["estimate"] for p in listed if p["sku"] == "NEW-0002")
    assert estimate["source"] == "supplier_pool"
    assert estimate["mean"] == pytest.approx(1 / 6 * (1 / 24) + 5 / 6 * 7, abs=1e-5)   # 5.84 days, not 2.0
    page = client.get("/api/v1/products/NEW-0002/policy", headers=sup).json
    assert page["lead_time"]["mean"] == pytest.approx(estimate["mean"], abs=1e-5)
