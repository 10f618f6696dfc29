"""CSV imports checked row by row, all or nothing unless asked; exports that read back."""
import csv
import io

import pytest

from server.queries.exports import EXPORTS
from tests.conftest import event, fingerprint
from tests.flows.conftest import EAN

BAD_PRODUCT_LINES = {  # line in the file (header = 1) → the refusal expected
    8: ("sku", "bad_sku"), 150: ("supplier", "unknown_supplier"), 333: ("unit_cost", "not_a_number"),
    600: ("barcodes", "bad_check_digit"), 1001: ("barcodes", "duplicate_barcode"),
}


def data_state() -> dict:
    """The fingerprint without the audit log, which rightly records every import that was applied."""
    state = fingerprint()
    state.pop("audit_log", None)
    return state


def gtin13(n: int) -> str:
    body = f"200{n:09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def csv_bytes(rows, separator=",", bom=False) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def products_file() -> bytes:
    """1,000 products as French Excel saves them (BOM, ';', decimal comma), 5 of them wrong."""
    rows = [["SKU", "Name", "unit_cost", "supplier", "barcodes", "critical"]]
    for line in range(2, 1002):
        rows.append([f"P{line:04d}", f"Part {line}", "12,5", "ACME", f"{gtin13(line)}|{gtin13(line + 5000)}*6", "non"])
    rows[8 - 1][0] = "P 8!"
    rows[150 - 1][3] = "NOBODY"
    rows[333 - 1][2] = "douze"
    # a GTIN in GS1 form with a wrong check digit (bare digits may be the company's own code, linked as text)
    rows[600 - 1][4] = "(01)0" + gtin13(600)[:-1] + str((int(gtin13(600)[-1]) + 1) % 10)
    rows[1001 - 1][4] = EAN  # already names PAD
    return csv_bytes(rows, ";", bom=True)


def post_import(client, headers, kind, data, **query):
    return client.post(f"/api/v1/imports/{kind}", query_string=query, headers=headers,
                       data={"file": (io.BytesIO(data), f"{kind}.csv")}, content_type="multipart/form-data")


def test_five_bad_rows_in_a_thousand_stop_the_import_unless_partial(app, client, warehouse):
    sup = warehouse["supervisor"]
    with app.app_context():
        before = fingerprint()
    refused = post_import(client, sup, "products", products_file())
    assert refused.status_code == 422, refused.json
    report = refused.json
    assert (report["applied"], report["imported"], report["error"]["code"]) == (False, 0, "rows_refused")
    assert {r["line"]: (r["field"], r["code"]) for r in report["refused"]} == BAD_PRODUCT_LINES
    assert all(r["message"] for r in report["refused"])
    with app.app_context():
        assert fingerprint() == before

    partial = post_import(client, sup, "products", products_file(), partial="true")
    assert partial.status_code == 200 and partial.json["applied"] is True
    assert (partial.json["imported"], len(partial.json["refused"])) == (995, 5)
    product = client.get("/api/v1/products/P0002", headers=sup).json
    assert (product["unit_cost"], product["supplier"], product["critical"]) == (12.5, "ACME", False)
    assert [(b["code"], b["pack_qty"]) for b in product["barcodes"]] == [("0" + gtin13(2), 1), ("0" + gtin13(5002), 6)]

    with app.app_context():
        after_first = data_state()
    again = post_import(client, sup, "products", products_file(), partial="true")
    assert (again.json["imported"], again.json["unchanged"]) == (0, 995)
    with app.app_context():
        assert data_state() == after_first


def opening_file(bad: bool = True, lines: int = 1000) -> bytes:
    rows = [["sku", "location", "qty", "lot", "expiry", "unit_cost"]]
    for line in range(2, lines + 2):
        rows.append(["PAD" if line % 2 else "WIPER", "A-01" if line % 3 else "B-01", str(line % 7 + 1),
                     f"L{line % 4}", "2031-01-31", ""])
    if bad:
        rows[10 - 1][0], rows[20 - 1][1], rows[30 - 1][2] = "NOPE", "Z-99", "0"
        rows[40 - 1][2], rows[50 - 1][4] = "-3", "31/02/2031"
    return csv_bytes(rows)


def stock_total(client, headers) -> int:
    return sum(i["qty"] for i in client.get("/api/v1/stock?per_page=1000", headers=headers).json["items"])


