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
from server.domain.promise import Promise, promise_date
from server.extensions import db
from server.models import Product, SalesOrder, SalesOrderEvent
from server import clock
from server.queries import leadtimes
from server.queries.lookup import availability

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
                 stock: dict | None = None) -> Promise | None:
    """Reserved in full: from stock. Else the first open purchase order's promised date, else the supplier's
    measured lead time (p90: nine promises in ten kept). None when nothing is left to ship or nothing is known.
    ``stock``: the product's ``lookup.availability`` when the caller has it already."""
    if left <= 0:
        return None
    working = clock.working_days()
    if reserved >= left:
        return promise_date(PUSH, today=today, handling_days=handling, in_stock=True, working_days=working)
    stock = stock or availability(product.id)
    try:
        if stock["on_order"] > 0 and stock["expected_date"]:
            return promise_date(PUSH, today=today, handling_days=handling, next_arrival=stock["expected_date"],
                                working_days=working)
        estimate = leadtimes.estimate_for(product)
    except Invalid:
        return None  # no supplier and no measurement: no promise rather than a guess
    return promise_date(PUSH, today=today, handling_days=handling, lead_time_p50=estimate.p50,
                        lead_time_p90=estimate.p90, working_days=working)


def if_ordered_today(sku: str, qty: Decimal, stock: dict, today: date) -> Promise | None:
    """The look-up's promise: a customer ordering ``qty`` today gets it from stock if that much is free, else
    as an order line would (the next arrival, else the supplier's measured lead time). ``stock``: the look-up's."""
    product = db.session.scalar(select(Product).where(Product.sku == sku))
    return line_promise(product, qty, min(Decimal(stock["available"]), qty), today, handling_days(today), stock)
