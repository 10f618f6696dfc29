"""The replenishment plan fed from the ledger: demand history, measured lead times, product settings.

Demand is what customers asked for, when they asked (sales-order lines at order time; not orders withdrawn
before anything was picked, which are cancelled), bucketed by day over the last ``HISTORY_DAYS``. The plan for
every product comes from ``domain.plan`` in one vectorised pass; one product's page is explained step by step
by ``domain.policy.plan_policy`` on the same inputs.

A supplier with a review period R is ordered from on fixed days, every R days: its products get an
order-up-to level S (periodic review) and are suggested on review days only; the others are reviewed daily
against their reorder point s (continuous review).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import numpy as np
from flask import current_app
from sqlalchemy import case, func, select, type_coerce

from server import clock
from server.domain import demand as demand_maths
from server.domain import leadtime
from server.domain import plan as planning
from server.domain import policy as policies
from server.domain.days import EVERY_DAY, calendar_weeks, local_day, working_day_on_or_after
from server.domain.leadtime_demand import sigma_dl
from server.domain.quantities import ORDER_COVER_WEEKS
from server.extensions import db
from server.models import (Location, Movement, MovementKind, Product, PurchaseOrder, PurchaseOrderEvent,
                           PurchaseOrderLine, SalesOrder, SalesOrderLine, StockLevel, Supplier)
from server.queries import leadtimes
from server.queries.orders import received_on_line
from server.services import sales

HISTORY_DAYS = 364            # 52 whole weeks
# What is left on an order's lines is on order whatever step the order has reached: a put-away can start while
# the rest of the delivery is still being received (the order's status is the furthest step of any line).
OPEN_PO = ("draft", "need_detected", "ordered", "shipped", "arrived", "received", "put_away")
OPEN_SO = sales.OPEN


@dataclass
class Inputs:
    products: list[Product]
    suppliers: list[Supplier | None]
    daily: np.ndarray                     # (products × HISTORY_DAYS)
    estimates: list                       # leadtime.LeadTimeEstimate per product

    def lead_time_n(self) -> np.ndarray:
        """Receptions behind a measured estimate; NaN where it leans on a pool or a promise."""
        return np.array([e.n if e.source == leadtime.SOURCE_MEASURED else np.nan for e in self.estimates])

    def ordering_costs(self) -> np.ndarray:
        """The supplier's cost of one order; NaN where it is not known (orders then cover four weeks)."""
        return np.array([_ordering_cost(s) or np.nan for s in self.suppliers], dtype=float)

    def review_days(self) -> np.ndarray:
        """The supplier's review period R; NaN where the product is reviewed daily."""
        return np.array([_review_period(s) or np.nan for s in self.suppliers], dtype=float)


def _review_period(supplier: Supplier | None) -> float | None:
    return float(supplier.review_period_days) if supplier and supplier.review_period_days else None


def _ordering_cost(supplier: Supplier | None) -> float | None:
    return float(supplier.ordering_cost) if supplier and supplier.ordering_cost else None


def holding_rate() -> float:
    return float(current_app.config["TENDU_HOLDING_RATE"])


def demand_history(products: list[Product], end: date, days: int = HISTORY_DAYS) -> np.ndarray:
    """(products × days) units asked for per day, the last column being the day before ``end``."""
    start = end - timedelta(days=days)
    index = {p.id: i for i, p in enumerate(products)}
    rows = db.session.execute(
        select(SalesOrderLine.product_id, SalesOrder.ordered_at, SalesOrderLine.qty_ordered).join(SalesOrder)
        .where(SalesOrder.ordered_at >= clock.start_of(start), SalesOrder.ordered_at < clock.start_of(end),
               SalesOrder.status != "cancelled", SalesOrderLine.product_id.in_(index))).all()
    if not rows:
        return np.zeros((len(products), days))
    product_idx = np.array([index[r[0]] for r in rows])
    zone = clock.zone()  # (an order taken at 00:10 in Paris is the new day's demand)
    period = demand_maths.period_index(np.array([local_day(r[1], zone) for r in rows], dtype="datetime64[D]"),
                                       np.datetime64(start), "day")
    return demand_maths.bucket_demand(product_idx, period, np.array([float(r[2]) for r in rows]), len(products),
                                      days)


