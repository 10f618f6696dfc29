"""Measured lead times and supplier reliability, from purchase-order events and receipts.

Per PO line: need detected, ordered, shipped and arrived are the order's first such events; received and
put away the line's first. The line is *available* at its first put-away (or first receipt when nothing
was put away). The first receipt is every receipt of the line within ``DELIVERY_HOURS`` of the first one:
cartons of one delivery are scanned over minutes or hours, not days, and sometimes across midnight.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from server import clock
from server.domain import leadtime
from server.extensions import db
from server.models import (Movement, MovementKind, Product, PurchaseOrder, PurchaseOrderEvent, PurchaseOrderLine,
                           Supplier)

ORDER_STEPS = ("need_detected", "ordered", "shipped", "arrived")
DELIVERY_HOURS = 12
LINE_STEPS = ("received", "put_away")


@dataclass
class LineHistory:
    line_id: int
    order_number: str
    supplier_id: int
    product_id: int
    ordered_qty: float
    promised: date | None
    times: dict                      # step → first occurrence (datetime)
    first_receipt_qty: float
    received_qty: float
    status: str = ""

    @property
    def available(self) -> datetime | None:
        return self.times.get("put_away") or self.times.get("received")

    def breakdown(self) -> leadtime.StageBreakdown:
        t = self.times
        return leadtime.stage_breakdown(t.get("need_detected"), t.get("ordered"), t.get("shipped"),
                                        t.get("arrived"), self.available)


def line_histories(*, supplier_id: int | None = None, product_id: int | None = None,
                   since: datetime | None = None, until: datetime | None = None) -> list[LineHistory]:
    lines = select(PurchaseOrderLine.id, PurchaseOrderLine.order_id, PurchaseOrderLine.product_id,
                   PurchaseOrderLine.qty_ordered, PurchaseOrder.number, PurchaseOrder.supplier_id,
                   PurchaseOrder.promised_date, PurchaseOrder.status).join(PurchaseOrder)
    if supplier_id:
        lines = lines.where(PurchaseOrder.supplier_id == supplier_id)
    if product_id:
        lines = lines.where(PurchaseOrderLine.product_id == product_id)
    rows = db.session.execute(lines).all()
    order_ids = {r.order_id for r in rows}
    line_ids = [r.id for r in rows]
    order_times = _firsts(PurchaseOrderEvent.order_id, order_ids, ORDER_STEPS, line_level=False)
    line_times = _firsts(PurchaseOrderEvent.line_id, line_ids, LINE_STEPS, line_level=True)
    receipts = _receipts(line_ids)
    out = []
    for r in rows:
        times = {**order_times.get(r.order_id, {}), **line_times.get(r.id, {})}
        first_qty, total = receipts.get(r.id, (0.0, 0.0))
        history = LineHistory(r.id, r.number, r.supplier_id, r.product_id, float(r.qty_ordered), r.promised_date,
                              times, first_qty, total, r.status)
        moment = history.available or times.get("ordered")
        if (since and (moment is None or moment < since)) or (until and moment and moment >= until):
            continue
        out.append(history)
    return out


def _firsts(key, ids, steps, *, line_level: bool) -> dict:
    if not ids:
        return {}
    stmt = (select(key, PurchaseOrderEvent.kind, func.min(PurchaseOrderEvent.occurred_at))
            .where(key.in_(ids), PurchaseOrderEvent.kind.in_(steps)).group_by(key, PurchaseOrderEvent.kind))
    if not line_level:
        stmt = stmt.where(PurchaseOrderEvent.line_id.is_(None))
    found: dict = defaultdict(dict)
    for owner, kind, first in db.session.execute(stmt):
        found[owner][kind] = first
    return found


def _receipts(line_ids) -> dict[int, tuple[float, float]]:
    """line → (units received with the first delivery, units received in all)."""
    if not line_ids:
        return {}
    rows = db.session.execute(select(Movement.po_line_id, Movement.occurred_at, Movement.qty)
                              .where(Movement.po_line_id.in_(line_ids), Movement.kind == int(MovementKind.RECEIPT))
                              .order_by(Movement.po_line_id, Movement.occurred_at))
    out: dict[int, tuple[float, float]] = {}
    first_at: dict[int, datetime] = {}
    for line_id, at, qty in rows:
        first_at.setdefault(line_id, at)
        first, total = out.get(line_id, (0.0, 0.0))
        same_delivery = at - first_at[line_id] <= timedelta(hours=DELIVERY_HOURS)
        out[line_id] = (first + float(qty) if same_delivery else first, total + float(qty))
    return out


def supplier_summaries(histories: list[LineHistory], *, as_of: datetime) -> list[dict]:
    """Per supplier: declared vs measured lead time, each stage, OTIF, fill rate, lateness."""
    by_supplier: dict[int, list[LineHistory]] = defaultdict(list)
    for h in histories:
        by_supplier[h.supplier_id].append(h)
    suppliers = {s.id: s for s in db.session.scalars(select(Supplier).where(Supplier.id.in_(by_supplier)))}
    out = []
    for supplier_id, lines in sorted(by_supplier.items(), key=lambda kv: suppliers[kv[0]].code):
        supplier = suppliers[supplier_id]
        breakdowns = [h.breakdown() for h in lines if h.available]
        totals = [b.total for b in breakdowns if b.total is not None]
        stages = {stage: leadtime.describe_durations([getattr(b, stage) for b in breakdowns
                                                      if getattr(b, stage) is not None], field=stage)
                  for stage in leadtime.STAGES}
        outcomes = [leadtime.LineOutcome(h.ordered_qty, h.promised, _date(h.times.get("received")),
                                         h.first_receipt_qty, h.received_qty) for h in lines
                    if h.promised and not (h.status == "cancelled" and "ordered" not in h.times)]  # never sent
        reliability = leadtime.supplier_reliability(outcomes, as_of=clock.day_of(as_of)) if outcomes else None
        out.append({"supplier": supplier.code, "name": supplier.name,
                    "declared_days": supplier.declared_lead_time_days, "lines": len(lines),
                    "lead_time": leadtime.describe_durations(totals, field="lead_time"),
                    "delivery": leadtime.describe_durations(_deliveries(lines), field="delivery"), "stages": stages,
                    "reliability": reliability})
    return out


def _deliveries(lines: list[LineHistory]) -> list[float]:
    """Order sent → goods at the dock (their receipt when no arrival was scanned), per line: what a supplier's
    declared lead time promises. The lead time Tendu plans with also counts the order taking and the put-away."""
    out = []
    for h in lines:
        days = leadtime.days_between(h.times.get("ordered"), h.times.get("arrived") or h.times.get("received"))
        if days is not None and days >= 0:
            out.append(days)
    return out


def line_rows(histories: list[LineHistory], limit: int) -> list[dict]:
    """The ``limit`` latest lines as measured, oldest first: the steps bounding each stage and the stages in days
    (None where a step is missing; a line not yet available has no total)."""
    def latest(h: LineHistory):
        moment = h.available or h.times.get("ordered") or h.times.get("need_detected")
        return (moment is None, moment.timestamp() if moment else 0.0, h.line_id)
    chosen = sorted(histories, key=latest)[-limit:]
    products = {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_({h.product_id
                                                                                         for h in chosen})))}
    rows = []
    for h in chosen:
        b = h.breakdown()
        rows.append({"po": h.order_number, "line_id": h.line_id, "sku": products[h.product_id].sku,
                     "name": products[h.product_id].name, "ordered": h.ordered_qty, "received": h.received_qty,
                     "promised": h.promised, "need_detected": h.times.get("need_detected"), "available": h.available,
                     "stages": {stage: getattr(b, stage) for stage in leadtime.STAGES}, "total": b.total})
    return rows


def _date(moment: datetime | None) -> date | None:
    return clock.day_of(moment) if moment else None  # (received on the company's day, as promised)


def product_estimates(histories: list[LineHistory], products: list[Product] = (),
                      pool_histories: list[LineHistory] | None = None) -> list[dict]:
    """Per product: the lead time to plan with, shrunk toward its supplier's pool when it has few receipts. Each
    product of ``products`` not bought from its own supplier in ``histories`` is listed too, with that supplier: it
    is planned on the supplier's pool (``leadtime.SOURCE_POOL``), or its promise when nothing is measured.
    ``pool_histories``: the lines the suppliers' pools are measured on (default ``histories``; give the suppliers'
    whole history when ``histories`` is one product's)."""
    own: dict[tuple[int, int], list[float]] = defaultdict(list)
    for h in histories:
        total = h.breakdown().total if h.available else None
        if total is not None:
            own[(h.supplier_id, h.product_id)].append(total)
    pools = supplier_pools(histories if pool_histories is None else pool_histories)
    keys = {(h.supplier_id, h.product_id) for h in histories}
    keys |= {(p.supplier_id, p.id) for p in products if p.supplier_id}
    products = {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_({k[1] for k in keys})))}
    suppliers = {s.id: s for s in db.session.scalars(select(Supplier).where(Supplier.id.in_({k[0] for k in keys})))}
    out = []
    for supplier_id, product_id in sorted(keys, key=lambda k: (suppliers[k[0]].code, products[k[1]].sku)):
        supplier = suppliers[supplier_id]
        durations, deliveries = pools.get(supplier_id, ([], 0))
        estimate = leadtime.estimate_lead_time(own[(supplier_id, product_id)], durations,
                                               supplier.declared_lead_time_days, pool_deliveries=deliveries)
        out.append({"sku": products[product_id].sku, "supplier": supplier.code, "estimate": estimate})
    return out


