"""The replenishment plan: demand history, forecast, lead time and policy for every active product.

Demand is what customers asked for, when they asked (sales-order lines at order time), bucketed by day
over the last ``HISTORY_DAYS``. Classification and forecasts run on weekly sums (daily series of slow
movers are mostly zeros); the forecast is brought back to units per day for the policy.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import numpy as np
from sqlalchemy import func, select

from server.domain import demand as demand_maths
from server.domain import forecast as forecasting
from server.domain import leadtime
from server.domain import policy as policies
from server.extensions import db
from server.models import (Location, Movement, MovementKind, Product, PurchaseOrder, PurchaseOrderLine, SalesOrder,
                           SalesOrderLine, StockLevel, Supplier)
from server.queries import leadtimes

HISTORY_DAYS = 364            # 52 whole weeks
FORECAST_WEEKS = 4
CLASS_NAMES = {demand_maths.SMOOTH: "smooth", demand_maths.ERRATIC: "erratic",
               demand_maths.INTERMITTENT: "intermittent", demand_maths.LUMPY: "lumpy",
               demand_maths.NO_DEMAND: "intermittent"}   # no demand yet: planned as intermittent (pull)
OPEN_PO = ("draft", "need_detected", "ordered", "shipped", "arrived", "received")
OPEN_SO = ("ordered", "picked", "packed")


@dataclass
class ProductPlan:
    product: Product
    supplier: Supplier | None
    daily_mean: float
    daily_sd: float
    weekly_forecast: float
    forecast_method: str
    demand_class: str
    adi: float
    cv2: float
    abc: str
    lead_time: object          # leadtime.LeadTimeEstimate
    policy: policies.PolicyResult
    inputs: policies.PolicyInput

    def as_if_declared(self) -> policies.PolicyResult:
        """The same policy on the supplier's promise instead of the measurement: what measuring changed."""
        declared = self.supplier.declared_lead_time_days if self.supplier else self.lead_time.mean
        return policies.plan_policy(replace(self.inputs, lead_time_mean=declared,
                                            lead_time_sd=declared * leadtime.DECLARED_CV,
                                            lead_time_source="declared"))


def demand_history(products: list[Product], end: date, days: int = HISTORY_DAYS) -> np.ndarray:
    """(products × days) units asked for per day, the last column being the day before ``end``."""
    start = end - timedelta(days=days)
    index = {p.id: i for i, p in enumerate(products)}
    rows = db.session.execute(
        select(SalesOrderLine.product_id, SalesOrder.ordered_at, SalesOrderLine.qty_ordered)
        .join(SalesOrder)
        .where(SalesOrder.ordered_at >= _midnight(start), SalesOrder.ordered_at < _midnight(end),
               SalesOrderLine.product_id.in_(index))).all()
    if not rows:
        return np.zeros((len(products), days))
    product_idx = np.array([index[r[0]] for r in rows])
    period = demand_maths.period_index(np.array([r[1].date() for r in rows], dtype="datetime64[D]"),
                                       np.datetime64(start), "day")
    qty = np.array([float(r[2]) for r in rows])
    return demand_maths.bucket_demand(product_idx, period, qty, len(products), days)


def _midnight(day: date) -> datetime:
    from datetime import timezone
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def plan(products: list[Product] | None = None, *, today: date | None = None) -> list[ProductPlan]:
    today = today or datetime.now().date()
    products = products if products is not None else list(db.session.scalars(
        select(Product).where(Product.active.is_(True)).order_by(Product.sku)))
    if not products:
        return []
    daily = demand_history(products, today)
    weekly = demand_maths.aggregate(daily, 7)
    profile = demand_maths.classify(weekly)
    selection = forecasting.select_forecast(weekly, FORECAST_WEEKS)
    moments = policies.daily_demand_moments(daily)
    annual_value = daily.sum(axis=1) * 365 / daily.shape[1] * np.array([float(p.unit_cost) for p in products])
    abc = policies.abc_classes(annual_value)
    estimates = _lead_times(products)
    suppliers = {s.id: s for s in db.session.scalars(select(Supplier))}
    out = []
    for i, product in enumerate(products):
        supplier = suppliers.get(product.supplier_id)
        weekly_level = float(np.nan_to_num(selection.level[i]))
        estimate = estimates[product.id]
        demand_class = CLASS_NAMES[profile.category[i]]
        inputs = policies.PolicyInput(
            demand_mean=weekly_level / 7, demand_sd=float(np.atleast_1d(moments.sd)[i]),
            lead_time_mean=estimate.mean, lead_time_sd=estimate.sd, lead_time_source=estimate.source,
            # Few receptions behind a measured sd: widen it; a shrunk estimate already leans on the pool.
            lead_time_n=estimate.n if estimate.source == leadtime.SOURCE_MEASURED else None,
            variability_class=demand_class, abc_class=str(abc[i]), critical=product.critical,
            demand_m3=float(np.atleast_1d(moments.m3)[i]), moq=float(product.moq),
            pack_multiple=float(product.pack_multiple),
            order_quantity=max(weekly_level * 4, float(product.pack_multiple)) or None,
            overrides={k: v for k, v in (product.policy_overrides or {}).items() if k in policies.OVERRIDABLE})
        out.append(ProductPlan(product, supplier, weekly_level / 7, float(np.atleast_1d(moments.sd)[i]),
                               weekly_level, selection.candidates[int(selection.choice[i])], demand_class,
                               float(profile.adi[i]), float(profile.cv2[i]), str(abc[i]), estimate,
                               policies.plan_policy(inputs), inputs))
    return out


