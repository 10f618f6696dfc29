"""Requests built to hurt: each gets a clear 4xx (or is refused early) and leaves the service usable."""
import json

import pytest

from tests.conftest import event, fingerprint


def test_the_audit_log_stays_readable_after_a_body_that_is_not_an_object(client, tokens):
    sup = tokens["supervisor"]
    assert client.post("/api/v1/products", json={"sku": "P1", "name": "x"}, headers=sup).status_code == 201
    assert client.delete("/api/v1/products/P1", json=["hide", "me"], headers=sup).status_code == 200
    log = client.get("/api/v1/audit", headers=tokens["admin"])
    assert log.status_code == 200, log.json
    assert log.json[0]["path"] == "/api/v1/products/P1" and log.json[0]["body"] == ["hide", "me"]


def test_a_label_sheet_over_the_limit_is_refused_before_reading_every_copy(client, tokens, monkeypatch):
    import server.api.labels as api_labels
    calls = []
    real = api_labels.label_for
    monkeypatch.setattr(api_labels, "label_for", lambda *a: calls.append(a) or real(*a))
    client.post("/api/v1/locations", json={"code": "A-01"}, headers=tokens["supervisor"])
    body = {"items": [{"kind": "locations", "key": "A-01", "copies": 500}] * 20}       # 10,000 labels
    res = client.post("/api/v1/labels/sheet", json=body, headers=tokens["operator"])
    assert res.status_code == 422 and res.json["error"]["code"] == "too_many_labels"
    assert len(calls) <= 5                                   # one look-up per item until past 2,000 labels
    two = {"items": [{"kind": "locations", "key": "A-01", "copies": 2}]}
    sheet = client.post("/api/v1/labels/sheet", json=two, headers=tokens["operator"])
    assert sheet.status_code == 200 and sheet.data.startswith(b"%PDF")


@pytest.mark.parametrize("path", ["/js/../README.md", "/./tools/make_icons.py", "/%2e/README.md", "/js/../tools/"])
def test_files_kept_out_of_the_app_stay_out_whatever_the_path_says(client, path):
    assert client.get(path).status_code == 404
    assert client.get("/js/app.js").status_code == 200


def test_json_nested_past_the_decoders_stack_is_unreadable_json(client, tokens):
    body = b"[" * 5000 + b"]" * 5000
    res = client.post("/api/v1/scans", data=body, headers={**tokens["operator"], "Content-Type": "application/json"})
    assert res.status_code == 400 and res.json["error"]["code"] == "bad_json"
    fr = client.post("/api/v1/scans", data=body, headers={**tokens["operator"], "Content-Type": "application/json",
                                                         "Accept-Language": "fr"})
    assert fr.json["error"]["message"] == "Le corps JSON est illisible."


def test_no_cell_of_an_export_starts_a_formula_whichever_separator_the_spreadsheet_splits_on(client, tokens):
    sup = tokens["supervisor"]
    client.post("/api/v1/products", json={"sku": "P1", "name": "Pad;=HYPERLINK(\"x\");@SUM(1)"}, headers=sup)
    client.post("/api/v1/products", json={"sku": "P2", "name": "=1+1"}, headers=sup)
    text = client.get("/api/v1/exports/products.csv", headers=sup).data.decode()
    for separator in (",", ";"):
        cells = [c.strip('"') for line in text.splitlines() for c in line.split(separator)]
        assert not [c for c in cells if c[:1] in ("=", "+", "@")], separator
    assert "Pad;'=HYPERLINK" in text and ",'=1+1," in text


def post_raw(client, path, text, headers=None):
    return client.post(path, data=text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text,
                       headers={**(headers or {}), "Content-Type": "application/json"})


