"""Purchase orders: create, record their lifecycle, receive at the dock, put away into bins.

``book_*`` functions do the work inside a transaction someone else owns (a scan, a batch); the public
functions of the same name wrap one of them in its own idempotent transaction.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import bindparam, case, func, insert, inspect, select

from server.database import write_transaction
from server.domain.errors import Conflict, Invalid, NotFound
from server.domain.lifecycle import check_event, stage_reached
from server.domain.movements import check_quantity
from server.extensions import db
from server.models import (Location, Movement, MovementKind, Product, PurchaseOrder, PurchaseOrderEvent,
                           PurchaseOrderLine, Supplier)
from server.models.base import utcnow
from server.services import ledger, master
from server.services.idempotency import once
from server.services.locks import committed_status, lock_products, order_status_locked
from server.services.order_rows import OrderRow, assign
from server.services.stamp import Stamp

OPEN = ("draft", "need_detected", "ordered", "shipped", "arrived", "received", "put_away")
FINISHED = ("closed", "cancelled")   # nothing more comes on these orders (``close``)


def create_order(*, supplier: str, lines: list[dict], promised_date: date | None = None,
                 user_id: int | None = None, session=None) -> PurchaseOrder:
    if not lines:
        raise Invalid("no_lines", "An order needs at least one line.", "Une commande a au moins une ligne.",
                      field="lines")
    if session is not None:
        return _new_order(session, supplier, lines, promised_date, user_id)
    with write_transaction() as s:
        return _new_order(s, supplier, lines, promised_date, user_id)


def create_order_once(client_event_id: str, *, supplier: str, lines: list[dict], promised_date: date | None = None,
                      user_id: int | None = None) -> tuple[PurchaseOrder, bool]:
    """``create_order`` under the id its page made: (the order, created). A replay of the id returns the first
    order; a reuse of it for another supplier is refused (``idempotency.once``)."""
    def work(s):
        order = _new_order(s, supplier, lines, promised_date, user_id)
        order.client_event_id = client_event_id
        return order
    vendor = master.referenced(Supplier, supplier, db.session, field="supplier")
    return once(PurchaseOrder, client_event_id, {"supplier_id": vendor.id}, work)


def _new_order(s, supplier: str, lines: list[dict], promised_date, user_id) -> PurchaseOrder:
    vendor = master.referenced(Supplier, supplier, s, field="supplier")
    order = PurchaseOrder(number=master.temporary_number(), supplier_id=vendor.id, promised_date=promised_date,
                          created_by_id=user_id)
    for index, line in enumerate(lines):
        product = master.referenced(Product, line["sku"], s, field=f"lines.{index}.product")
        qty = check_quantity(Decimal(line["qty"]), field="lines.qty", of=product)
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
        raise NotFound("unknown_purchase_order", f"No purchase order {number}.",
                       f"Aucune commande fournisseur {number}.", field="order", details={"number": number})
    return order


def _events_in_memory(order) -> bool:
    """A new order, or one whose events were read in this session: its ``events`` list is the truth.
    (Never for an order read as rows by a scan, see order_rows.)"""
    state = inspect(order, raiseerr=False)
    return state is not None and (order.id is None or "events" not in state.unloaded)


def event_summary(session, order, model) -> list[tuple[str, int | None, object]]:
    """(kind, line_id, first occurred_at) of an order's events: what the lifecycle rules need, without loading
    every event (a purchase order received carton by carton gathers hundreds). An order read as rows by a scan
    carries it; events already loaded in the session are used as they are; otherwise one grouped query."""
    if isinstance(order, OrderRow):
        return list(order.summary)
    if _events_in_memory(order):
        first: dict = {}
        for e in order.events:
            key = (e.kind, e.line_id)
            first[key] = min(first.get(key, e.occurred_at), e.occurred_at)
        return [(kind, line, at) for (kind, line), at in first.items()]
    return list(session.execute(_summary_statement(model), {"order_id": order.id}))


_SUMMARIES: dict = {}


def _summary_statement(model):
    """(kind, line, first occurred_at) of one order's events: built once per event table."""
    if model not in _SUMMARIES:
        t = model.__table__
        _SUMMARIES[model] = (select(t.c.kind, t.c.line_id, func.min(t.c.occurred_at))
                             .where(t.c.order_id == bindparam("order_id")).group_by(t.c.kind, t.c.line_id))
    return _SUMMARIES[model]