def test_opening_stock_books_once_per_row_even_when_imported_again(app, client, warehouse):
    sup = warehouse["supervisor"]
    with app.app_context():
        before = fingerprint()
    refused = post_import(client, sup, "opening-stock", opening_file())
    assert [(r["line"], r["code"]) for r in refused.json["refused"]] == [
        (10, "unknown_product"), (20, "unknown_location"), (30, "out_of_range"), (40, "out_of_range"),
        (50, "not_a_date")]
    with app.app_context():
        assert fingerprint() == before

    partial = post_import(client, sup, "opening-stock", opening_file(), partial="true").json
    assert (partial["imported"], partial["applied"]) == (995, True)
    total = stock_total(client, sup)
    expected = sum(line % 7 + 1 for line in range(2, 1002) if line not in (10, 20, 30, 40, 50))
    assert total == expected
    movements = client.get("/api/v1/movements?limit=1000", headers=sup).json["items"]
    assert len(movements) == 995 and {m["kind"] for m in movements} == {"opening"}

    again = post_import(client, sup, "opening-stock", opening_file(), partial="true").json
    assert (again["imported"], again["unchanged"]) == (0, 995)
    # The corrected file (bad lines fixed) books only what was refused before.
    fixed = post_import(client, sup, "opening-stock", opening_file(bad=False)).json
    assert (fixed["imported"], fixed["unchanged"], fixed["refused"]) == (5, 995, [])
    assert stock_total(client, sup) == expected + sum(line % 7 + 1 for line in (10, 20, 30, 40, 50))


def test_a_corrected_opening_stock_quantity_is_refused_not_added(app, client, warehouse):
    """3 imported at A-01, the file corrected to 5 and imported again: the stock read 8, and the report said
    'imported 1, unchanged 14' with no warning."""
    sup = {**warehouse["supervisor"], "Accept-Language": "fr"}
    first = b"sku;location;qty\nPAD;A-01;3\nWIPER;A-01;4\n"
    assert post_import(client, sup, "opening-stock", first).json["imported"] == 2
    with app.app_context():
        before = fingerprint()
    corrected = post_import(client, sup, "opening-stock", b"sku;location;qty\nPAD;A-01;5\nWIPER;A-01;4\n")
    assert corrected.status_code == 422 and corrected.json["applied"] is False, corrected.json
    [refused] = corrected.json["refused"]
    assert (refused["line"], refused["field"], refused["code"]) == (2, "qty", "opening_stock_booked")
    assert "3 de PAD en A-01" in refused["message"] and "comptez cet emplacement" in refused["message"]
    with app.app_context():
        after = fingerprint()
    for state in (before, after):
        state.pop("audit_log", None)  # (an import refused is recorded)
    assert after == before and stock_total(client, sup) == 7
    # A row refused before and now fixed, at a place with another row booked, is still added.
    partial = post_import(client, sup, "opening-stock", b"sku;location;qty\nPAD;B-01;2\nPAD;B-01;x\n",
                          partial="true").json
    assert (partial["imported"], len(partial["refused"])) == (1, 1)
    fixed = post_import(client, sup, "opening-stock", b"sku;location;qty\nPAD;B-01;2\nPAD;B-01;6\n").json
    assert (fixed["imported"], fixed["unchanged"], fixed["refused"]) == (1, 1, [])
    assert stock_total(client, sup) == 15


def test_barcodes_link_to_existing_products_and_refuse_a_code_taken(client, warehouse):
    sup = warehouse["supervisor"]
    data = csv_bytes([["sku", "code", "pack_qty"], ["WIPER", "05901234123464", "10"], ["WIPER", EAN, ""],
                      ["GHOST", "4012345678901", "1"]])
    report = post_import(client, sup, "barcodes", data, partial="true").json
    assert report["imported"] == 1
    assert [(r["line"], r["code"]) for r in report["refused"]] == [(3, "duplicate_barcode"), (4, "unknown_product")]
    wiper = client.get("/api/v1/products/WIPER", headers=sup).json
    assert ("05901234123464", 10) in [(b["code"], b["pack_qty"]) for b in wiper["barcodes"]]


def test_a_products_row_replaces_barcodes_and_leaves_empty_cells_alone(client, warehouse):
    sup = warehouse["supervisor"]
    data = csv_bytes([["sku", "name", "unit_cost", "barcodes"], ["PAD", "", "11.25", "14006381333938*24|PAD-REF"]])
    report = post_import(client, sup, "products", data).json
    assert (report["imported"], report["applied"]) == (1, True)
    pad = client.get("/api/v1/products/PAD", headers=sup).json
    assert (pad["name"], pad["unit_cost"], pad["supplier"]) == ("Brake pad", 11.25, "ACME")
    assert sorted((b["code"], b["pack_qty"]) for b in pad["barcodes"]) == [("14006381333938", 24), ("PAD-REF", 1)]


