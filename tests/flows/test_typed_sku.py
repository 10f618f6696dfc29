"""A SKU typed on the phone where a label would not scan: it names its product when picking or receiving against an
order (the product must be on it), and nowhere else, where nothing would catch a typo."""
from tests.conftest import event



def test_a_sku_typed_on_the_pick_screen_picks_its_line_and_only_a_line_of_the_order(client, warehouse, scanner, shelf):
    """The pick list shows SKUs: typed where a label would not scan, one names its product when it is on the order;
    the same text elsewhere (a put-away) is still no code known here."""
    sup = warehouse["supervisor"]
    client.post("/api/v1/adjustments", json=event(product="WIPER", location="B-01", qty=5, reason="open"),
                headers=sup)
    so = client.post("/api/v1/sales-orders", headers=sup, json=event(
        customer="GARAGE", lines=[{"product": "WIPER", "qty": 2}])).json
    status, body = scanner.scan("wiper", "pick", order=so["number"], bin="B-01")      # in any case: one product
    assert status == 201 and body["product"]["sku"] == "WIPER", body
    status, body = scanner.scan("PAD", "pick", order=so["number"], bin="A-01")
    assert status == 409 and body["error"]["code"] == "not_on_order", body
    status, body = scanner.scan("PAD", "put_away", bin="A-01")
    assert status == 404 and body["error"]["code"] == "unknown_code", body
    status, body = scanner.scan("PAD", "receive", order=shelf)                          # on the purchase order
    assert status == 201 and body["product"]["sku"] == "PAD", body
