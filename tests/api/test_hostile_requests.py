"""Requests built to hurt: each gets a clear 4xx (or is refused early) and leaves the service usable."""
import pytest


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