def add_event(session, order, model, values: dict) -> int:
    """Add a new event to its order; returns its id.

    Events of an order whose events are in memory (a new order, or one read with them) go through the ORM,
    so the collection stays true; otherwise (a scan, the common case) one Core INSERT, without the unit of
    work's flush on the hot path."""
    if _events_in_memory(order):
        event = model(**values)
        session.add(event)
        order.events.append(event)
        session.flush()
        return event.id
    if isinstance(order, OrderRow):
        order.add_to_summary(values["kind"], values["line_id"], values["occurred_at"])
    return session.execute(insert(model.__table__), {"order_id": order.id, **values}).inserted_primary_key[0]


def append_event(session, order: PurchaseOrder, kind: str, stamp: Stamp, *, line_id=None, promised_date=None,
                 note=None) -> int:
    """Record a lifecycle step of the order (checked against the steps already recorded); returns its id."""
    summary = event_summary(session, order, PurchaseOrderEvent)
    recorded = [(k, at) for k, line, at in summary if line is None or line_id is None or line == line_id]
    flagged = check_event(kind, stamp.occurred_at, recorded, purchase=True)
    event_id = add_event(session, order, PurchaseOrderEvent, dict(
        line_id=line_id, kind=kind, client_event_id=stamp.client_event_id, occurred_at=stamp.occurred_at,
        recorded_at=utcnow(), user_id=stamp.user_id, device=stamp.device, out_of_order=flagged,
        promised_date=promised_date, note=note))
    if kind == "confirmed" and promised_date:
        assign(session, order, promised_date=promised_date)
    if order.status not in FINISHED:     # goods received before the close are still put away: it stays closed
        assign(session, order, status=stage_reached({k for k, _, _ in summary} | {kind}) or order.status)
    return event_id


def record_event(stamp: Stamp, *, number: str, kind: str, line_id=None, promised_date=None,
                 note=None) -> tuple[PurchaseOrderEvent, bool]:
    if kind == "confirmed" and promised_date is None:
        raise Invalid("promised_date_required", "A confirmation carries the promised date.",
                      "Une confirmation indique la date promise.", field="promised_date")

    def work(s):
        order = get_order(number, s)
        master.line_of(order, line_id)
        return s.get(PurchaseOrderEvent, append_event(s, order, kind, stamp, line_id=line_id,
                                                      promised_date=promised_date, note=note))
    return once(PurchaseOrderEvent, stamp.client_event_id,
                {"kind": kind, "line_id": line_id, "order_id": get_order(number).id}, work)


_M = Movement.__table__
# Read on every receive scan: built once, on the table.
_RECEIVED = (select(_M.c.po_line_id, func.sum(_M.c.qty))
             .where(_M.c.po_line_id.in_(bindparam("lines", expanding=True)), _M.c.kind == int(MovementKind.RECEIPT))
             .group_by(_M.c.po_line_id))


def received_by_line(session, order: PurchaseOrder) -> dict[int, Decimal]:
    """Units received so far per line, from the ledger."""
    rows = session.execute(_RECEIVED, {"lines": [ln.id for ln in order.lines]})
    return defaultdict(Decimal, {line_id: qty for line_id, qty in rows})


def book_receipt(s, order: PurchaseOrder, line: PurchaseOrderLine, qty: Decimal, dock: Location, stamp: Stamp,
                 *, lot: str = "", expiry=None, locked: bool = False, after_close: bool = False) -> int:
    """Goods counted in at the dock against a PO line: a receipt movement and a 'received' event.
    ``locked``: the caller already holds the product's lock. Returns the movement's id."""
    if not locked:
        lock_products(s, [line.product_id])
    # Read again under the product's lock: a close holds the locks of its lines' products, so it either
    # committed before (and is seen here) or waits for this receipt (and counts it).
    status = committed_status(s, PurchaseOrder, order.id) or order.status
    if not after_close:
        refuse_if_finished(order, status)
    elif status == "cancelled":            # accepted by a supervisor: something came after all
        assign(s, order, status="closed")
    movement_id = ledger.append(s, ledger.MovementRequest(
        stamp=stamp, kind=MovementKind.RECEIPT, product_id=line.product_id, qty=qty, to_location_id=dock.id,
        lot=lot, expiry=expiry, unit_cost=line.unit_cost, po_line_id=line.id))
    append_event(s, order, "received", stamp, line_id=line.id)
    return movement_id


def refuse_if_finished(order: PurchaseOrder, status: str | None = None) -> None:
    status = status or order.status
    if status in FINISHED:
        raise Conflict("order_closed", f"{order.number} is {status}: nothing more can be received on it.",
                       f"{order.number} est close : plus rien ne peut y être reçu.", field="order")


