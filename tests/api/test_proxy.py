"""Behind a reverse proxy (TENDU_PROXY_HOPS) the client's address comes from X-Forwarded-For: one
client's wrong passwords do not lock everyone else out of signing in."""
from __future__ import annotations

import pytest

from server import create_app
from tests.conftest import PASSWORD


@pytest.fixture
def proxied(app, tokens):
    def make(hops: int):
        return create_app({**{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "TENDU_INSTANCE_PATH")},
                           "TESTING": True, "TENDU_PROXY_HOPS": hops, "TENDU_LOGIN_ATTEMPTS": 1}).test_client()
    return make


def _login(client, username, password, address):
    return client.post("/api/v1/auth/tokens", json={"username": username, "password": password},
                       headers={"X-Forwarded-For": address})


def _lock_out(client, address):
    # TENDU_LOGIN_ATTEMPTS=1: an address may fail 4 times (different names), then it waits.
    for n in range(4):
        assert _login(client, f"nobody{n}", "wrong-password", address).status_code == 401
    assert _login(client, "nobody9", "wrong-password", address).status_code == 429


def test_behind_a_proxy_one_clients_mistakes_lock_only_that_client(proxied):
    client = proxied(1)
    _lock_out(client, "10.0.0.1")
    assert _login(client, "operator", PASSWORD, "10.0.0.2").status_code == 201


def test_without_proxy_hops_every_client_shares_the_proxys_address(proxied):
    client = proxied(0)
    _lock_out(client, "10.0.0.1")
    assert _login(client, "operator", PASSWORD, "10.0.0.2").status_code == 429
