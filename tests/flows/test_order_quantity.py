"""How much one order brings: the EOQ where the supplier's cost of an order is known, four weeks of demand
otherwise; the list and the product page agree, worked by hand on PAD (unit cost 10, ~2 a day)."""
import math

import pytest

from tests.conftest import fingerprint
from tests.flows.histories import smooth_history


def policy(client, headers):
    answer = client.get("/api/v1/products/PAD/policy", headers=headers)
    assert answer.status_code == 200, answer.json
    return answer.json


def listed_qty(client, headers):
    items = client.get("/api/v1/replenishment", headers=headers).json["items"]
    return next(item["qty"] for item in items if item["sku"] == "PAD")


def step(page, name):
    return next(s for s in page["steps"] if s["name"] == name)


def test_without_a_cost_per_order_an_order_covers_four_weeks(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    page = policy(client, sup)
    d = page["demand"]["daily_mean"]
    cover = step(page, "order_quantity_cover")
    assert cover["value"] == pytest.approx(d * 28) and "4 weeks of demand" in cover["note"]
    assert page["policy"]["eoq"] is None and page["policy"]["order_quantity"] == round(d * 28)
    assert listed_qty(client, sup) == page["policy"]["order_quantity"]


def test_a_cost_per_order_sizes_orders_by_the_eoq_on_the_page_and_in_the_list(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    answer = client.patch("/api/v1/suppliers/ACME", headers=sup, json={"ordering_cost": 40})
    assert answer.status_code == 200 and answer.json["ordering_cost"] == 40
    page = policy(client, sup)
    d = page["demand"]["daily_mean"]
    # D = 365·d̄ a year, S = 40 an order, H = 25 % × 10 = 2.5 a unit-year: √(2·D·S/H)
    expected = math.sqrt(2 * 365 * d * 40 / 2.5)
    assert 140 < expected < 165                                # ≈ 2 a day: ~150, more than 4 weeks' ~55
    assert page["policy"]["eoq"] == pytest.approx(expected, rel=1e-9)
    assert step(page, "eoq")["formula"].endswith("D = d̄·365, H = r·c = 0.25·10")
    assert page["policy"]["order_quantity"] == round(expected)
    assert listed_qty(client, sup) == page["policy"]["order_quantity"]


def test_the_holding_rate_is_the_companys(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    client.patch("/api/v1/suppliers/ACME", headers=sup, json={"ordering_cost": 40})
    app.config["TENDU_HOLDING_RATE"] = 0.10                   # money is cheap: bigger, rarer orders
    page = policy(client, sup)
    expected = math.sqrt(2 * 365 * page["demand"]["daily_mean"] * 40 / 1.0)
    assert page["policy"]["eoq"] == pytest.approx(expected, rel=1e-9)
    assert listed_qty(client, sup) == round(expected)


@pytest.mark.parametrize("wrong", [0, -5, 2_000_000, "cheap", float("nan")])
def test_a_cost_per_order_must_be_a_positive_amount(app, client, warehouse, wrong):
    sup = warehouse["supervisor"]
    with app.app_context():
        before = fingerprint()
    answer = client.patch("/api/v1/suppliers/ACME", headers=sup, json={"ordering_cost": wrong})
    if wrong != wrong:  # NaN is no JSON: the body is refused before any field is read
        assert answer.status_code == 400 and answer.json["error"]["code"] == "bad_json", answer.json
    else:
        assert answer.status_code == 422 and answer.json["error"]["field"] == "ordering_cost", answer.json
    with app.app_context():
        assert fingerprint() == before


def test_clearing_the_cost_goes_back_to_four_weeks(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    client.patch("/api/v1/suppliers/ACME", headers=sup, json={"ordering_cost": 40})
    cleared = client.patch("/api/v1/suppliers/ACME", headers=sup, json={"ordering_cost": None})
    assert cleared.status_code == 200 and cleared.json["ordering_cost"] is None
    page = policy(client, sup)
    assert page["policy"]["eoq"] is None and step(page, "order_quantity_cover")


def test_a_product_without_a_cost_says_why_its_orders_cover_four_weeks(app, client, warehouse):
    """ACME's cost of an order is set, PAD's unit cost is not: the page said 'no cost of an order is set for the
    supplier' beside the supplier's page showing one; it is the product's cost that is missing (nothing to hold)."""
    sup = warehouse["supervisor"]
    smooth_history(app)
    client.patch("/api/v1/suppliers/ACME", headers=sup, json={"ordering_cost": 40})
    client.patch("/api/v1/products/PAD", headers=sup, json={"unit_cost": 0})
    cover = step(policy(client, sup), "order_quantity_cover")
    assert "unit cost" in cover["note"] and "no cost of an order" not in cover["note"], cover
    french = step(policy(client, {**sup, "Accept-Language": "fr"}), "order_quantity_cover")
    assert "coût unitaire" in french["note"], french
