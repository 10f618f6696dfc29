"""Decisions from measurements: a product's policy explained, what to order now, and ordering it."""
from __future__ import annotations

from dataclasses import asdict

from flask import g
from flask.views import MethodView
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from server.api.common import Blueprint, CODE, Moment, Money, Number
from server.api.security import role
from server.errors import language
from server.extensions import db
from server.models import Product, Supplier
from server import clock
from server.models.base import utcnow
from server.queries import leadtimes, orders as order_views
from server.queries import planning
from server.services import master, replenishment

blp = Blueprint("planning", __name__, url_prefix="/api/v1", description="Policies and replenishment")


class StepOut(Schema):
    name = fields.String()
    value = fields.Raw()
    formula = fields.String(metadata={"description": "In symbols, with the figures put in (a decimal comma in French)"})
    source = fields.String(metadata={"description": "Where the inputs came from, in the request's language"})
    note = fields.String(metadata={"description": "What the step means, in the request's language (may be empty)"})


class PolicyOut(Schema):
    sku = fields.String()
    name = fields.String()
    mode = fields.String(metadata={"description": "push (kept in stock) or pull (bought against orders)"})
    reason = fields.String()
    demand = fields.Dict(metadata={"description": "Daily mean (forecast) and sd, forecast method, variability and ABC "
                                                  "class; weekly: the history the plan read, units asked for per "
                                                  "calendar week (start: its Monday; days: how many of its 7 days the "
                                                  "history holds, fewer in a first or last week it cuts)"})
    lead_time = fields.Dict(metadata={"description": "Estimate to plan with and where it comes from"})
    lead_time_planned = fields.Dict(metadata={
        "description": "What the list plans with: the estimate, or the buyer's forced lead time (source forced)"})
    policy = fields.Dict(metadata={"description": "Every figure of the policy"})
    steps = fields.List(fields.Nested(StepOut))
    if_declared = fields.Dict(metadata={"description": "The same policy on the supplier's declared lead time"})
    next_review = fields.Date(allow_none=True, metadata={
        "description": "When the supplier is next due, if ordered from every R days (null: reviewed daily)"})


class Suggestion(Schema):
    sku = fields.String()
    name = fields.String()
    mode = fields.String()
    supplier = fields.String(allow_none=True, metadata={"description": "The supplier's code"})
    supplier_name = fields.String(allow_none=True, metadata={"description": "The supplier's name, as screens show it"})
    qty = Number()
    unit_cost = Money(metadata={"description": "The product's unit cost: a draft order's lines are priced at it"})
    moq = Number(metadata={"description": "Minimum order quantity (the list suggests no less; a buyer may type less)"})
    pack_multiple = Number(metadata={"description": "The supplier sells whole packs of this many (1: any quantity)"})
    projected = Number(metadata={"description": "On hand + on order − reserved − open customer demand not reserved"})
    reorder_point = Number(allow_none=True, metadata={"description": "s, reviewed daily (null under periodic review)"})
    order_up_to = Number(allow_none=True, metadata={"description": "S, when the supplier is reviewed every R days"})
    review_period_days = fields.Float(allow_none=True, metadata={"description": "R; null: reviewed daily"})
    on_hand = Number()
    on_order = Number()
    reserved = Number()
    unreserved_demand = Number(metadata={"description": "Open customer demand no stock is reserved for (a backorder)"})
    reason = fields.String()
    lead_time_p50 = fields.Float()
    lead_time_p90 = fields.Float()
    lead_time_source = fields.String()
    expected_p50 = fields.Date(metadata={"description": "The median day an order placed today arrives: a working day "
                                                        "(TENDU_WORKING_DAYS)"})
    expected_p90 = fields.Date(metadata={"description": "The day nine orders in ten have arrived by: a working day"})


class ReviewOut(Schema):
    supplier = fields.String(metadata={"description": "The supplier's code"})
    supplier_name = fields.String()
    review_period_days = fields.Integer(metadata={"description": "R: the supplier is ordered from every R days"})
    next_review = fields.Date(metadata={"description": "Its next review day (today when due now): its products are "
                                                      "suggested on that day only"})


class SuggestionsOut(Schema):
    generated_at = fields.AwareDateTime(metadata={"description": "Pass back as suggested_at when ordering (within 24 h: "
                                                                 "older suggestions are refused, stale_suggestions)"})
    items = fields.List(fields.Nested(Suggestion))
    reviews = fields.List(fields.Nested(ReviewOut), metadata={
        "description": "Active suppliers ordered from every R days (weekly review…), by code, with their next review"})


class OrderItem(Schema):
    sku = fields.String(required=True, validate=CODE)
    qty = Number(required=True, validate=validate.Range(min=0.001, max=1_000_000))
    supplier = fields.String(load_default=None, validate=CODE)


class OrdersIn(Schema):
    suggested_at = Moment(required=True)
    items = fields.List(fields.Nested(OrderItem), required=True, validate=validate.Length(min=1, max=2000))