def weekly_demand(daily: np.ndarray, today: date) -> list[dict]:
    """A product's history as the plan reads it (units asked for, at order time), summed by calendar week, Monday to
    Sunday: what its chart shows, so that the bars are what the figures were computed from (shipments lag and cut
    the orders). The history runs from 364 days ago to yesterday: unless today is a Monday, its first and last weeks
    are partial, and ``days`` says how many of their days it holds. (The chart's weeks only: the forecast's own
    aggregation, in ``domain.forecast``, does not read these.)"""
    first = today - timedelta(days=len(daily))
    return [{"start": monday.isoformat(), "qty": qty, "days": days}
            for monday, qty, days in calendar_weeks(daily, first)]


def gather(products: list[Product], today: date) -> Inputs:
    suppliers = {s.id: s for s in db.session.scalars(select(Supplier))}
    return Inputs(products, [suppliers.get(p.supplier_id) for p in products], demand_history(products, today),
                  _lead_times(products, suppliers))


def _lead_times(products: list[Product], suppliers: dict) -> list:
    """Every product's lead-time estimate, from one pass over the purchase history."""
    histories = leadtimes.line_histories()
    estimates = {(row["supplier"], row["sku"]): row["estimate"] for row in leadtimes.product_estimates(histories)}
    pools = leadtimes.supplier_pools(histories)
    out = []
    for p in products:
        supplier = suppliers.get(p.supplier_id)
        found = estimates.get((supplier.code if supplier else None, p.sku))
        # Never bought from its supplier yet: the supplier's measured pool, else its promise (as the lead-time
        # analytics list it, and as ``leadtimes.estimate_for`` promises it to a customer).
        durations, deliveries = pools.get(p.supplier_id, ([], 0))
        out.append(found or leadtime.estimate_lead_time([], durations,
                                                        supplier.declared_lead_time_days if supplier else 7.0,
                                                        pool_deliveries=deliveries))
    return out


def active_products() -> list[Product]:
    return list(db.session.scalars(select(Product).where(Product.active.is_(True)).order_by(Product.sku)))


def plan_all(today: date) -> tuple[Inputs, planning.Plan]:
    data = gather(active_products(), today)
    products = data.products
    result = planning.replenishment_plan(
        data.daily, unit_cost=np.array([float(p.unit_cost) for p in products]),
        lt_mean=np.array([e.mean for e in data.estimates]), lt_sd=np.array([e.sd for e in data.estimates]),
        lt_n=data.lead_time_n(), moq=np.array([float(p.moq) for p in products]),
        pack=np.array([float(p.pack_multiple) for p in products]),
        critical=np.array([p.critical for p in products]), review_days=data.review_days(),
        ordering_cost=data.ordering_costs(), holding_rate=holding_rate())
    return data, _with_overrides(data, result)


def _with_overrides(data: Inputs, result: planning.Plan) -> planning.Plan:
    """The buyer's word is last. A product with overrides is planned as its policy page explains it
    (``domain.policy.plan_policy``): a forced safety stock moves the reorder point, a pull item forced to push
    gets one, a forced quantity is bought in whole packs; the list and the page cannot disagree."""
    mode, s, q = result.mode.copy(), result.reorder_point.copy(), result.order_qty.copy()
    up_to = result.order_up_to.copy()
    for i, p in enumerate(data.products):
        if not _overrides(p):
            continue
        forced = policies.plan_policy(_policy_input(p, data.suppliers[i], result, i, data.estimates[i]))
        mode[i] = forced.mode
        s[i] = np.nan if forced.reorder_point is None else forced.reorder_point
        up_to[i] = np.nan if forced.order_up_to is None else forced.order_up_to
        q[i] = q[i] if forced.order_quantity is None else forced.order_quantity
    pull = mode == policies.PULL
    return replace(result, mode=mode, reorder_point=np.where(pull, np.nan, s), order_qty=q,
                   order_up_to=np.where(pull, np.nan, up_to))


def _overrides(product: Product) -> dict:
    return {k: v for k, v in (product.policy_overrides or {}).items() if k in policies.OVERRIDABLE}