def receive(stamp: Stamp, *, number: str, line_id: int, qty: Decimal, dock: str, lot: str = "",
            expiry=None) -> tuple[Movement, bool]:
    def work(s):
        order = get_order(number, s)
        return s.get(Movement, book_receipt(s, order, master.line_of(order, line_id), qty,
                                            master.get(Location, dock, s), stamp, lot=lot, expiry=expiry))
    expected = {"kind": int(MovementKind.RECEIPT), "po_line_id": line_id, "qty": qty, "lot": lot}
    return once(Movement, stamp.client_event_id, expected, work)


def awaiting_put_away(s, product_id: int, lot: str) -> list[tuple[PurchaseOrderLine, Decimal]]:
    """PO lines of this product received but not yet put away, oldest first: put-away is credited FIFO."""
    signed = func.sum(func.coalesce(
        case((Movement.kind == int(MovementKind.RECEIPT), Movement.qty),
                (Movement.kind == int(MovementKind.PUT_AWAY), -Movement.qty), else_=0), 0))
    rows = s.execute(select(Movement.po_line_id, signed.label("left"))
                     .where(Movement.product_id == product_id, Movement.lot == lot,
                            Movement.po_line_id.is_not(None))
                     .group_by(Movement.po_line_id).order_by(Movement.po_line_id)).all()
    pending = [(line_id, left) for line_id, left in rows if left and left > 0]
    lines = {ln.id: ln for ln in s.scalars(select(PurchaseOrderLine).where(
        PurchaseOrderLine.id.in_([line_id for line_id, _ in pending])))}
    return [(lines[line_id], left) for line_id, left in pending]


def book_put_away(s, line: PurchaseOrderLine | None, product_id: int, qty: Decimal, source: Location,
                  target: Location, stamp: Stamp, *, lot: str = "") -> int:
    """Dock to bin: the moment goods become available to pick, credited to the PO line they came with.
    Returns the movement's id."""
    lock_products(s, [product_id])
    movement_id = ledger.append(s, ledger.MovementRequest(
        stamp=stamp, kind=MovementKind.PUT_AWAY, product_id=product_id, qty=qty, from_location_id=source.id,
        to_location_id=target.id, lot=lot, po_line_id=line.id if line else None))
    if line is not None:
        append_event(s, line.order, "put_away", stamp, line_id=line.id)
    return movement_id


def put_away(stamp: Stamp, *, number: str, line_id: int, qty: Decimal, from_location: str, to_location: str,
             lot: str = "") -> tuple[Movement, bool]:
    def work(s):
        line = master.line_of(get_order(number, s), line_id)
        return s.get(Movement, book_put_away(s, line, line.product_id, qty, master.get(Location, from_location, s),
                                             master.get(Location, to_location, s), stamp, lot=lot))
    expected = {"kind": int(MovementKind.PUT_AWAY), "po_line_id": line_id, "qty": qty, "lot": lot}
    return once(Movement, stamp.client_event_id, expected, work)


def close(stamp: Stamp, *, number: str, reason: str) -> tuple[PurchaseOrderEvent, bool]:
    """Nothing more will come on this order: what is left on its lines stops being on order (the plan buys it
    again if it is still needed). 'cancelled' when nothing was received, else 'closed' (short-closed); goods
    already received are still put away against their lines, and their lead times stay measured."""
    def work(s):
        order = get_order(number, s)
        lock_products(s, [ln.product_id for ln in order.lines])   # receipts and put-aways of its lines wait
        status = order_status_locked(s, PurchaseOrder, order.id) or order.status
        if status in FINISHED:
            raise Conflict("order_closed", f"{order.number} is already {status}.",
                           f"{order.number} est déjà close ou annulée.", field="order", details={"status": status})
        kind = "closed" if any(received_by_line(s, order).values()) else "cancelled"
        event_id = add_event(s, order, PurchaseOrderEvent, dict(
            line_id=None, kind=kind, client_event_id=stamp.client_event_id, occurred_at=stamp.occurred_at,
            recorded_at=utcnow(), user_id=stamp.user_id, device=stamp.device, out_of_order=False, note=reason))
        assign(s, order, status=kind)
        return s.get(PurchaseOrderEvent, event_id)
    return once(PurchaseOrderEvent, stamp.client_event_id, {"order_id": get_order(number).id, "note": reason}, work)
