"""Scans of a company's own all-digit codes: an internal article code on a Code 128 label (read with ]C0 by the
camera, bare by a keyboard-wedge scanner) and bins named by digits. A code of the company is used whatever its check
digit; a code nobody has keeps the check-digit refusal, and the refusal books nothing."""
import io

import pytest

from tests.conftest import event, fingerprint
from tests.flows.conftest import stock

BIN = "10020304"            # as an EAN-8 its check digit would be 2
ARTICLE = "12345678"        # as an EAN-8: 0
UNKNOWN = "87654329"        # nobody's code (EAN-8 check digit 5)


@pytest.fixture
def own_codes(client, warehouse):
    sup = warehouse["supervisor"]
    assert client.post("/api/v1/locations", json={"code": BIN, "walk_order": 5}, headers=sup).status_code == 201
    res = client.post("/api/v1/barcodes", json={"code": ARTICLE, "product": "PAD"}, headers=sup)
    assert res.status_code == 201 and res.json["code"] == ARTICLE, res.json
    return sup


def purchase_order(client, sup, qty=5):
    po = client.post("/api/v1/purchase-orders", headers=sup,
                     json={"supplier": "ACME", "lines": [{"product": "PAD", "qty": qty}]}).json
    client.post(f"/api/v1/purchase-orders/{po['number']}/events", json=event(kind="ordered"), headers=sup)
    return po["number"]


@pytest.mark.parametrize("code", [ARTICLE, f"]C0{ARTICLE}"])
def test_receive_put_away_and_pick_an_internal_code_into_and_from_a_digit_bin(client, warehouse, scanner, own_codes,
                                                                              code):
    number = purchase_order(client, own_codes)
    status, body = scanner.scan(code, "receive", order=number, qty=5)
    assert status == 201, body
    assert body["product"]["sku"] == "PAD" and stock(client, scanner.headers)[("DOCK", "")] == 5
    status, body = scanner.scan(code, "put_away", bin=BIN, qty=5)
    assert status == 201 and body["bin"] == BIN, body
    so = client.post("/api/v1/sales-orders", headers=own_codes,
                     json=event(customer="GARAGE", lines=[{"product": "PAD", "qty": 2}])).json
    status, body = scanner.scan(code, "pick", order=so["number"], bin=BIN, qty=2)
    assert status == 201, body
    assert stock(client, scanner.headers) == {(BIN, ""): 3, ("DISPATCH", ""): 2}
    status, body = scanner.scan(code, "count", bin=BIN, qty=3)
    assert status == 201 and body["variance"] == 0, body


@pytest.mark.parametrize("code", [BIN, f"]C0{BIN}"])
@pytest.mark.parametrize("action", ["put_away", "pick", "count"])
def test_a_digit_bin_scanned_where_a_bin_label_goes_reads_as_the_bin(scanner, own_codes, action, code):
    status, body = scanner.scan(code, action)
    assert (status, body["outcome"], body["bin"]) == (200, "looked_up", BIN), body


@pytest.mark.parametrize("code", [BIN, f"]C0{BIN}"])
def test_a_digit_bin_scanned_as_an_item_is_not_an_item(client, scanner, own_codes, code):
    number = purchase_order(client, own_codes)
    status, body = scanner.scan(code, "receive", order=number)
    assert (status, body["error"]["code"]) == (409, "not_an_item"), body


@pytest.mark.parametrize("code, kind", [(BIN, "location"), (ARTICLE, "product"), (f"]C0{ARTICLE}", "product")])
def test_a_look_up_by_scan_finds_own_codes(scanner, own_codes, code, kind):
    status, body = scanner.scan(code, "lookup")
    assert (status, body["kind"]) == (200, kind), body


@pytest.mark.parametrize("code, action, status, error", [
    (UNKNOWN, "receive", 422, "bad_check_digit"),
    (UNKNOWN, "put_away", 422, "bad_check_digit"),
    (UNKNOWN, "pick", 422, "bad_check_digit"),
    (UNKNOWN, "lookup", 422, "bad_check_digit"),
    (UNKNOWN, "ship", 422, "bad_check_digit"),
    (f"]E0{ARTICLE}", "receive", 422, "bad_check_digit"),   # announced as an EAN/UPC: a misread
    (f"]C0{UNKNOWN}", "receive", 404, "unknown_code"),      # a plain Code 128: text nobody linked
])
def test_an_unknown_all_digit_code_is_refused_and_books_nothing(app, client, scanner, own_codes, code, action,
                                                                status, error):
    number = purchase_order(client, own_codes)
    context = {"receive": {"order": number}, "put_away": {"bin": BIN}, "pick": {"order": "SO-1", "bin": BIN}}
    with app.app_context():
        before = fingerprint()
    got, body = scanner.scan(code, action, **context.get(action, {}))
    assert (got, body["outcome"], body["error"]["code"]) == (status, "refused", error), body
    assert body["message"] and body["error"]["field"] == "code"
    with app.app_context():
        after = fingerprint()
    assert after.pop("scan_events") == before.pop("scan_events") + 1 and after == before


