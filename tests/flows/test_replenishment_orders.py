"""Draft purchase orders from the replenishment list: the quantities a buyer may type."""
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from tests.conftest import fingerprint


@pytest.fixture
def catalogue(client, warehouse):
    """A battery sold by the piece in packs of 6 (MOQ 6), and an oil bought by the litre."""
    sup = warehouse["supervisor"]
    for body in ({"sku": "BAT", "name": "Battery", "supplier": "ACME", "moq": 6, "pack_multiple": 6},
                 {"sku": "OIL", "name": "Engine oil", "unit": "l", "supplier": "ACME"}):
        assert client.post("/api/v1/products", json=body, headers=sup).status_code == 201, body
    return sup


def order(client, headers, *items, language="en"):
    return client.post("/api/v1/replenishment/orders", headers={**headers, "Accept-Language": language}, json={
        "suggested_at": datetime.now(timezone.utc).isoformat(),
        "items": [{"sku": sku, "qty": qty} for sku, qty in items]})


@pytest.mark.parametrize("items", [[("BAT", 0.5)], [("OIL", 2), ("BAT", "12.5")]])
def test_a_fraction_of_a_piece_is_refused_and_nothing_is_ordered(app, client, catalogue, items):
    with app.app_context():
        before = fingerprint()
    answer = order(client, catalogue, *items)
    assert answer.status_code == 422, answer.json
    error = answer.json["error"]
    qty = str(items[-1][1])
    assert (error["code"], error["field"]) == ("whole_units_required", f"items.{len(items) - 1}.qty")
    assert error["message"] == f"BAT is counted in whole pieces (pce): {qty} is not a whole number."
    french = order(client, catalogue, *items, language="fr").json["error"]["message"]
    assert french == f"BAT se compte en pièces entières (pce) : {qty.replace('.', ',')} n'est pas un nombre entier."
    with app.app_context():
        assert fingerprint() == before


def test_litres_may_be_fractional_and_a_buyer_may_order_below_the_moq_or_off_the_pack(client, catalogue):
    answer = order(client, catalogue, ("OIL", 2.5), ("BAT", 4), ("PAD", "7.000"))
    assert answer.status_code == 201, answer.json
    [created] = answer.json
    assert {line["sku"]: Decimal(line["ordered"]) for line in created["lines"]} == {"OIL": 2.5, "BAT": 4, "PAD": 7}


def test_the_orders_made_give_their_quantities_as_numbers_like_every_other_order(client, catalogue):
    """The answer gave "ordered": "12", "unit_cost": "31.3800" (strings), where the order itself gives 12 and 31.38."""
    answer = order(client, catalogue, ("OIL", 2.5), ("BAT", 6))
    assert answer.status_code == 201, answer.json
    [created] = answer.json
    read = client.get(f"/api/v1/purchase-orders/{created['number']}", headers=catalogue).json
    assert created["lines"] == [{key: line[key] for key in created["lines"][0]} for line in read["lines"]]
    assert {line["sku"]: line["ordered"] for line in created["lines"]} == {"OIL": 2.5, "BAT": 6}


def test_suggestions_computed_more_than_a_day_ago_are_refused(app, client, catalogue):
    """A list left open over a weekend (or a date typed wrong: 2020) backdated the need by days or years, and the
    lead times measured from it with it; what was suggested then may have been ordered since."""
    with app.app_context():
        before = fingerprint()
    for language, words in (("en", "refresh"), ("fr", "actualisez")):
        answer = client.post("/api/v1/replenishment/orders", headers={**catalogue, "Accept-Language": language}, json={
            "suggested_at": "2020-11-28T08:00:00+00:00", "items": [{"sku": "BAT", "qty": 6}]})
        assert answer.status_code == 422, answer.json
        assert (answer.json["error"]["code"], answer.json["error"]["field"]) == ("stale_suggestions", "suggested_at")
        assert words in answer.json["error"]["message"]
    with app.app_context():
        assert fingerprint() == before


def test_a_product_listed_twice_for_one_supplier_is_refused_naming_it(app, client, catalogue):
    """It made two lines of BAT on one purchase order."""
    client.post("/api/v1/suppliers", json={"code": "OTHER", "name": "Other"}, headers=catalogue)
    with app.app_context():
        before = fingerprint()
    for language, words in (("en", "BAT is listed twice for ACME (items 0 and 2)"),
                            ("fr", "BAT figure deux fois pour ACME (articles 0 et 2)")):
        answer = order(client, catalogue, ("BAT", 6), ("OIL", 2), ("BAT", 12), language=language)
        assert answer.status_code == 422, answer.json
        error = answer.json["error"]
        assert (error["code"], error["field"]) == ("duplicate_item", "items.2.sku")
        assert error["details"] == {"sku": "BAT", "supplier": "ACME", "first": 0}
        assert error["message"].startswith(words), error["message"]
    named = client.post("/api/v1/replenishment/orders", headers=catalogue, json={
        "suggested_at": datetime.now(timezone.utc).isoformat(),
        "items": [{"sku": "BAT", "qty": 6}, {"sku": "BAT", "qty": 6, "supplier": "ACME"}]})
    assert named.status_code == 422 and named.json["error"]["field"] == "items.1.sku"   # ACME is BAT's own
    with app.app_context():
        assert fingerprint() == before
    # bought from two suppliers at once: one order each
    split = client.post("/api/v1/replenishment/orders", headers=catalogue, json={
        "suggested_at": datetime.now(timezone.utc).isoformat(),
        "items": [{"sku": "BAT", "qty": 6}, {"sku": "BAT", "qty": 12, "supplier": "OTHER"}]})
    assert split.status_code == 201, split.json
    assert sorted((o["supplier"], [(ln["sku"], ln["ordered"]) for ln in o["lines"]]) for o in split.json) == [
        ("ACME", [("BAT", 6)]), ("OTHER", [("BAT", 12)])]
