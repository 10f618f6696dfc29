"""Stock levels, the ledger, and the writes that correct or move stock outside an order flow."""
from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from server.api.common import Blueprint, CODE, Day, EventIn, Moment, Money, Number, PAGE, ROW_ID, page_of, stamp_of
from server.api.security import role
from server.models import MovementKind
from server.queries import stock as queries
from server.services import ledger

blp = Blueprint("stock", __name__, url_prefix="/api/v1", description="Stock levels and movements")


class LevelArgs(Schema):
    product = fields.String(load_default=None, validate=CODE, metadata={"description": "SKU"})
    location = fields.String(load_default=None, validate=CODE)
    include_empty = fields.Boolean(load_default=False)
    page = fields.Integer(load_default=1, validate=PAGE)
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class LevelOut(Schema):
    sku = fields.String()
    name = fields.String()
    location = fields.String()
    lot = fields.String()
    expiry = fields.Date(allow_none=True)
    qty = Number()


class MovementArgs(Schema):
    product = fields.String(load_default=None, validate=CODE, metadata={"description": "SKU"})
    since = Moment(load_default=None, metadata={"description": "Recorded at or after"})
    after_id = fields.Integer(load_default=None, validate=ROW_ID)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class MovementOut(Schema):
    id = fields.Integer()
    client_event_id = fields.String()
    kind = fields.String()
    kind_code = fields.Integer()
    sku = fields.String()
    qty = Number()
    from_location = fields.String(allow_none=True)
    to_location = fields.String(allow_none=True)
    lot = fields.String(allow_none=True)
    expiry = fields.Date(allow_none=True)
    unit_cost = Money()
    reason = fields.String(allow_none=True)
    reverses_id = fields.Integer(allow_none=True)
    po_line_id = fields.Integer(allow_none=True)
    so_line_id = fields.Integer(allow_none=True)
    occurred_at = fields.AwareDateTime()
    recorded_at = fields.AwareDateTime()
    user_id = fields.Integer(allow_none=True)
    device = fields.String(allow_none=True)


class MovementPage(Schema):
    items = fields.List(fields.Nested(MovementOut))
    next_after_id = fields.Integer(allow_none=True, metadata={"description": "Pass as after_id for more"})


class AdjustmentIn(EventIn):
    product = fields.String(required=True, validate=CODE, metadata={"description": "SKU"})
    location = fields.String(required=True, validate=CODE)
    qty = Number(required=True, metadata={"description": "Positive adds, negative removes"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))
    lot = fields.String(load_default="", validate=validate.Length(max=64))
    expiry = Day(load_default=None)
    unit_cost = Number(load_default=None, places=4, validate=validate.Range(min=0, max=10_000_000))


class TransferIn(EventIn):
    product = fields.String(required=True, validate=CODE)
    from_location = fields.String(required=True, validate=CODE)
    to_location = fields.String(required=True, validate=CODE)
    qty = Number(required=True)
    lot = fields.String(load_default="", validate=validate.Length(max=64))


class ReversalIn(EventIn):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


def _written(result):
    """201 for a new movement, 200 with the same body for a replay."""
    movement, created = result
    return queries.describe(movement), 201 if created else 200


@blp.route("/stock")
class Levels(MethodView):
    @blp.arguments(LevelArgs, location="query")
    @blp.response(200, page_of(LevelOut, "LevelPage"))
    def get(self, args):
        """On-hand stock per product, location and lot."""
        return queries.levels(args["product"], args["location"], args["include_empty"], args["page"],
                              args["per_page"])


@blp.route("/movements")
class Movements(MethodView):
    @blp.arguments(MovementArgs, location="query")
    @blp.response(200, MovementPage)
    def get(self, args):
        """The ledger, oldest first, by pages of ``limit`` after ``after_id``."""
        return queries.movements(args["product"], args["since"], args["after_id"], args["limit"])


@blp.route("/adjustments")
class Adjustments(MethodView):
    @role("supervisor")
    @blp.arguments(AdjustmentIn)
    @blp.response(201, MovementOut)
    @blp.alt_response(200, schema=MovementOut, description="Replay of a known client_event_id")
    def post(self, data):
        """Correct stock with a reason (positive adds, negative removes)."""
        return _written(ledger.adjust(stamp_of(data), sku=data["product"], location=data["location"],
                                      qty=data["qty"], reason=data["reason"], lot=data["lot"],
                                      expiry=data["expiry"], unit_cost=data["unit_cost"]))


@blp.route("/transfers")
class Transfers(MethodView):
    @blp.arguments(TransferIn)
    @blp.response(201, MovementOut)
    @blp.alt_response(200, schema=MovementOut, description="Replay of a known client_event_id")
    def post(self, data):
        """Move stock between two locations."""
        return _written(ledger.transfer(stamp_of(data), sku=data["product"], from_location=data["from_location"],
                                        to_location=data["to_location"], qty=data["qty"], lot=data["lot"],
                                        kind=MovementKind.TRANSFER))


@blp.route("/movements/<int(max=2147483647):movement_id>/reversal")
class Reversal(MethodView):
    @role("supervisor")
    @blp.arguments(ReversalIn)
    @blp.response(201, MovementOut)
    @blp.alt_response(200, schema=MovementOut, description="Replay of a known client_event_id")
    def post(self, data, movement_id):
        """Undo a movement with its mirror image."""
        return _written(ledger.reverse(stamp_of(data), movement_id=movement_id, reason=data["reason"]))