def _lead_times(products: list[Product]) -> dict:
    """Every product's lead-time estimate from one pass over the purchase history."""
    if len(products) == 1:  # one product's page: its supplier's history is enough
        return {products[0].id: leadtimes.estimate_for(products[0])}
    histories = leadtimes.line_histories()
    estimates = {(row["supplier"], row["sku"]): row["estimate"] for row in leadtimes.product_estimates(histories)}
    pools = {}
    suppliers = {s.id: s for s in db.session.scalars(select(Supplier))}
    for h in histories:
        total = h.breakdown().total if h.available else None
        if total is not None:
            pools.setdefault(h.supplier_id, []).append(total)
    out = {}
    for p in products:
        supplier = suppliers.get(p.supplier_id)
        key = (supplier.code if supplier else None, p.sku)
        if key in estimates:
            out[p.id] = estimates[key]
        else:  # never bought from this supplier: its pool, or its promise
            out[p.id] = leadtime.estimate_lead_time(
                [], pools.get(p.supplier_id, []), supplier.declared_lead_time_days if supplier else 7.0)
    return out


def positions(product_ids: list[int]) -> dict[int, dict]:
    """On hand, on order (not yet received), reserved and unreserved open demand, per product."""
    # Stock in dispatch is picked for an order already: not available to anyone else.
    on_hand = dict(db.session.execute(select(StockLevel.product_id, func.sum(StockLevel.qty))
                                      .join(Location, Location.id == StockLevel.location_id)
                                      .where(StockLevel.product_id.in_(product_ids), Location.kind != "dispatch")
                                      .group_by(StockLevel.product_id)).all())
    ordered = dict(db.session.execute(
        select(PurchaseOrderLine.product_id, func.sum(PurchaseOrderLine.qty_ordered)).join(PurchaseOrder)
        .where(PurchaseOrderLine.product_id.in_(product_ids), PurchaseOrder.status.in_(OPEN_PO))
        .group_by(PurchaseOrderLine.product_id)).all())
    received = dict(db.session.execute(
        select(Movement.product_id, func.sum(Movement.qty))
        .join(PurchaseOrderLine, PurchaseOrderLine.id == Movement.po_line_id).join(PurchaseOrder)
        .where(Movement.kind == int(MovementKind.RECEIPT), Movement.product_id.in_(product_ids),
               PurchaseOrder.status.in_(OPEN_PO))
        .group_by(Movement.product_id)).all())
    open_lines = db.session.execute(
        select(SalesOrderLine.product_id, func.sum(SalesOrderLine.qty_reserved),
               func.sum(SalesOrderLine.qty_ordered - SalesOrderLine.qty_short))
        .join(SalesOrder).where(SalesOrderLine.product_id.in_(product_ids), SalesOrder.status.in_(OPEN_SO))
        .group_by(SalesOrderLine.product_id)).all()
    picked = dict(db.session.execute(
        select(Movement.product_id, func.sum(Movement.qty))
        .join(SalesOrderLine, SalesOrderLine.id == Movement.so_line_id).join(SalesOrder)
        .where(Movement.kind == int(MovementKind.PICK), SalesOrder.status.in_(OPEN_SO),
               Movement.product_id.in_(product_ids))
        .group_by(Movement.product_id)).all())
    demand = {pid: (reserved, wanted) for pid, reserved, wanted in open_lines}
    zero = Decimal(0)
    out = {}
    for pid in product_ids:
        reserved, wanted = demand.get(pid, (zero, zero))
        open_demand = (wanted or zero) - picked.get(pid, zero)
        out[pid] = {"on_hand": on_hand.get(pid) or zero,
                    "on_order": max(zero, (ordered.get(pid) or zero) - (received.get(pid) or zero)),
                    "reserved": reserved or zero,
                    "unreserved_demand": max(zero, open_demand - (reserved or zero))}
    return out





def suggestions(plans: list[ProductPlan], today: date) -> list[dict]:
    """What to order now: push items at or below their reorder point, pull items with uncovered demand."""
    state = positions([p.product.id for p in plans])
    out = []
    for p in plans:
        pos = state[p.product.id]
        projected = float(pos["on_hand"] + pos["on_order"] - pos["reserved"])
        policy = p.policy
        if policy.mode == policies.PUSH and policy.reorder_point is not None and projected <= policy.reorder_point:
            q = policy.order_quantity or float(p.product.pack_multiple)
            qty = q * (int((policy.reorder_point - projected) // q) + 1)    # whole Qs to get back above s
            reason = ("at or below the reorder point", "au point de commande ou en dessous")
        elif policy.mode == policies.PULL and float(pos["unreserved_demand"]) > float(pos["on_order"]):
            uncovered = float(pos["unreserved_demand"] - pos["on_order"])
            qty = float(policies.pull_purchase_quantity(uncovered, float(p.product.moq),
                                                        float(p.product.pack_multiple)))
            reason = ("customer demand not covered", "demande client non couverte")
        else:
            continue
        lt = p.lead_time
        out.append({"sku": p.product.sku, "name": p.product.name, "mode": policy.mode,
                    "supplier": p.supplier.code if p.supplier else None, "qty": qty, "projected": projected,
                    "reorder_point": policy.reorder_point, "on_hand": pos["on_hand"], "on_order": pos["on_order"],
                    "reserved": pos["reserved"], "reason_en": reason[0], "reason_fr": reason[1],
                    "lead_time_p50": lt.p50, "lead_time_p90": lt.p90, "lead_time_source": lt.source,
                    "expected_p50": today + timedelta(days=round(lt.p50)),
                    "expected_p90": today + timedelta(days=round(lt.p90))})
    return out
