"""Eight pickers, one product: reservations never exceed the stock, picks never take another's reservation.

Run on SQLite and, in CI, on PostgreSQL (where the product row lock does the work).
"""
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from server.extensions import db
from server.models import SalesOrderLine
from tests.conftest import event
from tests.flows.conftest import EAN, Scanner

STOCK, ORDERS, THREADS = 300, 500, 8


def test_eight_threads_reserve_and_pick_the_same_product(app, client, warehouse):
    sup = warehouse["supervisor"]
    client.post("/api/v1/adjustments", json=event(product="PAD", location="A-01", qty=STOCK, reason="open"), headers=sup)

    def sell_and_pick(_):
        with app.test_client() as c:
            created = c.post("/api/v1/sales-orders", headers=sup,
                             json=event(customer="GARAGE", lines=[{"product": "PAD", "qty": 1}]))
            order = created.json
            picked = Scanner(c, sup).scan(EAN, "pick", order=order["number"], bin="A-01")
            return created.status_code, order["lines"][0]["reserved"], picked[0], picked[1].get("error", {}).get("code")

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(sell_and_pick, range(ORDERS)))

    statuses = {r[0] for r in results} | {r[2] for r in results}
    assert statuses <= {201, 409}, statuses                       # no 5xx, no deadlock reaching a client
    reserved = sum(r[1] for r in results)
    picked = sum(1 for r in results if r[2] == 201)
    assert reserved == STOCK and picked == STOCK                   # every unit reserved once, picked once
    assert {r[3] for r in results if r[2] == 409} <= {"reserved_for_others", "insufficient_stock", "not_in_bin"}
    levels = client.get("/api/v1/stock?product=PAD&include_empty=true", headers=sup).json["items"]
    assert {i["location"]: i["qty"] for i in levels} == {"A-01": 0, "DISPATCH": STOCK}
    with app.app_context():
        assert db.session.scalar(select(func.sum(SalesOrderLine.qty_reserved))) == 0
    assert app.test_cli_runner().invoke(args=["ledger", "check"]).exit_code == 0