def test_an_over_receipt_of_an_own_code_held_then_accepted(client, warehouse, scanner, own_codes):
    number = purchase_order(client, own_codes, qty=2)
    body = scanner.body(ARTICLE, "receive", order=number, qty=10)
    held = client.post("/api/v1/scans", json=body, headers=scanner.headers)
    assert held.status_code == 202 and held.json["error"]["code"] == "over_receipt", held.json
    decided = client.post(f"/api/v1/scans/{body['client_event_id']}/decision", json={"accept": True},
                          headers=warehouse["supervisor"])
    assert decided.status_code == 201 and decided.json["outcome"] == "applied", decided.json
    assert stock(client, scanner.headers)[("DOCK", "")] == 10


# A handheld set to QWERTY on a French AZERTY keyboard types the digit row unshifted: & é " ' ( - è _ ç à.
AZERTY_ARTICLE = "&é\"'(-è_"   # 12345678
AZERTY_BIN = "&ààéà\"à'"       # 10020304


@pytest.mark.parametrize("code, kind, value", [(AZERTY_ARTICLE, "product", ARTICLE), (AZERTY_BIN, "location", BIN)])
def test_an_own_code_typed_through_an_azerty_layout_is_found(scanner, own_codes, code, kind, value):
    status, body = scanner.scan(code, "lookup")
    assert (status, body["kind"]) == (200, kind), body
    assert (body["parse"]["kind"], body["parse"]["value"], body["parse"]["raw"]) == ("text", value, code)
    assert "azerty_repaired" in body["parse"]["warnings"]


def test_an_own_code_typed_through_an_azerty_layout_is_received_and_put_away_in_a_digit_bin(client, scanner,
                                                                                             own_codes):
    number = purchase_order(client, own_codes)
    status, body = scanner.scan(AZERTY_ARTICLE, "receive", order=number, qty=5)
    assert status == 201 and body["product"]["sku"] == "PAD", body
    status, body = scanner.scan(AZERTY_BIN, "put_away")
    assert (status, body["bin"]) == (200, BIN), body
    status, body = scanner.scan(AZERTY_ARTICLE, "put_away", bin=BIN, qty=5)
    assert status == 201 and body["bin"] == BIN, body
    assert stock(client, scanner.headers) == {(BIN, ""): 5}


def test_a_code_known_as_typed_is_not_replaced_by_its_azerty_repair(client, warehouse, scanner):
    sup = warehouse["supervisor"]
    for code, sku in (("ZQ", "PAD"), ("WA", "WIPER")):  # "ZQ" repaired is "WA", and the other way round
        assert client.post("/api/v1/barcodes", json={"code": code, "product": sku}, headers=sup).status_code == 201
    for code, sku in (("ZQ", "PAD"), ("WA", "WIPER")):
        status, body = scanner.scan(code, "lookup")
        assert (status, body["product"]["sku"], body["parse"]["warnings"]) == (200, sku, []), body


def test_an_azerty_scan_of_no_own_code_is_still_unknown(app, client, scanner, own_codes):
    with app.app_context():
        before = fingerprint()
    status, body = scanner.scan("&é\"'(-è&", "lookup")  # 12345671: nobody's
    assert (status, body["error"]["code"]) == (404, "unknown_code"), body
    with app.app_context():
        after = fingerprint()
    assert after.pop("scan_events") == before.pop("scan_events") + 1 and after == before


@pytest.mark.parametrize("action", ["lookup", "receive", "put_away"])
def test_bare_digits_with_a_wrong_check_digit_known_nowhere_say_they_may_be_an_own_code_to_link(client, scanner,
                                                                                                  own_codes, action):
    context = {"receive": {"order": purchase_order(client, own_codes)}}.get(action, {})
    status, body = scanner.scan(UNKNOWN, action, **context)
    assert (status, body["error"]["code"]) == (422, "bad_check_digit"), body
    assert body["error"]["details"] == {"what": "EAN-8", "value": UNKNOWN, "expected": 5, "got": 9}
    assert body["message"] == (f"{UNKNOWN} is no valid EAN-8 (check digit 5 expected, 9 read) and no code known "
                               "here: scan it again; if it is your own code, ask a supervisor to link it.")
    assert scan_in_french(client, scanner, UNKNOWN, action, **context)["message"] == (
        f"{UNKNOWN} n'est ni un EAN-8 valide (chiffre de contrôle attendu 5, lu 9) ni un code connu ici : "
        "scannez-le à nouveau ; si c'est votre propre code, demandez à un responsable de l'associer.")


