"""Exports for French Excel (``?dialect=excel-fr``) and the files French Excel saves (Windows-1252): both import
back unchanged, the round trip the import help promises (« comme products.csv les exporte »)."""
import csv
import io
import re

import pytest

from server.queries.exports import EXPORTS
from tests.conftest import fingerprint
from tests.flows.test_imports import csv_bytes, post_import

FR = {"Accept-Language": "fr"}
# Names a French warehouse has; in Windows-1252 none of them happens to be valid UTF-8 as well.
NAMES = ["Établissements Crème & Fils", "Bière brune, fût 30 l", "Œuvre à l'œil", "Prix net : 5 € HT", "Ça marche"]


def export(client, headers, table, dialect="excel-fr"):
    res = client.get(f"/api/v1/exports/{table}.csv", query_string={"dialect": dialect}, headers=headers)
    assert res.status_code == 200 and res.mimetype == "text/csv", res.data
    return res


def cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def as_excel_saves_it(data: bytes) -> bytes:
    """What French Excel writes when the excel-fr file, opened by a double click, is saved as "CSV (séparateur :
    point-virgule)": each cell as shown (a code kept as text by ="…" as the bare code, an ISO date as 31/12/2031),
    Windows-1252, no BOM."""
    def shown(cell: str) -> str:
        if as_text := re.fullmatch(r'="([^"]*)"', cell):
            return as_text[1]
        if day := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", cell):
            return f"{day[3]}/{day[2]}/{day[1]}"
        return cell
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows([shown(c) for c in row] for row in cells(data))
    return out.getvalue().encode("cp1252")


@pytest.fixture
def french_warehouse(client, warehouse):
    """Accented names, decimal costs and lead times, codes Excel would take for numbers or dates."""
    sup = warehouse["supervisor"]
    posts = [("suppliers", {"code": "00421", "name": NAMES[0], "declared_lead_time_days": 4.5,
                            "review_period_days": 7, "ordering_cost": 35.25}),
             ("suppliers", {"code": "BRASSEUR", "name": NAMES[1], "email": "achats@biere.example",
                            "declared_lead_time_days": 0.1, "active": False}),
             ("customers", {"code": "0033142", "name": NAMES[2]}),
             ("customers", {"code": "CAFE-1", "name": NAMES[3], "email": "ca@fe.example"}),
             ("locations", {"code": "ALLEE-C", "name": NAMES[4], "kind": "zone"}),
             ("locations", {"code": "0101", "kind": "bin", "walk_order": 5}),
             ("products", {"sku": "03165143007129", "name": NAMES[1], "unit": "l", "unit_cost": 12.3456,
                           "supplier": "00421", "moq": 2.5, "pack_multiple": 0.5,
                           "barcodes": [{"code": "03165143007129"}]}),
             ("products", {"sku": "2024-03", "name": NAMES[3], "unit": "kg", "unit_cost": 0.5})]
    for kind, body in posts:
        assert client.post(f"/api/v1/{kind}", json=body, headers=sup).status_code == 201, (kind, body)
    assert client.patch("/api/v1/locations/0101", json={"parent": "ALLEE-C"}, headers=sup).status_code == 200
    return warehouse


def test_an_excel_fr_export_has_a_bom_semicolons_decimal_commas_and_codes_kept_as_text(client, french_warehouse):
    res = export(client, french_warehouse["supervisor"], "products")
    assert res.data.startswith(b"\xef\xbb\xbfsku;name;unit;unit_cost;supplier;moq;")
    assert res.data.endswith(b"\r\n") and b"\n" not in res.data.replace(b"\r\n", b"")
    assert re.fullmatch(r'attachment; filename="tendu-products-\d{4}-\d\d-\d\d-excel-fr\.csv"',
                        res.headers["Content-Disposition"])
    rows = {row[0]: dict(zip(EXPORTS["products"].columns, row)) for row in cells(res.data)[1:]}
    beer = rows['="03165143007129"']  # a GTIN's leading 0 and its 14 digits kept: not 3,16514E+12
    assert (beer["name"], beer["unit_cost"], beer["moq"], beer["pack_multiple"], beer["supplier"],
            beer["barcodes"]) == (NAMES[1], "12,3456", "2,5", "0,5", '="00421"', '="03165143007129"')
    assert rows['="2024-03"']["unit_cost"] == "0,5"  # a SKU that Excel would make a month
    assert rows["PAD"]["barcodes"] == "04006381333931|14006381333938*12"  # text to Excel already
    # the default is unchanged: what programs and the other tests read
    plain = export(client, french_warehouse["supervisor"], "products", "rfc4180").data
    assert plain.startswith(b"sku,name,") and b'03165143007129,"Bi\xc3\xa8re brune' in plain and b"12.3456" in plain
    assert client.get("/api/v1/exports/products.csv", headers=french_warehouse["supervisor"]).data == plain


def test_every_table_exports_for_excel_and_an_unknown_dialect_is_refused(client, french_warehouse):
    sup = french_warehouse["supervisor"]
    for table, export_ in EXPORTS.items():
        assert cells(export(client, sup, table).data)[0] == list(export_.columns), table
    wrong = client.get("/api/v1/exports/products.csv?dialect=excel", headers=sup)
    assert wrong.status_code == 422, wrong.json