def read_csv(client, headers, table):
    res = client.get(f"/api/v1/exports/{table}.csv", headers=headers)
    assert res.status_code == 200 and res.mimetype == "text/csv"
    return res.data, list(csv.DictReader(io.StringIO(res.data.decode())))


def test_exports_read_back_as_imports(client, warehouse):
    sup = warehouse["supervisor"]
    post_import(client, sup, "opening-stock", opening_file(bad=False, lines=60))
    client.patch("/api/v1/products/WIPER", json={"name": "=HYPERLINK(\"x\")"}, headers=sup)
    products_csv, products = read_csv(client, sup, "products")
    assert [p["sku"] for p in products] == ["PAD", "WIPER"]
    assert products[0]["barcodes"] == f"0{EAN}|14006381333938*12" and products[1]["name"].startswith("'=")
    back = post_import(client, sup, "products", products_csv).json
    assert (back["imported"], back["unchanged"], back["refused"]) == (0, 2, [])
    assert client.get("/api/v1/products/WIPER", headers=sup).json["name"] == "=HYPERLINK(\"x\")"

    stock_csv, stock = read_csv(client, sup, "stock")
    on_hand = {(i["sku"], i["location"], i["lot"]): i["qty"]
               for i in client.get("/api/v1/stock?per_page=1000", headers=sup).json["items"]}
    assert {(r["sku"], r["location"], r["lot"]): float(r["qty"]) for r in stock} == on_hand
    # The stock export reads back as opening stock (its name column is ignored) — into the same database it would
    # count the stock twice: what the earlier import booked is unchanged, and a place it booked in several rows
    # (now one row of their sum) is refused, not added.
    back = post_import(client, sup, "opening-stock", stock_csv, partial="true").json
    assert back["imported"] == 0 and back["refused"], back
    assert {r["code"] for r in back["refused"]} == {"opening_stock_booked"}
    assert back["unchanged"] + len(back["refused"]) == len(stock)
    assert stock_total(client, sup) == sum(float(r["qty"]) for r in stock)


@pytest.mark.parametrize("table", sorted(EXPORTS))
def test_every_table_exports_with_a_header_row(client, warehouse, table):
    data, rows = read_csv(client, warehouse["supervisor"], table)
    assert data.decode().split("\r\n")[0] == ",".join(EXPORTS[table].columns)


def test_files_that_cannot_be_read_are_refused_whole(client, warehouse):
    sup = warehouse["supervisor"]
    # neither UTF-8 nor Windows-1252 (0x8F is undefined there); Windows-1252 itself reads: test_excel_fr.py
    undefined = post_import(client, sup, "products", "sku;name\nX1;Pièce\n".encode("latin-1") + b"\x8f")
    assert undefined.status_code == 400 and undefined.json["error"]["code"] == "not_utf8"
    columns = post_import(client, sup, "opening-stock", b"sku,where,qty\nPAD,A-01,1\n")
    assert columns.status_code == 422 and columns.json["error"]["details"]["missing"] == ["location"]
    empty = post_import(client, sup, "barcodes", b"")
    assert empty.status_code == 422 and empty.json["error"]["code"] == "empty_file"
    huge = post_import(client, sup, "products", b"sku;name\nX2;" + b"x" * 200_000 + b"\n")  # past csv's cell limit
    assert huge.status_code == 422 and huge.json["error"]["code"] == "bad_csv" and huge.json["error"]["details"]["line"] == 2


