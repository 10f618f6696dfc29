"""The demo: deterministic, consistent with its ledger, and with suppliers that do not keep their word."""
import hashlib
from datetime import datetime, timedelta, timezone
from collections import defaultdict

from sqlalchemy import func, select

from server.extensions import db
from server.models import (Barcode, Movement, Product, PurchaseOrder, PurchaseOrderEvent, SalesOrder, SalesOrderEvent,
                           Supplier)
from server.services.demo import Demo, generate

DAYS, PRODUCTS = 60, 40
NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)


def digest() -> str:
    rows = db.session.execute(select(Product.sku, Product.name, Product.unit_cost, Barcode.code)
                              .join(Barcode).order_by(Barcode.code)).all()
    # Not the ids: a database numbers rows its own way (PostgreSQL never reuses a sequence value).
    moves = db.session.execute(select(Movement.occurred_at, Movement.kind, Movement.qty, Movement.lot)
                               .order_by(Movement.occurred_at, Movement.kind, Movement.qty, Movement.lot)).all()
    return hashlib.sha256(repr((rows, moves)).encode()).hexdigest()


def wipe():
    from server import database
    from server.models import Base
    # End the read digest() began and let the WAL fold the demo's writes asked for finish: on SQLite a read turned
    # into a write while that fold's RESTART holds the writers off fails at once ("database is locked"), no wait.
    db.session.rollback()
    database.wait_for_folds()
    for table in reversed(Base.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    db.session.expunge_all()  # the objects of the deleted rows: SQLite gives their ids out again


def test_demo_is_deterministic_consistent_and_realistic(app, ctx):
    report = generate(seed=3, days=DAYS, products=PRODUCTS, echo=lambda *_: None, now=NOW)
    assert db.session.scalar(select(func.count(Product.id))) == PRODUCTS
    assert db.session.scalar(select(func.count(PurchaseOrder.id))) > 10
    assert db.session.scalar(select(func.count(SalesOrder.id))) > 50
    assert any("operator" in line and "password" in line for line in report)

    result = app.test_cli_runner().invoke(args=["ledger", "check"])
    assert result.exit_code == 0, result.output

    # Measured lead time (need detected → put away, first receipt) against the supplier's promise.
    measured = defaultdict(list)
    events = db.session.execute(select(Supplier.code, Supplier.declared_lead_time_days, PurchaseOrderEvent.order_id,
                                       PurchaseOrderEvent.kind, PurchaseOrderEvent.occurred_at)
                                .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderEvent.order_id)
                                .join(Supplier, Supplier.id == PurchaseOrder.supplier_id)).all()
    per_order = defaultdict(dict)
    for code, declared, order, kind, at in events:
        per_order[(code, declared, order)].setdefault(kind, at)
    for (code, declared, _), kinds in per_order.items():
        if "need_detected" in kinds and "put_away" in kinds:
            days = (kinds["put_away"] - kinds["need_detected"]).total_seconds() / 86400
            measured[code].append(days / declared)
    ratio = {code: sum(r) / len(r) for code, r in measured.items()}
    assert ratio["LENTOR"] > 1.5           # slow: far longer than promised
    assert 0.8 < ratio["FREINEX"] < 1.3    # reliable: about what it says

    first = digest()
    wipe()
    generate(seed=3, days=DAYS, products=PRODUCTS, echo=lambda *_: None, now=NOW)
    assert digest() == first


def test_nothing_happens_after_the_demos_now(app, ctx):
    """Orders taken in the demo's last hours are not picked yet: a pick after ``now`` is in the future, which
    the ledger refuses when ``now`` is the real time (``./scripts/run`` during working hours)."""
    now = datetime(2026, 6, 2, 10, tzinfo=timezone.utc)  # sales run 08:00-17:00; picks follow within 3 h
    generate(seed=3, days=4, products=20, echo=lambda *_: None, now=now)
    latest = [db.session.scalar(select(func.max(model.occurred_at)))
              for model in (Movement, PurchaseOrderEvent, SalesOrderEvent)]
    assert all(at is not None and at <= now for at in latest), latest
    unpicked = db.session.scalar(select(func.count()).select_from(SalesOrder).where(SalesOrder.status == "ordered"))
    assert unpicked > 0  # the orders of the last hours wait, as they would in the warehouse


