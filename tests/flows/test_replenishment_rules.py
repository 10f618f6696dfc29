"""What the replenishment list asks to buy, against the position and the buyer's overrides, worked by hand.

PAD's smooth history makes it a push item (s ≈ 21, Q = 55 on a declared lead time of 7 days); its lumpy
history makes it a pull item."""
import math
from datetime import date, timedelta

import pytest

from tests.conftest import event
from tests.flows.conftest import EAN
from tests.flows.histories import NOW, ago, lumpy_history, purchase, sale, smooth_history


def policy(client, headers, sku="PAD"):
    return client.get(f"/api/v1/products/{sku}/policy", headers=headers).json


def plan(client, headers):
    answer = client.get("/api/v1/replenishment", headers=headers)
    assert answer.status_code == 200, answer.json
    return {item["sku"]: item for item in answer.json["items"]}


def overrides(client, headers, **body):
    answer = client.patch("/api/v1/products/PAD", headers=headers, json=body)
    assert answer.status_code == 200, answer.json


def test_a_forced_order_quantity_of_zero_is_refused_when_saved(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    answer = client.patch("/api/v1/products/PAD", headers=sup, json={"policy_overrides": {"order_quantity": 0}})
    assert answer.status_code == 422 and answer.json["error"]["field"].startswith("policy_overrides")
    assert plan(client, sup)["PAD"]["qty"] > 0


def test_a_pull_item_forced_to_push_is_bought_for_stock(app, client, warehouse):
    sup = warehouse["supervisor"]
    lumpy_history(app)
    assert policy(client, sup)["mode"] == "pull" and "PAD" not in plan(client, sup)
    overrides(client, sup, policy_overrides={"mode": "push"})
    page = policy(client, sup)
    assert page["mode"] == "push" and page["policy"]["reorder_point"] > 0
    item = plan(client, sup)["PAD"]                          # nothing on hand or on order: buy
    assert item["mode"] == "push" and item["reorder_point"] == pytest.approx(page["policy"]["reorder_point"])


def test_a_forced_safety_stock_moves_the_reorder_point_of_the_list_as_on_the_page(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    client.post("/api/v1/adjustments", headers=sup, json=event(product="PAD", location="A-01", qty=40,
                                                                unit_cost=10, reason="count"))
    assert "PAD" not in plan(client, sup)                    # 40 on hand, s ≈ 21
    overrides(client, sup, policy_overrides={"safety_stock": 100})
    s = policy(client, sup)["policy"]["reorder_point"]
    assert s > 100
    assert plan(client, sup)["PAD"]["reorder_point"] == pytest.approx(s)


def test_a_forced_order_quantity_is_still_bought_in_whole_packs_above_the_moq(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    overrides(client, sup, pack_multiple=12, moq=24, policy_overrides={"order_quantity": 5})
    page = policy(client, sup)
    assert page["policy"]["order_quantity"] == 24            # 5 → 2 packs of 12, the MOQ
    step = [s for s in page["steps"] if s["name"] == "order_quantity"][-1]     # after the computed one
    assert "raised to whole packs" in step["note"]
    qty = plan(client, sup)["PAD"]["qty"]
    assert qty % 12 == 0 and qty >= 24


def test_a_pull_item_is_not_bought_again_once_its_goods_are_in(app, client, warehouse):
    sup = warehouse["supervisor"]
    lumpy_history(app)
    sale(app, "GARAGE", [("PAD", 10)], NOW)                  # empty shelf: nothing could be reserved
    assert plan(client, sup)["PAD"]["qty"] == 10
    purchase(app, "ACME", [("PAD", 10)], NOW, ordered=NOW, received=NOW, put_away=timedelta(0))
    assert client.get("/api/v1/lookup?code=TL:PRD:PAD", headers=sup).json["stock"]["on_hand"] == 10
    # The 10 on the shelf are not reserved by themselves, but they are there for that order: nothing more to buy.
    assert "PAD" not in plan(client, sup)


def test_a_backorder_counts_against_the_position_of_a_push_item(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    sale(app, "GARAGE", [("PAD", 100)], NOW)                 # nothing on hand: 100 backordered
    item = plan(client, sup)["PAD"]
    q = policy(client, sup)["policy"]["order_quantity"]
    assert item["projected"] == -100
    # the list's columns add up to it: the backorder is shown, not only subtracted
    assert (item["on_hand"], item["on_order"], item["reserved"], item["unreserved_demand"]) == (0, 0, 0, 100)
    # whole Qs to get from −100 back above s
    assert item["qty"] == q * (int((item["reorder_point"] + 100) // q) + 1) and item["qty"] > 100


def test_an_over_delivery_on_one_order_is_not_on_order_on_another(app, client, warehouse):
    sup = warehouse["supervisor"]
    purchase(app, "ACME", [("PAD", 10)], ago(10), ordered=ago(10), received=ago(3), received_qty=15)  # 15 of 10
    purchase(app, "ACME", [("PAD", 10)], ago(2), ordered=ago(2))                                     # none yet
    smooth_history(app)
    client.post("/api/v1/adjustments", headers=sup, json=event(product="PAD", location="DOCK", qty=-15, reason="t"))
    assert client.get("/api/v1/lookup?code=TL:PRD:PAD", headers=sup).json["stock"]["on_order"] == 10
    assert plan(client, sup)["PAD"]["on_order"] == 10


@pytest.mark.usefixtures("every_day_open")
def test_expected_dates_are_not_before_the_lead_time(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    answer = client.get("/api/v1/replenishment", headers=sup).json
    item = answer["items"][0]
    today = date.fromisoformat(answer["generated_at"][:10])
    assert (date.fromisoformat(item["expected_p90"]) - today).days >= item["lead_time_p90"]     # a bound: rounded up
    assert abs((date.fromisoformat(item["expected_p50"]) - today).days - item["lead_time_p50"]) <= 0.5   # the nearest


def test_one_reception_does_not_make_the_lead_time_certain(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    declared = policy(client, sup)
    purchase(app, "ACME", [("PAD", 10)], ago(20), ordered=ago(20), received=ago(13))   # exactly 7 days
    client.post("/api/v1/adjustments", headers=sup, json=event(product="PAD", location="DOCK", qty=-10, reason="t"))
    measured = policy(client, sup)
    assert measured["lead_time"]["n"] == 1 and measured["lead_time"]["sd"] > 0
    assert measured["lead_time"]["p90"] > measured["lead_time"]["p50"]
    # One delivery on time is good news, not proof: the safety stock stays near what the promise gave.
    assert measured["policy"]["safety_stock"] >= 0.9 * declared["policy"]["safety_stock"]


def test_the_buyer_forces_a_service_target_and_the_list_follows(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    computed = policy(client, sup)
    assert computed["policy"]["service_target"] == 0.98                      # class A by default
    overrides(client, sup, policy_overrides={"fill_rate_target": 0.9})
    page = policy(client, sup)
    assert page["policy"]["service_kind"] == "fill_rate" and page["policy"]["service_target"] == 0.9
    assert page["policy"]["reorder_point"] < computed["policy"]["reorder_point"]       # less protection
    step = next(s for s in page["steps"] if s["name"] == "fill_rate_target")
    assert step["source"] == "buyer override" and "default: a fill rate of 98%" in step["note"]
    assert {"name": "fill_rate_target", "computed": 0.98, "value": 0.9} in page["policy"]["overrides"]
    assert plan(client, sup)["PAD"]["reorder_point"] == pytest.approx(page["policy"]["reorder_point"])
    overrides(client, sup, policy_overrides={"cycle_service_target": 0.95})
    csl = policy(client, sup)["policy"]
    assert csl["service_kind"] == "cycle_service" and csl["service_target"] == 0.95


@pytest.mark.parametrize("wrong", [{"fill_rate_target": 1}, {"fill_rate_target": 0.3}, {"cycle_service_target": "high"},
                                   {"fill_rate_target": 0.95, "cycle_service_target": 0.9}])
def test_a_forced_service_target_must_be_one_sensible_share(app, client, warehouse, wrong):
    sup = warehouse["supervisor"]
    answer = client.patch("/api/v1/products/PAD", headers=sup, json={"policy_overrides": wrong})
    assert answer.status_code == 422 and answer.json["error"]["field"].startswith("policy_overrides"), answer.json
    french = client.patch("/api/v1/products/PAD", headers={**sup, "Accept-Language": "fr"},
                          json={"policy_overrides": wrong}).json["error"]["message"]
    assert french.startswith("Certains champs sont invalides.") and ("invalide" in french or "Entre 0.5 et 0.9999" in french
                                                                    or "pas les deux" in french), french
    assert client.get("/api/v1/products/PAD", headers=sup).json["policy_overrides"] == {}


def test_the_buyer_forces_the_lead_time_and_the_list_follows(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    measured = policy(client, sup)
    overrides(client, sup, policy_overrides={"lead_time_mean": 21, "lead_time_sd": 3})   # the supplier warned
    page = policy(client, sup)
    assert page["policy"]["reorder_point"] > measured["policy"]["reorder_point"] + 2 * 14   # ~2 a day, 14 days more
    forced = {o["name"]: o["value"] for o in page["policy"]["overrides"]}
    assert forced == {"lead_time_mean": 21, "lead_time_sd": 3}
    assert plan(client, sup)["PAD"]["reorder_point"] == pytest.approx(page["policy"]["reorder_point"])
    wrong = client.patch("/api/v1/products/PAD", headers=sup, json={"policy_overrides": {"lead_time_mean": 0}})
    assert wrong.status_code == 422 and wrong.json["error"]["field"] == "policy_overrides.lead_time_mean"


@pytest.mark.usefixtures("every_day_open")
def test_a_forced_lead_time_is_the_one_the_list_expects_the_goods_by(app, client, warehouse):
    """The buyer forced 21 days (the supplier warned of a new delay): the list ordered for 21 days but still said
    the goods would come in the measured 7 (p50) — the page said 21."""
    sup = warehouse["supervisor"]
    smooth_history(app)
    overrides(client, sup, policy_overrides={"lead_time_mean": 21, "lead_time_sd": 3})
    answer = client.get("/api/v1/replenishment", headers=sup).json
    item = next(i for i in answer["items"] if i["sku"] == "PAD")
    today = date.fromisoformat(answer["generated_at"][:10])
    assert item["lead_time_source"] == "forced" and item["lead_time_p50"] == 21
    assert item["lead_time_p90"] == pytest.approx(21 + 1.2815515655446004 * 3)        # p90 of a mean and an sd
    assert date.fromisoformat(item["expected_p50"]) == today + timedelta(days=21)
    assert date.fromisoformat(item["expected_p90"]) == today + timedelta(days=25)
    # the product page reads the same figures from the server, next to the measured estimate
    page = client.get("/api/v1/products/PAD/policy", headers=sup).json
    planned = page["lead_time_planned"]
    assert (planned["source"], planned["p50"], planned["p90"]) == ("forced", 21, item["lead_time_p90"])
    assert page["lead_time"]["source"] != "forced"


def test_a_forced_lead_time_is_the_one_a_customer_is_promised(app, client, warehouse):
    """Nothing in stock nor on order: a customer is promised the supplier's lead time, the buyer's when forced."""
    sup = warehouse["supervisor"]
    ask = lambda: client.get(f"/api/v1/lookup?code={EAN}&promise=true", headers=sup).json["promise"]   # noqa: E731
    declared = ask()                                           # ACME declares 7 days
    overrides(client, sup, policy_overrides={"lead_time_mean": 21, "lead_time_sd": 3})
    forced = ask()
    assert forced["days"] - declared["days"] == math.ceil(21 + 1.2815515655446004 * 3 + 1) - math.ceil(
        7 + 1.2815515655446004 * 7 * 0.25 + 1), (declared, forced)                      # p90 + a day of handling


def test_the_page_compares_a_forced_lead_time_with_the_declared_one(app, client, warehouse):
    """The page's "with the declared lead time instead" column repeated the forced policy (the override was applied to
    it too): it is the policy on the supplier's promise, whatever the buyer forced about the lead time."""
    sup = warehouse["supervisor"]
    smooth_history(app)
    declared = policy(client, sup)["if_declared"]
    overrides(client, sup, policy_overrides={"lead_time_mean": 21, "lead_time_sd": 3})
    page = policy(client, sup)
    assert page["if_declared"]["reorder_point"] == pytest.approx(declared["reorder_point"])
    assert page["policy"]["reorder_point"] > declared["reorder_point"] + 2 * 10


def test_the_french_refusals_and_notes_of_forced_targets_use_the_pages_words(app, client, warehouse):
    """The page asks for a 'Taux de satisfaction visé' or a 'Taux de service cycle visé'; the server said 'un taux de
    service ou un niveau de service par cycle', its note 'un taux de service de 0.98', and NaN was refused in English."""
    sup = {**warehouse["supervisor"], "Accept-Language": "fr"}
    both = client.patch("/api/v1/products/PAD", headers=sup, json={"policy_overrides": {
        "fill_rate_target": 0.95, "cycle_service_target": 0.9}}).json["error"]["message"]
    assert "taux de satisfaction visé" in both and "taux de service cycle visé" in both, both
    nan = client.patch("/api/v1/products/PAD", headers=sup, json={"policy_overrides": {"demand_mean": "NaN"}})
    assert nan.status_code == 422 and "Special numeric" not in nan.json["error"]["message"], nan.json
    smooth_history(app)
    overrides(client, sup, policy_overrides={"cycle_service_target": 0.95})
    step = next(s for s in policy(client, sup)["steps"] if s["name"] == "cycle_service_target")
    assert step["note"] == "forcé par l'acheteur (par défaut : un taux de satisfaction de 98\u202f%)", step
