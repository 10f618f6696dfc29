"""Barcodes through HTTP: parse, look up with stock, link a code, decode a photo."""
import io
import struct
import zlib

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from tests.conftest import event, fingerprint

GS = "\x1d"
EAN = "4006381333931"            # check digit 1
CARTON = "14006381333938"        # same item, carton of 12


@pytest.fixture
def catalogue(client, tokens):
    sup = tokens["supervisor"]
    for code in ("A-01", "DOCK"):
        client.post("/api/v1/locations", json={"code": code}, headers=sup)
    client.post("/api/v1/suppliers", json={"code": "ACME", "name": "Acme"}, headers=sup)
    res = client.post("/api/v1/products", headers=sup, json={
        "sku": "PAD-1", "name": "Plaquettes", "supplier": "ACME",
        "barcodes": [{"code": EAN}, {"code": CARTON, "pack_qty": 12}]})
    assert res.status_code == 201, res.json
    client.post("/api/v1/adjustments", headers=sup, json=event(product="PAD-1", location="A-01", qty=30,
                                                                lot="L7", expiry="2027-05-31", reason="open"))
    return sup


def test_parse_gs1_with_group_separator(client, tokens):
    res = client.post("/api/v1/barcodes/parse", headers=tokens["operator"],
                      json={"code": f"]C101{CARTON}10LOT42{GS}17270531"})
    assert res.status_code == 200, res.json
    body = res.json
    assert (body["symbology"], body["aim"], body["gtin"], body["lot"], body["expiry"]) == \
        ("gs1_128", "]C1", CARTON, "LOT42", "2027-05-31")
    assert [e["ai"] for e in body["elements"]] == ["01", "10", "17"]


@pytest.mark.parametrize("code, error", [
    ("4006381333932", "bad_check_digit"),
    ("   ", "empty"),
    ("(17)271332", "invalid_date"),
])
def test_parse_refusals_are_422_with_a_precise_code(client, tokens, code, error):
    res = client.post("/api/v1/barcodes/parse", json={"code": code},
                      headers={**tokens["operator"], "Accept-Language": "fr"})
    assert res.status_code == 422 and res.json["error"]["code"] == error
    assert res.json["error"]["message"]


def test_lookup_unit_and_carton(client, tokens, catalogue):
    unit = client.get(f"/api/v1/lookup?code={EAN}", headers=tokens["operator"]).json
    assert unit["kind"] == "product" and unit["product"]["sku"] == "PAD-1" and unit["quantity"] == 1
    stock = unit["stock"]
    assert (stock["on_hand"], stock["reserved"], stock["available"], stock["on_order"]) == (30, 0, 30, 0)
    assert stock["by_location"] == [{"location": "A-01", "kind": "bin", "lot": "L7", "expiry": "2027-05-31", "qty": 30}]
    carton = client.get(f"/api/v1/lookup?code={CARTON}", headers=tokens["operator"]).json
    assert carton["quantity"] == 12 and carton["pack_qty"] == 12


@pytest.mark.parametrize("typed", ["PAD-1", "pad-1", " PAD-1 "])
def test_a_sku_typed_on_the_look_up_names_its_product(client, tokens, catalogue, typed):
    """An operator typed "DSC-0052" where the label would not scan: "is not known here"."""
    res = client.get("/api/v1/lookup", query_string={"code": typed}, headers=tokens["operator"])
    assert res.status_code == 200, res.json
    assert (res.json["kind"], res.json["product"]["sku"], res.json["stock"]["on_hand"]) == ("product", "PAD-1", 30)


