"""The JIT engine on the demo year: measured lead times, reliability, policies, replenishment, orders."""

import re
from datetime import date

import numpy as np
import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import PurchaseOrder, PurchaseOrderEvent, User
from server.queries.planning import weekly_demand
from server.services.auth import new_token
from server.services.demo import generate
from tests.conftest import event




@pytest.fixture
def demo_year(app):
    """Half a year of the demo distributor; tokens for its own users."""
    with app.app_context():
        generate(seed=11, days=180, products=60, echo=lambda *_: None)
        tokens = {}
        for user in db.session.scalars(select(User)):
            raw, _ = new_token(user, ttl_hours=1)
            tokens[user.role] = {"Authorization": f"Bearer {raw}"}
        db.session.remove()
    return tokens


def test_lead_times_policies_and_replenishment(app, client, demo_year):
    sup = demo_year["supervisor"]
    suppliers = {s["supplier"]: s for s in client.get("/api/v1/analytics/suppliers", headers=sup).json}
    slow, erratic, reliable = suppliers["LENTOR"], suppliers["ALEA"], suppliers["FREINEX"]
    # Measured against declared: the slow one takes far longer than it says, the reliable one about what it says.
    assert slow["lead_time"]["mean"] > 1.5 * slow["declared_days"]
    assert abs(reliable["lead_time"]["mean"] - reliable["declared_days"]) < 0.25 * reliable["declared_days"]
    assert erratic["lead_time"]["sd"] > 2 * reliable["lead_time"]["sd"]
    assert slow["reliability"]["otif"] < 0.3
    assert erratic["reliability"]["otif"] < reliable["reliability"]["otif"] - 0.2
    assert reliable["reliability"]["otif"] > 0.8
    assert set(slow["stages"]) == {"order_delay", "supplier_delay", "transport_delay", "reception_delay"}

    detail = client.get("/api/v1/analytics/lead-times?supplier=LENTOR", headers=sup).json
    assert detail["quantile_method"].startswith("Hyndman-Fan type 7")
    assert {p["estimate"]["source"] for p in detail["products"]} <= {"measured", "shrunk_to_supplier", "supplier_pool",
                                                                     "declared"}

    # What measuring changes: the same product's safety stock on the measured lead time against the promise.
    def measured_minus_declared(code):
        skus = [p["sku"] for p in client.get(f"/api/v1/analytics/lead-times?supplier={code}", headers=sup).json["products"]]
        gaps = []
        for sku in skus:
            policy = client.get(f"/api/v1/products/{sku}/policy", headers=sup).json
            if policy["mode"] == "push" and policy["demand"]["daily_mean"] > 0.05:
                gaps.append((policy["policy"]["safety_stock"] - policy["if_declared"]["safety_stock"])
                            / policy["demand"]["daily_mean"])
        assert gaps, code
        return sum(gaps) / len(gaps)       # in days of demand
    slow, erratic, reliable = (measured_minus_declared(code) for code in ("LENTOR", "ALEA", "FREINEX"))
    assert abs(reliable) < 0.5                # reliable: the promise was about right
    assert slow > reliable + 1                # slow: days more stock than the promise suggests
    assert erratic > reliable                 # erratic: more stock too

    one = client.get(f"/api/v1/products/{detail['products'][0]['sku']}/policy", headers=sup).json
    names = [s["name"] for s in one["steps"]]
    assert names[0] == "mode" and "sigma_dl" in names and one["reason"]
    # The chart's weeks are calendar weeks, Monday to Sunday, covering every day of the history the plan read.
    weeks = one["demand"]["weekly"]
    assert all(date.fromisoformat(week["start"]).weekday() == 0 for week in weeks)
    assert sum(week["days"] for week in weeks) == one["demand"]["history_days"] == 364
    assert all(week["days"] == 7 for week in weeks[1:-1])
    # Formulas are symbols, their numbers written as the reader does (a decimal comma in French); what they mean and
    # where their inputs came from is in the reader's language.
    french = client.get(f"/api/v1/products/{one['sku']}/policy", headers={**sup, "Accept-Language": "fr"}).json
    points = [re.sub(r"(?<=\d),(?=\d)", ".", s["formula"]) for s in french["steps"]]
    assert points == [s["formula"] for s in one["steps"]]
    assert not any(re.search(r"\d\.\d", s["formula"] + s["note"] + s["source"]) for s in french["steps"])
    assert (one["steps"][0]["source"], french["steps"][0]["source"]) == ("push/pull rule", "règle flux poussé/tiré")
    assert (one["steps"][0]["note"], french["steps"][0]["note"]) == (one["reason"], french["reason"])

    # Empty the shelves of a push item with nothing on order: the plan must ask for it.
    policies = [client.get(f"/api/v1/products/{e['sku']}/policy", headers=sup).json for e in detail["products"]]
    push = next(p for p in policies if p["mode"] == "push" and p["policy"]["reorder_point"] > 0
                and _on_order(client, sup, p["sku"]) == 0)
    for item in client.get(f"/api/v1/stock?product={push['sku']}", headers=sup).json["items"]:
        if item["location"] != "DISPATCH":
            client.post("/api/v1/adjustments", headers=sup, json=event(
                product=push["sku"], location=item["location"], lot=item["lot"], qty=-item["qty"], reason="test"))
    plan = client.get("/api/v1/replenishment", headers=sup).json
    for item in plan["items"]:
        assert item["qty"] > 0 and item["expected_p90"] >= item["expected_p50"]
        if item["mode"] == "push":
            assert item["projected"] <= item["reorder_point"]
    mine = {i["sku"]: i for i in plan["items"]}[push["sku"]]
    assert mine["qty"] >= push["policy"]["order_quantity"] and mine["supplier"] == "LENTOR"
    # The list and the product's page are one plan: the same reorder point.
    assert mine["reorder_point"] == pytest.approx(push["policy"]["reorder_point"], rel=1e-9)

    chosen = plan["items"][:3]
    created = client.post("/api/v1/replenishment/orders", headers=sup, json={
        "suggested_at": plan["generated_at"], "items": [{"sku": i["sku"], "qty": i["qty"]} for i in chosen]})
    assert created.status_code == 201, created.json
    assert sorted(o["supplier"] for o in created.json) == sorted({i["supplier"] for i in chosen})
    with app.app_context():
        numbers = [o["number"] for o in created.json]
        needs = db.session.execute(select(PurchaseOrderEvent.occurred_at).join(PurchaseOrder)
                                   .where(PurchaseOrder.number.in_(numbers),
                                          PurchaseOrderEvent.kind == "need_detected")).scalars().all()
    assert len(needs) == len(numbers)
    assert all(n.isoformat().startswith(plan["generated_at"][:19]) for n in needs)


