"""Suppliers and customers."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.api.common import Blueprint, CODE, Money, Number, master_views
from server.models import Customer, Supplier

suppliers = Blueprint("suppliers", __name__, url_prefix="/api/v1/suppliers", description="Suppliers")
customers = Blueprint("customers", __name__, url_prefix="/api/v1/customers", description="Customers")


class PartnerIn(Schema):
    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=200))
    active = fields.Boolean(load_default=True)


class SupplierIn(PartnerIn):
    declared_lead_time_days = fields.Float(load_default=7.0, validate=validate.Range(min=0, max=365))
    review_period_days = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1, max=365),
        metadata={"description": "Ordered from every R days (periodic review, order up to S); null: reviewed daily "
                                 "against a reorder point"})
    ordering_cost = Number(
        load_default=None, allow_none=True, places=4, validate=validate.Range(min=0.01, max=1_000_000),
        metadata={"description": "What one purchase order costs (paperwork, fixed delivery charge), for the economic "
                                 "order quantity with TENDU_HOLDING_RATE × the unit cost; null: orders cover four "
                                 "weeks of demand"})


class SupplierOut(SupplierIn):
    id = fields.Integer()
    ordering_cost = Money(allow_none=True)


class CustomerOut(PartnerIn):
    id = fields.Integer()


def _partner_columns(model):
    return model.name, model.code


master_views(suppliers, Supplier, out=SupplierOut, create=SupplierIn, search_columns=_partner_columns)
master_views(customers, Customer, out=CustomerOut, create=PartnerIn, search_columns=_partner_columns)
