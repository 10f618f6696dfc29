"""A company's own all-digit codes through HTTP: bins and article codes that are no GTIN (their GS1 check digit is
wrong 9 times in 10), linked, created and looked up, scanned with or without an AIM prefix."""
import pytest

from tests.conftest import event, fingerprint

BIN = "10020304"            # a bin; as an EAN-8 its check digit would be 2
ARTICLE = "12345678"        # an internal article code on a Code 128 label; as an EAN-8: 0
LUCKY_BIN = "12345670"      # a bin whose digits happen to make a right EAN-8
UNKNOWN = "87654329"        # nobody's code (EAN-8 check digit 5)
EAN = "4006381333931"


@pytest.fixture
def company(client, tokens):
    sup = tokens["supervisor"]
    for code in (BIN, LUCKY_BIN):
        res = client.post("/api/v1/locations", json={"code": code, "name": "Rayon"}, headers=sup)
        assert res.status_code == 201 and res.json["code"] == code, res.json
    res = client.post("/api/v1/products", headers=sup, json={"sku": "PAD-1", "name": "Plaquettes",
                                                             "barcodes": [{"code": EAN}]})
    assert res.status_code == 201, res.json
    client.post("/api/v1/adjustments", headers=sup, json=event(product="PAD-1", location=BIN, qty=7, reason="open"))
    return sup


def link(client, tokens, code, sku="PAD-1"):
    return client.post("/api/v1/barcodes", json={"code": code, "product": sku}, headers=tokens["supervisor"])


def look_up(client, tokens, code):
    return client.get("/api/v1/lookup", query_string={"code": code}, headers=tokens["operator"])


def test_a_supervisor_links_an_internal_all_digit_code_as_text_with_a_warning(client, tokens, company):
    res = link(client, tokens, f" {ARTICLE} ")
    assert res.status_code == 201, res.json
    assert res.json == {"code": ARTICLE, "product": "PAD-1", "pack_qty": 1, "warnings": ["not_a_gtin"]}
    listed = client.get("/api/v1/products/PAD-1", headers=tokens["supervisor"]).json["barcodes"]
    assert {b["code"] for b in listed} == {"04006381333931", ARTICLE}
    again = link(client, tokens, ARTICLE)
    assert again.status_code == 409 and again.json["error"]["code"] == "duplicate_barcode"


def test_a_valid_gtin_is_still_stored_as_14_digits_and_an_announced_ean_still_refused(app, client, tokens, company):
    res = link(client, tokens, "5901234123457")
    assert res.status_code == 201 and res.json["code"] == "05901234123457" and res.json["warnings"] == []
    with app.app_context():
        before = fingerprint()
    for code in ("]E0" + ARTICLE, "]E4" + BIN, "(01)04006381333932"):
        refused = link(client, tokens, code)
        assert refused.status_code == 422 and refused.json["error"]["code"] == "bad_check_digit", code
        assert refused.json["error"]["message"]
    with app.app_context():
        assert fingerprint() == before


def test_a_code_linked_through_the_product_itself(client, tokens, company):
    res = client.post("/api/v1/products", headers=tokens["supervisor"], json={
        "sku": "CLIP-2", "name": "Clip", "barcodes": [{"code": "2000000000018"}, {"code": "]C055512345"}]})
    assert res.status_code == 201, res.json
    assert res.json["barcodes"] == [{"code": "2000000000018", "pack_qty": 1, "warnings": ["not_a_gtin"]},
                                    {"code": "55512345", "pack_qty": 1, "warnings": ["not_a_gtin"]}]
    assert look_up(client, tokens, "2000000000018").json["product"]["sku"] == "CLIP-2"


@pytest.mark.parametrize("code", [ARTICLE, f"]C0{ARTICLE}", f"]Q1{ARTICLE}", f"{ARTICLE}\r\n"])
def test_the_linked_code_is_found_scanned_with_or_without_a_prefix(client, tokens, company, code):
    assert link(client, tokens, ARTICLE).status_code == 201
    res = look_up(client, tokens, code)
    assert res.status_code == 200, res.json
    assert (res.json["kind"], res.json["product"]["sku"], res.json["quantity"]) == ("product", "PAD-1", 1)
    assert (res.json["parse"]["kind"], res.json["parse"]["value"]) == ("text", ARTICLE)
    assert res.json["parse"]["warnings"] == ["not_a_gtin"]


@pytest.mark.parametrize("code", [BIN, f"]C0{BIN}", f"]d1{BIN}", LUCKY_BIN, f"]C0{LUCKY_BIN}"])
def test_an_all_digit_bin_is_found_by_its_code(client, tokens, company, code):
    res = look_up(client, tokens, code)
    assert res.status_code == 200, res.json
    assert res.json["kind"] == "location" and res.json["location"]["code"] == code[-8:]
    if code.endswith(BIN):
        assert res.json["contents"] == [{"sku": "PAD-1", "name": "Plaquettes", "lot": None, "expiry": None, "qty": 7}]
    else:  # a right EAN-8 by chance: read as one, and found as the bin when no product has that GTIN
        assert res.json["parse"]["kind"] == "gtin"


