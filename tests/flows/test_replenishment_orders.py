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
