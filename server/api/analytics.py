"""Measured lead times and supplier reliability, stock value, flows and stock health."""
from __future__ import annotations

from datetime import date, timedelta

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from server.api.common import PAGE, Blueprint, CODE, Day, Figure, Moment, Number
from server.api.security import role
from server.domain import leadtime
from server.domain.errors import Invalid
from server.models import Product, Supplier
from server import clock
from server.models.base import utcnow
from server.queries import leadtimes, stock_overview, valuation
from server.services import master

blp = Blueprint("analytics", __name__, url_prefix="/api/v1/analytics", description="Lead times, suppliers, stock KPIs")


class Durations(Schema):
    n = fields.Integer()
    mean = Figure(allow_none=True)
    sd = Figure(allow_none=True)
    median = Figure(allow_none=True)
    mad = Figure(allow_none=True)
    madn = Figure(allow_none=True, metadata={"description": "1.4826 × MAD: a spread robust to outliers"})
    p50 = Figure(allow_none=True)
    p90 = Figure(allow_none=True)
    min = Figure(allow_none=True)
    max = Figure(allow_none=True)
    quantile_method = fields.String()


class Stages(Schema):
    order_delay = fields.Nested(Durations)
    supplier_delay = fields.Nested(Durations)
    transport_delay = fields.Nested(Durations)
    reception_delay = fields.Nested(Durations)


class Lateness(Schema):
    n = fields.Integer()
    mean = Figure(allow_none=True)
    p50 = Figure(allow_none=True)
    p90 = Figure(allow_none=True)
    max = Figure(allow_none=True)
    late_share = Figure(allow_none=True)
    mean_days_late_when_late = Figure(allow_none=True)


class Reliability(Schema):
    lines = fields.Integer()
    otif_lines = fields.Integer()
    otif = Figure(allow_none=True, metadata={"description": "On time AND in full at first receipt, per line"})
    on_time = Figure(allow_none=True)
    in_full = Figure(allow_none=True)
    fill_rate = Figure(allow_none=True, metadata={"description": "Units received / units ordered"})
    overdue_lines = fields.Integer()
    pending_lines = fields.Integer()
    lateness = fields.Nested(Lateness)


class SupplierPerformance(Schema):
    supplier = fields.String()
    name = fields.String()
    declared_days = Figure()
    lines = fields.Integer()
    lead_time = fields.Nested(Durations, metadata={"description": "Need detected → available, measured: the lead "
                                                                 "time the plan uses"})
    delivery = fields.Nested(Durations, metadata={"description": "Order sent → at the dock (received when no "
                                                                "arrival was scanned): what declared_days promises"})
    stages = fields.Nested(Stages)
    reliability = fields.Nested(Reliability, allow_none=True)


class Estimate(Schema):
    source = fields.String(metadata={"description": "measured (the product's own receipts), shrunk_to_supplier (a few, "
                                                    "blended with the supplier's pool), supplier_pool (none yet: the "
                                                    "supplier's measured pool) or declared (nothing measured: "
                                                    "the supplier's word)"})
    mean = Figure()
    sd = Figure()
    p50 = Figure()
    p90 = Figure()
    n = fields.Integer()
    weight = Figure(metadata={"description": "Weight of the product's own receipts (1 = own data only)"})
    declared_days = Figure(allow_none=True)
    note_en = fields.String()
    note_fr = fields.String()


class ProductEstimate(Schema):
    sku = fields.String()
    supplier = fields.String()
    estimate = fields.Nested(Estimate)


class LeadTimesOut(Schema):
    quantile_method = fields.String()
    suppliers = fields.List(fields.Nested(SupplierPerformance))
    products = fields.List(fields.Nested(ProductEstimate))


StageDays = Schema.from_dict({stage: Figure(allow_none=True) for stage in leadtime.STAGES}, name="StageDays")


class LineMeasured(Schema):
    po = fields.String()
    line_id = fields.Integer()
    sku = fields.String()
    name = fields.String()
    ordered = Figure()
    received = Figure()
    promised = fields.Date(allow_none=True)
    need_detected = fields.AwareDateTime(allow_none=True)
    available = fields.AwareDateTime(allow_none=True, metadata={"description": "First put-away, else first receipt"})
    stages = fields.Nested(StageDays, metadata={"description": "Days; None where a bounding step is missing"})
    total = Figure(allow_none=True, metadata={"description": "Need detected → available, days"})


