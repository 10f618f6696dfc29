"""Measured lead times and supplier reliability: what the suppliers really do, next to what they promise."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from server.api.common import CODE
from server.domain import leadtime
from server.models import Product, Supplier
from server.models.base import utcnow
from server.queries import leadtimes
from server.services import master

blp = Blueprint("analytics", __name__, url_prefix="/api/v1/analytics", description="Lead times, suppliers, stock KPIs")


class Durations(Schema):
    n = fields.Integer()
    mean = fields.Float(allow_none=True)
    sd = fields.Float(allow_none=True)
    median = fields.Float(allow_none=True)
    mad = fields.Float(allow_none=True)
    madn = fields.Float(allow_none=True, metadata={"description": "1.4826 × MAD: a spread robust to outliers"})
    p50 = fields.Float(allow_none=True)
    p90 = fields.Float(allow_none=True)
    min = fields.Float(allow_none=True)
    max = fields.Float(allow_none=True)
    quantile_method = fields.String()


class Stages(Schema):
    order_delay = fields.Nested(Durations)
    supplier_delay = fields.Nested(Durations)
    transport_delay = fields.Nested(Durations)
    reception_delay = fields.Nested(Durations)


class Lateness(Schema):
    n = fields.Integer()
    mean = fields.Float(allow_none=True)
    p50 = fields.Float(allow_none=True)
    p90 = fields.Float(allow_none=True)
    max = fields.Float(allow_none=True)
    late_share = fields.Float(allow_none=True)
    mean_days_late_when_late = fields.Float(allow_none=True)


class Reliability(Schema):
    lines = fields.Integer()
    otif_lines = fields.Integer()
    otif = fields.Float(allow_none=True, metadata={"description": "On time AND in full at first receipt, per line"})
    on_time = fields.Float(allow_none=True)
    in_full = fields.Float(allow_none=True)
    fill_rate = fields.Float(allow_none=True, metadata={"description": "Units received / units ordered"})
    overdue_lines = fields.Integer()
    pending_lines = fields.Integer()
    lateness = fields.Nested(Lateness)


class SupplierPerformance(Schema):
    supplier = fields.String()
    name = fields.String()
    declared_days = fields.Float()
    lines = fields.Integer()
    lead_time = fields.Nested(Durations, metadata={"description": "Need detected → available, measured"})
    stages = fields.Nested(Stages)
    reliability = fields.Nested(Reliability, allow_none=True)


class Estimate(Schema):
    source = fields.String(metadata={"description": "measured, shrunk_to_supplier or declared"})
    mean = fields.Float()
    sd = fields.Float()
    p50 = fields.Float()
    p90 = fields.Float()
    n = fields.Integer()
    weight = fields.Float(metadata={"description": "Weight of the product's own receipts (1 = own data only)"})
    declared_days = fields.Float(allow_none=True)
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


class Filters(Schema):
    supplier = fields.String(load_default=None, validate=CODE)
    product = fields.String(load_default=None, validate=CODE, metadata={"description": "SKU"})
    since = fields.AwareDateTime(load_default=None)
    until = fields.AwareDateTime(load_default=None)


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
        return {"quantile_method": leadtime.QUANTILE_METHOD_NAME,
                "suppliers": leadtimes.supplier_summaries(histories, as_of=utcnow()),
                "products": leadtimes.product_estimates(histories)}


@blp.route("/suppliers")
class Suppliers(MethodView):
    @blp.arguments(Filters, location="query")
    @blp.response(200, SupplierPerformance(many=True))
    def get(self, args):
        """Each supplier's promise against its measured lead time, OTIF, fill rate and lateness."""
        return leadtimes.supplier_summaries(_histories(args), as_of=utcnow())
