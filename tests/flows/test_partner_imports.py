"""Suppliers and customers by CSV: the API's rules cell by cell, created or updated by code, exports that read back
unchanged, all or nothing unless asked."""
import pytest

from tests.conftest import fingerprint
from tests.flows.test_imports import csv_bytes, post_import, read_csv

SUPPLIER_COLUMNS = ["code", "name", "email", "declared_lead_time_days", "review_period_days", "ordering_cost",
                    "active"]


def listed(client, headers, kind) -> list[dict]:
    return client.get(f"/api/v1/{kind}?per_page=500", headers=headers).json["items"]


def by_code(client, headers, kind) -> dict:
    return {p["code"]: {k: v for k, v in p.items() if k != "id"} for p in listed(client, headers, kind)}


def test_a_french_excel_suppliers_file_creates_and_updates_by_code(client, warehouse):
    """BOM, ';', decimal commas, oui/non; ACME exists (updated), the others are new; empty cells keep or default."""
    sup = warehouse["supervisor"]
    data = csv_bytes([SUPPLIER_COLUMNS,
                      ["ACME", "", "orders@acme.example", "4,5", "7", "", "oui"],
                      ["BOLT", "Bolt & Co", "", "", "", "", ""],
                      ["CARGO", "Cargo SA", "achats@cargo.example", "12", "14", "35,5", "non"]], ";", bom=True)
    report = post_import(client, sup, "suppliers", data)
    assert report.status_code == 200, report.json
    assert (report.json["imported"], report.json["unchanged"], report.json["refused"]) == (3, 0, [])
    suppliers = by_code(client, sup, "suppliers")
    assert suppliers["ACME"] == {"code": "ACME", "name": "Acme", "email": "orders@acme.example",
                                 "declared_lead_time_days": 4.5, "review_period_days": 7, "ordering_cost": None,
                                 "active": True}
    # what the API gives a supplier created with only a code and a name
    made = client.post("/api/v1/suppliers", json={"code": "BOLT2", "name": "Bolt & Co"}, headers=sup).json
    assert suppliers["BOLT"] == {**{k: v for k, v in made.items() if k != "id"}, "code": "BOLT"}
    assert suppliers["CARGO"] == {"code": "CARGO", "name": "Cargo SA", "email": "achats@cargo.example",
                                  "declared_lead_time_days": 12.0, "review_period_days": 14, "ordering_cost": 35.5,
                                  "active": False}


def test_a_product_import_names_a_supplier_imported_just_before(client, warehouse):
    """Onboarding: the suppliers' file first, then the products that name them (refused before: unknown_supplier)."""
    sup = warehouse["supervisor"]
    products = csv_bytes([["sku", "name", "supplier"], ["NUT", "Nut", "BOLT"]])
    assert post_import(client, sup, "products", products).json["refused"][0]["code"] == "unknown_supplier"
    assert post_import(client, sup, "suppliers", csv_bytes([["code", "name"], ["BOLT", "Bolt & Co"]])).status_code == 200
    assert post_import(client, sup, "products", products).json["imported"] == 1
    assert client.get("/api/v1/products/NUT", headers=sup).json["supplier"] == "BOLT"


# column, cell, the import's refusal, the same value in a JSON body to the API (which must refuse it too)
BAD_SUPPLIER_CELLS = [
    ("code", "NEW 1", "bad_code", "NEW 1"),
    ("code", "-NEW", "bad_code", "-NEW"),
    ("code", "N" * 65, "too_long", "N" * 65),
    ("name", "x" * 201, "too_long", "x" * 201),
    ("email", "not-an-address", "not_an_email", "not-an-address"),
    ("email", "a@" + "b" * 200 + ".fr", "too_long", "a@" + "b" * 200 + ".fr"),
    ("declared_lead_time_days", "366", "out_of_range", 366),
    ("declared_lead_time_days", "-1", "out_of_range", -1),
    ("declared_lead_time_days", "une semaine", "not_a_number", "une semaine"),
    ("review_period_days", "0", "out_of_range", 0),
    ("review_period_days", "366", "out_of_range", 366),
    ("review_period_days", "3,5", "not_a_whole_number", 3.5),
    ("ordering_cost", "0", "out_of_range", 0),
    ("ordering_cost", "1000000,01", "out_of_range", 1000000.01),
    ("ordering_cost", "0,001", "out_of_range", 0.001),
    # The column keeps 4 decimals: the API rounds a fifth away, the import refuses it as it does a product's unit_cost
    # (a spreadsheet's hidden decimals are a mistake more often than not).
    ("ordering_cost", "12,34567", "too_many_decimals", None),
    ("ordering_cost", "cher", "not_a_number", "cher"),
    ("active", "peut-être", "not_a_boolean", "peut-être"),
]