def _policy_input(product: Product, supplier: Supplier | None, result: planning.Plan, i: int,
                  estimate) -> policies.PolicyInput:
    """Row ``i`` of the plan as the inputs of one product's policy, the buyer's overrides with them."""
    return policies.PolicyInput(
        demand_mean=float(result.daily_mean[i]), demand_sd=float(result.daily_sd[i]),
        demand_m3=float(result.daily_m3[i]), demand_history_mean=float(result.history_mean[i]),
        lead_time_mean=estimate.mean, lead_time_sd=estimate.sd,
        lead_time_demand_mean=float(result.lead_time_demand_mean[i]),
        lead_time_demand_sd=float(result.lead_time_demand_sd[i]),
        lead_time_source=estimate.source,
        lead_time_n=estimate.n if estimate.source == leadtime.SOURCE_MEASURED else None,
        variability_class=str(result.demand_class[i]), abc_class=str(result.abc[i]), critical=product.critical,
        moq=float(product.moq), pack_multiple=float(product.pack_multiple),
        **_order_sizing(product, supplier),
        review_period_days=_review_period(supplier), demand_var_rl=_measured(result.window_var_rl[i]),
        demand_var_l=_measured(result.window_var_l[i]), overrides=_overrides(product))


def _order_sizing(product: Product, supplier: Supplier | None) -> dict:
    """What Q is sized from; ``policy`` takes the EOQ where both costs are known, as ``quantities.base_order_quantity``
    does for the list, else the weeks of demand (and says which cost is missing)."""
    return {"ordering_cost": _ordering_cost(supplier), "holding_rate": holding_rate(),
            "unit_cost": float(product.unit_cost), "order_cover_weeks": float(ORDER_COVER_WEEKS)}


def _measured(value) -> float | None:
    return None if np.isnan(value) else float(value)


@dataclass
class Explained:
    product: Product
    supplier: Supplier | None
    plan: planning.Plan           # the product's row of the whole plan (same numbers as the list)
    index: int
    lead_time: object
    inputs: policies.PolicyInput
    policy: policies.PolicyResult
    daily: np.ndarray             # the product's demand history (days)

    def as_if_declared(self) -> policies.PolicyResult:
        """The same policy on the supplier's promise instead of the measurement: what measuring changed.

        The demand side stays as measured (its clustering kept as the same ratios to the formula); only
        the lead time becomes the declared one, with the usual spread assumed for a promise."""
        i = self.inputs
        declared = self.supplier.declared_lead_time_days if self.supplier else self.lead_time.mean
        declared_sd = declared * leadtime.DECLARED_CV
        planned_sd = float(self.plan.lead_time_sd[self.index])
        mean_ratio = _ratio(i.lead_time_demand_mean, i.demand_mean * i.lead_time_mean)
        sd_ratio = _ratio(i.lead_time_demand_sd, sigma_dl(i.demand_mean, i.demand_sd, i.lead_time_mean, planned_sd))
        periodic = {}
        if i.review_period_days is not None:    # the windows are R + the declared lead time, and that lead time
            v_rl, v_l = planning.window_variances(self.daily, i.demand_mean, i.demand_sd, declared,
                                                  i.review_period_days)
            periodic = {"demand_var_rl": float(v_rl[0]), "demand_var_l": float(v_l[0])}
        kept = {k: v for k, v in i.overrides.items() if k not in ("lead_time_mean", "lead_time_sd")}  # the promise's
        return policies.plan_policy(replace(
            i, overrides=kept, lead_time_mean=declared, lead_time_sd=declared_sd, lead_time_n=None,
            lead_time_source="declared",
            lead_time_demand_mean=mean_ratio * i.demand_mean * declared,
            lead_time_demand_sd=sd_ratio * sigma_dl(i.demand_mean, i.demand_sd, declared, declared_sd), **periodic))


def _ratio(measured, formula) -> float:
    return float(measured) / float(formula) if measured is not None and formula and formula > 0 else 1.0


def explain(product: Product, today: date) -> Explained:
    """One product's policy, every step shown. ABC needs every product's consumption, so the plan runs whole."""
    data, result = plan_all(today)
    i = next(k for k, p in enumerate(data.products) if p.id == product.id) if product.active else None
    if i is None:
        data = gather([product], today)
        result, i = planning.replenishment_plan(
            data.daily, unit_cost=float(product.unit_cost), lt_mean=data.estimates[0].mean,
            lt_sd=data.estimates[0].sd, moq=float(product.moq), pack=float(product.pack_multiple),
            critical=product.critical, review_days=data.review_days(), ordering_cost=data.ordering_costs(),
            holding_rate=holding_rate()), 0
    estimate = data.estimates[i]
    inputs = _policy_input(product, data.suppliers[i], result, i, estimate)
    return Explained(product, data.suppliers[i], result, i, estimate, inputs, policies.plan_policy(inputs),
                     data.daily[i])


