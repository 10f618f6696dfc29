"""Suppliers and customers. Their fields' rules are server/domain/master.py's, which the CSV imports keep too."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.api.common import Blueprint, CODE, Money, Number, master_views, plain_text
from server.domain import master as rules
from server.models import Customer, Supplier

suppliers = Blueprint("suppliers", __name__, url_prefix="/api/v1/suppliers", description="Suppliers")
customers = Blueprint("customers", __name__, url_prefix="/api/v1/customers", description="Customers")


def _range(bounds):
    return validate.Range(min=bounds[0], max=bounds[1])


class PartnerIn(Schema):
    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=plain_text(min=1, max=rules.NAME_MAX))
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=rules.EMAIL_MAX))
    active = fields.Boolean(load_default=True)


class SupplierIn(PartnerIn):
    declared_lead_time_days = fields.Float(load_default=rules.DEFAULT_LEAD_TIME_DAYS,
                                           validate=_range(rules.LEAD_TIME_DAYS))
    review_period_days = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=_range(rules.REVIEW_PERIOD_DAYS),
        metadata={"description": "Ordered from every R days (periodic review, order up to S); null: reviewed daily "
                                 "against a reorder point"})
    ordering_cost = Number(
        load_default=None, allow_none=True, places=rules.ORDERING_COST_PLACES, validate=_range(rules.ORDERING_COST),
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
