"""A supplier ordered from on fixed days (every R days): its products are planned (R, S) and suggested on its
review day only, up to S. PAD's smooth history (2 units a day) makes it a push item."""
from datetime import timedelta
from types import SimpleNamespace

import numpy as np
import pytest
from sqlalchemy import select

from server.domain import leadtime
from server.domain.plan import replenishment_plan
from server.extensions import db
from server.models import Supplier
from server.queries import planning
from server.services import sales
from tests.flows.histories import (NOW, _short_everything, ago, lumpy_history, purchase, sale, smooth_history,
                                   stamp)


def policy(client, headers, sku="PAD"):
    answer = client.get(f"/api/v1/products/{sku}/policy", headers=headers)
    assert answer.status_code == 200, answer.json
    return answer.json


def plan(client, headers):
    answer = client.get("/api/v1/replenishment", headers=headers)
    assert answer.status_code == 200, answer.json
    return {item["sku"]: item for item in answer.json["items"]}


def weekly(client, headers, days=7):
    answer = client.patch("/api/v1/suppliers/ACME", headers=headers, json={"review_period_days": days})
    assert answer.status_code == 200, answer.json


def acme() -> Supplier:
    return db.session.scalar(select(Supplier).where(Supplier.code == "ACME"))


def test_a_supplier_is_reviewed_daily_unless_given_a_period(client, warehouse):
    sup = warehouse["supervisor"]
    assert client.get("/api/v1/suppliers/ACME", headers=sup).json["review_period_days"] is None
    for wrong in (0, -7, 400, 2.5, "weekly"):
        answer = client.patch("/api/v1/suppliers/ACME", headers=sup, json={"review_period_days": wrong})
        assert answer.status_code == 422 and answer.json["error"]["field"] == "review_period_days", wrong
    weekly(client, sup)
    assert client.get("/api/v1/suppliers/ACME", headers=sup).json["review_period_days"] == 7
    weekly(client, sup, None)
    assert client.get("/api/v1/suppliers/ACME", headers=sup).json["review_period_days"] is None


