"""Docks, zones and bins."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.api.common import Blueprint, CODE, master_views, plain_text
from server.models import LOCATION_KINDS, Location
from server.services import locations as service

blp = Blueprint("locations", __name__, url_prefix="/api/v1/locations", description="Locations")


class LocationIn(Schema):
    code = fields.String(required=True, validate=CODE)
    name = fields.String(load_default="", validate=plain_text(max=200))
    kind = fields.String(load_default="bin", validate=validate.OneOf(LOCATION_KINDS))
    parent = fields.String(load_default=None, allow_none=True, validate=CODE)
    walk_order = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000_000))
    active = fields.Boolean(load_default=True)


class LocationOut(LocationIn):
    id = fields.Integer()
    parent = fields.Function(lambda loc: loc.parent.code if loc.parent else None)


master_views(blp, Location, out=LocationOut, create=LocationIn,
             search_columns=lambda m: (m.code, m.name), service=service)
