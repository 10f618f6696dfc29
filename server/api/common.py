"""Pieces every resource shares: number fields, event fields, pagination, and the master-data views."""
from __future__ import annotations

from copy import copy
from decimal import Decimal

import flask_smorest
from flask import current_app, g
from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, missing, validate

from server.json_body import StrictParser
from server.api.security import role
from server.domain.days import EARLIEST, LATEST, OUT_OF_RANGE_EN as OUT_OF_RANGE
from server.domain.master import CONTROL_CHARACTERS, KEY_PATTERN, KEY_RULE_EN, PLAIN_TEXT_RULE_EN
from server.domain.movements import check_occurred_at
from server.models.base import utcnow
from server.queries.paging import paginate, search
from server.services import master
from server.services.stamp import Stamp

# Row ids and pages: beyond these no row exists (PostgreSQL's integer), and SQLite cannot even bind a number
# past 2**63. Route ids use the same bound: <int(max=2147483647):…>.
ROW_ID = validate.Range(min=0, max=2**31 - 1)
PAGE = validate.Range(min=1, max=1_000_000)
CODE = validate.Regexp(KEY_PATTERN, error=KEY_RULE_EN)  # the CSV imports keep the same (server/domain/master.py)


def plain_text(*, min: int = 0, max: int) -> validate.And:
    """A name or a unit: its length, and no control character (as the CSV imports refuse, so an export of what the
    API took imports back)."""
    return validate.And(validate.Length(min=min, max=max), _no_control_character)


def _no_control_character(value: str) -> None:
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError(PLAIN_TEXT_RULE_EN)


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint, with argument schemas made once: given a schema class, webargs builds a new
    instance for every request (~45 µs for a scan's, 2 % of the whole request). Bodies are read as strict JSON."""

    ARGUMENTS_PARSER = StrictParser()

    def arguments(self, schema, *args, **kwargs):
        return super().arguments(schema() if isinstance(schema, type) else schema, *args, **kwargs)


class Number(fields.Decimal):
    """Exact on the way in (Decimal), a plain JSON number on the way out."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_nan", False)
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        value = Decimal(value)
        return int(value) if value == value.to_integral_value() else float(value)


class Figure(fields.Float):
    """A computed float, rounded for the reader: sums of floats end in …00000000005 (453.20000000000005 €); six
    decimals keep every figure these answers give (days, units, rates, euros) and drop the noise."""

    def __init__(self, places: int = 6, **kwargs):
        self.places = places
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        value = super()._serialize(value, attr, obj, **kwargs)
        return None if value is None else round(value, self.places)


class Money(Number):
    """A cost or a price, in answers: null for an operator. What the company pays its suppliers and charges its
    customers is for the desk (the CSV exports and the valuation are refused to operators already)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_none", True)
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        user = getattr(g, "user", None)
        if user is not None and user.role == "operator":
            return None
        return super()._serialize(value, attr, obj, **kwargs)


# The times and days a warehouse can mean (server/domain/days.py: the CSV imports and the scans keep the same).


class Moment(fields.AwareDateTime):
    """A time with its zone, from 2000 to 2099."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Range(min=EARLIEST, max=LATEST, max_inclusive=False,
                                                     error=OUT_OF_RANGE))
        super().__init__(**kwargs)


class Day(fields.Date):
    """A day, from 2000-01-01 to 2099-12-31."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Range(min=EARLIEST.date(), max=LATEST.date(), max_inclusive=False,
                                                     error=OUT_OF_RANGE))
        super().__init__(**kwargs)


class EventIn(Schema):
    """Fields every write from a device carries, so replays are recognised and times are the device's."""
    client_event_id = fields.UUID(required=True, metadata={"description": "Made on the device; a replay with "
                                                           "the same id returns the first result."})
    occurred_at = Moment(required=True, metadata={"description": "Device time, with zone."})
    device = fields.String(validate=validate.Length(max=64), load_default=None)


def stamp_of(data: dict) -> Stamp:
    """The device's id and time (from an ``EventIn`` body) and the signed-in user; a time in the future is
    refused here for every write (an order event dated 2999 would block the order's receptions for good)."""
    check_occurred_at(data["occurred_at"], utcnow(), current_app.config["TENDU_CLOCK_SKEW_SECONDS"])
    return Stamp(str(data["client_event_id"]), data["occurred_at"], g.user.id, data["device"])


class PageArgs(Schema):
    q = fields.String(load_default=None, validate=validate.Length(max=100), metadata={
        "description": "Search text, anywhere in the code or the name; case ignored, and accents too for products, "
                       "suppliers and customers ('equerre' finds 'Équerre')"})
    active = fields.Boolean(load_default=None)
    page = fields.Integer(load_default=1, validate=PAGE)
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema)),
        "total": fields.Integer(),
        "page": fields.Integer(),
        "per_page": fields.Integer(),
    }, name=name)


def patch_of(schema: type[Schema], key: str) -> type[Schema]:
    """The PATCH twin of a create schema: every field optional and no defaults filled in."""
    declared = {}
    for name, field in schema._declared_fields.items():
        if name != key:
            declared[name] = copy(field)
            declared[name].required, declared[name].load_default = False, missing
    return Schema.from_dict(declared, name=schema.__name__.removesuffix("In") + "Patch")


def master_views(blp, model, *, out: type[Schema], create: type[Schema], search_columns, list_options=(),
                 service=None, list_args: type[Schema] = PageArgs, list_filter=None):
    """Register list/create/read/update/deactivate for a master-data model keyed by its business key.

    ``service`` (defaults to ``server.services.master``) supplies ``create``/``update`` so a resource
    with references to resolve (products: supplier, barcodes) keeps the same routes. ``list_args`` (a
    ``PageArgs`` with more filters) and ``list_filter(stmt, args) → stmt`` narrow the list.
    """
    service = service or master
    key = master.key_of(model)
    noun = model.__name__
    page_schema = page_of(out, f"{noun}Page")
    update = patch_of(create, key)

    class Collection(MethodView):
        @blp.arguments(list_args, location="query")
        @blp.response(200, page_schema)
        def get(self, args):
            """List, with search and pagination."""
            stmt = search(model, args["q"], args["active"], *search_columns(model)).options(*list_options)
            if list_filter is not None:
                stmt = list_filter(stmt, args)
            return paginate(stmt, args["page"], args["per_page"])

        @role("supervisor")
        @blp.arguments(create)
        @blp.response(201, out)
        def post(self, data):
            """Create."""
            return service.create(model, data)

    class Item(MethodView):
        @blp.response(200, out)
        def get(self, **kw):
            """Read one."""
            return master.get(model, kw[key])

        @role("supervisor")
        @blp.arguments(update)
        @blp.response(200, out)
        def patch(self, data, **kw):
            """Change some fields."""
            return service.update(model, kw[key], data)

        @role("supervisor")
        @blp.response(200, out)
        def delete(self, **kw):
            """Deactivate (the row stays: the ledger refers to it)."""
            return service.update(model, kw[key], {"active": False})

    Collection.__name__, Item.__name__ = f"{noun}Collection", f"{noun}Item"
    blp.route("")(Collection)
    blp.route(f"/<string:{key}>")(Item)