@pytest.mark.parametrize("column, cell, code, json_value", BAD_SUPPLIER_CELLS,
                         ids=[f"{c}-{code}-{i}" for i, (c, _, code, _) in enumerate(BAD_SUPPLIER_CELLS)])
def test_a_bad_supplier_cell_is_refused_on_its_line_naming_its_column_as_the_api_does(
        app, client, warehouse, column, cell, code, json_value):
    sup = warehouse["supervisor"]
    good = {"code": "NEW1", "name": "New one", "email": "new@example.com", "declared_lead_time_days": "10",
            "review_period_days": "7", "ordering_cost": "25", "active": "true"}
    with app.app_context():
        before = fingerprint()
    rows = [SUPPLIER_COLUMNS, [good[c] for c in SUPPLIER_COLUMNS], [{**good, "code": "NEW2", column: cell}[c]
                                                                     for c in SUPPLIER_COLUMNS]]
    for language, name in (("en", f"{column}: "), ("fr", f"{column} : ")):
        refused = post_import(client, {**sup, "Accept-Language": language}, "suppliers", csv_bytes(rows))
        assert refused.status_code == 422, refused.json
        assert [(r["line"], r["field"], r["code"]) for r in refused.json["refused"]] == [(3, column, code)]
        assert refused.json["refused"][0]["message"].startswith(name), refused.json
    with app.app_context():
        assert fingerprint() == before

    if json_value is not None:
        body = {"code": "NEW2", "name": "New one", column: json_value}
        api = client.post("/api/v1/suppliers", json=body, headers=sup)
        assert api.status_code == 422 and api.json["error"]["field"] == column, (body, api.json)

    partial = post_import(client, sup, "suppliers", csv_bytes(rows), partial="true")
    assert partial.status_code == 200 and (partial.json["imported"], len(partial.json["refused"])) == (1, 1)
    assert sorted(by_code(client, sup, "suppliers")) == ["ACME", "NEW1"]


@pytest.mark.parametrize("kind", ["suppliers", "customers"])
def test_a_new_partner_needs_a_name_an_existing_one_keeps_its_own(client, warehouse, kind):
    sup = warehouse["supervisor"]
    existing = "ACME" if kind == "suppliers" else "GARAGE"
    report = post_import(client, sup, kind, csv_bytes([["code", "name", "email"], [existing, "", "x@example.com"],
                                                       ["NEWBIE", "", "y@example.com"]]), partial="true").json
    assert report["imported"] == 1
    assert [(r["line"], r["field"], r["code"]) for r in report["refused"]] == [(3, "name", "required")]
    kept = client.get(f"/api/v1/{kind}/{existing}", headers=sup).json
    assert (kept["name"], kept["email"]) == (existing.title(), "x@example.com")


@pytest.mark.parametrize("kind", ["suppliers", "customers"])
def test_codes_differing_only_in_case_are_refused_in_the_file_and_against_the_database(app, client, warehouse, kind):
    sup = warehouse["supervisor"]
    existing = "ACME" if kind == "suppliers" else "GARAGE"
    rows = [["code", "name"], [existing.lower(), "Twin"], ["NEWONE", "New"], ["newone", "New again"],
            ["NEWONE", "New a third time"]]
    with app.app_context():
        before = fingerprint()
    refused = post_import(client, sup, kind, csv_bytes(rows))
    assert refused.status_code == 422
    assert [(r["line"], r["field"], r["code"]) for r in refused.json["refused"]] == [
        (2, "code", "duplicate"), (4, "code", "duplicate_in_file"), (5, "code", "duplicate_in_file")]
    with app.app_context():
        assert fingerprint() == before
    # the API refuses the twin too
    assert client.post(f"/api/v1/{kind}", json={"code": existing.lower(), "name": "Twin"},
                       headers=sup).status_code == 409


BAD_CUSTOMER_CELLS = [
    ("code", "GAR/2", "bad_code"), ("name", "y" * 201, "too_long"), ("email", "garage@", "not_an_email"),
    ("active", "2", "not_a_boolean"),
]


@pytest.mark.parametrize("column, cell, code", BAD_CUSTOMER_CELLS)
def test_a_bad_customer_cell_is_refused_on_its_line(app, client, warehouse, column, cell, code):
    sup = warehouse["supervisor"]
    good = {"code": "SHOP", "name": "Shop", "email": "shop@example.com", "active": "1"}
    rows = [list(good), list(good.values()), list({**good, "code": "SHOP2", column: cell}.values())]
    with app.app_context():
        before = fingerprint()
    refused = post_import(client, sup, "customers", csv_bytes(rows))
    assert refused.status_code == 422
    assert [(r["line"], r["field"], r["code"]) for r in refused.json["refused"]] == [(3, column, code)]
    with app.app_context():
        assert fingerprint() == before
    assert client.post("/api/v1/customers", json={"code": "SHOP2", "name": "Shop", column: cell},
                       headers=sup).status_code == 422
    partial = post_import(client, sup, "customers", csv_bytes(rows), partial="true").json
    assert (partial["imported"], partial["applied"]) == (1, True)
    assert sorted(by_code(client, sup, "customers")) == ["GARAGE", "SHOP"]


