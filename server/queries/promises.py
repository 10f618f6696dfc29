"""The date to promise a customer for what is still to ship on an order line (DESIGN §5), from measurements:
the internal handling time (a customer's order to its shipment) and the supplier's lead time."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
from sqlalchemy import func, select

from server.domain import leadtime
from server.domain.classify import PUSH
from server.domain.errors import Invalid
from server.domain.promise import Arrival, Promise, incoming, promise_date
from server.extensions import db
from server.models import (Movement, MovementKind, Product, PurchaseOrder, PurchaseOrderLine, SalesOrder,
                           SalesOrderEvent, SalesOrderLine)
from server import clock
from server.queries import leadtimes
from server.queries.lookup import OPEN_PO
from server.services import sales

HANDLING_WINDOW_DAYS = 180
DEFAULT_HANDLING_DAYS = 1.0  # until an order has been shipped: a day to pick, pack and ship


def handling_days(today: date) -> float:
    """Median days from a customer's order to its first shipment, over the orders of the last six months."""
    since = datetime(today.year, today.month, today.day, tzinfo=timezone.utc) - timedelta(days=HANDLING_WINDOW_DAYS)
    rows = db.session.execute(
        select(SalesOrder.ordered_at, func.min(SalesOrderEvent.occurred_at)).join(SalesOrderEvent)
        .where(SalesOrderEvent.kind == "shipped", SalesOrder.ordered_at >= since)
        .group_by(SalesOrder.id, SalesOrder.ordered_at)).all()
    days = [leadtime.days_between(ordered, shipped) for ordered, shipped in rows if shipped >= ordered]
    return float(np.median(days)) if days else DEFAULT_HANDLING_DAYS


def line_promise(product, left: Decimal, reserved: Decimal, today: date, handling: float,
                 line: SalesOrderLine | None = None) -> Promise | None:
    """Reserved in full: from stock. Else the open purchase orders when they bring all the line lacks, after what the
    orders placed before it wait for; else the supplier's measured lead time (p90: nine promises in ten kept), saying
    what is on order. None when nothing is left to ship or nothing is known. ``line``: the order line promised (None:
    an order taken now, behind every open one)."""
    if left <= 0:
        return None
    working = clock.working_days()
    if reserved >= left:
        return promise_date(PUSH, today=today, handling_days=handling, in_stock=True, working_days=working)
    coming = incoming(left - reserved, arrivals(product.id), today=today, ahead=waiting_before(product.id, line),
                      working_days=working)
    if coming.covered:
        return promise_date(PUSH, today=today, handling_days=handling, coming=coming, working_days=working)
    try:
        estimate = leadtimes.estimate_for(product)
    except Invalid:
        return None  # no supplier and no measurement: no promise rather than a guess
    return promise_date(PUSH, today=today, handling_days=handling, lead_time_p50=estimate.p50,
                        lead_time_p90=estimate.p90, coming=coming, working_days=working)


def arrivals(product_id: int) -> list[Arrival]:
    """What each open purchase order still brings of a product (an over-delivery on one line is not on order on
    another), with its promised day."""
    lines = db.session.execute(
        select(PurchaseOrderLine.id, PurchaseOrder.number, PurchaseOrder.promised_date, PurchaseOrderLine.qty_ordered)
        .join(PurchaseOrder).where(PurchaseOrderLine.product_id == product_id, PurchaseOrder.status.in_(OPEN_PO))).all()
    received = dict(db.session.execute(
        select(Movement.po_line_id, func.sum(Movement.qty))
        .where(Movement.po_line_id.in_([ln.id for ln in lines]), Movement.kind == int(MovementKind.RECEIPT))
        .group_by(Movement.po_line_id)).all()) if lines else {}
    return [Arrival(ln.number, ln.qty_ordered - (received.get(ln.id) or 0), ln.promised_date) for ln in lines
            if ln.qty_ordered > (received.get(ln.id) or 0)]


def waiting_before(product_id: int, line: SalesOrderLine | None) -> Decimal:
    """What the open orders placed before ``line`` (all of them for an order taken now) still lack of a product beyond
    their reservations: the deliveries go to them first, the customers served in the order they came. (A receipt
    reserves nothing and a later order could be picked first: then the earlier customer's promise is the one broken.)"""
    rows = db.session.execute(
        select(SalesOrderLine.id, SalesOrder.ordered_at, SalesOrder.id.label("order_id"), SalesOrderLine.qty_ordered,
               SalesOrderLine.qty_short, SalesOrderLine.qty_reserved)
        .join(SalesOrder).where(SalesOrderLine.product_id == product_id, SalesOrder.status.in_(sales.OPEN))).all()
    if line is not None:
        mine = (line.order.ordered_at, line.order_id, line.id)
        rows = [r for r in rows if (r.ordered_at, r.order_id, r.id) < mine]
    if not rows:
        return Decimal(0)
    picked = dict(db.session.execute(
        select(Movement.so_line_id, func.sum(Movement.qty))
        .where(Movement.so_line_id.in_([r.id for r in rows]), Movement.kind == int(MovementKind.PICK))
        .group_by(Movement.so_line_id)).all())
    return sum((max(Decimal(0), r.qty_ordered - r.qty_short - r.qty_reserved - (picked.get(r.id) or 0))
                for r in rows), Decimal(0))


def if_ordered_today(sku: str, qty: Decimal, stock: dict, today: date) -> Promise | None:
    """The look-up's promise: a customer ordering ``qty`` today gets it from stock if that much is free, else
    as an order line would (behind every open order). ``stock``: the look-up's."""
    product = db.session.scalar(select(Product).where(Product.sku == sku))
    return line_promise(product, qty, min(Decimal(stock["available"]), qty), today, handling_days(today))