@pytest.mark.parametrize("kind", ["suppliers", "customers", "locations", "products"])
def test_an_excel_fr_export_imports_back_unchanged_as_it_is_and_as_excel_saves_it(app, client, french_warehouse,
                                                                                 kind):
    sup = {**french_warehouse["supervisor"], **FR}
    exported = export(client, sup, kind).data
    rows = len(cells(exported)) - 1
    with app.app_context():
        before = fingerprint()
    back = post_import(client, sup, kind, exported)
    assert back.status_code == 200, back.json
    assert (back.json["imported"], back.json["unchanged"], back.json["refused"], back.json["warnings"]) == (
        0, rows, [], [])
    saved = as_excel_saves_it(exported)
    assert b'="' not in saved and saved.decode("cp1252").count(";") == exported.decode("utf-8-sig").count(";")
    again = post_import(client, sup, kind, saved)
    assert again.status_code == 200, again.json
    assert (again.json["imported"], again.json["unchanged"], again.json["refused"]) == (0, rows, [])
    assert [w["warning"] for w in again.json["warnings"]] == ["read_as_windows_1252"]
    assert export(client, sup, kind).data == exported
    with app.app_context():
        after = fingerprint()
    assert {k: v for k, v in after.items() if k != "audit_log"} == {k: v for k, v in before.items() if k != "audit_log"}


def test_an_excel_fr_stock_export_reads_back_as_the_opening_stock_it_was(app, client, french_warehouse):
    """One row per place, so the stock export is the opening stock itself: read back, as Excel saves it too, it
    books nothing (a quantity changed would be refused, not added: test_imports.py)."""
    sup = french_warehouse["supervisor"]
    opening = csv_bytes([["sku", "location", "qty", "lot", "expiry"],
                         ["03165143007129", "0101", "12,75", "007", "31/12/2031"],
                         ["03165143007129", "A-01", "3", "2024-03", ""],
                         ["2024-03", "ALLEE-C", "0,125", "", "2030-06-01"],
                         ["PAD", "B-01", "40", "L1", ""]], ";", bom=True)
    assert post_import(client, sup, "opening-stock", opening).json["imported"] == 4
    exported = export(client, sup, "stock").data
    qty = {(r[0], r[2]): r[5] for r in cells(exported)[1:]}
    assert qty == {('="03165143007129"', '="0101"'): "12,75", ('="03165143007129"', "A-01"): "3",
                   ('="2024-03"', "ALLEE-C"): "0,125", ("PAD", "B-01"): "40"}
    with app.app_context():
        before = fingerprint()
    assert "31/12/2031" in as_excel_saves_it(exported).decode("cp1252")
    for data in (exported, as_excel_saves_it(exported)):
        back = post_import(client, sup, "opening-stock", data)
        assert back.status_code == 200, back.json
        assert (back.json["imported"], back.json["unchanged"], back.json["refused"]) == (0, 4, [])
    with app.app_context():
        after = fingerprint()
    assert {k: v for k, v in after.items() if k != "audit_log"} == {k: v for k, v in before.items() if k != "audit_log"}


def test_a_windows_1252_file_imports_its_accents_and_says_how_it_was_read(client, warehouse):
    sup = {**warehouse["supervisor"], **FR}
    rows = ["code;name;ordering_cost", "PLAIN;Plain;10", "ETS;" + NAMES[0] + ";12,5", "BIERE;" + NAMES[1] + ";",
            "OEUVRE;" + NAMES[2] + ";", "EURO;" + NAMES[3] + ";"]
    data = ("\r\n".join(rows) + "\r\n").encode("cp1252")
    report = post_import(client, sup, "suppliers", data)
    assert report.status_code == 200, report.json
    assert (report.json["imported"], report.json["refused"]) == (5, [])
    warning, = report.json["warnings"]
    assert {k: warning[k] for k in ("line", "field", "code", "warning")} == {
        "line": 3, "field": "file", "code": "windows-1252", "warning": "read_as_windows_1252"}  # É is on line 3
    assert warning["message"].startswith("Le fichier n'est pas en UTF-8 (dès la ligne 3) : il a été lu en "
                                         "Windows-1252"), warning["message"]
    names = {s["code"]: s["name"] for s in client.get("/api/v1/suppliers?per_page=50", headers=sup).json["items"]}
    assert [names[code] for code in ("ETS", "BIERE", "OEUVRE", "EURO")] == NAMES[:4]
    # also when rows are refused (nothing applied): the report says how the file was read, in English here
    bad = post_import(client, warehouse["supervisor"], "suppliers", data.replace(b";12,5", b";cher"))
    assert bad.status_code == 422 and bad.json["refused"][0]["line"] == 3
    assert bad.json["warnings"][0]["message"].startswith("The file is not UTF-8 (from line 3): it was read as "
                                                         "Windows-1252")


@pytest.mark.parametrize("data", [
    *(b"code;name\r\nX1;Pi" + bytes([byte]) + b"ce\r\n" for byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D)),
    "code;name\r\nX1;Pièce\r\n".encode("utf-16"),                           # Excel's "Unicode text"
    "code;name\r\nX1;Pièce\r\n".encode() + "X2;Pièce\r\n".encode("cp1252"),  # UTF-8 and Windows-1252 mixed
], ids=["0x81", "0x8D", "0x8F", "0x90", "0x9D", "utf-16", "mixed"])
def test_bytes_windows_1252_cannot_read_either_are_refused_whole(app, client, warehouse, data):
    with app.app_context():
        before = fingerprint()
    refused = post_import(client, {**warehouse["supervisor"], **FR}, "customers", data)
    assert refused.status_code == 400 and refused.json["error"]["code"] == "not_utf8"
    assert refused.json["error"]["message"] == "Le fichier n'est pas en UTF-8 : enregistrez-le en « CSV UTF-8 »."
    with app.app_context():
        after = fingerprint()
    assert {k: v for k, v in after.items() if k != "audit_log"} == {k: v for k, v in before.items() if k != "audit_log"}
