"""Every /api route, present and future: 401 without a token, 403 when the role is too low."""
import re

import pytest

from server.api.security import RANK, required_role

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}
# Documentation is public like static files: the OpenAPI document and its viewer hold no data.
PUBLIC_DOCS = {"/api/openapi.json", "/api/docs", "/api/docs/<path:filename>"}


def concrete(rule: str) -> str:
    """Fill URL variables with plausible values so the request reaches the route."""
    def value(m):
        converter, options = m.group(1), m.group(2)
        if converter == "any":
            return options.split(",")[0].strip().strip("\"'")
        return "1" if converter == "int" else "X1"
    return re.sub(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>", value, rule)


def api_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api") and rule.rule not in PUBLIC_DOCS:
            for method in sorted(rule.methods & METHODS):
                yield rule, method


def test_there_are_routes_to_check(app):
    assert len(list(api_routes(app))) >= 20


def test_every_api_route_needs_a_token(app, client):
    unprotected = []
    with app.test_request_context():
        for rule, method in api_routes(app):
            if required_role(rule.endpoint, method) is None:
                continue  # declared public (sign-in)
            res = client.open(concrete(rule.rule), method=method, json={})
            if res.status_code != 401 or (method != "HEAD" and "error" not in (res.json or {})):  # (HEAD: no body)
                unprotected.append(f"{method} {rule.rule} → {res.status_code}")
    assert unprotected == []


def test_only_sign_in_is_public(app):
    with app.test_request_context():
        public = [f"{m} {r.rule}" for r, m in api_routes(app) if required_role(r.endpoint, m) is None]
    assert public == ["POST /api/v1/auth/tokens"]


@pytest.mark.parametrize("caller", ["operator", "supervisor"])
def test_routes_above_the_callers_role_answer_403(app, client, tokens, caller):
    leaks, checked = [], 0
    with app.test_request_context():
        needs = [(r, m, required_role(r.endpoint, m)) for r, m in api_routes(app)]
    for rule, method, needed in needs:
        if needed is None or RANK[needed] <= RANK[caller]:
            continue
        checked += 1
        res = client.open(concrete(rule.rule), method=method, json={}, headers=tokens[caller])
        if res.status_code != 403 or (method != "HEAD" and res.json["error"]["code"] != "forbidden"):
            leaks.append(f"{method} {rule.rule} → {res.status_code}")
    assert checked > 0 and leaks == []


def test_docs_are_served(client):
    spec = client.get("/api/openapi.json")
    assert spec.status_code == 200 and "/api/v1/products" in spec.json["paths"]
    assert client.get("/api/docs").status_code == 200


def test_the_docs_page_loads_swagger_ui_from_the_apps_own_origin(client):
    """A CDN script on the app's origin could read the bearer token the app keeps there: Swagger UI is ours."""
    page = client.get("/api/docs")
    policy = page.headers["Content-Security-Policy"]
    assert b'src="/vendor/swagger-ui/swagger-ui-bundle.js"' in page.data and b"https://" not in page.data
    assert "http" not in policy and "script-src 'self' 'unsafe-inline'" in policy


def test_health_needs_no_token(client):
    res = client.get("/healthz")
    assert res.status_code == 200 and res.json["database"] == "ok"


def test_security_headers(client, tokens):
    app_page = client.get("/healthz")
    assert "script-src 'self' 'wasm-unsafe-eval'" in app_page.headers["Content-Security-Policy"]
    assert app_page.headers["X-Content-Type-Options"] == "nosniff"
    assert app_page.headers["X-Frame-Options"] == "DENY"
    api = client.get("/api/v1/auth/me", headers=tokens["operator"])
    assert api.headers["Cache-Control"] == "no-store"
    docs = client.get("/api/docs")
    assert "'unsafe-inline'" in docs.headers["Content-Security-Policy"]       # Swagger UI, and only there
    assert "frame-ancestors 'none'" in docs.headers["Content-Security-Policy"]


def test_oversized_request_is_413_in_the_error_shape(client, tokens):
    res = client.post("/api/v1/scans", data=b"x" * (12 * 1024 * 1024), headers={**tokens["operator"],
                                                                                 "Content-Type": "application/json"})
    assert res.status_code == 413 and res.json["error"]["code"] == "too_large"


def test_head_is_refused_where_get_is(app, client, tokens):
    """Flask answers HEAD by running GET's handler: an operator's HEAD on a supervisor's GET ran the report."""
    with app.test_request_context():
        above = [r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/") and "GET" in r.methods
                 and "<" not in r.rule and RANK[required_role(r.endpoint, "GET") or "operator"] > RANK["operator"]]
    assert "/api/v1/users" in above
    leaks = [f"HEAD {rule} → {res.status_code}" for rule in above
             if (res := client.head(rule, headers=tokens["operator"])).status_code != 403]
    assert leaks == []


def test_costs_and_prices_are_for_the_desk(client, tokens):
    sup, op = tokens["supervisor"], tokens["operator"]
    client.post("/api/v1/locations", json={"code": "A-01"}, headers=sup)
    client.post("/api/v1/products", json={"sku": "PAD", "name": "Pad", "unit_cost": 9.5}, headers=sup)
    client.post("/api/v1/adjustments", headers=sup, json={
        "client_event_id": "5b3f3f1e-6a44-4a8e-9a53-1f3c2b9d0001", "occurred_at": "2026-01-05T10:00:00+00:00",
        "product": "PAD", "location": "A-01", "qty": 5, "unit_cost": 9.5, "reason": "open"})
    for headers, cost in ((sup, 9.5), (op, None)):
        assert client.get("/api/v1/products/PAD", headers=headers).json["unit_cost"] == cost
        [moved] = client.get("/api/v1/movements?product=PAD", headers=headers).json["items"]
        assert moved["unit_cost"] == cost


@pytest.mark.parametrize("caller, path, en, fr", [
    ("operator", "/api/v1/replenishment", "This needs the supervisor role; you are operator.",
     "Il faut le rôle responsable ; vous êtes opérateur."),
    ("supervisor", "/api/v1/users", "This needs the admin role; you are supervisor.",
     "Il faut le rôle administrateur ; vous êtes responsable."),
])
def test_a_refusal_names_the_roles_in_the_readers_language(client, tokens, caller, path, en, fr):
    """The French said "Il faut le rôle admin ; vous êtes supervisor.": the roles are named as the app names them."""
    for language, message in (("en", en), ("fr", fr)):
        res = client.get(path, headers={**tokens[caller], "Accept-Language": language})
        assert res.status_code == 403 and res.json["error"]["message"] == message, res.json
        assert res.json["error"]["details"] == {"required": en.split()[3], "role": caller}