def scan_in_french(client, scanner, code, action, **context) -> dict:
    return client.post("/api/v1/scans", json=scanner.body(code, action, **context),
                       headers={**scanner.headers, "Accept-Language": "fr"}).json


def test_digits_announced_as_an_ean_keep_the_plain_check_digit_refusal(scanner, own_codes):
    status, body = scanner.scan(f"]E4{UNKNOWN}", "lookup")
    assert (status, body["error"]["code"]) == (422, "bad_check_digit"), body
    assert "supervisor" not in body["message"] and "wrong check digit" in body["message"]


@pytest.mark.parametrize("code", ["TL:LOC:DOCK", "TL:LOC:DISPATCH", "DOCK", "dispatch", "]C0DOCK"])
@pytest.mark.parametrize("action", ["put_away", "pick", "count"])
def test_a_location_that_is_not_a_bin_is_refused_where_a_bin_is_scanned(app, client, scanner, own_codes, action,
                                                                       code):
    with app.app_context():
        before = fingerprint()
    status, body = scanner.scan(code, action)
    assert (status, body["outcome"], body["error"]["code"]) == (409, "refused", "not_a_bin"), body
    place = code.rsplit(":", 1)[-1].removeprefix("]C0").upper()
    assert body["message"] == f"{place} is not a bin."
    assert scan_in_french(client, scanner, code, action)["message"] == f"{place} n'est pas un emplacement de stockage."
    assert body["error"]["field"] == "code" and "bin" not in body
    with app.app_context():
        after = fingerprint()
    assert after.pop("scan_events") == before.pop("scan_events") + 2 and after == before


@pytest.mark.parametrize("action", ["put_away", "pick", "count"])
def test_the_label_of_a_location_nobody_has_is_refused_where_a_bin_is_scanned(scanner, own_codes, action):
    status, body = scanner.scan("TL:LOC:Z-99", action)
    assert (status, body["error"]["code"], body["error"]["field"]) == (404, "unknown_location", "code"), body


@pytest.mark.parametrize("code", ["TL:LOC:a-01", BIN])
def test_a_bin_scanned_in_another_case_answers_its_own_code(scanner, own_codes, code):
    status, body = scanner.scan(code, "count")
    assert (status, body["bin"]) == (200, code.upper().removeprefix("TL:LOC:")), body


def test_a_count_is_not_taken_in_the_dock_or_dispatch(app, client, scanner, own_codes):
    client.post("/api/v1/adjustments", headers=own_codes,
                json=event(product="PAD", location="DISPATCH", qty=3, reason="open"))
    with app.app_context():
        before = fingerprint()
    for place in ("DISPATCH", "DOCK"):
        status, body = scanner.scan(ARTICLE, "count", bin=place, qty=7)
        assert (status, body["error"]["code"], body["error"]["field"]) == (409, "not_a_bin", "context.bin"), body
    with app.app_context():
        after = fingerprint()
    assert after.pop("scan_events") == before.pop("scan_events") + 2 and after == before
    assert stock(client, scanner.headers) == {("DISPATCH", ""): 3}


def test_an_unknown_code_128_of_digits_is_shown_as_printed_in_the_look_up(client, warehouse):
    for code in ("]C012345670", "12345670"):  # right EAN-8 digits: read as the GTIN 00000012345670
        res = client.get("/api/v1/lookup", query_string={"code": code},
                         headers={**warehouse["operator"], "Accept-Language": "en"})
        assert res.status_code == 404 and res.json["error"]["message"] == "12345670 is not known here.", res.json


def post_import(client, headers, kind, text):
    return client.post(f"/api/v1/imports/{kind}", headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(text.encode()), f"{kind}.csv")})


def test_an_import_of_codes_warns_of_digits_kept_as_an_own_code(client, warehouse, own_codes):
    fr = {**own_codes, "Accept-Language": "fr"}
    res = post_import(client, fr, "barcodes", "sku,code\nPAD,20001234\nWIPER,4006381333948\nPAD,12345678\n")
    assert res.status_code == 200, res.json
    assert (res.json["imported"], res.json["unchanged"], res.json["refused"]) == (2, 1, [])
    assert res.json["warnings"] == [  # 12345678 was linked already (and warned of then): not again
        {"line": 2, "field": "code", "code": "20001234", "warning": "not_a_gtin",
         "message": "20001234 n'est pas un GTIN valide (son chiffre de contrôle est faux) : gardé comme votre propre "
                    "code. Si c'est un EAN ou un UPC, corrigez-le."}]
    res = post_import(client, own_codes, "products", "sku,name,barcodes\nNUT,Nut,4006381333955|30001234*10\n"
                                                     "PAD,,20001234|12345678\n")
    assert res.status_code == 200 and res.json["refused"] == [], res.json
    assert res.json["warnings"] == [
        {"line": 2, "field": "barcodes", "code": "30001234", "warning": "not_a_gtin",
         "message": "30001234 is not a valid GTIN (its check digit is wrong): kept as your own code. If it is an EAN "
                    "or UPC, correct it."}]


