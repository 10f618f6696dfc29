"""Purchase orders and sales orders: create, follow their lifecycle, pick lists, short picks."""
from __future__ import annotations

from flask import g
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from server.api.common import Blueprint, CODE, Day, EventIn, Money, Number, PageArgs, ROW_ID, page_of, stamp_of
from server.api.security import require, role
from server.errors import language
from server.extensions import db
from server.models import PO_EVENTS, PurchaseOrder, SalesOrder
from server.queries import orders as queries
from server.queries.picking import pick_list
from server.services import purchasing, sales

purchase = Blueprint("purchase_orders", __name__, url_prefix="/api/v1/purchase-orders", description="Purchase orders")
selling = Blueprint("sales_orders", __name__, url_prefix="/api/v1/sales-orders", description="Sales orders")


class PoLineIn(Schema):
    product = fields.String(required=True, validate=CODE)
    qty = Number(required=True, validate=validate.Range(min=0.001, max=1_000_000))
    unit_cost = Number(load_default=None, places=4, validate=validate.Range(min=0, max=10_000_000))


class PoIn(Schema):
    client_event_id = fields.UUID(load_default=None, metadata={
        "description": "Made by the page (optional): a replay with the same id returns the first order, not a second"})
    supplier = fields.String(required=True, validate=CODE)
    lines = fields.List(fields.Nested(PoLineIn), required=True, validate=validate.Length(min=1, max=500))
    promised_date = Day(load_default=None)


class PromiseOut(Schema):
    date = fields.Date(metadata={"description": "The date to promise the customer for what is left to ship: a working "
                                                "day (TENDU_WORKING_DAYS)"})
    basis = fields.String(metadata={"description": "in_stock; next_arrival: open purchase orders bring all the line "
                                                 "lacks, after what orders placed before it wait for (a late one "
                                                 "counted from the next working day); else lead_time (the supplier's "
                                                 "p90, the explanation saying what is on order)"})
    days = fields.Integer(metadata={"description": "Calendar days from today to the date"})
    explanation = fields.Function(lambda p: p.explanation_fr if language() == "fr" else p.explanation_en)


class LineOut(Schema):
    line_id = fields.Integer()
    sku = fields.String()
    name = fields.String()
    ordered = Number()
    received = Number()
    reserved = Number()
    picked = Number()
    shipped = Number(metadata={"description": "Sales orders: gone to the customer, over one shipment or several"})
    short = Number()
    put_back = Number(metadata={"description": "Sales orders: picked, then taken back to stock when cancelled"})
    left = Number()
    unit_cost = Money()
    unit_price = Money()
    promise = fields.Nested(PromiseOut, allow_none=True, metadata={"description": "Sales orders, while open"})


class EventOut(Schema):
    kind = fields.String()
    line_id = fields.Integer(allow_none=True)
    occurred_at = fields.AwareDateTime()
    recorded_at = fields.AwareDateTime()
    out_of_order = fields.Boolean()
    promised_date = fields.Date(allow_none=True)
    note = fields.String(allow_none=True)
    device = fields.String(allow_none=True)


class OrderOut(Schema):
    number = fields.String()
    status = fields.String()
    supplier = fields.String()
    customer = fields.String()
    promised_date = fields.Date(allow_none=True)
    ordered_at = fields.AwareDateTime(allow_none=True, metadata={
        "description": "When the customer ordered; a purchase order: when it was placed with the supplier (its first "
                       "'ordered' event), null while it is a draft"})
    label = fields.String(metadata={"description": "Scan this to work on the order"})
    lines = fields.List(fields.Nested(LineOut))
    events = fields.List(fields.Nested(EventOut))


class OrderBrief(Schema):
    number = fields.String()
    status = fields.String()
    promised_date = fields.Date(allow_none=True)
    ordered_at = fields.AwareDateTime(allow_none=True, metadata={
        "description": "When the customer ordered; a purchase order: when it was placed with the supplier (its first "
                       "'ordered' event), null while it is a draft"})
    partner = fields.String(metadata={"description": "The supplier's or the customer's name"})
    lines = fields.Integer()
    left = Number(metadata={"description": "Units still to receive (purchase) or to pick (sales)"})
    lines_left = fields.Integer(metadata={"description": "Lines with units still to receive (purchase) or to pick "
                                                         "(sales): a purchase order's status is its furthest line's "
                                                         "step, 'put_away' while another line waits for its goods"})
    value = Money(metadata={"description": "What the lines come to as ordered, at their unit cost (purchase) or unit "
                                           "price (sales); null for an operator"})
    value_left = Money(metadata={"description": "The same for the units still to receive or to pick"})
    to_ship = Number(metadata={"description": "Sales orders: units picked and waiting in dispatch, what the next "
                                              "shipment takes"})
    label = fields.String(metadata={"description": "Scan this to work on the order"})