@pytest.mark.parametrize("kind, data, field, code", [
    # stored with three decimals, 0.0004 became 0: every product's plan then failed on a pack of 0
    ("products", b"sku,name,pack_multiple\nTINY,x,1.0004\n", "pack_multiple", "too_many_decimals"),
    ("products", b"sku,name,pack_multiple\nTINY,x,0.0004\n", "pack_multiple", "out_of_range"),
    ("products", b"sku,name,unit_cost\nTINY,x,0.00001\n", "unit_cost", "too_many_decimals"),
    # refused while applying before, with no line number, and taking the good rows of a partial import with it
    ("opening-stock", b"sku,location,qty\nPAD,A-01,1\nPAD,A-01,5000000\n", "qty", "out_of_range"),
    # the API's limits, kept by the import too (it took them all: the plan then bought millions)
    ("products", b"sku,name,moq\nBIG,x,5000000\n", "moq", "out_of_range"),
    ("products", b"sku,name,unit_cost\nBIG,x,50000000\n", "unit_cost", "out_of_range"),
    ("products", b"sku,name,pack_multiple\nBIG,x,2000000\n", "pack_multiple", "out_of_range"),
    ("products", b"sku,name,barcodes\nBIG,x,9780201379624*2000000\n", "barcodes", "out_of_range"),
    ("barcodes", b"sku,code,pack_qty\nPAD,9780201379624,2000000\n", "pack_qty", "out_of_range"),
    ("opening-stock", b"sku,location,qty\nPAD,A-01,1\nPAD,A-01,0.0001\n", "qty", "too_many_decimals"),
])
def test_numbers_the_database_or_the_ledger_cannot_keep_are_refused_on_their_line(app, client, warehouse, kind, data,
                                                                                  field, code):
    sup = warehouse["supervisor"]
    with app.app_context():
        before = data_state()
    whole = post_import(client, sup, kind, data)
    assert whole.status_code == 422 and [(r["field"], r["code"]) for r in whole.json["refused"]] == [(field, code)]
    with app.app_context():
        assert data_state() == before
    if kind == "opening-stock":
        partial = post_import(client, sup, kind, data, partial="true")
        assert partial.status_code == 200 and partial.json["imported"] == 1 and partial.json["refused"][0]["line"] == 3


def test_opening_stock_refuses_a_fraction_of_a_piece(client, warehouse):
    report = post_import(client, warehouse["supervisor"], "opening-stock",
                         csv_bytes([["sku", "location", "qty"], ["PAD", "A-01", "2.5"]]), partial="true").json
    assert report["imported"] == 0 and [r["code"] for r in report["refused"]] == ["whole_units_required"]


def test_an_unknown_kind_of_import_is_a_404_naming_the_known_kinds(app, client, warehouse):
    """It answered 405 (only the app's static files matched the path), as did any unknown path under /api/."""
    sup = warehouse["supervisor"]
    with app.app_context():
        before = fingerprint()
    known = ["products", "barcodes", "opening-stock", "suppliers", "customers", "locations"]
    listed = ", ".join(known)
    for language, words in (("en", f"choose one of {listed}"), ("fr", f"choisissez parmi {listed}")):
        answer = post_import(client, {**sup, "Accept-Language": language}, "stock", b"sku;location;qty\nPAD;A-01;1\n")
        assert answer.status_code == 404, answer.json
        error = answer.json["error"]
        assert (error["code"], error["field"], error["details"]) == ("unknown_import", "kind", {"known": known})
        assert words in error["message"], error["message"]
    assert post_import(client, warehouse["operator"], "stock", b"x").status_code == 403     # the role first
    nowhere = client.post("/api/v1/nowhere", json={}, headers=sup)
    assert nowhere.status_code == 404 and nowhere.json["error"]["code"] == "not_found"
    assert client.post("/api/v1/products/PAD/policy", headers=sup).status_code == 405      # a real route, GET only
    with app.app_context():
        assert fingerprint() == before


def test_an_expiry_outside_the_apis_years_is_refused_by_the_import_too(app, client, warehouse):
    """The CSV import took an expiry in year 0001 while the API and the scans keep to 2000-2099."""
    sup = warehouse["supervisor"]
    rows = [["sku", "location", "qty", "lot", "expiry"], ["PAD", "A-01", "1", "L1", "0001-01-01"],
            ["PAD", "A-01", "1", "L2", "31/12/1999"], ["PAD", "A-01", "1", "L3", "2100-01-01"],
            ["PAD", "A-01", "1", "L4", "2099-12-31"], ["PAD", "A-01", "1", "L5", "01/01/2000"]]
    with app.app_context():
        before = fingerprint()
    for language, words in (("en", "is not between 2000-01-01 and 2099-12-31"),
                            ("fr", "n'est pas entre le 01/01/2000 et le 31/12/2099")):
        refused = post_import(client, {**sup, "Accept-Language": language}, "opening-stock", csv_bytes(rows))
        assert refused.status_code == 422, refused.json
        assert [(r["line"], r["field"], r["code"]) for r in refused.json["refused"]] == [
            (2, "expiry", "out_of_range"), (3, "expiry", "out_of_range"), (4, "expiry", "out_of_range")]
        assert all(words in r["message"] for r in refused.json["refused"]), refused.json["refused"]
    with app.app_context():
        assert fingerprint() == before
    partial = post_import(client, sup, "opening-stock", csv_bytes(rows), partial="true").json
    assert partial["imported"] == 2
    lots = {i["lot"]: i["expiry"] for i in client.get("/api/v1/stock?product=PAD", headers=sup).json["items"]}
    assert lots == {"L4": "2099-12-31", "L5": "2000-01-01"}
    # the API says the same, in French too
    typed = client.post("/api/v1/adjustments", headers={**sup, "Accept-Language": "fr"}, json=event(
        product="PAD", location="A-01", qty=1, reason="r", expiry="0001-01-01"))
    assert typed.status_code == 422 and typed.json["error"]["field"] == "expiry"
    assert "Entre le 01/01/2000 et le 31/12/2099." in typed.json["error"]["message"]


