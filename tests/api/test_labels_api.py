"""Labels through HTTP: they print what the scanners then read back."""
import pypdfium2

from server.decoding import decode_image


def setup(client, sup):
    client.post("/api/v1/locations", json={"code": "A-01", "name": "Allée A, travée 1"}, headers=sup)
    client.post("/api/v1/suppliers", json={"code": "ACME", "name": "Acme"}, headers=sup)
    client.post("/api/v1/products", json={"sku": "PAD", "name": "Plaquettes", "barcodes": [{"code": "4006381333931"}]},
                headers=sup)
    return client.post("/api/v1/purchase-orders", headers=sup,
                       json={"supplier": "ACME", "lines": [{"product": "PAD", "qty": 2}]}).json["number"]


def test_png_labels_scan_back(client, tokens):
    number = setup(client, tokens["supervisor"])
    op = tokens["operator"]
    for url, expected in (("/api/v1/labels/locations/A-01.png", "TL:LOC:A-01"),
                          (f"/api/v1/labels/purchase-orders/{number}.png", f"TL:PO:{number}")):
        res = client.get(url, headers=op)
        assert res.status_code == 200 and res.mimetype == "image/png"
        assert expected in [s.text for s in decode_image(res.data)]
    product = client.get("/api/v1/labels/products/PAD.png", headers=op)
    [symbol] = decode_image(product.data)
    assert symbol.gs1 and symbol.text == "0104006381333931"


def test_pdf_sheet_and_refusals(client, tokens):
    number = setup(client, tokens["supervisor"])
    res = client.post("/api/v1/labels/sheet", headers=tokens["operator"], json={
        "items": [{"kind": "locations", "key": "A-01", "copies": 20}, {"kind": "purchase-orders", "key": number}],
        "grid": "3x8", "start_cell": 10})
    assert res.status_code == 200 and res.mimetype == "application/pdf" and res.data.startswith(b"%PDF")
    assert len(pypdfium2.PdfDocument(res.data)) == 2   # 21 labels from cell 10 of 24: cells 10-24, then 6 more
    missing = client.get("/api/v1/labels/locations/NOPE.png", headers=tokens["operator"])
    assert missing.status_code == 404 and missing.json["error"]["code"] == "unknown_location"
    bad = client.post("/api/v1/labels/sheet", headers=tokens["operator"],
                      json={"items": [{"kind": "locations", "key": "A-01"}], "grid": "3x8", "start_cell": 25})
    assert bad.status_code == 422 and bad.json["error"]["code"] == "bad_start_cell"


LONGEST = "LONG-SKU-" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789-abcdefghijklmnopq"   # 64: the most a SKU may have


def test_every_code_tendu_accepts_has_a_label(client, tokens):
    """SKUs and bins of 41-64 characters were accepted, then their labels refused ('use 1 to 40 letters'): labels
    now carry 64, in a symbol big enough (QR, DataMatrix), and a bar code too fine to print says what to choose."""
    sup = tokens["supervisor"]
    assert len(LONGEST) == 64
    assert client.post("/api/v1/products", json={"sku": LONGEST, "name": "Longest"}, headers=sup).status_code == 201
    assert client.post("/api/v1/locations", json={"code": LONGEST}, headers=sup).status_code == 201
    for kind, prefix in (("products", "TL:PRD:"), ("locations", "TL:LOC:")):
        for symbology in ("datamatrix", "qrcode"):
            png = client.get(f"/api/v1/labels/{kind}/{LONGEST}.png?symbology={symbology}", headers=sup)
            assert png.status_code == 200, png.json
            assert [s.text for s in decode_image(png.data)] == [prefix + LONGEST.upper()]
        found = client.get("/api/v1/lookup", query_string={"code": prefix + LONGEST.upper()}, headers=sup)
        assert found.status_code == 200, found.json
    # Code 128 (the default) cannot carry 71 characters on 70 mm: refused, saying what to do instead.
    linear = client.get(f"/api/v1/labels/products/{LONGEST}.png", headers={**sup, "Accept-Language": "fr"})
    assert linear.status_code == 422 and linear.json["error"]["code"] == "label_too_small", linear.json
    assert "QR code ou un DataMatrix" in linear.json["error"]["message"]
    sheet = client.post("/api/v1/labels/sheet", headers=sup, json={
        "items": [{"kind": "locations", "key": LONGEST}], "symbology": "datamatrix", "grid": "4x10"})
    assert sheet.status_code == 200 and sheet.data.startswith(b"%PDF")
    too_long = client.post("/api/v1/products", json={"sku": LONGEST + "X", "name": "x"}, headers=sup)
    assert too_long.status_code == 422 and too_long.json["error"]["field"] == "sku"


def test_a_sheet_refused_names_the_item_that_cannot_be_printed(client, tokens):
    sup = tokens["supervisor"]
    setup(client, sup)
    client.post("/api/v1/products", json={"sku": LONGEST, "name": "Longest"}, headers=sup)
    refused = client.post("/api/v1/labels/sheet", headers=sup, json={"items": [
        {"kind": "locations", "key": "A-01", "copies": 3}, {"kind": "products", "key": "PAD"},
        {"kind": "products", "key": LONGEST, "copies": 2}]})
    assert refused.status_code == 422, refused.json
    error = refused.json["error"]
    assert error["code"] == "label_too_small" and error["message"].startswith(f"{LONGEST}: The content is too long")
    assert {key: error["details"][key] for key in ("index", "item", "kind", "key")} == {
        "index": 4, "item": 2, "kind": "products", "key": LONGEST}