def test_the_columns_are_those_of_the_export(client, warehouse):
    sup = warehouse["supervisor"]
    wrong = post_import(client, sup, "customers", csv_bytes([["code", "name", "declared_lead_time_days"],
                                                            ["SHOP", "Shop", "3"]]))
    assert wrong.status_code == 422 and wrong.json["error"]["code"] == "bad_columns"
    assert wrong.json["error"]["details"]["unknown"] == ["declared_lead_time_days"]
    assert wrong.json["error"]["details"]["known"] == ["active", "code", "email", "name"]
    missing = post_import(client, sup, "suppliers", csv_bytes([["name"], ["Nobody"]]))
    assert missing.status_code == 422 and missing.json["error"]["details"]["missing"] == ["code"]


@pytest.mark.parametrize("kind", ["suppliers", "customers"])
def test_an_export_imports_back_unchanged_and_a_second_import_is_a_no_op(app, client, warehouse, kind):
    sup = warehouse["supervisor"]
    if kind == "suppliers":
        bodies = [{"code": "BOLT", "name": "=SUM(A1)", "email": "a@bolt.example", "declared_lead_time_days": 3.5,
                   "review_period_days": 7, "ordering_cost": 12.3456, "active": False},
                  {"code": "SLOW", "name": "Slow;=steady",  # exported "Slow;'=steady" "declared_lead_time_days": 0.1,
                   "ordering_cost": 1000000},
                  {"code": "zed.1", "name": "Zed", "declared_lead_time_days": 365, "review_period_days": 365,
                   "ordering_cost": 0.01}]
    else:
        bodies = [{"code": "SHOP", "name": "+33 shop", "email": "s@shop.example", "active": False},
                  {"code": "ATELIER-2", "name": "Atelier, Lyon;+33 4"}]
    for body in bodies:
        assert client.post(f"/api/v1/{kind}", json=body, headers=sup).status_code == 201, body
    exported, rows = read_csv(client, sup, kind)
    assert len(rows) == len(bodies) + 1 and list(rows[0]) == (SUPPLIER_COLUMNS if kind == "suppliers"
                                                              else ["code", "name", "email", "active"])
    assert any(";'" in row["name"] for row in rows)  # a formula after a ';' is guarded, and read back unguarded
    before = by_code(client, sup, kind)
    with app.app_context():
        state = fingerprint()
    back = post_import(client, sup, kind, exported)
    assert back.status_code == 200, back.json
    assert (back.json["imported"], back.json["unchanged"], back.json["refused"]) == (0, len(rows), [])
    assert by_code(client, sup, kind) == before
    with app.app_context():
        after = fingerprint()
    assert {k: v for k, v in after.items() if k != "audit_log"} == {k: v for k, v in state.items() if k != "audit_log"}

    # As new codes (a new warehouse set up from another's export), then once more: nothing changes. The fixture's
    # ACME or GARAGE keeps its code: unchanged.
    codes = [b["code"] for b in bodies]
    renamed = exported.decode()
    for code in codes:
        renamed = renamed.replace(f"\r\n{code},", f"\r\nX{code},")
    first = post_import(client, sup, kind, renamed.encode()).json
    assert (first["imported"], first["unchanged"]) == (len(bodies), 1), first
    again = post_import(client, sup, kind, renamed.encode()).json
    assert (again["imported"], again["unchanged"]) == (0, len(bodies) + 1)
    now = by_code(client, sup, kind)
    for code in codes:
        assert {**now[f"X{code}"], "code": code} == before[code]