@pytest.mark.parametrize("field, value", [("moq", 5_000_000), ("unit_cost", 50_000_000), ("pack_multiple", 2_000_000)])
def test_the_api_refuses_what_the_import_refuses(client, warehouse, field, value):
    answer = client.post("/api/v1/products", headers=warehouse["supervisor"],
                         json={"sku": "BIG", "name": "x", field: value})
    assert answer.status_code == 422 and answer.json["error"]["field"] == field


def test_numbers_as_french_spreadsheets_write_them_and_files_pasted_with_tabs(client, warehouse):
    """« unit_cost : '1\\u202f050.00' n'est pas un nombre » for a cell written 1 050,00 (a narrow no-break space),
    '12.50€' for 12,50 €; a tab-separated file read as one unknown column."""
    sup = {**warehouse["supervisor"], "Accept-Language": "fr"}
    data = "sku;name;unit_cost\nPAD;Brake pad;1\u202f050,00\nWIPER;Wiper;12,50 €\n".encode()
    report = post_import(client, sup, "products", data).json
    assert (report["imported"], report["refused"]) == (2, []), report
    assert client.get("/api/v1/products/PAD", headers=sup).json["unit_cost"] == 1050
    assert client.get("/api/v1/products/WIPER", headers=sup).json["unit_cost"] == 12.5
    bad = post_import(client, sup, "products", "sku;name;unit_cost\nPAD;Brake pad;1.050.00\n".encode()).json
    assert [(r["code"], r["message"]) for r in bad["refused"]] == [
        ("not_a_number", "unit_cost : « 1.050.00 » n'est pas un nombre.")]
    tabs = post_import(client, sup, "products", b"sku\tname\tunit_cost\nPAD\tBrake pad\t9,5\n").json
    assert (tabs["imported"], tabs["refused"]) == (1, []), tabs


def test_opening_stock_names_a_bin_in_any_case_as_a_scan_does(client, warehouse):
    sup = warehouse["supervisor"]
    report = post_import(client, sup, "opening-stock", b"sku;location;qty\nPAD;b-01;4\n").json
    assert (report["imported"], report["refused"]) == (1, []), report
    assert stock_total(client, sup) == 4
    assert client.get("/api/v1/stock?location=B-01", headers=sup).json["items"][0]["qty"] == 4


def test_a_dry_run_says_what_a_file_would_do_and_writes_nothing(app, client, warehouse):
    """2,674 carparts rows overwrote the names and costs of 20 products with no preview."""
    sup = warehouse["supervisor"]
    data = b"sku;name;unit_cost\nPAD;Plaquette AV;11\nWIPER;Wiper blade;\nNEW-1;New part;3\nBAD;;\n"
    with app.app_context():
        before = fingerprint()
    checked = client.post("/api/v1/imports/products?dry_run=true&partial=true", headers=sup,
                          content_type="multipart/form-data", data={"file": (io.BytesIO(data), "p.csv")})
    assert checked.status_code == 200, checked.json
    report = checked.json
    assert (report["dry_run"], report["applied"], report["imported"], report["unchanged"]) == (True, False, 2, 1)
    assert [(r["line"], r["code"]) for r in report["refused"]] == [(5, "required")]
    with app.app_context():
        after = fingerprint()
    for state in (before, after):
        state.pop("audit_log", None)  # (the check is recorded, as imports are)
    assert after == before
    assert client.get("/api/v1/products/PAD", headers=sup).json["name"] == "Brake pad"
    whole = client.post("/api/v1/imports/products?dry_run=true", headers=sup,
                        content_type="multipart/form-data", data={"file": (io.BytesIO(data), "p.csv")})
    assert whole.status_code == 422 and whole.json["dry_run"] is True      # all or nothing would refuse it