def positions(product_ids: list[int]) -> dict[int, dict]:
    """On hand (not in dispatch), in dispatch, on order (not yet received), reserved and unreserved open demand."""
    # Stock in dispatch is picked for an order already: not available to anyone else.
    dispatch = Location.kind == "dispatch"

    def summed(picked: bool):  # (typed as the column: a bare integer would read its stored thousandths)
        qty = case((dispatch, StockLevel.qty), else_=0) if picked else case((dispatch, 0), else_=StockLevel.qty)
        return type_coerce(func.sum(qty), StockLevel.qty.type)
    held = {pid: (shelves, waiting) for pid, shelves, waiting in db.session.execute(
        select(StockLevel.product_id, summed(False), summed(True))
        .join(Location, Location.id == StockLevel.location_id)
        .where(StockLevel.product_id.in_(product_ids)).group_by(StockLevel.product_id))}
    # What is left to receive, line by line: an over-delivery on one line is not on order on another.
    received = received_on_line()
    left = type_coerce(PurchaseOrderLine.qty_ordered - received, PurchaseOrderLine.qty_ordered.type)
    on_order = dict(db.session.execute(
        select(PurchaseOrderLine.product_id, func.sum(left)).join(PurchaseOrder)
        .where(PurchaseOrderLine.product_id.in_(product_ids), PurchaseOrder.status.in_(OPEN_PO),
               PurchaseOrderLine.qty_ordered > received)
        .group_by(PurchaseOrderLine.product_id)).all())
    open_lines = db.session.execute(
        select(SalesOrderLine.product_id, func.sum(SalesOrderLine.qty_reserved),
               # (a difference of two Fixed columns is typed as a bare integer: coerced back, or it reads ×1000)
               func.sum(type_coerce(SalesOrderLine.qty_ordered - SalesOrderLine.qty_short,
                                    SalesOrderLine.qty_ordered.type)))
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
        shelves, waiting = held.get(pid, (zero, zero))
        out[pid] = {"on_hand": shelves or zero, "in_dispatch": waiting or zero,
                    "on_order": on_order.get(pid) or zero,
                    "reserved": reserved or zero,
                    "unreserved_demand": max(zero, open_demand - (reserved or zero))}
    return out


# A review day missed by a day or two (a day off) is still caught; later, the supplier waits for the next one
# (else, after a review day with nothing to order, it would be reviewed daily against S: many small orders).
GRACE_DAYS = 2


def last_reviews() -> dict[int, datetime]:
    """When each supplier was last reviewed: its orders in time order (per order, its need detected — the review
    that made it — else its placing, else its creation: a draft typed by hand). For a supplier ordered from every
    R days an order is a review only once the supplier was due (R days after the last one): a pull item bought
    for a customer, or an urgent draft, between two reviews does not move the review day."""
    first_step = (select(PurchaseOrderEvent.order_id, func.min(PurchaseOrderEvent.occurred_at).label("at"))
                  .where(PurchaseOrderEvent.kind.in_(("need_detected", "ordered")))
                  .group_by(PurchaseOrderEvent.order_id).subquery())
    at = type_coerce(func.coalesce(first_step.c.at, PurchaseOrder.created_at), PurchaseOrder.created_at.type)
    rows = db.session.execute(select(PurchaseOrder.supplier_id, at)
                              .outerjoin(first_step, first_step.c.order_id == PurchaseOrder.id)
                              .where(PurchaseOrder.status != "cancelled")).all()   # nothing bought: no review
    periods = {s.id: _review_period(s) for s in db.session.scalars(select(Supplier))}
    out: dict[int, datetime] = {}
    for supplier_id, when in sorted(rows, key=lambda row: row[1]):
        last, period = out.get(supplier_id), periods.get(supplier_id)
        if last is None or period is None or \
                clock.day_of(when) >= clock.day_of(last) + timedelta(days=math.ceil(period)):
            out[supplier_id] = when
    return out


def next_review(supplier: Supplier | None, reviews: dict[int, datetime], today: date) -> date | None:
    """The day a periodically reviewed supplier is next due (today when it is due now); None when reviewed daily.

    Review days fall every R days from the last review. A supplier never ordered from is due at once; one whose
    review day passed is due for ``GRACE_DAYS`` more days, then waits for the next day of that calendar."""
    period = _review_period(supplier)
    if period is None:
        return None
    last = reviews.get(supplier.id)
    if last is None:
        return today
    days, anchor = math.ceil(period), clock.day_of(last)
    elapsed = (today - anchor).days
    if elapsed < days:
        return anchor + timedelta(days=days)
    calendar = anchor + timedelta(days=elapsed // days * days)      # the latest review day, today or before
    return today if (today - calendar).days <= GRACE_DAYS else calendar + timedelta(days=days)


REASONS = {"reorder_point": ("at or below the reorder point", "point de commande atteint"),
           "order_up_to": ("review day: back up to the order-up-to level",
                           "jour de revue : recompléter au niveau cible"),
           "uncovered": ("customer demand not covered", "demande client non couverte")}


def suggestions(today: date) -> list[dict]:
    """What to order now: push items at or below their reorder point, or below their order-up-to level on their
    supplier's review day; pull items with uncovered demand."""
    data, result = plan_all(today)
    state = positions([p.id for p in data.products])
    reviews = last_reviews()
    working = clock.working_days()
    out = []
    for i, product in enumerate(data.products):
        pos = state[product.id]
        # The inventory position: customer demand nobody's stock is reserved for (a backorder) counts against it.
        projected = float(pos["on_hand"] + pos["on_order"] - pos["reserved"] - pos["unreserved_demand"])
        s, q, up_to = float(result.reorder_point[i]), float(result.order_qty[i]), float(result.order_up_to[i])
        lt, supplier = leadtimes.forced(product, data.estimates[i]), data.suppliers[i]
        review = next_review(supplier, reviews, today)
        moq, pack = float(product.moq), float(product.pack_multiple)
        if result.mode[i] == policies.PUSH and review is None and projected <= s:
            qty = q * (int((s - projected) // q) + 1)              # whole Qs to get back above s
            reason = REASONS["reorder_point"]
        elif result.mode[i] == policies.PUSH and review == today and projected < up_to:
            qty = float(policies.pull_purchase_quantity(up_to - projected, moq, pack))
            reason = REASONS["order_up_to"]
        elif result.mode[i] == policies.PULL and projected < 0:
            # (goods put away after the customer ordered are not reserved by themselves: they cover it all the same)
            qty = float(policies.pull_purchase_quantity(-projected, moq, pack))
            reason = REASONS["uncovered"]
        else:
            continue
        out.append({"sku": product.sku, "name": product.name, "mode": str(result.mode[i]),
                    "supplier": supplier.code if supplier else None,
                    "supplier_name": supplier.name if supplier else None, "qty": qty, "projected": projected,
                    "unit_cost": product.unit_cost, "moq": product.moq, "pack_multiple": product.pack_multiple,
                    "reorder_point": None if np.isnan(s) else s, "order_up_to": None if np.isnan(up_to) else up_to,
                    "review_period_days": _review_period(supplier), "on_hand": pos["on_hand"],
                    "on_order": pos["on_order"], "reserved": pos["reserved"],
                    "unreserved_demand": pos["unreserved_demand"], "reason_en": reason[0],
                    "reason_fr": reason[1], "lead_time_p50": lt.p50, "lead_time_p90": lt.p90,
                    "lead_time_source": lt.source, **expected_arrivals(today, lt.p50, lt.p90, working)})
    return out


def expected_arrivals(today: date, p50: float, p90: float, working_days=EVERY_DAY) -> dict[str, date]:
    """The days an order placed today is expected by: its median day and the day nine in ten have arrived.

    The p50 is rounded to the nearest day, the p90 up. A median is a central figure: 2.07 days is the day after
    tomorrow, not the day after that (rounded up, every median moved up to a day later, and p50 and p90 often fell on
    the same day, hiding their spread). The p90 is a bound: nine deliveries in ten by then, so it is rounded up, as a
    customer's promise is. Since p50 ≤ p90, round(p50) ≤ ⌈p90⌉: the two days are in order; they are the same day only
    when less than a day separates them (5.46 and 5.89 days show as 5 and 6 days, 5.6 and 5.9 as 6 and 6), and
    always differ when a day or more does.

    Then a day that is not one of the company's ``working_days`` moves to the next that is (no supplier delivers on a
    day the company is closed), so a Saturday and a Sunday may both show as Monday; the order stays. Only the day
    shown moves: the lead times stay in calendar days."""
    return {"expected_p50": working_day_on_or_after(today + timedelta(days=math.floor(p50 + 0.5)), working_days),
            "expected_p90": working_day_on_or_after(today + timedelta(days=math.ceil(p90)), working_days)}