class Filters(Schema):
    supplier = fields.String(load_default=None, validate=CODE)
    product = fields.String(load_default=None, validate=CODE, metadata={"description": "SKU"})
    since = Moment(load_default=None)
    until = Moment(load_default=None)


def _histories(args):
    supplier = master.get(Supplier, args["supplier"]) if args["supplier"] else None
    product = master.get(Product, args["product"]) if args["product"] else None
    return leadtimes.line_histories(supplier_id=supplier.id if supplier else None,
                                    product_id=product.id if product else None,
                                    since=args["since"], until=args["until"])


@blp.route("/lead-times")
class LeadTimes(MethodView):
    @blp.arguments(Filters, location="query")
    @blp.response(200, LeadTimesOut)
    def get(self, args):
        """Lead times measured from events: per supplier (total and each stage) and per product (to plan with)."""
        histories = _histories(args)
        # Products never bought from their supplier are planned on its pool: listed too. One product's lines are
        # not its supplier's pool: the pools are measured on every line of the period then.
        supplier = master.get(Supplier, args["supplier"]) if args["supplier"] else None
        product = master.get(Product, args["product"]) if args["product"] else None
        planned = leadtimes.planned_products(supplier.id if supplier else None, product.id if product else None)
        pools = leadtimes.line_histories(since=args["since"], until=args["until"]) if product else None
        return {"quantile_method": leadtime.QUANTILE_METHOD_NAME,
                "suppliers": leadtimes.supplier_summaries(histories, as_of=utcnow()),
                "products": leadtimes.product_estimates(histories, planned, pools)}


class LineFilters(Filters):
    limit = fields.Integer(load_default=1000, validate=validate.Range(min=1, max=5000),
                           metadata={"description": "The latest lines (by availability, else order time)"})


@blp.route("/lead-times/lines")
class LeadTimeLines(MethodView):
    @blp.arguments(LineFilters, location="query")
    @blp.response(200, LineMeasured(many=True))
    def get(self, args):
        """Each purchase-order line as measured: the steps and the four stages behind every lead-time figure."""
        return leadtimes.line_rows(_histories(args), args["limit"])


@blp.route("/suppliers")
class Suppliers(MethodView):
    @blp.arguments(Filters, location="query")
    @blp.response(200, SupplierPerformance(many=True))
    def get(self, args):
        """Each supplier's promise against its measured lead time, OTIF, fill rate and lateness."""
        return leadtimes.supplier_summaries(_histories(args), as_of=utcnow())


class PeriodArgs(Schema):
    since = Day(load_default=None, metadata={"description": "Default: a year before until"})
    until = Day(load_default=None, metadata={"description": "Exclusive; default: tomorrow (today included)"})
    product = fields.String(load_default=None, validate=CODE, metadata={"description": "SKU"})
    bucket = fields.String(load_default="week", validate=validate.OneOf(["week", "month"]))


class AtArgs(Schema):
    at = Day(load_default=None, metadata={"description": "Value at the end of this day (default today)"})


class ValuedProduct(Schema):
    sku = fields.String()
    name = fields.String()
    qty = Figure()
    wac = Figure(allow_none=True)
    value = Figure()


class ValuationOut(Schema):
    at = fields.Date()
    value = Figure()
    products = fields.List(fields.Nested(ValuedProduct))


class ValuePoint(Schema):
    at = fields.Date(metadata={"description": "Last day of the week or month (or of the period)"})
    value = Figure(metadata={"description": "Stock value at the end of that day"})


class Flow(Schema):
    period = fields.Date(metadata={"description": "First day of the week (Monday) or month"})
    in_qty = Figure(metadata={"description": "Received, or opening stock"})
    in_value = Figure()
    out_qty = Figure(metadata={"description": "Shipped to customers"})
    out_value = Figure(metadata={"description": "At weighted average cost: the cost of goods sold"})
    adjusted_qty = Figure(metadata={"description": "Found (+) or written off (−) by counts and adjustments, "
                                                         "and their reversals: in − out + adjusted = the change "
                                                         "on hand"})
    adjusted_value = Figure(metadata={"description": "The same at weighted average cost"})