def _status_filter(model, open_means):
    # Checked by the query (an unknown one is refused in both languages); listed here for the API's documentation.
    return fields.String(load_default=None, validate=validate.Length(max=16), metadata={
        "enum": list(queries.STATUSES[model]), "description": f"'open': the orders still to work on, {open_means}"})


class OrderListArgs(PageArgs):
    oldest_first = fields.Boolean(load_default=False, metadata={
        "description": "Oldest first, as a queue of work is served (default: newest first)"})


class SoArgs(OrderListArgs):
    status = _status_filter(SalesOrder, "neither shipped, closed nor cancelled (a back-order is open)")


class PoArgs(OrderListArgs):
    status = _status_filter(PurchaseOrder, "placed and neither closed nor cancelled, with units still to receive or "
                                           "received but not yet put away")
    overdue_on = Day(load_default=None, metadata={
        "description": "Only orders promised before this day with a line not fully received"})


# Typed by hand: the paperwork and the truck at the dock. Received and put away come with the goods' own movements
# (the receive and put-away scans): typed alone they would time a reception that moved nothing.
TYPED_PO_EVENTS = tuple(k for k in PO_EVENTS if k not in ("received", "put_away"))
# What an operator at the dock may record; the rest is the buyer's (a promised date moves what is late).
DOCK_PO_EVENTS = ("arrived",)


class PoEventIn(EventIn):
    kind = fields.String(required=True, validate=validate.OneOf(TYPED_PO_EVENTS))
    line_id = fields.Integer(load_default=None, validate=ROW_ID)
    promised_date = Day(load_default=None)
    note = fields.String(load_default=None, validate=validate.Length(max=500))


class SoLineIn(Schema):
    product = fields.String(required=True, validate=CODE)
    qty = Number(required=True, validate=validate.Range(min=0.001, max=1_000_000))
    unit_price = Number(load_default=None, places=4, validate=validate.Range(min=0, max=10_000_000))


class SoIn(EventIn):
    customer = fields.String(required=True, validate=CODE)
    lines = fields.List(fields.Nested(SoLineIn), required=True, validate=validate.Length(min=1, max=500))
    requested_date = Day(load_default=None)


class SoEventIn(EventIn):
    kind = fields.String(required=True, validate=validate.OneOf(["packed"]))
    note = fields.String(load_default=None, validate=validate.Length(max=500))


class ShortIn(EventIn):
    qty = Number(required=True, validate=validate.Range(min=0.001, max=1_000_000))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class CloseIn(EventIn):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class CancelIn(CloseIn):
    put_back_to = fields.String(load_default=None, validate=CODE, metadata={
        "description": "The bin to put all picked goods back in; by default each goes back to the bin it was picked "
                       "from (required when that bin is no longer in use)"})


class Stop(Schema):
    line_id = fields.Integer()
    sku = fields.String()
    name = fields.String()
    bin = fields.String(allow_none=True, metadata={"description": "None: not on any shelf"})
    lot = fields.String(allow_none=True)
    expiry = fields.Date(allow_none=True)
    qty = Number()


class PickListOut(Schema):
    order = fields.String()
    lines = fields.List(fields.Nested(Stop))


def _list(model, args, *where):
    return queries.listing(model, *where, status=args["status"], q=args["q"], page=args["page"],
                           per_page=args["per_page"], oldest_first=args["oldest_first"])


@purchase.route("")
class PurchaseOrders(MethodView):
    @purchase.arguments(PoArgs, location="query")
    @purchase.response(200, page_of(OrderBrief, "PurchaseOrderPage"))
    def get(self, args):
        """Purchase orders, newest first; ?status=open: the ones still to receive or put away."""
        late = [queries.overdue(args["overdue_on"])] if args["overdue_on"] else []
        return _list(PurchaseOrder, args, *late)

    @role("supervisor")
    @purchase.arguments(PoIn)
    @purchase.response(201, OrderOut)
    @purchase.alt_response(200, schema=OrderOut, description="Replay of a known client_event_id")
    def post(self, data):
        """Create a purchase order (draft until its 'ordered' event)."""
        lines = [{"sku": ln["product"], "qty": ln["qty"], "unit_cost": ln["unit_cost"]} for ln in data["lines"]]
        if data["client_event_id"] is None:
            order = purchasing.create_order(supplier=data["supplier"], lines=lines, promised_date=data["promised_date"],
                                            user_id=g.user.id)
            return queries.purchase_order(order.number)
        order, created = purchasing.create_order_once(str(data["client_event_id"]), supplier=data["supplier"],
                                                      lines=lines, promised_date=data["promised_date"],
                                                      user_id=g.user.id)
        return queries.purchase_order(order.number), 201 if created else 200


@purchase.route("/<string:number>")
class PurchaseOrderItem(MethodView):
    @purchase.response(200, OrderOut)
    def get(self, number):
        """One purchase order with its lines (ordered and received) and its lifecycle events."""
        return queries.purchase_order(number)