def supplier_pools(histories: list[LineHistory]) -> dict[int, tuple[list[float], int]]:
    """Per supplier: every measured line's lead time, and how many deliveries (orders) they came on."""
    durations: dict[int, list[float]] = defaultdict(list)
    orders: dict[int, set] = defaultdict(set)
    for h in histories:
        total = h.breakdown().total if h.available else None
        if total is not None:
            durations[h.supplier_id].append(total)
            orders[h.supplier_id].add(h.order_number)
    return {supplier: (found, len(orders[supplier])) for supplier, found in durations.items()}


def planned_products(supplier_id: int | None = None, product_id: int | None = None) -> list[Product]:
    """The active products planned with a supplier (their own), optionally one supplier's or one product."""
    stmt = select(Product).where(Product.active.is_(True), Product.supplier_id.is_not(None))
    if supplier_id:
        stmt = stmt.where(Product.supplier_id == supplier_id)
    if product_id:
        stmt = stmt.where(Product.id == product_id)
    return list(db.session.scalars(stmt))


def estimate_for(product: Product) -> leadtime.LeadTimeEstimate:
    """The lead time to plan one product with (its preferred supplier's pool and promise)."""
    supplier = db.session.get(Supplier, product.supplier_id) if product.supplier_id else None
    histories = line_histories(supplier_id=supplier.id) if supplier else line_histories(product_id=product.id)
    pool, deliveries = supplier_pools(histories).get(supplier.id if supplier else product.supplier_id, ([], 0))
    own = [h.breakdown().total for h in histories if h.available and h.product_id == product.id]
    return forced(product, leadtime.estimate_lead_time([t for t in own if t is not None], pool,
                                                       supplier.declared_lead_time_days if supplier else None,
                                                       pool_deliveries=deliveries))


def forced(product: Product, estimate: leadtime.LeadTimeEstimate) -> leadtime.LeadTimeEstimate:
    """The estimate, or the buyer's lead time where the product's overrides force one (the dates follow the plan)."""
    overrides = product.policy_overrides or {}
    return leadtime.with_forced(estimate, overrides.get("lead_time_mean"), overrides.get("lead_time_sd"))