class ProductKpis(Schema):
    sku = fields.String()
    name = fields.String()
    on_hand = Figure()
    wac = Figure(allow_none=True)
    value = Figure()
    cogs = Figure(metadata={"description": "Cost of what was shipped in the period"})
    adjusted_qty = Figure(metadata={"description": "Found (+) or written off (−) by counts and adjustments in "
                                                         "the period: not usage"})
    adjusted_value = Figure()
    average_value = Figure()
    turnover = Figure(allow_none=True, metadata={"description": "Times a year (see the stock overview's)"})
    coverage_days = Figure(allow_none=True, metadata={"description": "On hand ÷ units shipped a day over the "
                                                                          "period; None: stock and nothing shipped"})
    days_since_outflow = Figure(allow_none=True, metadata={"description": "Days since the last shipment"})
    dormant = fields.Boolean()
    stockouts = fields.Integer(metadata={"description": "Stock-outs over the period, from the product's first "
                                                        "receipt (see the stock overview's)"})
    stockout_days = fields.Integer()
    longest_stockout = fields.Integer()
    out_of_stock_now = fields.Boolean()


class KpisOut(Schema):
    since = fields.Date()
    until = fields.Date()
    stock_value = Figure()
    cogs = Figure()
    adjusted_value = Figure(metadata={"description": "Found (+) or written off (−) by counts and "
                                                           "adjustments in the period, at weighted average cost"})
    turnover = Figure(allow_none=True, metadata={"description": "Times a year (see the stock overview's)"})
    dormant = fields.Integer()
    dormant_days = fields.Integer(metadata={"description": "The rule: on hand, nothing shipped for this many days "
                                                           "or more (since its first receipt when never shipped)"})
    dormant_value = Figure()
    out_of_stock_now = fields.Integer()
    stockouts = fields.Integer()
    products = fields.List(fields.Nested(ProductKpis))


def _period(args) -> tuple[date, date]:
    """The period asked for (by default the year to today, from the ledger's first day if that is later), its
    product checked to exist."""
    if args["product"]:
        master.get(Product, args["product"])
    until = args["until"] or clock.today() + timedelta(days=1)
    since = args["since"] or valuation.ledger_period(until - timedelta(days=1))[0]
    if since >= until:
        raise Invalid("empty_period", "'since' must come before 'until'.", "« since » doit précéder « until ».",
                      field="since")
    if (until - since).days > 3660:
        raise Invalid("period_too_long", "At most ten years at a time.", "Dix ans au plus à la fois.", field="since")
    return since, until


@blp.route("/valuation")
class Valuation(MethodView):
    @role("supervisor")
    @blp.arguments(AtArgs, location="query")
    @blp.response(200, ValuationOut)
    def get(self, args):
        """Stock value at weighted average cost, now or at the end of a past day (a day after today: 422
        ``future_day``; days end at the company's midnight, ``TENDU_TIMEZONE``)."""
        today = clock.today()
        if args["at"] and args["at"] > today:
            # (it used to answer today's value for any later day: a figure nobody can know yet, given as known)
            raise Invalid("future_day", f"{args['at']:%d %b %Y} is after today ({today:%d %b %Y}): its value is "
                          "not known yet.",
                          f"Le {args['at']:%d/%m/%Y} est après aujourd'hui ({today:%d/%m/%Y}) : sa valeur n'est pas "
                          "encore connue.", field="at")
        return valuation.valuation(args["at"] or today)


@blp.route("/valuation/history")
class ValuationHistory(MethodView):
    @role("supervisor")
    @blp.arguments(PeriodArgs, location="query")
    @blp.response(200, ValuePoint(many=True))
    def get(self, args):
        """Stock value at the end of each week or month of the period, in one pass over the ledger."""
        since, until = _period(args)
        return valuation.value_history(since, until, args["bucket"], args["product"])


@blp.route("/flows")
class Flows(MethodView):
    @role("supervisor")
    @blp.arguments(PeriodArgs, location="query")
    @blp.response(200, Flow(many=True))
    def get(self, args):
        """Units and value in and out per week or month."""
        since, until = _period(args)
        return valuation.flows(since, until, args["bucket"], args["product"])


@blp.route("/kpis")
class Kpis(MethodView):
    @role("supervisor")
    @blp.arguments(PeriodArgs, location="query")
    @blp.response(200, KpisOut)
    def get(self, args):
        """Per product and in total: value, turnover, days of cover, dormant stock, stock-outs."""
        since, until = _period(args)
        return valuation.kpis(since, until, args["product"])


