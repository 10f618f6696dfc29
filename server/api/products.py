"""Products with their barcodes."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy.orm import joinedload, selectinload

from server.api.common import Blueprint, CODE, Money, Number, PageArgs, master_views, plain_text
from server.domain import master as rules
from server.domain.classify import PULL, PUSH
from server.domain.movements import MAX_QTY
from server.models import Product, Supplier
from server.services import catalog
from server.services.codes import code_warnings

MAX_LEVEL = float(MAX_QTY) * 1000  # a stock level or an order: far past any one movement, still a number

def _range(bounds):
    return validate.Range(min=bounds[0], max=bounds[1])


blp = Blueprint("products", __name__, url_prefix="/api/v1/products", description="Products and barcodes")


class BarcodeIn(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=128))
    pack_qty = Number(load_default=1, validate=_range(rules.PACK))


TARGET = validate.Range(min=0.5, max=0.9999)     # below one cycle in two is not a target; 1 is no finite stock


class PolicyOverrides(Schema):
    """What the buyer forces over the computed policy (domain.policy.OVERRIDABLE); a key left out stays computed.
    Checked here, when it is saved: a bad value stored would break the plan of every product."""
    mode = fields.String(validate=validate.OneOf([PUSH, PULL]))
    order_quantity = fields.Float(validate=validate.Range(min=0, min_inclusive=False, max=MAX_LEVEL))
    safety_stock = fields.Float(validate=validate.Range(min=0, max=MAX_LEVEL))
    reorder_point = fields.Float(validate=validate.Range(min=0, max=MAX_LEVEL))
    order_up_to = fields.Float(validate=validate.Range(min=0, max=MAX_LEVEL))
    demand_mean = fields.Float(validate=validate.Range(min=0, max=MAX_LEVEL),
                               metadata={"description": "units a day, in place of the forecast"})
    lead_time_mean = fields.Float(validate=validate.Range(min=0, min_inclusive=False, max=730),
                                  metadata={"description": "days, in place of the measured lead time"})
    lead_time_sd = fields.Float(validate=validate.Range(min=0, max=365), metadata={"description": "days"})
    fill_rate_target = fields.Float(validate=TARGET, metadata={"description": "β, share of demand served from stock"})
    cycle_service_target = fields.Float(validate=TARGET, metadata={"description": "share of cycles without a shortage"})

    @validates_schema
    def one_target(self, data, **kwargs):
        if "fill_rate_target" in data and "cycle_service_target" in data:
            raise ValidationError("Force a fill-rate target or a cycle service level, not both.",
                                  "cycle_service_target")


class ProductIn(Schema):
    sku = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=plain_text(min=1, max=rules.NAME_MAX))
    unit = fields.String(load_default="pce", validate=plain_text(min=1, max=rules.UNIT_MAX))
    unit_cost = Number(load_default=0, places=rules.UNIT_COST_PLACES, validate=_range(rules.UNIT_COST))
    active = fields.Boolean(load_default=True)
    critical = fields.Boolean(load_default=False)
    supplier = fields.String(load_default=None, allow_none=True, validate=CODE)
    moq = Number(load_default=0, validate=_range(rules.MOQ))
    pack_multiple = Number(load_default=1, validate=_range(rules.PACK))
    policy_overrides = fields.Nested(PolicyOverrides, load_default=dict)
    barcodes = fields.List(fields.Nested(BarcodeIn), load_default=list, validate=validate.Length(max=50))


class BarcodeOut(BarcodeIn):
    warnings = fields.Function(lambda b: list(code_warnings(b.code)), metadata={
        "description": "not_a_gtin: digits whose GS1 check digit is wrong, kept as the company's own code (check it "
                       "is not a mistyped EAN)"})


class ProductOut(ProductIn):
    id = fields.Integer()
    barcodes = fields.List(fields.Nested(BarcodeOut))
    unit_cost = Money()
    policy_overrides = fields.Dict()  # as stored
    supplier = fields.Function(lambda p: p.supplier.code if p.supplier else None)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class ProductPageArgs(PageArgs):
    supplier = fields.String(load_default=None, validate=CODE,
                             metadata={"description": "Only the products bought from this supplier (its code)"})


def _of_supplier(stmt, args):
    return stmt.where(Product.supplier.has(Supplier.code == args["supplier"])) if args["supplier"] else stmt


master_views(blp, Product, out=ProductOut, create=ProductIn,
             search_columns=lambda m: (m.sku, m.name),
             list_options=(selectinload(Product.barcodes), joinedload(Product.supplier)), service=catalog,
             list_args=ProductPageArgs, list_filter=_of_supplier)
