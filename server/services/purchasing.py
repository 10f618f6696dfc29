"""Purchase orders: create, record their lifecycle, receive at the dock, put away into bins."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from server.database import write_transaction
from server.domain.errors import Invalid, NotFound
from server.domain.lifecycle import check_event, stage_reached
from server.domain.movements import check_quantity
from server.extensions import db
from server.models import (Location, Movement, MovementKind, Product, PurchaseOrder, PurchaseOrderEvent,
                           PurchaseOrderLine, Supplier)
from server.models.base import utcnow
from server.services import ledger, master
from server.services.idempotency import once


def create_order(*, supplier: str, lines: list[dict], promised_date: date | None = None,
                 user_id: int | None = None) -> PurchaseOrder:
    if not lines:
        raise Invalid("no_lines", "An order needs at least one line.", "Une commande a au moins une ligne.",
                      field="lines")
    with write_transaction() as s:
        vendor = master.get(Supplier, supplier, s)
        order = PurchaseOrder(number=f"tmp-{uuid.uuid4()}", supplier_id=vendor.id, promised_date=promised_date,
                              created_by_id=user_id)
        for line in lines:
            product = master.get(Product, line["sku"], s)
            qty = check_quantity(Decimal(line["qty"]), field="lines.qty")
            cost = line.get("unit_cost")
            order.lines.append(PurchaseOrderLine(product_id=product.id, qty_ordered=qty,
                                                 unit_cost=product.unit_cost if cost is None else cost))
        s.add(order)
        master.assign_number(s, order, "PO")
    return order


def get_order(number: str, session=None) -> PurchaseOrder:
    session = session or db.session
    order = session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == number))
    if order is None:
        raise NotFound("unknown_purchase_order", f"No purchase order {number}.", f"Aucune commande fournisseur {number}.",
                       field="order", details={"number": number})
    return order


def _line(order: PurchaseOrder, line_id: int | None) -> PurchaseOrderLine | None:
    if line_id is None:
        return None
    for line in order.lines:
        if line.id == line_id:
            return line
    raise NotFound("unknown_order_line", f"Line {line_id} is not on {order.number}.",
                   f"La ligne {line_id} n'est pas sur {order.number}.", field="line_id")


def _append_event(session, order: PurchaseOrder, *, kind: str, client_event_id: str, occurred_at: datetime,
                  line_id=None, promised_date=None, user_id=None, device=None, note=None) -> PurchaseOrderEvent:
    recorded = [(e.kind, e.occurred_at) for e in order.events
                if e.line_id is None or line_id is None or e.line_id == line_id]
    flagged = check_event(kind, occurred_at, recorded, purchase=True)
    event = PurchaseOrderEvent(order_id=order.id, line_id=line_id, kind=kind, client_event_id=client_event_id,
                               occurred_at=occurred_at, recorded_at=utcnow(), user_id=user_id, device=device,
                               out_of_order=flagged, promised_date=promised_date, note=note)
    session.add(event)
    order.events.append(event)
    if kind == "confirmed" and promised_date:
        order.promised_date = promised_date
    order.status = stage_reached({e.kind for e in order.events}) or order.status
    return event


def record_event(*, number: str, kind: str, client_event_id: str, occurred_at: datetime, line_id=None,
                 promised_date=None, user_id=None, device=None, note=None) -> tuple[PurchaseOrderEvent, bool]:
    if kind == "confirmed" and promised_date is None:
        raise Invalid("promised_date_required", "A confirmation carries the promised date.",
                      "Une confirmation indique la date promise.", field="promised_date")

    def work(s):
        order = get_order(number, s)
        _line(order, line_id)
        return _append_event(s, order, kind=kind, client_event_id=client_event_id, occurred_at=occurred_at,
                             line_id=line_id, promised_date=promised_date, user_id=user_id, device=device, note=note)
    return once(PurchaseOrderEvent, client_event_id, {"kind": kind, "line_id": line_id}, work)


def receive(*, number: str, line_id: int, qty: Decimal, dock: str, client_event_id: str, occurred_at: datetime,
            lot: str = "", expiry=None, user_id=None, device=None) -> tuple[Movement, bool]:
    """Goods counted in at the dock against a PO line: a receipt movement and a 'received' event."""
    def work(s):
        order = get_order(number, s)
        line = _line(order, line_id)
        place = master.get(Location, dock, s)
        movement = ledger.append(s, ledger.MovementRequest(
            client_event_id=client_event_id, kind=MovementKind.RECEIPT, product_id=line.product_id, qty=qty,
            occurred_at=occurred_at, to_location_id=place.id, lot=lot, expiry=expiry, unit_cost=line.unit_cost,
            po_line_id=line.id, user_id=user_id, device=device))
        _append_event(s, order, kind="received", client_event_id=client_event_id, occurred_at=occurred_at,
                      line_id=line.id, user_id=user_id, device=device)
        return movement
    expected = {"kind": int(MovementKind.RECEIPT), "po_line_id": line_id, "qty": qty, "lot": lot}
    return once(Movement, client_event_id, expected, work)


def put_away(*, number: str, line_id: int, qty: Decimal, from_location: str, to_location: str,
             client_event_id: str, occurred_at: datetime, lot: str = "", user_id=None,
             device=None) -> tuple[Movement, bool]:
    """Dock to bin for a received PO line: the moment the goods become available to pick."""
    def work(s):
        order = get_order(number, s)
        line = _line(order, line_id)
        source, target = master.get(Location, from_location, s), master.get(Location, to_location, s)
        movement = ledger.append(s, ledger.MovementRequest(
            client_event_id=client_event_id, kind=MovementKind.PUT_AWAY, product_id=line.product_id, qty=qty,
            occurred_at=occurred_at, from_location_id=source.id, to_location_id=target.id, lot=lot,
            po_line_id=line.id, user_id=user_id, device=device))
        _append_event(s, order, kind="put_away", client_event_id=client_event_id, occurred_at=occurred_at,
                      line_id=line.id, user_id=user_id, device=device)
        return movement
    expected = {"kind": int(MovementKind.PUT_AWAY), "po_line_id": line_id, "qty": qty, "lot": lot}
    return once(Movement, client_event_id, expected, work)