def test_an_import_refused_still_lists_its_warnings(client, warehouse, own_codes):
    res = post_import(client, own_codes, "barcodes", "sku,code\nPAD,20001234\nNOBODY,5901234123457\n")
    assert res.status_code == 422 and res.json["applied"] is False, res.json
    assert [(w["line"], w["code"]) for w in res.json["warnings"]] == [(2, "20001234")]


@pytest.mark.parametrize("kind, text, field", [
    ("barcodes", f"sku,code\nPAD,{BIN}\n", "code"),
    ("barcodes", "sku,code\nPAD,a-01\n", "code"),                    # A-01 in another case
    ("products", f"sku,name,barcodes\nNUT,Nut,{BIN}*6\n", "barcodes"),
])
def test_an_import_refuses_a_code_that_is_a_location_s(app, client, warehouse, own_codes, kind, text, field):
    with app.app_context():
        before = fingerprint()
    res = post_import(client, own_codes, kind, text)
    assert res.status_code == 422 and res.json["applied"] is False, res.json
    assert [(r["line"], r["field"], r["code"]) for r in res.json["refused"]] == [(2, field, "code_of_a_location")]
    with app.app_context():
        after = fingerprint()
    for state in (before, after):
        state.pop("audit_log", None)  # (an import refused is recorded)
    assert after == before


def test_a_product_saved_with_an_own_code_says_so_each_time_it_is_read(client, warehouse):
    sup = warehouse["supervisor"]
    res = client.post("/api/v1/products", headers=sup, json={
        "sku": "CLIP", "name": "Clip", "barcodes": [{"code": "30001234"}, {"code": "9780201379624", "pack_qty": 6}]})
    assert res.status_code == 201, res.json
    assert [(b["code"], b["warnings"]) for b in res.json["barcodes"]] == [
        ("30001234", ["not_a_gtin"]), ("09780201379624", [])]
    res = client.patch("/api/v1/products/CLIP", headers=sup, json={"barcodes": [{"code": "HX-CLIP"},
                                                                                {"code": "40001232"}]})
    assert res.status_code == 200, res.json
    assert [(b["code"], b["warnings"]) for b in res.json["barcodes"]] == [("HX-CLIP", []), ("40001232", ["not_a_gtin"])]
    listed = client.get("/api/v1/products?q=CLIP", headers=sup).json["items"]
    assert [b["warnings"] for b in listed[0]["barcodes"]] == [[], ["not_a_gtin"]]


@pytest.mark.parametrize("kind, text, field", [
    ("barcodes", "sku;code\nPAD;3,76001E+12\n", "code"),
    ("products", "sku,name,barcodes\nPAD,Brake pad,3.16514E+12\n", "barcodes"),
    ("products", "sku;name;barcodes\nPAD;Brake pad;4006381333931|3,16514e+12\n", "barcodes"),
])
def test_a_code_a_spreadsheet_wrote_in_scientific_notation_is_refused(app, client, warehouse, kind, text, field):
    """Excel shows 03165143007129 as 3,16514E+12 and saves it so: the import took it as the product's code, and the
    real EAN (replaced) read as unknown at the dock."""
    sup = warehouse["supervisor"]
    with app.app_context():
        before = fingerprint()
    res = post_import(client, {**sup, "Accept-Language": "fr"}, kind, text)
    assert res.status_code == 422 and res.json["applied"] is False, res.json
    [refused] = res.json["refused"]
    assert (refused["line"], refused["field"], refused["code"]) == (2, field, "scientific_notation"), refused
    assert "notation scientifique" in refused["message"]
    with app.app_context():
        after = fingerprint()
    for state in (before, after):
        state.pop("audit_log", None)  # (an import refused is recorded)
    assert after == before
    res = client.post("/api/v1/barcodes", headers=sup, json={"code": "3,76001E+12", "product": "PAD"})
    assert (res.status_code, res.json["error"]["code"]) == (422, "scientific_notation"), res.json
    pad = client.get("/api/v1/products/PAD", headers=sup).json
    assert [b["code"] for b in pad["barcodes"]] == ["04006381333931", "14006381333938"]
    # a part number with an E in it is no number (no exponent sign): linked as text
    assert client.post("/api/v1/barcodes", headers=sup, json={"code": "12E45", "product": "PAD"}).status_code == 201