def test_replenishment_is_for_supervisors(client, tokens):
    assert client.get("/api/v1/replenishment", headers=tokens["operator"]).status_code == 403


def _on_order(client, headers, sku):
    return client.get(f"/api/v1/lookup?code=TL:PRD:{sku}", headers=headers).json["stock"]["on_order"]


def test_the_weekly_demand_shown_is_the_daily_history_the_plan_read_summed_by_calendar_week():
    """Today Saturday 28 Nov 2026: the 364 days run from Sat 29 Nov 2025 to Fri 27 Nov 2026. Weeks are Monday to
    Sunday, named by their Monday: the first (Mon 24 Nov 2025) holds its Saturday and Sunday only (2 days), then
    51 whole weeks, the last (Mon 23 Nov 2026) Monday to Friday (5 days): 2 + 51 × 7 + 5 = 364. 3 units asked
    on Wed 18 Nov (10 days ago) fall in the week of 16 Nov, 5 yesterday in the week of 23 Nov."""
    daily = np.zeros(364)
    daily[-10], daily[-1] = 3, 5
    weeks = weekly_demand(daily, date(2026, 11, 28))
    assert len(weeks) == 53 and weeks[0] == {"start": "2025-11-24", "qty": 0.0, "days": 2}
    assert weeks[1] == {"start": "2025-12-01", "qty": 0.0, "days": 7}
    assert weeks[-2:] == [{"start": "2026-11-16", "qty": 3.0, "days": 7},
                          {"start": "2026-11-23", "qty": 5.0, "days": 5}]
    assert all(date.fromisoformat(week["start"]).weekday() == 0 for week in weeks)
    assert sum(week["days"] for week in weeks) == 364 and sum(week["qty"] for week in weeks) == 8


def test_on_a_monday_the_years_history_is_52_whole_weeks():
    """Today Monday 30 Nov 2026: from Mon 1 Dec 2025 to Sun 29 Nov 2026."""
    weeks = weekly_demand(np.ones(364), date(2026, 11, 30))
    assert len(weeks) == 52 and {week["days"] for week in weeks} == {7} and {week["qty"] for week in weeks} == {7.0}
    assert (weeks[0]["start"], weeks[-1]["start"]) == ("2025-12-01", "2026-11-23")