@purchase.route("/<string:number>/events")
class PurchaseOrderEvents(MethodView):
    @purchase.arguments(PoEventIn)
    @purchase.response(201, EventOut)
    @purchase.alt_response(200, schema=EventOut, description="Replay of a known client_event_id")
    def post(self, data, number):
        """Record a lifecycle step (ordered, confirmed with promised date, shipped, arrived): supervisors; an operator
        only 'arrived'. 'received' and 'put_away' are recorded by the receipt and put-away themselves."""
        if data["kind"] not in DOCK_PO_EVENTS:
            require("supervisor")
        event, created = purchasing.record_event(stamp_of(data), number=number, kind=data["kind"],
                                                 line_id=data["line_id"], promised_date=data["promised_date"],
                                                 note=data["note"])
        return event, 201 if created else 200


@purchase.route("/<string:number>/close")
class ClosePurchaseOrder(MethodView):
    @role("supervisor")
    @purchase.arguments(CloseIn)
    @purchase.response(200, OrderOut)
    def post(self, data, number):
        """Nothing more will come: 'cancelled' if nothing was received, else 'closed'. What is left on its lines is
        no longer on order, so the replenishment plan sees the need again; received goods are still put away."""
        purchasing.close(stamp_of(data), number=number, reason=data["reason"])
        return queries.purchase_order(number)


@selling.route("")
class SalesOrders(MethodView):
    @selling.arguments(SoArgs, location="query")
    @selling.response(200, page_of(OrderBrief, "SalesOrderPage"))
    def get(self, args):
        """Sales orders, newest first; ?status=open: the ones still to pick or ship."""
        return _list(SalesOrder, args)

    @role("supervisor")
    @selling.arguments(SoIn)
    @selling.response(201, OrderOut)
    @selling.alt_response(200, schema=OrderOut, description="Replay of a known client_event_id")
    def post(self, data):
        """Take a customer's order: its time is when demand is measured; available stock is reserved."""
        lines = [{"sku": ln["product"], "qty": ln["qty"], "unit_price": ln["unit_price"]} for ln in data["lines"]]
        order, created = sales.create_order(stamp_of(data), customer=data["customer"], lines=lines,
                                            requested_date=data["requested_date"])
        return queries.sales_order(order.number), 201 if created else 200


@selling.route("/<string:number>")
class SalesOrderItem(MethodView):
    @selling.response(200, OrderOut)
    def get(self, number):
        """One sales order: per line ordered, reserved, picked, short and left to pick."""
        return queries.sales_order(number)


@selling.route("/<string:number>/pick-list")
class PickList(MethodView):
    @selling.response(200, PickListOut)
    def get(self, number):
        """Where to pick each line, in walking order, first expiry first; a cancelled order has none (409)."""
        order = sales.get_order(number)
        sales.refuse_if_cancelled(order, None)
        return {"order": order.number, "lines": pick_list(db.session, order)}


@selling.route("/<string:number>/events")
class SalesOrderEvents(MethodView):
    @selling.arguments(SoEventIn)
    @selling.response(201, EventOut)
    @selling.alt_response(200, schema=EventOut, description="Replay of a known client_event_id")
    def post(self, data, number):
        """Record a paper step such as 'packed'."""
        event, created = sales.record_event(stamp_of(data), number=number, kind=data["kind"], note=data["note"])
        return event, 201 if created else 200


@selling.route("/<string:number>/lines/<int(max=2147483647):line_id>/short")
class ShortPick(MethodView):
    @selling.arguments(ShortIn)
    @selling.response(200, OrderOut)
    def post(self, data, number, line_id):
        """The shelf is short: record what cannot be picked and release its reservation."""
        sales.short(stamp_of(data), number=number, line_id=line_id, qty=data["qty"], reason=data["reason"])
        return queries.sales_order(number)


@selling.route("/<string:number>/close")
class CloseBackOrder(MethodView):
    @role("supervisor")
    @selling.arguments(CloseIn)
    @selling.response(200, OrderOut)
    def post(self, data, number):
        """End the back-order of an order shipped in part: what is left to pick is recorded short with the reason,
        its reservations released, the order ends 'closed'. Refused (409) for an order not shipped in part
        (no_back_order: cancel it instead) or while units picked for it wait in dispatch (picked_waiting)."""
        sales.close_rest(stamp_of(data), number=number, reason=data["reason"])
        return queries.sales_order(number)


@selling.route("/<string:number>/cancel")
class CancelSalesOrder(MethodView):
    @role("supervisor")
    @selling.arguments(CancelIn)
    @selling.response(200, OrderOut)
    def post(self, data, number):
        """The customer withdraws the order, picked or not: what was picked goes back from dispatch to stock (each
        line's `put_back`), reservations are released, its demand no longer counts. A shipped or closed order is
        refused (409 order_closed), as one shipped in part (order_part_shipped: close its back-order instead)."""
        sales.cancel(stamp_of(data), number=number, reason=data["reason"], put_back_to=data["put_back_to"])
        return queries.sales_order(number)