def test_the_page_and_the_list_order_up_to_the_same_level(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    daily = policy(client, sup)["policy"]
    assert daily["reorder_point"] > 0 and daily["order_up_to"] is None and daily["review_period_days"] is None
    weekly(client, sup)
    page = policy(client, sup)
    numbers = page["policy"]
    assert numbers["review_period_days"] == 7 and numbers["reorder_point"] is None
    assert page["next_review"] == NOW.date().isoformat()          # never ordered from: due today
    assert numbers["order_quantity"] is None and numbers["undershoot"] == 0
    # S covers R + E[L] days: 7 + the declared 7 (nothing measured yet), at the forecast's ~2 a day
    d, lead = page["demand"]["daily_mean"], page["lead_time"]["mean"]
    assert numbers["mean_lead_time_demand"] == pytest.approx(d * (7 + lead))
    assert numbers["order_up_to"] == pytest.approx(d * (7 + lead) + numbers["safety_stock"])
    assert "order_up_to" in [s["name"] for s in page["steps"]]
    # Never ordered from: due today. Nothing on hand or on order: buy S, in whole units.
    item = plan(client, sup)["PAD"]
    assert item["order_up_to"] == pytest.approx(numbers["order_up_to"]) and item["reorder_point"] is None
    assert item["review_period_days"] == 7 and item["qty"] == pytest.approx(-(-numbers["order_up_to"] // 1))
    assert "review day" in item["reason"]


def test_after_ordering_the_supplier_is_due_again_r_days_later(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    weekly(client, sup)
    listed = client.get("/api/v1/replenishment", headers=sup).json
    ordered = client.post("/api/v1/replenishment/orders", headers=sup, json={
        "suggested_at": listed["generated_at"], "items": [{"sku": "PAD", "qty": item["qty"]}
                                                          for item in listed["items"]]})
    assert ordered.status_code == 201, ordered.json
    sale(app, "GARAGE", [("PAD", 500)], NOW)            # a big order nobody's stock covers, after the review
    assert "PAD" not in plan(client, sup)               # not the supplier's day: it waits for the next review
    assert policy(client, sup)["next_review"] == (NOW.date() + timedelta(days=7)).isoformat()
    with app.app_context():
        today = NOW.date()
        supplier = acme()
        assert planning.next_review(supplier, planning.last_reviews(), today) == today + timedelta(days=7)
        due = {s["sku"]: s for s in planning.suggestions(today + timedelta(days=7))}
    item = due["PAD"]                                   # S − position, in whole units
    assert item["projected"] < 0 and item["qty"] == pytest.approx(-(-(item["order_up_to"] - item["projected"]) // 1))
    # the same supplier reviewed daily: the reorder point fires at once
    weekly(client, sup, None)
    assert plan(client, sup)["PAD"]["reason"].startswith("at or below")


def test_a_hand_typed_draft_counts_as_the_review(app, client, warehouse):
    sup = warehouse["supervisor"]
    weekly(client, sup, 14)
    answer = client.post("/api/v1/purchase-orders", headers=sup, json={"supplier": "ACME",
                                                                       "lines": [{"product": "PAD", "qty": 5}]})
    assert answer.status_code == 201, answer.json
    with app.app_context():
        supplier = acme()
        today = NOW.date()
        reviews = planning.last_reviews()
        assert planning.next_review(supplier, reviews, today) == today + timedelta(days=14)
        # its review day, and two days of grace (a day off); then the next review day
        for late in (14, 16):
            assert planning.next_review(supplier, reviews, today + timedelta(days=late)) == today + timedelta(late)
        assert planning.next_review(supplier, reviews, today + timedelta(days=17)) == today + timedelta(days=28)


def test_overrides_follow_the_review_type(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    assert client.patch("/api/v1/products/PAD", headers=sup,
                        json={"policy_overrides": {"reorder_point": 50}}).status_code == 200
    weekly(client, sup)
    # saved for daily review: kept, shown as not used, and the list still answers with S
    page = policy(client, sup)
    assert page["policy"]["reorder_point"] is None and page["policy"]["order_up_to"] > 0
    assert any(s["name"] == "reorder_point" and "not used" in s["note"] for s in page["steps"])
    assert plan(client, sup)["PAD"]["order_up_to"] == pytest.approx(page["policy"]["order_up_to"])
    assert client.patch("/api/v1/products/PAD", headers=sup,
                        json={"policy_overrides": {"order_up_to": 80}}).status_code == 200
    item = plan(client, sup)["PAD"]
    assert item["order_up_to"] == 80 and item["qty"] == 80 and policy(client, sup)["policy"]["order_up_to"] == 80


def test_buying_a_pull_item_between_two_reviews_does_not_move_the_review_day(app, client, warehouse):
    """Reviewed 5 days ago; today a customer's order makes BOLT, a pull item of the same supplier, to be bought
    at once. That order is no review of PAD: PAD is due in 2 days, not 7 (its S covers R + L days)."""
    sup = warehouse["supervisor"]
    assert client.post("/api/v1/products", headers=sup, json={"sku": "BOLT", "name": "Bolt", "unit_cost": 3,
                                                              "supplier": "ACME"}).status_code == 201
    smooth_history(app)
    lumpy_history(app, "BOLT")
    weekly(client, sup)
    purchase(app, "ACME", [("PAD", 1)], ago(5))
    sale(app, "GARAGE", [("BOLT", 4)], NOW)
    listed = client.get("/api/v1/replenishment", headers=sup).json
    items = {i["sku"]: i for i in listed["items"]}
    assert items["BOLT"]["mode"] == "pull" and "PAD" not in items             # PAD: not the supplier's day
    assert client.post("/api/v1/replenishment/orders", headers=sup, json={
        "suggested_at": listed["generated_at"],
        "items": [{"sku": "BOLT", "qty": items["BOLT"]["qty"]}]}).status_code == 201
    with app.app_context():
        review_day = ago(5).date() + timedelta(days=7)
        assert planning.next_review(acme(), planning.last_reviews(), NOW.date()) == review_day
        assert "PAD" in {s["sku"] for s in planning.suggestions(review_day)}


def test_a_review_day_with_nothing_to_order_waits_for_the_next_one_after_the_grace(app, client, warehouse):
    """Reviewed 7 days ago with plenty on order: today, the review day, nothing is to be ordered. The supplier is
    not reviewed daily from then on (an S sized for R + L days, ordered the day each product dips below it)."""
    sup = warehouse["supervisor"]
    smooth_history(app)
    weekly(client, sup)
    purchase(app, "ACME", [("PAD", 1000)], ago(7))
    with app.app_context():
        today, reviews = NOW.date(), planning.last_reviews()
        assert "PAD" not in {s["sku"] for s in planning.suggestions(today)}
        assert planning.next_review(acme(), reviews, today + timedelta(days=2)) == today + timedelta(days=2)
        assert planning.next_review(acme(), reviews, today + timedelta(days=3)) == today + timedelta(days=7)


def test_a_product_that_stopped_selling_is_not_bought_by_the_thousand_on_review_day(app, client, warehouse):
    """PAD sold 3 to 5 units every 2 days for 8 months, then nothing for 4: reviewed daily its reorder point is a
    few units, and so must its S be on a weekly supplier's review day."""
    sup = warehouse["supervisor"]
    with app.app_context():
        for i, days in enumerate(range(120, 364, 2)):
            order, _ = sales.create_order(stamp(ago(days)), customer="GARAGE",
                                          lines=[{"sku": "PAD", "qty": 3 + 2 * (i % 2)}])
            _short_everything(order.number)
        db.session.remove()
    daily = policy(client, sup)["policy"]
    weekly(client, sup)
    page = policy(client, sup)
    assert page["policy"]["order_up_to"] <= 3 * max(daily["reorder_point"], 10.0)
    assert plan(client, sup)["PAD"]["qty"] <= 3 * max(daily["reorder_point"], 10.0)


def test_the_pages_if_declared_order_up_to_is_over_the_declared_horizon(app):
    """'What measuring changed': the same product on the declared lead time, its windows R + declared days."""
    rng = np.random.default_rng(4)
    daily = np.vstack([rng.poisson(3.0, 730) * np.repeat(rng.random(73) < 0.4, 10)]).astype(float)
    measured, declared = 2.0, 10.0
    result = replenishment_plan(daily, unit_cost=20.0, lt_mean=measured, lt_sd=0.5, review_days=7.0)
    product = SimpleNamespace(critical=False, moq=0, pack_multiple=1, unit_cost=20, policy_overrides={}, active=True)
    supplier = SimpleNamespace(review_period_days=7, ordering_cost=None, declared_lead_time_days=declared)
    estimate = SimpleNamespace(mean=measured, sd=0.5, source="declared", n=0)
    with app.app_context():                                   # (the company's holding rate is a setting)
        inputs = planning._policy_input(product, supplier, result, 0, estimate)
    page = planning.Explained(product, supplier, result, 0, estimate, inputs, None, daily[0])
    on_declared = replenishment_plan(daily, unit_cost=20.0, lt_mean=declared,
                                     lt_sd=declared * leadtime.DECLARED_CV, review_days=7.0)
    assert page.as_if_declared().order_up_to == pytest.approx(on_declared.order_up_to[0], rel=1e-6)
