"""Sales orders: create (the moment demand is measured), pick into dispatch, ship out."""
from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from server.database import write_transaction
from server.domain.errors import Conflict, Invalid, NotFound
from server.domain.lifecycle import check_event, stage_reached
from server.domain.movements import check_quantity
from server.extensions import db
from server.models import (Customer, Location, Movement, MovementKind, Product, SalesOrder, SalesOrderEvent,
                           SalesOrderLine)
from server.models.base import utcnow
from server.services import ledger, master
from server.services.idempotency import once


def create_order(*, customer: str, lines: list[dict], ordered_at: datetime, client_event_id: str,
                 requested_date: date | None = None, user_id=None, device=None) -> tuple[SalesOrder, bool]:
    if not lines:
        raise Invalid("no_lines", "An order needs at least one line.", "Une commande a au moins une ligne.",
                      field="lines")

    def work(s):
        buyer = master.get(Customer, customer, s)
        order = SalesOrder(number=f"tmp-{uuid.uuid4()}", customer_id=buyer.id, ordered_at=ordered_at,
                           requested_date=requested_date, created_by_id=user_id, status="ordered")
        for line in lines:
            product = master.get(Product, line["sku"], s)
            order.lines.append(SalesOrderLine(product_id=product.id,
                                              qty_ordered=check_quantity(Decimal(line["qty"]), field="lines.qty"),
                                              unit_price=line.get("unit_price") or 0))
        s.add(order)
        master.assign_number(s, order, "SO")
        _append_event(s, order, kind="ordered", client_event_id=client_event_id, occurred_at=ordered_at,
                      user_id=user_id, device=device)
        return order

    # The 'ordered' event carries the client's id, so a replayed creation finds its order through it.
    event, created = once(SalesOrderEvent, client_event_id, {"kind": "ordered"}, lambda s: work(s).events[0])
    return db.session.get(SalesOrder, event.order_id), created


def get_order(number: str, session=None) -> SalesOrder:
    session = session or db.session
    order = session.scalar(select(SalesOrder).where(SalesOrder.number == number))
    if order is None:
        raise NotFound("unknown_sales_order", f"No sales order {number}.", f"Aucune commande client {number}.",
                       field="order", details={"number": number})
    return order


def _append_event(session, order: SalesOrder, *, kind: str, client_event_id: str, occurred_at: datetime,
                  line_id=None, user_id=None, device=None) -> SalesOrderEvent:
    flagged = check_event(kind, occurred_at, [(e.kind, e.occurred_at) for e in order.events], purchase=False)
    event = SalesOrderEvent(order_id=order.id, line_id=line_id, kind=kind, client_event_id=client_event_id,
                            occurred_at=occurred_at, recorded_at=utcnow(), user_id=user_id, device=device,
                            out_of_order=flagged)
    session.add(event)
    order.events.append(event)
    order.status = stage_reached({e.kind for e in order.events}, purchase=False) or order.status
    return event


def pick(*, number: str, line_id: int, qty: Decimal, from_location: str, dispatch: str, client_event_id: str,
         occurred_at: datetime, lot: str = "", user_id=None, device=None) -> tuple[Movement, bool]:
    def work(s):
        order = get_order(number, s)
        line = next((ln for ln in order.lines if ln.id == line_id), None)
        if line is None:
            raise NotFound("unknown_order_line", f"Line {line_id} is not on {number}.",
                           f"La ligne {line_id} n'est pas sur {number}.", field="line_id")
        source, target = master.get(Location, from_location, s), master.get(Location, dispatch, s)
        movement = ledger.append(s, ledger.MovementRequest(
            client_event_id=client_event_id, kind=MovementKind.PICK, product_id=line.product_id, qty=qty,
            occurred_at=occurred_at, from_location_id=source.id, to_location_id=target.id, lot=lot,
            so_line_id=line.id, user_id=user_id, device=device))
        _append_event(s, order, kind="picked", client_event_id=client_event_id, occurred_at=occurred_at,
                      line_id=line.id, user_id=user_id, device=device)
        return movement
    expected = {"kind": int(MovementKind.PICK), "so_line_id": line_id, "qty": qty, "lot": lot}
    return once(Movement, client_event_id, expected, work)


def _picked_not_shipped(session, order: SalesOrder) -> dict[tuple[int, int, str], Decimal]:
    """(line, product, lot) → quantity sitting in dispatch for this order, from the ledger."""
    balance: dict[tuple[int, int, str], Decimal] = defaultdict(Decimal)
    rows = session.execute(select(Movement.so_line_id, Movement.product_id, Movement.lot, Movement.kind,
                                  Movement.qty).where(Movement.so_line_id.in_([ln.id for ln in order.lines])))
    for line_id, product_id, lot, kind, qty in rows:
        sign = {MovementKind.PICK: 1, MovementKind.SHIPMENT: -1}.get(kind, 0)
        balance[(line_id, product_id, lot)] += sign * qty
    return {k: v for k, v in balance.items() if v > 0}


def ship(*, number: str, dispatch: str, client_event_id: str, occurred_at: datetime, user_id=None,
         device=None) -> tuple[SalesOrderEvent, bool]:
    """Everything picked for the order leaves the warehouse; one 'shipped' event for the order."""
    def work(s):
        order = get_order(number, s)
        place = master.get(Location, dispatch, s)
        outgoing = _picked_not_shipped(s, order)
        if not outgoing:
            raise Conflict("nothing_to_ship", f"Nothing is picked for {number}.",
                           f"Rien n'est préparé pour {number}.", field="order")
        for (line_id, product_id, lot), qty in sorted(outgoing.items()):
            ledger.append(s, ledger.MovementRequest(
                client_event_id=str(uuid.uuid5(uuid.UUID(client_event_id), f"{line_id}:{lot}")),
                kind=MovementKind.SHIPMENT, product_id=product_id, qty=qty, occurred_at=occurred_at,
                from_location_id=place.id, lot=lot, so_line_id=line_id, user_id=user_id, device=device))
        return _append_event(s, order, kind="shipped", client_event_id=client_event_id, occurred_at=occurred_at,
                             user_id=user_id, device=device)
    return once(SalesOrderEvent, client_event_id, {"kind": "shipped"}, work)
