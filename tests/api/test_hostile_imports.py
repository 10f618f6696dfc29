"""CSV imports held to what the JSON routes refuse: no NUL, no invisible control character in any cell."""
import io

import pytest

from tests.conftest import fingerprint


def post_import(client, headers, kind, data, **query):
    return client.post(f"/api/v1/imports/{kind}", query_string=query, headers=headers,
                       data={"file": (io.BytesIO(data), f"{kind}.csv")}, content_type="multipart/form-data")


# A good row, then one with a control character inside a cell (quoted where csv needs it), then a good one.
@pytest.mark.parametrize("bad_row, field, char", [
    (b"NUL-1,ab\x00cd", "name", "U+0000"),
    (b'LF-1,"ab\ncd"', "name", "U+000A"),
    (b'CR-1,"ab\rcd"', "name", "U+000D"),
    (b"TAB-1,ab\tcd", "name", "U+0009"),             # a spreadsheet's separator pasted into a name
    (b"ESC-1,ab\x1b[31mcd", "name", "U+001B"),
    (b"DEL-1,ab\x7fcd", "name", "U+007F"),
    (b"GS\x1d1,name", "code", "U+001D"),
])
def test_a_control_character_in_a_cell_refuses_its_row_by_line_and_column(app, client, tokens, bad_row, field, char):
    sup = tokens["supervisor"]
    data = b"code,name\nGOOD-1,Garage\n" + bad_row + b"\nGOOD-2,Atelier\n"
    with app.app_context():
        before = fingerprint()
    report = post_import(client, sup, "customers", data)
    assert report.status_code == 422, report.json
    [refused] = report.json["refused"]
    assert (refused["line"], refused["field"], refused["code"]) == (3, field, "control_character"), refused
    assert char in refused["message"] and "retype the cell" in refused["message"]
    fr = post_import(client, {**sup, "Accept-Language": "fr"}, "customers", data).json["refused"][0]["message"]
    assert char in fr and "ressaisissez la cellule" in fr
    with app.app_context():
        assert fingerprint() == before                              # all or nothing: nothing
    partial = post_import(client, sup, "customers", data, partial="true")
    assert partial.status_code == 200 and partial.json["imported"] == 2, partial.json
    codes = {c["code"]: c["name"] for c in client.get("/api/v1/customers", headers=sup).json["items"]}
    assert codes == {"GOOD-1": "Garage", "GOOD-2": "Atelier"}


def test_spaces_and_line_ends_around_cells_are_still_trimmed_not_refused(client, tokens):
    data = b"code,name\r\nGOOD-1,\tGarage \r\n"
    report = post_import(client, tokens["supervisor"], "customers", data)
    assert report.status_code == 200 and report.json["imported"] == 1, report.json


@pytest.mark.parametrize("path, body", [
    ("/api/v1/products", {"sku": "PAD", "name": "Brake\tpad"}),
    ("/api/v1/products", {"sku": "PAD", "name": "Brake pad", "unit": "pce\n"}),
    ("/api/v1/customers", {"code": "GARAGE", "name": "\r=1"}),
    ("/api/v1/suppliers", {"code": "ACME", "name": "Acme\x1b[31m"}),
    ("/api/v1/locations", {"code": "A-01", "name": "Aisle\nA"}),
])
def test_the_json_routes_refuse_in_names_what_an_import_would(app, client, tokens, path, body):
    """A name the API took with a tab or a line end inside exported fine, then its own export was refused on import."""
    with app.app_context():
        before = fingerprint()
    res = client.post(path, json=body, headers=tokens["supervisor"])
    assert res.status_code == 422, res.json
    field = "unit" if "unit" in body else "name"
    assert res.json["error"]["field"] == field and "control character" in res.json["error"]["message"], res.json
    with app.app_context():
        assert fingerprint() == before