def test_an_all_digit_sku_and_an_order_number_typed_on_the_look_up(client, tokens, catalogue):
    """Carparts' references are digits: "21032207" was refused as an EAN-8 with a wrong check digit; the number of
    a delivery note's order, typed, was "not known here"."""
    sup, op = tokens["supervisor"], tokens["operator"]
    assert client.post("/api/v1/products", headers=sup, json={"sku": "21032207", "name": "Disque"}).status_code == 201
    assert client.post("/api/v1/products", headers=sup, json={"sku": "21032202", "name": "Tambour"}).status_code == 201
    for typed, sku in (("21032207", "21032207"), ("21032202", "21032202")):   # check digit wrong, then right
        res = client.get("/api/v1/lookup", query_string={"code": typed}, headers=op)
        assert (res.status_code, res.json.get("kind"), res.json.get("product", {}).get("sku")) == (200, "product", sku)
        res = client.post("/api/v1/scans", headers=op, json=event(code=typed, action="lookup", device="t"))
        assert (res.status_code, res.json["product"]["sku"]) == (200, sku), res.json
    # a booking scan still refuses digits that are no code of the company (a SKU is not one)
    res = client.post("/api/v1/scans", headers=op, json=event(code="21032207", action="count",
                                                              context={"bin": "A-01", "qty": 1}, device="t"))
    assert (res.status_code, res.json["error"]["code"]) == (422, "bad_check_digit"), res.json
    number = client.post("/api/v1/purchase-orders", headers=sup, json={
        "supplier": "ACME", "lines": [{"product": "PAD-1", "qty": 6}]}).json["number"]
    res = client.get("/api/v1/lookup", query_string={"code": number.lower()}, headers=op)
    assert (res.status_code, res.json["kind"], res.json["order"]["number"]) == (200, "purchase_order", number)


def test_a_sku_typed_on_a_movement_scan_books_nothing(app, client, tokens, catalogue):
    """Booking stays on the item's barcode or Tendu label: a free text equal to a SKU may be a supplier's own
    reference printed on another item."""
    from tests.conftest import fingerprint
    with app.app_context():
        before = fingerprint()
    res = client.post("/api/v1/scans", headers=tokens["operator"], json=event(
        code="PAD-1", action="count", context={"bin": "A-01", "qty": 29}, device="t"))
    assert (res.status_code, res.json["error"]["code"]) == (404, "unknown_code"), res.json
    with app.app_context():
        after = fingerprint()
    for state in (before, after):
        state.pop("scan_events", None)  # (a refused scan is recorded as such)
    assert after == before


def test_lookup_location_label_and_purchase_order(client, tokens, catalogue):
    bin_ = client.get("/api/v1/lookup", query_string={"code": "TL:LOC:A-01"}, headers=tokens["operator"]).json
    assert bin_["kind"] == "location" and bin_["contents"][0]["sku"] == "PAD-1"


def test_on_order_and_expected_date(app, client, tokens, catalogue):
    from server.services import purchasing
    with app.app_context():
        order = purchasing.create_order(supplier="ACME", lines=[{"sku": "PAD-1", "qty": 24}])
        purchasing.record_event(_at("2026-01-05T08:00:00+00:00"), number=order.number, kind="ordered")
        purchasing.record_event(_at("2026-01-05T10:00:00+00:00"), number=order.number, kind="confirmed",
                                promised_date=_date("2026-01-12"))
        purchasing.receive(_at("2026-01-11T09:00:00+00:00"), number=order.number, line_id=order.lines[0].id,
                           qty=_dec(10), dock="DOCK")
        number = order.number
    stock = client.get(f"/api/v1/lookup?code={EAN}", headers=tokens["operator"]).json["stock"]
    assert stock["on_order"] == 14 and stock["expected_date"] == "2026-01-12"
    assert stock["on_hand"] == 40
    po = client.get("/api/v1/lookup", query_string={"code": f"TL:PO:{number}"}, headers=tokens["operator"]).json
    assert po["kind"] == "purchase_order" and po["order"]["supplier"] == "ACME"


def _at(iso):
    import uuid
    from datetime import datetime
    from server.services.stamp import Stamp
    return Stamp(str(uuid.uuid4()), datetime.fromisoformat(iso))


def _date(iso):
    from datetime import date
    return date.fromisoformat(iso)


def _dec(n):
    from decimal import Decimal
    return Decimal(n)


def test_unknown_code_is_404_with_its_parse(client, tokens, catalogue):
    res = client.get("/api/v1/lookup?code=5901234123457", headers=tokens["operator"])
    assert res.status_code == 404 and res.json["error"]["code"] == "unknown_code"
    assert res.json["error"]["details"]["parse"]["gtin"] == "05901234123457"


