"""What a buyer reviewing the replenishment list needs on each line: the supplier by name, the unit cost the draft
is priced at, the pack and the MOQ a typed quantity is checked against; and when a supplier ordered from every R days
is next reviewed (its products are suggested on that day only). PAD's smooth history makes it a push item."""
from datetime import date, timedelta

from tests.flows.histories import smooth_history


def listed(client, headers) -> dict:
    answer = client.get("/api/v1/replenishment", headers=headers)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_each_line_gives_the_supplier_by_name_its_unit_cost_pack_and_moq(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    answer = client.patch("/api/v1/products/PAD", headers=sup, json={"pack_multiple": 6, "moq": 6})
    assert answer.status_code == 200, answer.json
    item = next(i for i in listed(client, sup)["items"] if i["sku"] == "PAD")
    assert (item["supplier"], item["supplier_name"]) == ("ACME", "Acme")
    assert (item["unit_cost"], item["pack_multiple"], item["moq"]) == (10, 6, 6)
    assert item["qty"] % 6 == 0


def test_a_quantity_off_the_pack_is_ordered_as_typed_and_stays_suggested_if_it_does_not_cover_the_need(
        app, client, warehouse):
    """What the screen warns of before creating, and says after: the API takes 13 of a pack of 6 (the buyer decides),
    and a line ordered below its need is still suggested (on hand + on order still at or below s)."""
    sup = warehouse["supervisor"]
    smooth_history(app)
    client.patch("/api/v1/products/PAD", headers=sup, json={"pack_multiple": 6, "moq": 6})
    answer = listed(client, sup)
    item = next(i for i in answer["items"] if i["sku"] == "PAD")
    assert item["projected"] + 13 <= item["reorder_point"]
    made = client.post("/api/v1/replenishment/orders", headers=sup, json={
        "suggested_at": answer["generated_at"], "items": [{"sku": "PAD", "qty": 13}]})
    assert made.status_code == 201, made.json
    assert [(line["ordered"], line["unit_cost"]) for line in made.json[0]["lines"]] == [(13, 10)]
    again = next(i for i in listed(client, sup)["items"] if i["sku"] == "PAD")
    assert again["on_order"] == 13 and again["projected"] == item["projected"] + 13


def test_a_supplier_ordered_every_r_days_is_listed_with_its_next_review(app, client, warehouse):
    sup = warehouse["supervisor"]
    smooth_history(app)
    answer = listed(client, sup)
    assert answer["reviews"] == []                                    # every supplier is reviewed daily
    assert client.patch("/api/v1/suppliers/ACME", headers=sup, json={"review_period_days": 7}).status_code == 200
    answer = listed(client, sup)
    today = date.fromisoformat(answer["generated_at"][:10])
    assert answer["reviews"] == [{"supplier": "ACME", "supplier_name": "Acme", "review_period_days": 7,
                                  "next_review": today.isoformat()}]     # never ordered from: due today
    assert "PAD" in {i["sku"] for i in answer["items"]}
    made = client.post("/api/v1/replenishment/orders", headers=sup, json={
        "suggested_at": answer["generated_at"], "items": [{"sku": "PAD", "qty": 1}]})
    assert made.status_code == 201, made.json
    after = listed(client, sup)
    assert after["reviews"][0]["next_review"] == (today + timedelta(days=7)).isoformat()
    # the review day is the one the product's page gives
    assert client.get("/api/v1/products/PAD/policy", headers=sup).json["next_review"] == \
        after["reviews"][0]["next_review"]


def test_a_supplier_no_longer_active_is_not_listed_for_review(app, client, warehouse):
    sup = warehouse["supervisor"]
    answer = client.patch("/api/v1/suppliers/ACME", headers=sup, json={"review_period_days": 7, "active": False})
    assert answer.status_code == 200, answer.json
    assert listed(client, sup)["reviews"] == []