def test_the_demo_leaves_orders_to_pick_even_at_night(app, ctx):
    """Run before the working day starts, the orders of the day before are all shipped: three orders of the last
    hour wait, with stock reserved, so the pick and ship screens have work. Stock-outs shipped short say so."""
    from server.models import SalesOrderLine
    now = datetime(2026, 6, 2, 5, tzinfo=timezone.utc)
    generate(seed=3, days=20, products=20, echo=lambda *_: None, now=now)
    waiting = db.session.scalars(select(SalesOrder).where(SalesOrder.status == "ordered")).all()
    assert len(waiting) == 3
    assert all(now - timedelta(hours=1) <= order.ordered_at <= now for order in waiting)
    assert all(line.qty_reserved == line.qty_ordered for order in waiting for line in order.lines)
    short_shipped = db.session.scalar(select(func.count()).select_from(SalesOrderLine).join(SalesOrder).where(
        SalesOrder.status == "shipped", SalesOrderLine.qty_short > 0))
    assert short_shipped > 0


def test_an_order_of_the_last_hours_keeps_what_it_reserved(app, ctx):
    """An order taken in the demo's last hours waits, unpicked, with its reservation. An earlier order
    picked after it is given what is left (a stock-out), as the server allows a picker, and the demo
    goes on. (The full demo failed here with 'reserved_for_others' when started at 18:00 on 2026-11-27.)"""
    now = datetime(2026, 6, 2, 18, tzinfo=timezone.utc)
    demo = Demo(seed=3, days=3, echo=lambda *_: None, now=now)
    demo.users()
    demo.partners()
    demo.products(demo.places(), 1)
    demo.opening_stock()
    item = demo.items[0]
    on_shelf = item.on_hand()
    assert on_shelf > 2
    demo.sell(now - timedelta(minutes=6), [{"sku": item.sku, "qty": on_shelf - 2}])  # picked after now: waits
    demo.sell(now - timedelta(hours=5), [{"sku": item.sku, "qty": on_shelf}])  # picked before now

    waiting, served = db.session.scalars(select(SalesOrder).order_by(SalesOrder.id)).all()
    assert waiting.status == "ordered" and waiting.lines[0].qty_reserved == on_shelf - 2
    picked = db.session.scalar(select(func.sum(Movement.qty)).where(Movement.so_line_id == served.lines[0].id))
    assert picked == 2
    assert demo.counts["stock-outs"] == 1
    assert item.on_hand() == on_shelf - 2  # what the waiting order reserved is still on the shelf
    result = app.test_cli_runner().invoke(args=["ledger", "check"])
    assert result.exit_code == 0, result.output


def test_an_interrupted_demo_leaves_the_database_empty(app, ctx):
    from server.models import Base

    def stop_on_day_3(done, total):
        if done >= 3:
            raise KeyboardInterrupt
    try:
        generate(seed=3, days=10, products=20, echo=lambda *_: None, now=NOW, on_progress=stop_on_day_3)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the demo should have been interrupted")
    left = {t.name: n for t in Base.metadata.sorted_tables
            if (n := db.session.scalar(select(func.count()).select_from(t)))}
    assert left == {}
    generate(seed=3, days=2, products=5, echo=lambda *_: None, now=NOW)  # and a new demo may start


def test_the_demos_open_orders_are_of_its_last_hours_and_the_oldest_is_pickable(app, ctx):
    """The operator's pick list starts with the oldest open order: an order of months ago that nothing was ever
    picked for (a stock-out when it was taken) made a confusing first impression. An order nothing can be reserved
    for is cancelled when taken (the customer buys elsewhere); a line the shelf is short of is recorded short when
    picked, so the order waits to ship, not to be picked."""
    from server.models import SalesOrderLine
    from server.queries import orders as order_queries
    from server.queries.picking import pick_list
    from server.services import sales

    now = datetime(2026, 6, 2, 15, tzinfo=timezone.utc)
    generate(seed=6, days=45, products=30, echo=lambda *_: None, now=now)   # (it left one from 21 May)
    listed = order_queries.listing(SalesOrder, status="open", q=None, page=1, per_page=500, oldest_first=True).items
    assert listed and all(now - timedelta(hours=12) <= order["ordered_at"] <= now for order in listed), listed
    to_pick = [order for order in listed if order["left"] > 0]
    assert to_pick
    for brief in to_pick:                               # the pick list's orders, the oldest first
        order = sales.get_order(brief["number"])
        assert all(stop["bin"] for stop in pick_list(db.session, order)), brief
    withdrawn = db.session.scalars(select(SalesOrder).where(SalesOrder.status == "cancelled")).all()
    assert withdrawn and all("Rupture" in order.events[-1].note for order in withdrawn)
    assert not db.session.scalar(select(func.count()).select_from(Movement).where(
        Movement.so_line_id.in_(select(SalesOrderLine.id).where(SalesOrderLine.order_id.in_(
            [order.id for order in withdrawn])))))      # nothing was picked for them
    short_waiting = [order for order in listed if order["status"] == "picked"]
    assert all(order["left"] == 0 for order in short_waiting)
    result = app.test_cli_runner().invoke(args=["ledger", "check"])
    assert result.exit_code == 0, result.output
