import pytest
from sqlalchemy import select, update

from server.extensions import db
from server.models import ApiToken
from tests.conftest import PASSWORD, fingerprint


def test_token_issued_and_used(client, tokens):
    res = client.post("/api/v1/auth/tokens", json={"username": "operator", "password": PASSWORD, "device": "tc52"})
    assert res.status_code == 201
    body = res.json
    assert body["role"] == "operator" and body["username"] == "operator"
    assert body["token"].startswith("tdu_") and body["expires_at"]
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.json["username"] == "operator"


def test_tokens_are_stored_hashed(app, client, tokens):
    raw = tokens["operator"]["Authorization"].split()[1]
    with app.app_context():
        stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert raw not in stored and all(len(h) == 64 for h in stored)


def test_wrong_password_gives_401_in_the_error_shape(client, tokens):
    res = client.post("/api/v1/auth/tokens", json={"username": "operator", "password": "nope-nope"})
    assert res.status_code == 401
    assert res.json == {"error": {"code": "bad_credentials", "message": "Wrong user name or password."}}
    fr = client.post("/api/v1/auth/tokens", json={"username": "ghost", "password": "nope-nope"},
                     headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert fr.status_code == 401 and fr.json["error"]["message"] == "Nom d'utilisateur ou mot de passe incorrect."


def test_revoked_token_is_refused(client, tokens):
    assert client.delete("/api/v1/auth/tokens/current", headers=tokens["operator"]).status_code == 204
    res = client.get("/api/v1/auth/me", headers=tokens["operator"])
    assert res.status_code == 401 and res.json["error"]["code"] == "invalid_token"


def test_expired_token_is_refused(app, client, tokens):
    with app.app_context():
        db.session.execute(update(ApiToken).values(expires_at=ApiToken.created_at))
        db.session.commit()
    res = client.get("/api/v1/auth/me", headers=tokens["supervisor"])
    assert res.status_code == 401 and res.json["error"]["code"] == "token_expired"


def test_garbage_authorization_headers(client, tokens):
    for header in ("Bearer", "Basic abc", "Bearer tdu_forged", "tdu_x"):
        res = client.get("/api/v1/auth/me", headers={"Authorization": header})
        assert res.status_code == 401, header
        assert set(res.json["error"]) >= {"code", "message"}


def test_admin_creates_users_others_cannot(client, tokens):
    new = {"username": "lea", "role": "operator", "password": "long enough pw"}
    assert client.post("/api/v1/users", json=new, headers=tokens["supervisor"]).status_code == 403
    res = client.post("/api/v1/users", json=new, headers=tokens["admin"])
    assert res.status_code == 201 and "password" not in res.json and "password_hash" not in res.json
    again = client.post("/api/v1/users", json=new, headers=tokens["admin"])
    assert again.status_code == 409
    login = client.post("/api/v1/auth/tokens", json={"username": "lea", "password": "long enough pw"})
    assert login.status_code == 201


def test_a_user_name_differing_from_another_only_in_case_is_refused(client, tokens):
    """'Lea' beside 'lea' made two accounts a person cannot tell apart (a phone capitalises the first letter)."""
    new = {"username": "lea", "role": "operator", "password": "long enough pw"}
    assert client.post("/api/v1/users", json=new, headers=tokens["admin"]).status_code == 201
    twin = client.post("/api/v1/users", json={**new, "username": "Lea"},
                       headers={**tokens["admin"], "Accept-Language": "fr"})
    assert twin.status_code == 409 and twin.json["error"]["code"] == "duplicate", twin.json
    assert "lea" in twin.json["error"]["message"] and "existe" in twin.json["error"]["message"]
    assert [u["username"] for u in client.get("/api/v1/users", headers=tokens["admin"]).json].count("Lea") == 0


def test_wrong_passwords_are_throttled_then_a_good_one_waits_too(app, client, tokens):
    attempts = app.config["TENDU_LOGIN_ATTEMPTS"]
    for _ in range(attempts):
        assert client.post("/api/v1/auth/tokens", json={"username": "supervisor", "password": "guess-1234"}).status_code == 401
    res = client.post("/api/v1/auth/tokens", json={"username": "supervisor", "password": PASSWORD})
    assert res.status_code == 429 and res.json["error"]["code"] == "too_many_attempts"
    assert int(res.headers["Retry-After"]) == app.config["TENDU_LOGIN_WINDOW_SECONDS"]
    # Another user is not locked out by someone hammering the supervisor's name.
    assert client.post("/api/v1/auth/tokens", json={"username": "operator", "password": PASSWORD}).status_code == 201


def test_redis_counts_are_shared(app):
    redis = pytest.importorskip("redis")
    from server.services.throttle import LoginThrottle, RedisCounts
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (start redis-server to run this test)")
    first = LoginThrottle(RedisCounts("redis://127.0.0.1:6379/15"), attempts=2, window_seconds=60)
    second = LoginThrottle(RedisCounts("redis://127.0.0.1:6379/15"), attempts=2, window_seconds=60)
    first.succeeded("léa")
    first.failed("léa", None)
    second.failed("léa", None)                 # another worker, same count
    with pytest.raises(Exception) as err:
        first.check("léa", None)
    assert getattr(err.value, "code", None) == "too_many_attempts"
    first.succeeded("léa")
    first.check("léa", None)


def test_supervisor_changes_are_audited_without_secrets(client, tokens):
    sup, admin = tokens["supervisor"], tokens["admin"]
    client.post("/api/v1/suppliers", json={"code": "ACME", "name": "Acme"}, headers=sup)
    client.post("/api/v1/users", json={"username": "zoe", "role": "operator", "password": "a long secret"},
                headers=admin)
    client.get("/api/v1/suppliers", headers=sup)                                   # reads are not changes
    client.post("/api/v1/suppliers", json={"code": "ACME", "name": "Again"}, headers=sup)   # refused: 409
    client.post("/api/v1/suppliers?note=restock", json={"code": "BOLT", "name": "Bolt"}, headers=sup)
    log = client.get("/api/v1/audit", headers=admin).json
    assert [(e["role"], e["method"], e["path"], e["status"]) for e in log] == [
        ("supervisor", "POST", "/api/v1/suppliers?note=restock", 201),                # the query string kept
        ("admin", "POST", "/api/v1/users", 201), ("supervisor", "POST", "/api/v1/suppliers", 201)]
    assert log[1]["body"]["password"] == "***" and log[2]["body"]["code"] == "ACME"
    assert client.get("/api/v1/audit", headers=sup).status_code == 403


def test_an_admin_signs_a_user_out_everywhere_by_deactivating_them_or_changing_their_password(client, tokens):
    admin, op = tokens["admin"], tokens["operator"]
    assert client.get("/api/v1/auth/me", headers=op).status_code == 200
    refused = client.patch("/api/v1/users/operator", json={"active": False}, headers=tokens["supervisor"])
    assert refused.status_code == 403
    off = client.patch("/api/v1/users/operator", json={"active": False}, headers=admin)
    assert off.status_code == 200 and off.json["active"] is False
    assert client.get("/api/v1/auth/me", headers=op).status_code == 401            # the lost handheld's token
    client.patch("/api/v1/users/operator", json={"active": True, "password": "a-new-password-1"}, headers=admin)
    fresh = client.post("/api/v1/auth/tokens", json={"username": "operator", "password": "a-new-password-1"})
    assert fresh.status_code == 201
    new = {"Authorization": f"Bearer {fresh.json['token']}"}
    assert client.patch("/api/v1/users/operator", json={"password": "another-pass-2"}, headers=admin).status_code == 200
    assert client.get("/api/v1/auth/me", headers=new).status_code == 401            # a new password signs out
    promoted = client.patch("/api/v1/users/operator", json={"role": "supervisor"}, headers=admin)
    assert promoted.status_code == 200 and promoted.json["role"] == "supervisor"
    audit = client.get("/api/v1/audit", headers=admin).json
    assert all(entry["body"].get("password") in (None, "***") for entry in audit if isinstance(entry["body"], dict))


def test_users_cannot_be_changed_into_nonsense_or_leave_no_admin(client, tokens):
    admin = tokens["admin"]
    for body, code in (({"password": "short"}, "invalid"), ({"role": "boss"}, "invalid")):
        answer = client.patch("/api/v1/users/operator", json=body, headers=admin)
        assert answer.status_code == 422, answer.json
    assert client.patch("/api/v1/users/nobody", json={"active": False}, headers=admin).status_code == 404
    last = client.patch("/api/v1/users/admin", json={"active": False}, headers=admin)
    assert last.status_code == 409 and last.json["error"]["code"] == "last_admin"
    assert client.patch("/api/v1/users/admin", json={"role": "operator"}, headers=admin).status_code == 409
    assert client.get("/api/v1/auth/me", headers=admin).status_code == 200


def test_validation_messages_an_admin_meets_are_in_french_too(client, tokens):
    """'Certains champs sont invalides. password : Length must be between 8 and 256.': half English."""
    french = {**tokens["admin"], "Accept-Language": "fr"}
    cases = [
        ({"username": "jo", "role": "operator", "password": "short"}, "password",
         "Certains champs sont invalides. password : Longueur entre 8 et 256."),
        ({"username": "jo hn", "role": "operator", "password": "long enough"}, "username",
         "Certains champs sont invalides. username : Format non reconnu."),
        ({"username": "jo", "role": "boss", "password": "long enough"}, "role",
         "Certains champs sont invalides. role : Valeur parmi : operator, supervisor, admin."),
    ]
    for body, field, message in cases:
        answer = client.post("/api/v1/users", json=body, headers=french)
        assert answer.status_code == 422 and answer.json["error"]["field"] == field, answer.json
        assert answer.json["error"]["message"] == message
    lead = client.patch("/api/v1/suppliers/NOBODY", json={"declared_lead_time_days": -1},
                        headers={**tokens["supervisor"], "Accept-Language": "fr"})
    assert lead.json["error"]["message"].endswith("declared_lead_time_days : Entre 0 et 365."), lead.json


def test_an_admin_cannot_lock_themselves_out_even_with_another_admin(client, tokens):
    """With a second admin, an admin could deactivate or demote their own account from the users screen and be
    thrown out at once; another admin must do it. Their own new password keeps the session it was set from."""
    admin = tokens["admin"]
    assert client.post("/api/v1/users", json={"username": "boss2", "role": "admin", "password": "second admin pw"},
                       headers=admin).status_code == 201
    french = {**admin, "Accept-Language": "fr"}
    for body, field in (({"active": False}, "active"), ({"role": "supervisor"}, "role"),
                        ({"role": "operator", "password": "a-new-password-1"}, "role")):
        refused = client.patch("/api/v1/users/admin", json=body, headers=french)
        assert refused.status_code == 409, refused.json
        assert refused.json["error"]["code"] == "own_account" and refused.json["error"]["field"] == field
        assert "un autre administrateur" in refused.json["error"]["message"]
    english = client.patch("/api/v1/users/admin", json={"active": False}, headers=admin).json["error"]["message"]
    assert english.startswith("You cannot deactivate your own account")
    me = client.get("/api/v1/auth/me", headers=admin).json
    assert (me["role"], me["active"]) == ("admin", True)
    assert client.post("/api/v1/auth/tokens", json={"username": "admin", "password": PASSWORD}).status_code == 201

    other = {"Authorization": "Bearer " + client.post(
        "/api/v1/auth/tokens", json={"username": "boss2", "password": "second admin pw"}).json["token"]}

    # A new password of one's own: this session stays, the others end.
    elsewhere = {"Authorization": "Bearer " + client.post(
        "/api/v1/auth/tokens", json={"username": "boss2", "password": "second admin pw"}).json["token"]}
    changed = client.patch("/api/v1/users/boss2", json={"password": "changed-pass-9"}, headers=other)
    assert changed.status_code == 200, changed.json
    assert client.get("/api/v1/auth/me", headers=other).status_code == 200
    assert client.get("/api/v1/auth/me", headers=elsewhere).status_code == 401

    # Another admin may do it, and it signs the demoted admin out.
    demoted = client.patch("/api/v1/users/admin", json={"role": "supervisor"}, headers=other)
    assert demoted.status_code == 200 and demoted.json["role"] == "supervisor"
    assert client.get("/api/v1/auth/me", headers=admin).status_code == 401


@pytest.mark.parametrize("blank", [" " * 8, "\t \u00a0      \n"])
def test_a_blank_or_whitespace_password_is_refused(app, client, tokens, blank):
    """Eight spaces were accepted as a password."""
    admin = tokens["admin"]
    with app.app_context():
        before = fingerprint()
    for language, message in (("en", "A password cannot be blank or only spaces."),
                              ("fr", "Un mot de passe ne peut pas être vide ni fait que d'espaces.")):
        headers = {**admin, "Accept-Language": language}
        for answer in (client.post("/api/v1/users", json={"username": "lea", "role": "operator", "password": blank},
                                   headers=headers),
                       client.patch("/api/v1/users/operator", json={"password": blank}, headers=headers)):
            assert answer.status_code == 422, answer.json
            assert answer.json["error"] == {"code": "password_blank", "message": message, "field": "password"}
    with app.app_context():
        assert fingerprint() == before
    assert client.get("/api/v1/auth/me", headers=tokens["operator"]).status_code == 200   # not signed out
    # the other rules stay: too short is refused, spaces inside a real password are fine
    short = client.post("/api/v1/users", json={"username": "lea", "role": "operator", "password": " abc "},
                        headers=admin)
    assert short.status_code == 422 and short.json["error"]["field"] == "password"
    spaced = client.post("/api/v1/users", json={"username": "lea", "role": "operator", "password": " a b c d "},
                         headers=admin)
    assert spaced.status_code == 201, spaced.json