_ONLY_HELP = {"out_of_stock": "nothing left in the warehouse now (as the dashboard counts it)",
              "dormant": f"on hand, nothing shipped for {valuation.DORMANT_DAYS} days or more",
              "on_order": "some still to receive",
              "over_reserved": "more reserved than on hand: available below zero",
              "critical": "products marked critical"}


class StockArgs(Schema):
    q = fields.String(load_default=None, validate=validate.Length(max=100),
                      metadata={"description": "Part of the SKU or of the name, in any case, accents or not"})
    supplier = fields.String(load_default=None, validate=CODE, metadata={"description": "A supplier's code: its "
                                                                                       "products only (404 if none)"})
    only = fields.String(load_default=None, validate=validate.OneOf(list(stock_overview.ONLY)), metadata={
        "description": "; ".join(f"{key}: {words}" for key, words in _ONLY_HELP.items())})
    sort = fields.String(load_default="-value", validate=validate.OneOf(
        [f"{sign}{column}" for column in stock_overview.SORTABLE for sign in ("", "-")]), metadata={
        "description": "A column, '-' first for descending (then by SKU; figures that cannot be told last)"})
    page = fields.Integer(load_default=1, validate=PAGE)
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class StockRow(Schema):
    sku = fields.String()
    name = fields.String()
    unit = fields.String()
    critical = fields.Boolean()
    supplier = fields.String(allow_none=True, metadata={"description": "The supplier's code"})
    supplier_name = fields.String(allow_none=True)
    on_hand = Number(metadata={"description": "On the shelves and at the dock, not what is picked and waiting in "
                                              "dispatch (as the replenishment list counts it)"})
    reserved = Number(metadata={"description": "Reserved by open customer orders"})
    available = Number(metadata={"description": "On hand − reserved (below zero: more reserved than on hand)"})
    on_order = Number(metadata={"description": "Left to receive on open purchase-order lines"})
    in_dispatch = Number(metadata={"description": "Picked, waiting to be shipped: not on hand, still in the value"})
    wac = Figure(allow_none=True, metadata={"description": "Weighted average cost"})
    value = Figure(metadata={"description": "Everything still owned (dispatch included) at that cost"})
    turnover = Figure(allow_none=True, metadata={"description": "Times a year: cost of goods sold ÷ average value "
                                                                      "over the period, × 365 / its days (none "
                                                                      "under 28 days)"})
    coverage_days = Figure(allow_none=True, metadata={"description": "Stock owned ÷ units shipped a day over "
                                                                           "the period; None: stock, nothing shipped"})
    days_since_outflow = Figure(allow_none=True, metadata={"description": "Days since the last shipment"})
    dormant = fields.Boolean()
    stockouts = fields.Integer(metadata={"description": "Stock-outs over the period, from the product's first "
                                                        "receipt: before it, not yet stocked is not out of stock"})
    stockout_days = fields.Integer(metadata={"description": "Days out of stock over the period, from the product's "
                                                            "first receipt (a new product's wait is not counted)"})
    out_of_stock_now = fields.Boolean()


class StockTotals(Schema):
    count = fields.Integer(metadata={"description": "Products matching, over every page"})
    value = Figure(metadata={"description": "Their value, over every page"})


class StockOut(Schema):
    items = fields.List(fields.Nested(StockRow))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    totals = fields.Nested(StockTotals)
    since = fields.Date(metadata={"description": "The period of the health figures: a year to today, from the "
                                                 "ledger's first day when it is younger"})
    until = fields.Date(metadata={"description": "Exclusive"})


@blp.route("/stock")
class StockOverview(MethodView):
    @role("supervisor")
    @blp.arguments(StockArgs, location="query")
    @blp.response(200, StockOut)
    def get(self, args):
        """Every active product: on hand, reserved, available, on order, its value and health (cover, stock-outs,
        turnover over the last year, or since the ledger's first day; dormant), searched, filtered, sorted and
        paged."""
        supplier = master.get(Supplier, args["supplier"]) if args["supplier"] else None
        found = stock_overview.overview(clock.today(), q=args["q"], supplier_id=supplier.id if supplier else None,
                                        only=args["only"], sort=args["sort"])
        rows, page, per_page = found["rows"], args["page"], args["per_page"]
        return {"items": rows[(page - 1) * per_page:page * per_page], "total": len(rows), "page": page,
                "per_page": per_page, "totals": {"count": len(rows), "value": found["value"]},
                "since": found["since"], "until": found["until"]}