def a_scan(**fields):
    return {**event(code="4006381333931", action="lookup", device="tc52"), **fields}


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1" * 101, "1." + "0" * 100])
def test_numbers_json_has_not_are_unreadable_json_and_change_nothing(app, client, tokens, number):
    body = json.dumps(a_scan(context={"qty": 0})).replace('"qty": 0', f'"qty": {number}')
    with app.app_context():
        before = fingerprint()
    res = post_raw(client, "/api/v1/scans", body, tokens["operator"])
    assert res.status_code == 400 and res.json["error"]["code"] == "bad_json", res.json
    fr = post_raw(client, "/api/v1/scans", body, {**tokens["operator"], "Accept-Language": "fr"})
    assert fr.json["error"]["message"] == "Le corps JSON est illisible."
    with app.app_context():
        assert fingerprint() == before
    # What supervisors read stays JSON a browser parses (no NaN slipped into a context or the audit log).
    listed = client.get("/api/v1/scans", headers=tokens["supervisor"])
    json.loads(listed.get_data(as_text=True), parse_constant=pytest.fail)


def test_an_integer_past_pythons_digit_limit_is_unreadable_json_even_signing_in(app, client):
    with app.app_context():
        before = fingerprint()
    res = post_raw(client, "/api/v1/auth/tokens", '{"username": ' + "9" * 5000 + ', "password": "x"}')
    assert res.status_code == 400 and res.json["error"]["code"] == "bad_json", res.json
    with app.app_context():
        assert fingerprint() == before


def test_a_body_a_route_ignores_is_read_strictly_for_the_audit_log_too(client, tokens):
    sup = tokens["supervisor"]
    assert client.post("/api/v1/products", json={"sku": "P1", "name": "x"}, headers=sup).status_code == 201
    client.delete("/api/v1/products/P1", data='{"why": NaN}', headers={**sup, "Content-Type": "application/json"})
    log = client.get("/api/v1/audit", headers=tokens["admin"])
    assert log.status_code == 200
    json.loads(log.get_data(as_text=True), parse_constant=pytest.fail)


def test_valid_numbers_and_escaped_characters_still_read(client, tokens):
    sup = tokens["supervisor"]
    body = json.dumps({"sku": "P1", "name": "Pad \U0001F600 \u00e9", "unit_cost": 1.5e2})  # emoji: a \ud83d\ude00 pair
    res = post_raw(client, "/api/v1/products", body, sup)
    assert res.status_code == 201 and res.json["name"] == "Pad \U0001F600 \u00e9", res.json


@pytest.mark.parametrize("path, body, who", [
    ("/api/v1/auth/tokens", {"username": "x\ud800", "password": "y"}, None),
    ("/api/v1/scans", a_scan(code="40063\udc00"), "operator"),
    ("/api/v1/scans", a_scan(device="tc\ud83d"), "operator"),
    ("/api/v1/scans", a_scan(context={"lot\ud800": "L1"}), "operator"),
    # The good scans before the bad one are not committed: the whole batch is refused before any is applied.
    ("/api/v1/scans/batch", {"scans": [a_scan(), a_scan(), a_scan(code="x\udfff"), a_scan()]}, "operator"),
    ("/api/v1/products", {"sku": "P1", "name": "Pad \udbff"}, "supervisor"),
])
def test_a_lone_surrogate_anywhere_in_a_body_is_refused_before_anything_is_written(app, client, tokens, path, body,
                                                                                   who):
    headers = tokens[who] if who else {}
    with app.app_context():
        before = fingerprint()
    res = post_raw(client, path, json.dumps(body), headers)      # json.dumps escapes it: "\ud800"
    assert res.status_code == 400 and res.json["error"]["code"] == "lone_surrogate", res.json
    assert "surrogate" in res.json["error"]["message"]
    fr = post_raw(client, path, json.dumps(body), {**headers, "Accept-Language": "fr"})
    assert fr.status_code == 400 and "substitut UTF-16" in fr.json["error"]["message"]
    raw = post_raw(client, path, json.dumps(body, ensure_ascii=False), headers)   # the bytes ED A0 80: no UTF-8
    assert raw.status_code == 400 and raw.json["error"]["code"] == "bad_json", raw.json
    with app.app_context():
        assert fingerprint() == before
