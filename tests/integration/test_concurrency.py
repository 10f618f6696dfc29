"""Concurrent writers on the same stock row: none fails for lack of a lock, none is lost, none oversells.

A well-known peer answers HTTP 500 to most of 8 concurrent stock updates on SQLite, and once patched
loses half of them because it reads the quantity outside the transaction. Here every write is one
IMMEDIATE transaction on SQLite (row lock on PostgreSQL) with ``qty = qty ± :delta``.
"""
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from server.extensions import db
from server.models import Location, Product
from tests.conftest import event

THREADS = 8


@pytest.fixture
def shelf(app, tokens):
    with app.app_context():
        db.session.add_all([Product(sku="P1", name="Pad"), Location(code="A"), Location(code="B")])
        db.session.commit()
    return tokens["supervisor"]


def run_concurrently(app, bodies, url, headers):
    def post(body):
        with app.test_client() as c:
            return c.post(url, json=body, headers=headers).status_code
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(post, bodies))


def on_hand(client, headers):
    items = client.get("/api/v1/stock?product=P1&include_empty=true", headers=headers).json["items"]
    return {i["location"]: Decimal(str(i["qty"])) for i in items}


def test_concurrent_increments_all_count(app, client, shelf):
    bodies = [event(product="P1", location="A", qty=1, reason="count") for _ in range(200)]
    statuses = run_concurrently(app, bodies, "/api/v1/adjustments", shelf)
    assert statuses.count(201) == 200, sorted(set(statuses))
    assert on_hand(client, shelf) == {"A": 200}


def test_concurrent_outflows_never_oversell(app, client, shelf):
    client.post("/api/v1/adjustments", json=event(product="P1", location="A", qty=100, reason="open"), headers=shelf)
    bodies = [event(product="P1", from_location="A", to_location="B", qty=1) for _ in range(160)]
    statuses = run_concurrently(app, bodies, "/api/v1/transfers", shelf)
    assert statuses.count(201) == 100 and statuses.count(409) == 60, sorted(set(statuses))
    assert on_hand(client, shelf) == {"A": 0, "B": 100}


def test_concurrent_replays_of_one_event_write_once(app, client, shelf):
    body = event(product="P1", location="A", qty=5, reason="open")
    statuses = run_concurrently(app, [body] * 16, "/api/v1/adjustments", shelf)
    assert statuses.count(201) == 1 and statuses.count(200) == 15
    assert on_hand(client, shelf) == {"A": 5}
