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