class CreatedLine(Schema):
    """As the order's own lines read (numbers, not the strings of a plain dict's decimals)."""
    line_id = fields.Integer()
    sku = fields.String()
    name = fields.String()
    ordered = Number()
    received = Number()
    left = Number()
    unit_cost = Money()


class CreatedOrder(Schema):
    number = fields.String()
    supplier = fields.String()
    status = fields.String()
    lines = fields.List(fields.Nested(CreatedLine))


def _step(step) -> dict:
    fr = language() == "fr"
    return {"name": step.name, "value": _plain(step.value), "formula": step.formula_fr if fr else step.formula,
            "source": step.source[fr], "note": step.note[fr]}


def _plain(value):
    """Dataclasses and numpy scalars as JSON-ready values."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


def _declared(p) -> dict:
    other = p.as_if_declared()
    return {"lead_time_mean": p.inputs.lead_time_mean if p.supplier is None else p.supplier.declared_lead_time_days,
            "safety_stock": other.safety_stock, "reorder_point": other.reorder_point,
            "order_up_to": other.order_up_to}


def _planned(estimate) -> dict:
    return {"source": estimate.source, "mean": estimate.mean, "sd": estimate.sd, "p50": estimate.p50,
            "p90": estimate.p90}


@blp.route("/products/<string:sku>/policy")
class ProductPolicy(MethodView):
    @role("supervisor")
    @blp.response(200, PolicyOut)
    def get(self, sku):
        """Safety stock, reorder point, push or pull: every number, its formula and where it came from (supervisors:
        its steps show unit costs and the supplier's cost of an order, which operators do not see)."""
        today = clock.today()
        p = planning.explain(master.get(Product, sku), today)
        result = p.policy
        policy = {k: v for k, v in asdict(result).items() if k not in ("steps", "reason_en", "reason_fr")}
        return {"sku": p.product.sku, "name": p.product.name, "mode": result.mode,
                "reason": result.reason_fr if language() == "fr" else result.reason_en,
                "demand": {"daily_mean": p.inputs.demand_mean, "daily_sd": p.inputs.demand_sd,
                           "forecast_method": str(p.plan.method[p.index]), "class": p.inputs.variability_class,
                           "abc": p.inputs.abc_class, "history_days": planning.HISTORY_DAYS,
                           "weekly": planning.weekly_demand(p.daily, today)},
                "lead_time": _plain(asdict(p.lead_time)), "policy": _plain(policy),
                "lead_time_planned": _planned(leadtimes.forced(p.product, p.lead_time)),
                "steps": [_step(step) for step in result.steps],
                "if_declared": _declared(p),
                "next_review": planning.next_review(p.supplier, planning.last_reviews(), today)}


@blp.route("/replenishment")
class Replenishment(MethodView):
    @role("supervisor")
    @blp.response(200, SuggestionsOut)
    def get(self):
        """What to order now, with quantities, suppliers and expected arrival (p50 and p90 of measured lead time)."""
        now, today = utcnow(), clock.today()
        items = planning.suggestions(today)
        lang = language()
        for item in items:
            item["reason"] = item.pop("reason_fr") if lang == "fr" else item.pop("reason_en")
        return {"generated_at": now, "items": items, "reviews": _reviews(today)}


def _reviews(today) -> list[dict]:
    """The suppliers reviewed every R days and their next review day, as the suggestions read them."""
    last = planning.last_reviews()
    periodic = db.session.scalars(select(Supplier).where(Supplier.active.is_(True),
                                                         Supplier.review_period_days.is_not(None),
                                                         Supplier.review_period_days > 0).order_by(Supplier.code))
    return [{"supplier": s.code, "supplier_name": s.name, "review_period_days": s.review_period_days,
             "next_review": planning.next_review(s, last, today)} for s in periodic]


@blp.route("/replenishment/orders")
class ReplenishmentOrders(MethodView):
    @role("supervisor")
    @blp.arguments(OrdersIn)
    @blp.response(201, CreatedOrder(many=True))
    def post(self, data):
        """Turn a reviewed selection into draft purchase orders, one per supplier.

        Quantities are ordered as the buyer typed them, below the product's MOQ or off its pack multiple included:
        the buyer may know better (a supplier's exception, a last order before a product is dropped), and the list
        already suggests whole packs above the MOQ. A fraction of a product counted in pieces (unit `pce`, `u`,
        `each`, …) is never right: 422 `whole_units_required` naming the item, and nothing is ordered. A product listed
        twice for the same supplier (two lines of it on one order) is refused too: 422 `duplicate_item` naming the SKU;
        the same product from two suppliers makes two orders."""
        orders = replenishment.create_orders(data["items"], suggested_at=data["suggested_at"], user_id=g.user.id)
        return [order_views.purchase_order(order.number) for order in orders]
