"""Stock value (weighted average cost, perpetual), flows in and out, and stock health per product.

Only movements that cross the warehouse's walls change value: a receipt, an opening or positive
adjustment comes in (at its unit cost, else at the current average, else at the product's standard
cost); a shipment or negative adjustment goes out at the current average. Transfers inside change nothing.

What went out to customers (shipments: the cost of goods sold) is kept apart from what a count or an adjustment
wrote off or found (and their reversals): a unit broken or lost is no sale, so it neither makes a product look
used (days of cover, dormant stock) nor counts in the turnover; the flows show it as adjustments.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from sqlalchemy import func, or_, select

from server import clock
from server.domain import valuation as wac
from server.domain.days import local_day
from server.extensions import db
from server.models import Movement, MovementKind, Product

IN_KINDS = (MovementKind.OPENING, MovementKind.RECEIPT)     # the rest that crosses the walls, bar shipments: adjusted

# Turnover is said per year: over a shorter period it is scaled up, and under this many days it is not said (one day
# of a new warehouse read "16.6 times a year").
TURNOVER_MIN_DAYS = 28

# Dormant: stock on hand with nothing gone out for this many days or more (counted from its first receipt when none
# ever went out); ``kpis`` says it as ``dormant_days``, for the page to state the rule.
DORMANT_DAYS = 90


@dataclass
class ProductBook:
    """One product's history folded day by day over the period."""
    product: Product
    state: wac.ValuationState = wac.EMPTY
    daily_qty: np.ndarray | None = None          # end-of-day on hand, one value per day of the period
    daily_value: np.ndarray | None = None
    out_qty: float = 0.0                          # shipped in the period
    cogs: float = 0.0
    in_qty: float = 0.0                           # received (or opening stock) in the period
    in_value: float = 0.0
    adjusted_qty: float = 0.0                     # found (+) or written off (−) by counts and adjustments
    adjusted_value: float = 0.0
    last_outflow: date | None = None               # last shipment, over the whole history, not only the period
    first_inflow: date | None = None
    # bucket → in q, v, out q, v, adjusted q, v
    flows: dict = field(default_factory=lambda: defaultdict(lambda: [0.0] * 6))


def _external(m: Movement) -> float:
    """Signed quantity crossing the walls: + in, − out, 0 for a move inside."""
    if m.from_location_id is None:
        return float(m.qty)
    if m.to_location_id is None:
        return -float(m.qty)
    return 0.0


def books(since: date, until: date, *, sku: str | None = None, bucket: str = "week",
          product_ids: list[int] | None = None) -> list[ProductBook]:
    """Fold every product's movements up to ``until`` (one product's with ``sku``, or these ``product_ids``); daily
    series and flows for [since, until)."""
    stmt = select(Product)
    if sku:
        stmt = stmt.where(Product.sku == sku)
    if product_ids is not None:
        stmt = stmt.where(Product.id.in_(product_ids))
    products = {p.id: p for p in db.session.scalars(stmt)}
    days = (until - since).days
    result = {pid: ProductBook(p, daily_qty=np.zeros(days), daily_value=np.zeros(days)) for pid, p in products.items()}
    stmt = (select(Movement).where(Movement.product_id.in_(products),
                                   or_(Movement.from_location_id.is_(None), Movement.to_location_id.is_(None)),
                                   Movement.occurred_at < clock.start_of(until))
            .order_by(Movement.product_id, Movement.occurred_at, Movement.id).execution_options(yield_per=5000))
    last_day: dict[int, int] = {}
    zone = clock.zone()
    utc = zone.key in ("UTC", "Etc/UTC")  # (no conversion per movement then: a ledger of millions)
    for m in db.session.scalars(stmt):
        book = result[m.product_id]
        on = m.occurred_at.date() if utc else local_day(m.occurred_at, zone)  # the company's day, not UTC's
        day = (on - since).days
        _carry(book, last_day.get(m.product_id, 0), min(max(day, 0), days))
        last_day[m.product_id] = min(max(day, 0), days)
        _apply(book, m, on, day, days, bucket)
    for pid, book in result.items():
        _carry(book, last_day.get(pid, 0), days)
    return list(result.values())


def _carry(book: ProductBook, start: int, end: int) -> None:
    """Days without movement keep the last state."""
    if end > start:
        book.daily_qty[start:end] = book.state.qty
        book.daily_value[start:end] = book.state.value


def _apply(book: ProductBook, m: Movement, on: date, day: int, days: int, bucket: str) -> None:
    qty = _external(m)
    if qty == 0:
        return
    before = book.state
    cost = float(m.unit_cost) if m.unit_cost is not None else None
    if qty > 0 and cost is None and before.wac is None:
        cost = float(book.product.unit_cost)
    book.state = wac.apply_movement(before, wac.Movement(qty, cost))
    shipped = m.kind == MovementKind.SHIPMENT
    if shipped:
        book.last_outflow = on
    elif qty > 0 and book.first_inflow is None:
        book.first_inflow = on
    if not 0 <= day < days:
        return
    key = _bucket(on, bucket)
    value = book.state.value - before.value
    if shipped:
        book.out_qty += -qty
        book.cogs += -value
        book.flows[key][2] += -qty
        book.flows[key][3] += -value
    elif m.kind in IN_KINDS:
        book.in_qty += qty
        book.in_value += value
        book.flows[key][0] += qty
        book.flows[key][1] += value
    else:
        book.adjusted_qty += qty
        book.adjusted_value += value
        book.flows[key][4] += qty
        book.flows[key][5] += value
    book.daily_qty[day] = book.state.qty
    book.daily_value[day] = book.state.value