@pytest.mark.parametrize("code, status, error", [
    (UNKNOWN, 422, "bad_check_digit"),            # no prefix: nobody has it, so it is a misread
    ("4006381333932", 422, "bad_check_digit"),
    (f"]E0{ARTICLE}", 422, "bad_check_digit"),    # announced as an EAN/UPC: a misread even if linked as text
    (f"]C0{UNKNOWN}", 404, "unknown_code"),       # a plain Code 128 said so: text nobody linked
])
def test_an_unknown_all_digit_code_is_still_refused_and_changes_nothing(app, client, tokens, company, code, status,
                                                                        error):
    assert link(client, tokens, ARTICLE).status_code == 201
    with app.app_context():
        before = fingerprint()
    res = client.get("/api/v1/lookup", query_string={"code": code},
                     headers={**tokens["operator"], "Accept-Language": "fr"})
    assert res.status_code == status and res.json["error"]["code"] == error, res.json
    assert res.json["error"]["message"] and res.json["error"]["field"] == "code"
    if error == "bad_check_digit":
        assert "chiffre de contrôle" in res.json["error"]["message"]
    with app.app_context():
        assert fingerprint() == before


def test_plain_text_naming_a_bin_finds_it(client, tokens, company):
    assert client.post("/api/v1/locations", json={"code": "A-01"}, headers=tokens["supervisor"]).status_code == 201
    for code in ("A-01", "]C0A-01"):
        res = look_up(client, tokens, code)
        assert res.status_code == 200 and res.json["kind"] == "location" and res.json["location"]["code"] == "A-01"


@pytest.mark.parametrize("code, location", [
    (BIN, BIN), (f"]C0{BIN}", BIN),      # a bin's all-digit code
    ("rayon-b", "RAYON-B"),               # a bin's code in another case: bins are looked up in any case
    (LUCKY_BIN, LUCKY_BIN),               # a GTIN whose printed digits are a bin's code
])
def test_a_code_that_is_a_location_s_cannot_be_linked_to_a_product(app, client, tokens, company, code, location):
    sup = tokens["supervisor"]
    assert client.post("/api/v1/locations", json={"code": "RAYON-B"}, headers=sup).status_code == 201
    with app.app_context():
        before = fingerprint()
    res = link(client, tokens, code)
    assert res.status_code == 409 and res.json["error"]["code"] == "code_of_a_location", res.json
    assert res.json["error"]["details"]["location"] == location
    assert res.json["error"]["message"].startswith(f"{res.json['error']['details']['code']} is the code of location "
                                                   f"{location}: a product cannot have it too")
    french = client.post("/api/v1/barcodes", json={"code": code, "product": "PAD-1"},
                         headers={**sup, "Accept-Language": "fr"})
    assert f"est le code de l'emplacement {location} : un article ne peut pas l'avoir aussi" in (
        french.json["error"]["message"])
    for res in (client.post("/api/v1/products", headers=sup, json={"sku": "NEW-1", "name": "x",
                                                                   "barcodes": [{"code": code}]}),
                client.patch("/api/v1/products/PAD-1", headers=sup, json={"barcodes": [{"code": code}]})):
        assert res.status_code == 409 and res.json["error"]["code"] == "code_of_a_location", res.json
        assert res.json["error"]["field"] == "barcodes"
    with app.app_context():
        assert fingerprint() == before


@pytest.mark.parametrize("location, linked", [
    (ARTICLE, ARTICLE),
    ("art-7", "ART-7"),                   # a code linked as text, in another case
    ("96385074", "00000096385074"),       # the digits of a GTIN linked to a product (an EAN-8)
])
def test_a_location_cannot_take_a_code_linked_to_a_product(app, client, tokens, company, location, linked):
    sup = tokens["supervisor"]
    for code in (ARTICLE, "ART-7", "96385074"):
        assert link(client, tokens, code).status_code == 201
    with app.app_context():
        before = fingerprint()
    res = client.post("/api/v1/locations", json={"code": location}, headers=sup)
    assert res.status_code == 409 and res.json["error"]["code"] == "code_of_a_product", res.json
    assert res.json["error"]["details"] == {"code": linked, "product": "PAD-1"}
    assert res.json["error"]["message"].startswith(f"{location} is a code of product PAD-1 ({linked}): a location "
                                                   "cannot have it too")
    with app.app_context():
        assert fingerprint() == before


def test_a_location_named_like_a_product_s_sku_is_allowed(client, tokens, company):
    """A product's label carries TL:PRD:<SKU>; a bare SKU scanned names no product, so it cannot clash."""
    res = client.post("/api/v1/locations", json={"code": "PAD-1"}, headers=tokens["supervisor"])
    assert res.status_code == 201
    assert look_up(client, tokens, "PAD-1").json["kind"] == "location"
    assert look_up(client, tokens, "TL:PRD:PAD-1").json["kind"] == "product"
