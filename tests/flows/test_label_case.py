"""A customer's own codes in lower case: Tendu's labels carry them in capitals, and must still name them.

Found on a first day: SKUs imported as ``vis-m6`` and a bin created as ``rack-a1`` printed labels reading
``TL:PRD:VIS-M6`` and ``TL:LOC:RACK-A1``, which the look-up and every scan then called unknown.
"""
import io

from tests.conftest import event
from tests.flows.conftest import EAN


def _import(client, headers, kind, text):
    return client.post(f"/api/v1/imports/{kind}", headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(text.encode()), f"{kind}.csv")})


def _decoded_label(client, headers, kind, key) -> str:
    png = client.get(f"/api/v1/labels/{kind}/{key}.png", headers=headers)
    assert png.status_code == 200, png.json
    decoded = client.post("/api/v1/barcodes/decode", headers=headers, content_type="multipart/form-data",
                          data={"image": (io.BytesIO(png.data), "label.png")})
    assert decoded.status_code == 200, decoded.json
    return decoded.json["symbols"][0]["parse"]["raw"].removeprefix("]C0")


def test_the_labels_of_lower_case_codes_scan_back_to_them(client, warehouse, scanner):
    sup = warehouse["supervisor"]
    assert _import(client, sup, "products", "sku,name,supplier\nvis-m6,Vis M6,ACME\n").status_code == 200
    assert client.post("/api/v1/locations", json={"code": "rack-a1", "walk_order": 5}, headers=sup).status_code == 201

    product_label = _decoded_label(client, sup, "products", "vis-m6")
    bin_label = _decoded_label(client, sup, "locations", "rack-a1")
    assert (product_label, bin_label) == ("TL:PRD:VIS-M6", "TL:LOC:RACK-A1")

    found = client.get("/api/v1/lookup", query_string={"code": product_label}, headers=sup)
    assert found.status_code == 200, found.json
    assert found.json["product"]["sku"] == "vis-m6"
    place = client.get("/api/v1/lookup", query_string={"code": bin_label}, headers=sup)
    assert place.status_code == 200, place.json
    assert place.json["location"]["code"] == "rack-a1"

    # Counted on the shelf: the bin's label, then the product's label.
    assert client.post("/api/v1/adjustments", json=event(product="vis-m6", location="rack-a1", qty=3, reason="open"),
                       headers=sup).status_code == 201
    status, answer = scanner.scan(product_label, "count", bin="RACK-A1", qty=3)
    assert status in (200, 201), answer
    stock = client.get("/api/v1/stock?product=vis-m6", headers=sup).json["items"]
    assert [(row["location"], row["qty"]) for row in stock] == [("rack-a1", 3)]


def test_a_code_differing_only_in_case_from_another_is_refused(client, warehouse):
    """Labels cannot tell ``pad`` from ``PAD``: a second product or bin spelt so would make both unscannable."""
    sup = warehouse["supervisor"]
    twin = client.post("/api/v1/products", json={"sku": "pad", "name": "Another pad"}, headers=sup)
    assert twin.status_code == 409 and twin.json["error"]["code"] == "duplicate", twin.json
    assert "PAD" in twin.json["error"]["message"]
    bin_twin = client.post("/api/v1/locations", json={"code": "a-01"}, headers=sup)
    assert bin_twin.status_code == 409 and bin_twin.json["error"]["code"] == "duplicate", bin_twin.json

    report = _import(client, sup, "products", f"sku,name,barcodes\npad,Another pad,\nPAD,Brake pad,{EAN}\n")
    assert report.status_code == 422
    assert [(row["line"], row["code"]) for row in report.json["refused"]] == [(2, "duplicate")]
    in_file = _import(client, sup, "products", "sku,name\nnut-8,Nut\nNUT-8,Nut\n")
    assert in_file.status_code == 422
    assert [(row["line"], row["code"]) for row in in_file.json["refused"]] == [(3, "duplicate_in_file")]
    assert client.get("/api/v1/products/pad", headers=sup).status_code == 404
    assert client.post("/api/v1/adjustments", json=event(product="PAD", location="A-01", qty=1, reason="t"),
                       headers=sup).status_code == 201