def test_supervisor_links_a_code_operator_cannot(app, client, tokens, catalogue):
    body = {"code": "SUP-REF-778", "product": "PAD-1"}
    assert client.post("/api/v1/barcodes", json=body, headers=tokens["operator"]).status_code == 403
    res = client.post("/api/v1/barcodes", json=body, headers=tokens["supervisor"])
    assert res.status_code == 201
    assert res.json == {"code": "SUP-REF-778", "product": "PAD-1", "pack_qty": 1, "warnings": []}
    found = client.get("/api/v1/lookup?code=SUP-REF-778", headers=tokens["operator"]).json
    assert found["product"]["sku"] == "PAD-1"
    with app.app_context():
        before = fingerprint()
    again = client.post("/api/v1/barcodes", json={"code": EAN, "product": "PAD-1"}, headers=tokens["supervisor"])
    assert again.status_code == 409 and again.json["error"]["code"] == "duplicate_barcode"
    label = client.post("/api/v1/barcodes", json={"code": "TL:LOC:A-01", "product": "PAD-1"}, headers=tokens["supervisor"])
    assert label.status_code == 422 and label.json["error"]["code"] == "not_a_product_code"
    with app.app_context():
        assert fingerprint() == before


def png_of(content, fmt, **options) -> bytes:
    symbol = zxingcpp.create_barcode(content, fmt, **options)
    bars = Image.fromarray(np.asarray(zxingcpp.write_barcode_to_image(symbol, scale=4)))
    paper = Image.new("L", (bars.width + 80, bars.height + 80), 255)
    paper.paste(bars, (40, 40))
    out = io.BytesIO()
    paper.save(out, "PNG")
    return out.getvalue()


def upload(client, headers, data: bytes, name="photo.png"):
    return client.post("/api/v1/barcodes/decode", headers=headers,
                       data={"image": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_decode_photo_gives_symbols_with_their_parse(client, tokens):
    res = upload(client, tokens["operator"], png_of(EAN, zxingcpp.BarcodeFormat.EAN13))
    assert res.status_code == 200, res.json
    [symbol] = res.json["symbols"]
    assert symbol["format"] == "ean13" and symbol["parse"]["gtin"] == "0" + EAN and symbol["error"] is None


def huge_png(width, height) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("data, name, status, code", [
    (b"hello, I am text", "photo.jpg", 415, "not_an_image"),
    (huge_png(20_000, 20_000), "bomb.png", 413, "image_too_many_pixels"),
    (b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024), "big.jpg", 413, "too_large"),
])
def test_hostile_uploads_are_4xx(client, tokens, data, name, status, code):
    res = upload(client, tokens["operator"], data, name)
    assert res.status_code == status and res.json["error"]["code"] == code


def test_decode_without_image_is_422(client, tokens):
    res = client.post("/api/v1/barcodes/decode", headers=tokens["operator"], data={}, content_type="multipart/form-data")
    assert res.status_code == 422 and res.json["error"]["field"] == "image"


def test_what_is_picked_is_not_available_to_anyone_else(client, tokens, catalogue):
    """10 picked for an order waited in dispatch: the look-up said 44 available where the next order got 34."""
    sup = tokens["supervisor"]
    client.post("/api/v1/locations", json={"code": "EXPE", "kind": "dispatch"}, headers=sup)
    client.post("/api/v1/customers", json={"code": "GARAGE", "name": "Garage"}, headers=sup)
    so = client.post("/api/v1/sales-orders", headers=sup, json=event(
        customer="GARAGE", lines=[{"product": "PAD-1", "qty": 10}])).json
    res = client.post("/api/v1/scans", headers=tokens["operator"], json=event(
        code=EAN, action="pick", context={"order": so["number"], "bin": "A-01", "qty": 10, "lot": "L7"}, device="t"))
    assert res.status_code == 201, res.json
    stock = client.get(f"/api/v1/lookup?code={EAN}", headers=tokens["operator"]).json["stock"]
    assert (stock["on_hand"], stock["in_dispatch"], stock["reserved"], stock["available"]) == (30, 10, 0, 20)
    other = client.post("/api/v1/sales-orders", headers=sup, json=event(
        customer="GARAGE", lines=[{"product": "PAD-1", "qty": 25}])).json
    assert other["lines"][0]["reserved"] == 20        # what the look-up said could be had