def test_a_partial_import_takes_the_good_rows_and_the_fixed_file_only_the_rest(client, warehouse):
    sup = warehouse["supervisor"]
    rows = [SUPPLIER_COLUMNS] + [[f"S{n:03d}", f"Supplier {n}", "", str(n % 30 + 1), "", "", ""]
                                 for n in range(1, 201)]
    rows[10][3], rows[50][4], rows[120][5] = "999", "0", "-5"
    refused = post_import(client, sup, "suppliers", csv_bytes(rows))
    assert refused.status_code == 422 and refused.json["imported"] == 0
    assert [(r["line"], r["field"]) for r in refused.json["refused"]] == [
        (11, "declared_lead_time_days"), (51, "review_period_days"), (121, "ordering_cost")]
    assert sorted(by_code(client, sup, "suppliers")) == ["ACME"]
    partial = post_import(client, sup, "suppliers", csv_bytes(rows), partial="true").json
    assert (partial["imported"], partial["unchanged"], len(partial["refused"])) == (197, 0, 3)
    rows[10][3], rows[50][4], rows[120][5] = "9", "14", "40"
    fixed = post_import(client, sup, "suppliers", csv_bytes(rows)).json
    assert (fixed["imported"], fixed["unchanged"], fixed["refused"]) == (3, 197, [])
    assert len(listed(client, sup, "suppliers")) == 201


def test_an_operator_cannot_import_partners(client, warehouse):
    data = csv_bytes([["code", "name"], ["SNEAKY", "Sneaky"]])
    assert post_import(client, warehouse["operator"], "suppliers", data).status_code == 403
    assert post_import(client, warehouse["operator"], "customers", data).status_code == 403


def test_a_new_warehouse_imports_its_bins_before_its_opening_stock(app, client, warehouse):
    """There was no way to make bins but the API: the opening stock was refused for every location."""
    sup = {**warehouse["supervisor"], "Accept-Language": "fr"}
    data = csv_bytes([["code", "name", "kind", "parent", "walk_order", "active"],
                      ["QUAI-2", "Quai nord", "dock", "", "", ""],
                      ["ALLEE-C", "Allée C", "zone", "", "", ""],
                      ["C-01-01", "", "", "ALLEE-C", "310", ""],
                      ["C-01-02", "", "bin", "allee-c", "320", "oui"]], ";", bom=True)
    report = post_import(client, sup, "locations", data)
    assert report.status_code == 200, report.json
    assert (report.json["imported"], report.json["unchanged"], report.json["refused"]) == (4, 0, [])
    made = by_code(client, sup, "locations")
    assert made["QUAI-2"]["kind"] == "dock" and made["QUAI-2"]["name"] == "Quai nord"
    assert {k: made["C-01-01"][k] for k in ("kind", "parent", "walk_order", "active", "name")} == {
        "kind": "bin", "parent": "ALLEE-C", "walk_order": 310, "active": True, "name": ""}
    assert made["C-01-02"]["parent"] == "ALLEE-C"
    # its export reads back unchanged; then the opening stock names the new bins
    exported, _ = read_csv(client, sup, "locations")
    again = post_import(client, sup, "locations", exported).json
    assert (again["imported"], again["refused"]) == (0, [])
    stock = post_import(client, sup, "opening-stock", b"sku;location;qty\nPAD;C-01-01;12\n").json
    assert (stock["imported"], stock["refused"]) == (1, [])


@pytest.mark.parametrize("row, field, code", [
    (["D-01", "", "shelf", "", "", ""], "kind", "bad_kind"),
    (["D-01", "", "", "NOWHERE", "", ""], "parent", "unknown_location"),
    (["D-01", "", "", "D-01", "", ""], "parent", "own_parent"),
    (["D-01", "", "", "", "-4", ""], "walk_order", "out_of_range"),
    (["a-01", "", "", "", "", ""], "code", "duplicate"),                 # A-01 in another case
    (["4006381333931", "", "", "", "", ""], "code", "code_of_a_product"),
])
def test_a_bad_location_row_is_refused_and_changes_nothing(app, client, warehouse, row, field, code):
    sup = warehouse["supervisor"]
    with app.app_context():
        before = fingerprint()
    report = post_import(client, sup, "locations",
                         csv_bytes([["code", "name", "kind", "parent", "walk_order", "active"], row]))
    assert report.status_code == 422, report.json
    assert [(r["line"], r["field"], r["code"]) for r in report.json["refused"]] == [(2, field, code)]
    with app.app_context():
        after = fingerprint()
    for state in (before, after):
        state.pop("audit_log", None)  # (an import refused is recorded)
    assert after == before


def test_a_partial_import_refuses_the_children_of_a_refused_location(client, warehouse):
    """The parent refused (its code is a product's EAN) and its child accepted: applying the child named a location
    never made."""
    sup = warehouse["supervisor"]
    report = post_import(client, sup, "locations", csv_bytes([
        ["code", "kind", "parent"], ["4006381333931", "zone", ""], ["Z-01", "", "4006381333931"], ["Z-02", "", ""]]),
        partial="true")
    assert report.status_code == 200, report.json
    assert [(r["line"], r["code"]) for r in report.json["refused"]] == [(2, "code_of_a_product"),
                                                                       (3, "unknown_location")]
    assert report.json["imported"] == 1 and "Z-02" in by_code(client, sup, "locations")
