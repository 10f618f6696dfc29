"""Orders as people read them: lines with their running quantities, and the events."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import exists, func, literal, select

from server.domain.barcodes import make_label
from server.domain.errors import Invalid
from server.domain.lifecycle import PO_CHAIN, SO_CHAIN
from server.extensions import db
from server.models import (Customer, Movement, MovementKind, PurchaseOrder, PurchaseOrderEvent, PurchaseOrderLine,
                           SalesOrder, SalesOrderLine, Supplier)
from server import clock
from server.queries import promises
from server.queries.paging import Page, paginate
from server.queries.picking import picked_by_line, put_back_by_line, shipped_by_line
from server.services import purchasing, sales


# The statuses an order can be in, in the order of its life: a PO is a 'draft' until its first step, then an order
# is named after its furthest step, and ends 'closed' (POs only) or 'cancelled'. 'open' is not a status but the
# orders still to work on (``_still_open``).
STATUSES = {PurchaseOrder: ("open", "draft", *PO_CHAIN, *purchasing.FINISHED),
            SalesOrder: ("open", *SO_CHAIN, sales.PART_SHIPPED, "closed", "cancelled")}
# Per kind of order: its partner, its lines, the ledger's link to a line, the movement that works a line off, what
# else does (a sales line's shortage) and its label's kind.
_KIND = {PurchaseOrder: (Supplier, PurchaseOrder.supplier_id, PurchaseOrderLine, Movement.po_line_id,
                         MovementKind.RECEIPT, literal(0), PurchaseOrderLine.unit_cost, "purchase_order"),
         SalesOrder: (Customer, SalesOrder.customer_id, SalesOrderLine, Movement.so_line_id, MovementKind.PICK,
                      SalesOrderLine.qty_short, SalesOrderLine.unit_price, "sales_order")}


def listing(model, *where, status: str | None, q: str | None, page: int, per_page: int,
            oldest_first: bool = False) -> Page:
    """Orders of one kind, newest first (or oldest first: a work queue); an unknown status is refused, not
    answered with an empty list. Each carries its partner's name, its lines and the units left to receive
    (purchase) or to pick (sales)."""
    stmt = select(model).where(*where).order_by(model.id if oldest_first else model.id.desc())
    if status == "open":
        stmt = stmt.where(_still_open(model))
    elif status:
        stmt = stmt.where(model.status == _known_status(model, status))
    if q:
        stmt = stmt.where(model.number.ilike(f"%{q}%"))
    found = paginate(stmt, page, per_page)
    found.items = _briefs(model, found.items)
    return found


def _still_open(model):
    """A sales order is open until shipped or cancelled. A purchase order is open once placed (ordered, shipped,
    arrived, received or put away: its status is its furthest line's step) and until closed or cancelled, while
    goods are still to come or to put away: a line with units not yet received, or received but still at the dock.
    A 'put_away' order can still wait for a line; a 'received' one whose goods are all on the shelves is done."""
    if model is SalesOrder:
        return SalesOrder.status.in_(sales.OPEN)
    received = received_on_line()
    put_away = (select(func.coalesce(func.sum(Movement.qty), 0))
                .where(Movement.po_line_id == PurchaseOrderLine.id, Movement.kind == int(MovementKind.PUT_AWAY))
                .scalar_subquery())
    work = exists().where(PurchaseOrderLine.order_id == PurchaseOrder.id,
                          (PurchaseOrderLine.qty_ordered > received) | (received > put_away))
    return PurchaseOrder.status.in_(PO_CHAIN[1:]) & work


def _briefs(model, orders: list) -> list[dict]:
    """One page's orders with their partner's name, lines count, units left and lines with units left, and their
    value (ordered and left, at the lines' cost or price): three queries for the page (four for purchase orders:
    when each was placed)."""
    partner, partner_id, line, link, kind, short, price, label = _KIND[model]
    ids = [o.id for o in orders]
    done = dict(db.session.execute(select(link, func.sum(Movement.qty)).join(line, line.id == link)
                                   .where(line.order_id.in_(ids), Movement.kind == int(kind)).group_by(link)).all())
    lines, left, lines_left = defaultdict(int), defaultdict(Decimal), defaultdict(int)
    value, value_left = defaultdict(Decimal), defaultdict(Decimal)
    for line_id, order_id, ordered, shorted, each in db.session.execute(
            select(line.id, line.order_id, line.qty_ordered, short, price).where(line.order_id.in_(ids))):
        lines[order_id] += 1
        still = max(Decimal(0), ordered - done.get(line_id, 0) - shorted)
        left[order_id] += still
        lines_left[order_id] += still > 0
        value[order_id] += ordered * (each or 0)
        value_left[order_id] += still * (each or 0)
    names = dict(db.session.execute(select(model.id, partner.name).join(partner, partner.id == partner_id)
                                    .where(model.id.in_(ids))).all())
    waiting = _in_dispatch(ids) if model is SalesOrder else {}
    placed = _placed_at(ids) if model is PurchaseOrder else {o.id: o.ordered_at for o in orders}
    return [{"number": o.number, "status": o.status, "promised_date": getattr(o, "promised_date", None),
             "ordered_at": placed.get(o.id), "partner": names[o.id], "lines": lines[o.id],
             "left": left[o.id], "lines_left": lines_left[o.id], "value": value[o.id], "value_left": value_left[o.id],
             "label": make_label(label, o.number),
             **({"to_ship": waiting.get(o.id, Decimal(0))} if model is SalesOrder else {})} for o in orders]


def _in_dispatch(order_ids: list[int]) -> dict[int, Decimal]:
    """Units picked for each sales order and not yet shipped (nor put back): what its next shipment takes."""
    out: dict[int, Decimal] = defaultdict(Decimal)
    for order_id, kind, qty in db.session.execute(
            select(SalesOrderLine.order_id, Movement.kind, func.sum(Movement.qty))
            .join(SalesOrderLine, SalesOrderLine.id == Movement.so_line_id)
            .where(SalesOrderLine.order_id.in_(order_ids),
                   Movement.kind.in_([int(k) for k in sales.IN_DISPATCH_SIGN]))
            .group_by(SalesOrderLine.order_id, Movement.kind)):
        out[order_id] += sales.IN_DISPATCH_SIGN[MovementKind(kind)] * qty
    return out


def _placed_at(order_ids: list[int]) -> dict:
    """When each purchase order was placed: its first 'ordered' event (none for a draft). Read from the events'
    summary index."""
    return dict(db.session.execute(
        select(PurchaseOrderEvent.order_id, func.min(PurchaseOrderEvent.occurred_at))
        .where(PurchaseOrderEvent.order_id.in_(order_ids), PurchaseOrderEvent.kind == "ordered")
        .group_by(PurchaseOrderEvent.order_id)).all())


def _known_status(model, status: str) -> str:
    allowed = STATUSES[model]
    if status not in allowed:
        raise Invalid("unknown_status", f"No order is in status {status!r}: choose one of {', '.join(allowed)}.",
                      f"Aucune commande n'a l'état « {status} » : choisissez parmi {', '.join(allowed)}.",
                      field="status", details={"allowed": list(allowed)})
    return status


def _events(order) -> list:
    return list(order.events)


def received_on_line():
    """Units received so far on the purchase-order line of the enclosing query (a correlated subquery)."""
    return (select(func.coalesce(func.sum(Movement.qty), 0))
            .where(Movement.po_line_id == PurchaseOrderLine.id, Movement.kind == int(MovementKind.RECEIPT))
            .scalar_subquery())


def overdue(promised_before: date):
    """Placed purchase orders promised before a day with at least one line not yet fully received. The order's
    status cannot tell: it is the furthest step of any line, so a first carton received marks it 'received'."""
    waiting = exists().where(PurchaseOrderLine.order_id == PurchaseOrder.id,
                             PurchaseOrderLine.qty_ordered > received_on_line())
    return (PurchaseOrder.promised_date < promised_before) & PurchaseOrder.status.in_(PO_CHAIN[1:]) & waiting


def purchase_order(number: str) -> dict:
    order = purchasing.get_order(number)
    received = purchasing.received_by_line(db.session, order)
    return {"number": order.number, "status": order.status, "promised_date": order.promised_date,
            "ordered_at": _placed_at([order.id]).get(order.id),
            "supplier": db.session.get(Supplier, order.supplier_id).code,
            "label": make_label("purchase_order", order.number), "events": _events(order),
            "lines": [{"line_id": ln.id, "sku": ln.product.sku, "name": ln.product.name, "ordered": ln.qty_ordered,
                       "received": received[ln.id], "left": max(Decimal(0), ln.qty_ordered - received[ln.id]),
                       "unit_cost": ln.unit_cost} for ln in order.lines]}


def sales_order(number: str) -> dict:
    order = sales.get_order(number)
    picked, put_back = picked_by_line(db.session, order), put_back_by_line(db.session, order)
    shipped = shipped_by_line(db.session, order)
    today = clock.today()
    handling = None if order.status in sales.ENDED else promises.handling_days(today)

    def promise(line):  # (nothing to promise once the order is closed)
        left = line.qty_ordered - picked[line.id] - line.qty_short
        return None if handling is None else promises.line_promise(line.product, left, line.qty_reserved, today,
                                                                   handling, line)
    return {"number": order.number, "status": order.status, "ordered_at": order.ordered_at,
            "customer": db.session.get(Customer, order.customer_id).code,
            "label": make_label("sales_order", order.number), "events": _events(order),
            "lines": [{"line_id": ln.id, "sku": ln.product.sku, "name": ln.product.name, "ordered": ln.qty_ordered,
                       "reserved": ln.qty_reserved, "picked": picked[ln.id], "shipped": shipped[ln.id],
                       "short": ln.qty_short,
                       "put_back": put_back[ln.id], "left": ln.qty_ordered - picked[ln.id] - ln.qty_short,
                       "unit_price": ln.unit_price, "promise": promise(ln)}
                      for ln in order.lines]}