def _bucket(day: date, bucket: str) -> date:
    if bucket == "month":
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


def product_kpis(since: date, until: date, sku: str | None = None, product_ids: list[int] | None = None) -> list[dict]:
    """Each product's value and health over [since, until): what ``kpis`` lists and the stock overview shows."""
    found = books(since, until, sku=sku, product_ids=product_ids)
    days = max(1, (until - since).days)
    rows = []
    for book in found:
        on_hand, value = book.state.qty, book.state.value
        avg_value = wac.average_stock_value(book.daily_value) if days else 0.0
        usage = book.out_qty / days
        # Counted from the day it was first stocked: before that a product is not yet stocked, not out of stock
        # (created today, or waiting for its first delivery: the wait is its purchase order's lead time).
        stocked_from = None if book.first_inflow is None else (book.first_inflow - since).days
        out = wac.stockouts(book.daily_qty, stocked_from) if book.daily_qty.size else None
        last_day = until - timedelta(days=1)
        since_out = wac.days_since([book.last_outflow], last_day)[0]
        # Idle since the last outflow, or since the stock first came in when none ever went out (stock received
        # three days ago is not dormant; stock that went out 40 days ago, before the period, is not either).
        idle = wac.days_since([book.last_outflow or book.first_inflow], last_day)[0]
        rows.append({"sku": book.product.sku, "name": book.product.name, "on_hand": on_hand, "wac": book.state.wac,
                     "value": value, "cogs": book.cogs, "average_value": avg_value,
                     "adjusted_qty": book.adjusted_qty, "adjusted_value": book.adjusted_value,
                     "turnover": _per_year(book.cogs, avg_value, days),
                     "coverage_days": _finite(wac.coverage_days(on_hand, usage)),
                     "days_since_outflow": _finite(since_out),
                     "dormant": bool(wac.dormant(idle, on_hand, DORMANT_DAYS)),
                     "stockouts": out.count if out else 0, "stockout_days": out.total_days if out else 0,
                     "longest_stockout": out.longest if out else 0,
                     "out_of_stock_now": bool(on_hand <= 0)})   # (never stocked too: nothing on hand)
    return rows


def kpis(since: date, until: date, sku: str | None = None) -> dict:
    rows = product_kpis(since, until, sku)
    total_value = sum(r["value"] for r in rows)
    total_cogs = sum(r["cogs"] for r in rows)
    total_avg = sum(r["average_value"] for r in rows)
    return {"since": since, "until": until, "stock_value": total_value, "cogs": total_cogs,
            "adjusted_value": sum(r["adjusted_value"] for r in rows),
            "turnover": _per_year(total_cogs, total_avg, max(1, (until - since).days)),
            "dormant": sum(r["dormant"] for r in rows), "dormant_days": DORMANT_DAYS,
            "dormant_value": sum(r["value"] for r in rows if r["dormant"]),
            "out_of_stock_now": sum(r["out_of_stock_now"] for r in rows),
            "stockouts": sum(r["stockouts"] for r in rows),
            "products": sorted(rows, key=lambda r: -r["value"])}


def valuation(at: date) -> dict:
    """Stock value at the end of the day ``at``, per product, largest first."""
    end = at + timedelta(days=1)
    found = books(end, end)
    rows = [{"sku": b.product.sku, "name": b.product.name, "qty": b.state.qty, "wac": b.state.wac,
             "value": b.state.value} for b in found if b.state.qty]
    return {"at": at, "value": sum(r["value"] for r in rows), "products": sorted(rows, key=lambda r: -r["value"])}


def value_history(since: date, until: date, bucket: str, sku: str | None = None) -> list[dict]:
    """Stock value at the end of each week or month of [since, until), the last one cut at the period's last day:
    one pass over the ledger for the whole curve."""
    found = books(since, until, sku=sku, bucket=bucket)
    days = (until - since).days
    daily = np.sum([b.daily_value for b in found], axis=0) if found else np.zeros(days)
    bucket_of = [_bucket(since + timedelta(days=d), bucket) for d in range(days + 1)]
    ends = [d for d in range(days) if d == days - 1 or bucket_of[d + 1] != bucket_of[d]]
    return [{"at": since + timedelta(days=d), "value": float(daily[d])} for d in ends]


def flows(since: date, until: date, bucket: str, sku: str | None = None) -> list[dict]:
    totals: dict[date, list[float]] = defaultdict(lambda: [0.0] * 6)
    for book in books(since, until, sku=sku, bucket=bucket):
        for key, values in book.flows.items():
            totals[key] = [a + b for a, b in zip(totals[key], values)]
    return [{"period": key, "in_qty": v[0], "in_value": v[1], "out_qty": v[2], "out_value": v[3],
             "adjusted_qty": v[4], "adjusted_value": v[5]} for key, v in sorted(totals.items())]


def _per_year(cogs: float, average_value: float, days: int) -> float | None:
    """Turns a year: the period's cost of goods sold ÷ its average value, × 365 / its days."""
    return _finite(wac.turnover(cogs, average_value) * 365 / days) if days >= TURNOVER_MIN_DAYS else None


def ledger_period(today: date, longest: int = 365) -> tuple[date, date]:
    """[since, until) of the health figures by default: the year to today, from the ledger's first day if that is
    later (a warehouse started a month ago is not judged on eleven months of nothing)."""
    until = today + timedelta(days=1)
    first = db.session.scalar(select(func.min(Movement.occurred_at)))
    since = max(until - timedelta(days=longest), clock.day_of(first) if first else today)
    return min(since, today), until


def _finite(x):
    x = float(x)
    return x if np.isfinite(x) else None
