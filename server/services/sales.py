"""Sales orders: create and reserve (the moment demand is measured), pick into dispatch, ship out.

Reservations are taken under the product's row lock: available = on hand in pickable places − reserved,
so two orders placed at the same instant can never both reserve the last unit.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import bindparam, func, literal, select

from server.domain.errors import Conflict, Invalid, NotFound
from server.domain.lifecycle import check_event, stage_reached
from server.domain.movements import check_quantity, fmt_qty, fr_qty
from server.domain.put_back import Picked, put_backs
from server.domain.words import fr_word
from server.extensions import db
from server.models import (Customer, Location, Movement, MovementKind, Product, SalesOrder, SalesOrderEvent,
                           SalesOrderLine, StockLevel)
from server.models.base import utcnow
from server.queries.picking import picked_by_line, picked_on_lines
from server.services import ledger, master
from server.services.purchasing import add_event, event_summary
from server.services.idempotency import once, raise_reused
from server.services.locks import lock_products, order_status_locked
from server.services.order_rows import assign
from server.services.stamp import Stamp

PICKABLE = ("bin",)
# Shipped in part with the rest kept for later (a back-order): open until the rest ships or is closed short.
PART_SHIPPED = "part_shipped"
OPEN = ("ordered", "picked", "packed", PART_SHIPPED)
# Nothing more happens on these: shipped in full, closed short after a partial shipment (``close_rest``), cancelled.
ENDED = ("shipped", "closed", "cancelled")
# What a sales line's movements do to the units waiting in dispatch for it.
IN_DISPATCH_SIGN = {MovementKind.PICK: 1, MovementKind.SHIPMENT: -1, MovementKind.PUT_BACK: -1}


def create_order(stamp: Stamp, *, customer: str, lines: list[dict], requested_date: date | None = None,
                 ) -> tuple[SalesOrder, bool]:
    """Record the customer's demand (at ``stamp.occurred_at``) and reserve what is available."""
    if not lines:
        raise Invalid("no_lines", "An order needs at least one line.", "Une commande a au moins une ligne.",
                      field="lines")

    def work(s):
        buyer = master.referenced(Customer, customer, s, field="customer")
        products = [master.referenced(Product, line["sku"], s, field=f"lines.{index}.product")
                    for index, line in enumerate(lines)]
        lock_products(s, [p.id for p in products])  # before the lines exist: see locks.py
        order = SalesOrder(number=master.temporary_number(), customer_id=buyer.id, ordered_at=stamp.occurred_at,
                           requested_date=requested_date, created_by_id=stamp.user_id, status="ordered")
        for product, line in zip(products, lines):
            order.lines.append(SalesOrderLine(product_id=product.id,
                                              qty_ordered=check_quantity(Decimal(line["qty"]), field="lines.qty",
                                                                         of=product),
                                              unit_price=line.get("unit_price") or 0))
        s.add(order)
        master.assign_number(s, order, "SO")
        reserve(s, order)
        return s.get(SalesOrderEvent, append_event(s, order, "ordered", stamp))

    # The 'ordered' event carries the client's id, so a replayed creation finds its order through it.
    event, created = once(SalesOrderEvent, stamp.client_event_id, {"kind": "ordered"}, work)
    order = db.session.get(SalesOrder, event.order_id)
    if not created:
        buyer = master.referenced(Customer, customer, field="customer")
        asked = sorted((master.referenced(Product, line["sku"], field=f"lines.{index}.product").id,
                        Decimal(line["qty"])) for index, line in enumerate(lines))
        if (order.customer_id, sorted((ln.product_id, ln.qty_ordered) for ln in order.lines)) != (buyer.id, asked):
            raise_reused()
    return order, created


_SL, _L = StockLevel.__table__, Location.__table__
_SO, _SOL = SalesOrder.__table__, SalesOrderLine.__table__
# Read on every pick: built once, on the tables, both sums in one round trip (the constant IN lists as one bound
# parameter per value, so the SQL is not rewritten on every execution as for an expanding list).
_AVAILABLE = select(
    select(func.coalesce(func.sum(_SL.c.qty), 0)).select_from(_SL.join(_L, _L.c.id == _SL.c.location_id))
    .where(_SL.c.product_id == bindparam("p"), _L.c.kind.in_([literal(k) for k in PICKABLE])).scalar_subquery(),
    select(func.coalesce(func.sum(_SOL.c.qty_reserved), 0)).select_from(_SOL.join(_SO, _SO.c.id == _SOL.c.order_id))
    .where(_SOL.c.product_id == bindparam("p"), _SO.c.status.in_([literal(k) for k in OPEN])).scalar_subquery())


def available(s, product_id: int) -> Decimal:
    """On hand in pickable places minus what open orders have reserved. Call under the product lock."""
    on_hand, reserved = s.execute(_AVAILABLE, {"p": product_id}).one()
    return Decimal(on_hand or 0) - Decimal(reserved or 0)


def reserve(s, order: SalesOrder) -> None:
    """Reserve what is free for each line, once the orders already waiting for these products have had theirs (a
    back-order is served before a newer order). The caller holds the products' locks."""
    s.flush()
    reserve_waiting(s, [line.product_id for line in order.lines], but=order.id)
    for line in order.lines:
        free = available(s, line.product_id)
        line.qty_reserved = max(Decimal(0), min(line.qty_ordered - line.qty_reserved, free)) + line.qty_reserved
    s.flush()


def reserve_waiting(s, product_ids, *, but: int | None = None) -> None:
    """Free stock goes to the open orders still waiting for it, oldest first: a back-order, an order taken when the
    shelf was short. Called when stock comes into the bins (``ledger.append``) or a reservation is released, and
    before a new order (``but``) reserves. The caller holds the products' locks."""
    s.flush()
    for product_id in sorted(set(product_ids)):
        free = available(s, product_id)
        if free <= 0:
            continue
        waiting = s.scalars(
            select(SalesOrderLine).join(SalesOrder)
            .where(SalesOrderLine.product_id == product_id, SalesOrder.status.in_(OPEN), SalesOrder.id != (but or 0),
                   SalesOrderLine.qty_ordered > SalesOrderLine.qty_short + SalesOrderLine.qty_reserved)
            .order_by(SalesOrder.ordered_at, SalesOrderLine.id).execution_options(populate_existing=True)).all()
        if not waiting:
            continue
        picked = picked_on_lines(s, [line.id for line in waiting])
        for line in waiting:
            take = min(free, line.qty_ordered - line.qty_short - line.qty_reserved - picked[line.id])
            if take > 0:
                line.qty_reserved += take
                free -= take
            if free <= 0:
                break
    s.flush()


def get_order(number: str, session=None) -> SalesOrder:
    session = session or db.session
    order = session.scalar(select(SalesOrder).where(SalesOrder.number == number))
    if order is None:
        raise NotFound("unknown_sales_order", f"No sales order {number}.", f"Aucune commande client {number}.",
                       field="order", details={"number": number})
    return order


def append_event(session, order: SalesOrder, kind: str, stamp: Stamp, *, line_id=None, note=None) -> int:
    """Record a lifecycle step of the order (checked against the steps already recorded); returns its id."""
    refuse_if_cancelled(order, None)
    summary = event_summary(session, order, SalesOrderEvent)
    flagged = check_event(kind, stamp.occurred_at, [(k, at) for k, _, at in summary], purchase=False)
    event_id = add_event(session, order, SalesOrderEvent, dict(
        line_id=line_id, kind=kind, client_event_id=stamp.client_event_id, occurred_at=stamp.occurred_at,
        recorded_at=utcnow(), user_id=stamp.user_id, device=stamp.device, out_of_order=flagged, note=note))
    # A back-order's picks and packing do not move it back: only its next shipment (book_ship) says where it stands.
    if order.status != PART_SHIPPED or kind == "shipped":
        reached = stage_reached({k for k, _, _ in summary} | {kind}, purchase=False)
        assign(session, order, status=reached or order.status)
    return event_id


def line_for_product(order: SalesOrder, product_id: int, picked: dict) -> SalesOrderLine:
    """The order's line for this product that still needs picking (the first, if the product is on several)."""
    candidates = [ln for ln in order.lines if ln.product_id == product_id]
    if not candidates:
        raise Conflict("not_on_order", f"This item is not on order {order.number}: put it back.",
                       f"Cet article n'est pas sur la commande {order.number} : remettez-le en place.",
                       field="code", details={"order": order.number})
    for line in candidates:
        if to_pick(line, picked) > 0:
            return line
    return candidates[0]


def to_pick(line: SalesOrderLine, picked: dict) -> Decimal:
    return line.qty_ordered - picked[line.id] - line.qty_short


def check_left_to_pick(line, qty: Decimal, picked: dict) -> None:
    """Refused when more is scanned than is left to pick on the line."""
    left = to_pick(line, picked)
    if qty > left:
        raise Conflict("over_pick", f"Only {fmt_qty(left)} left to pick on this line; {fmt_qty(qty)} scanned.",
                       f"Il ne reste que {fr_qty(left)} à préparer sur cette ligne ; "
                       f"{fr_qty(qty)} {fr_word(qty, 'scanné', 'scannés')}.",
                       field="qty", details={"left": fmt_qty(left)})


def book_pick(s, order: SalesOrder, line: SalesOrderLine, qty: Decimal, source: Location, dispatch: Location,
              stamp: Stamp, *, lot: str = "", picked: dict | None = None) -> int:
    """``picked``: the order's picked quantities per line, read by the caller under the product's lock.
    Returns the movement's id."""
    if picked is None:
        lock_products(s, [line.product_id])
        picked = picked_by_line(s, order)
    check_left_to_pick(line, qty, picked)
    check_not_reserved_for_others(s, line, qty)
    movement_id = ledger.append(s, ledger.MovementRequest(
        stamp=stamp, kind=MovementKind.PICK, product_id=line.product_id, qty=qty, from_location_id=source.id,
        to_location_id=dispatch.id, lot=lot, so_line_id=line.id))
    assign(s, line, qty_reserved=max(Decimal(0), line.qty_reserved - qty))
    append_event(s, order, "picked", stamp, line_id=line.id)
    return movement_id


def check_not_reserved_for_others(s, line: SalesOrderLine, qty: Decimal) -> None:
    # What the line reserved is its own; only beyond it does the free stock have to be read.
    allowed = line.qty_reserved if qty <= line.qty_reserved else (
        line.qty_reserved + max(Decimal(0), available(s, line.product_id)))
    if qty > allowed:
        raise Conflict("reserved_for_others", f"Only {fmt_qty(allowed)} may be picked for this order: the rest is "
                       "reserved for other orders.",
                       f"Seulement {fr_qty(allowed)} peuvent être prélevés pour cette commande : le reste est "
                       "réservé à d'autres commandes.", field="qty", details={"allowed": fmt_qty(allowed)})


def pick(stamp: Stamp, *, number: str, line_id: int, qty: Decimal, from_location: str, dispatch: str,
         lot: str = "") -> tuple[Movement, bool]:
    def work(s):
        order = get_order(number, s)
        refuse_if_ended(order, lock_with_lines(s, order))   # a cancel or a shipment waits or is seen
        line = master.line_of(order, line_id)
        return s.get(Movement, book_pick(s, order, line, qty, master.get(Location, from_location, s),
                                         master.get(Location, dispatch, s), stamp, lot=lot))
    expected = {"kind": int(MovementKind.PICK), "so_line_id": line_id, "qty": qty, "lot": lot}
    return once(Movement, stamp.client_event_id, expected, work)


def book_short(s, order: SalesOrder, line: SalesOrderLine, qty: Decimal, stamp: Stamp,
               reason: str) -> int:
    """The shelf had less than the order asked for: record it and release the reservation; returns the event's id."""
    left = to_pick(line, picked_by_line(s, order))
    if qty > left:
        raise Conflict("over_short", f"Only {fmt_qty(left)} left to pick on this line.",
                       f"Il ne reste que {fr_qty(left)} à préparer sur cette ligne.", field="qty")
    check_quantity(qty, field="qty", of=line.product)
    line.qty_short += qty
    line.qty_reserved = max(Decimal(0), min(line.qty_reserved, left - qty))
    event_id = append_event(s, order, "picked", stamp, line_id=line.id, note=f"short {fmt_qty(qty)}: {reason}"[:500])
    reserve_waiting(s, [line.product_id])   # what this line no longer holds, another order may be waiting for
    return event_id


def short(stamp: Stamp, *, number: str, line_id: int, qty: Decimal, reason: str) -> tuple[SalesOrderEvent, bool]:
    def work(s):
        order = get_order(number, s)
        refuse_if_ended(order, lock_with_lines(s, order))   # a cancel or a shipment waits or is seen
        line = master.line_of(order, line_id)
        lock_products(s, [line.product_id])
        return s.get(SalesOrderEvent, book_short(s, order, line, qty, stamp, reason))
    return once(SalesOrderEvent, stamp.client_event_id,
                {"kind": "picked", "order_id": get_order(number).id, "line_id": line_id}, work)


def lock_with_lines(s, order: SalesOrder) -> str | None:
    """Lock the order's row and return its committed status (PostgreSQL; None on SQLite, see locks), then read its
    lines again: read before the lock they may be stale, and a short or a shipment writes what it computes from
    them (a short typed while a held shipment is accepted would be lost)."""
    status = order_status_locked(s, SalesOrder, order.id)
    if status is not None:
        s.scalars(select(SalesOrderLine).where(SalesOrderLine.order_id == order.id)
                  .execution_options(populate_existing=True)).all()
    return status


def picked_not_shipped(session, order: SalesOrder) -> dict[tuple[int, int, str], Decimal]:
    """(line, product, lot) → quantity sitting in dispatch for this order, from the ledger."""
    balance: dict[tuple[int, int, str], Decimal] = defaultdict(Decimal)
    rows = session.execute(select(Movement.so_line_id, Movement.product_id, Movement.lot, Movement.kind,
                                  Movement.qty).where(Movement.so_line_id.in_([ln.id for ln in order.lines])))
    for line_id, product_id, lot, kind, qty in rows:
        balance[(line_id, product_id, lot)] += IN_DISPATCH_SIGN.get(kind, 0) * qty
    return {k: v for k, v in balance.items() if v > 0}


def left_to_pick(s, order: SalesOrder) -> list[tuple[SalesOrderLine, Decimal]]:
    """The order's lines not fully picked (nor recorded short), with what each still lacks."""
    picked = picked_by_line(s, order)
    return [(line, to_pick(line, picked)) for line in order.lines if to_pick(line, picked) > 0]


def not_all_picked(order: SalesOrder, left: list[tuple[SalesOrderLine, Decimal]], then_en: str,
                   then_fr: str) -> tuple[str, str, dict]:
    """What a shipment that would leave lines behind is told (en, fr, details): refused, or for a scan held."""
    what = [", ".join(f"{say(qty)} × {line.product.name}" for line, qty in left) for say in (fmt_qty, fr_qty)]
    picked_fr = fr_word(sum((qty for _, qty in left), Decimal(0)), "prélevé", "prélevés")  # (3 × …: prélevés)
    return (f"{order.number}: not picked yet: {what[0]}. {then_en}",
            f"{order.number} : pas encore {picked_fr} : {what[1]}. {then_fr}",
            {"order": order.number,
             "lines": [{"line_id": line.id, "sku": line.product.sku, "left": qty} for line, qty in left]})


def book_ship(s, order: SalesOrder, dispatch: Location, stamp: Stamp, *, short_rest: str | None = None,
              back_order: bool = False) -> int:
    """Everything picked for the order leaves the warehouse; one 'shipped' event for the order. What is picked is
    read with the order's row locked: a second shipment of the order, or a pick, waits and then sees this one.

    A line not fully picked is refused (the order would be closed with units neither shipped nor recorded
    short), unless ``short_rest`` gives the reason to record what is left short first, or ``back_order`` keeps
    it for a later shipment: the order stays open, 'part_shipped', its lines still reserved and to pick."""
    refuse_if_ended(order, lock_with_lines(s, order))
    outgoing = picked_not_shipped(s, order)
    if not outgoing:
        raise Conflict("nothing_to_ship", f"Nothing is picked for {order.number}: pick it first.",
                       f"Rien n'est préparé pour {order.number} : préparez-la d'abord.", field="order")
    left = left_to_pick(s, order)   # (the order's row is locked: its lines stay as read)
    lock_products(s, sorted({product_id for _, product_id, _ in outgoing} | {ln.product_id for ln, _ in left}))
    if left and short_rest is None and not back_order:
        en, fr, details = not_all_picked(order, left, "Pick them, or record them short, then ship.",
                                         "Prélevez-les, ou déclarez-les manquants, puis expédiez.")
        raise Conflict("not_all_picked", en, fr, field="order", details=details)
    for line, qty in [] if back_order else left:
        book_short(s, order, line, qty, stamp.derived("short", line.id), short_rest)
    for (line_id, product_id, lot), qty in sorted(outgoing.items()):
        ledger.append(s, ledger.MovementRequest(
            stamp=stamp.derived(line_id, lot), kind=MovementKind.SHIPMENT, product_id=product_id, qty=qty,
            from_location_id=dispatch.id, lot=lot, so_line_id=line_id))
    kept = back_order and bool(left)
    if not kept:
        for line in order.lines:
            line.qty_reserved = Decimal(0)
    what = "; ".join(f"{fmt_qty(qty)} {line.product.sku}" for line, qty in left) if kept else None
    event_id = append_event(s, order, "shipped", stamp, note=f"back-order: {what}"[:500] if kept else None)
    if kept:
        assign(s, order, status=PART_SHIPPED)
    return event_id


def close_rest(stamp: Stamp, *, number: str, reason: str) -> tuple[SalesOrderEvent, bool]:
    """End a back-order: nothing more will ship (the customer no longer wants it, the supplier cannot deliver).
    What is left to pick is recorded short with the reason and its reservations released; the order ends 'closed'.
    Only an order shipped in part has a back-order (another is cancelled, or shipped); goods already picked for it
    wait in dispatch: they are shipped first (refused, nothing changes)."""
    def work(s):
        order = get_order(number, s)
        status = lock_with_lines(s, order) or order.status
        refuse_if_ended(order, status)
        if status != PART_SHIPPED:
            raise Conflict("no_back_order", f"{order.number} has not shipped in part: it has no back-order to close "
                           "(cancel it instead).",
                           f"{order.number} n'a pas été expédiée en partie : elle n'a pas de reliquat à clore "
                           "(annulez-la plutôt).", field="order", details={"status": status})
        waiting = sum(picked_not_shipped(s, order).values(), Decimal(0))
        if waiting:
            raise Conflict("picked_waiting", f"{fmt_qty(waiting)} picked for {order.number} wait in dispatch: ship "
                           "them first.",
                           f"{fr_qty(waiting)} {fr_word(waiting, 'préparé', 'préparés')} pour {order.number} "
                           f"{fr_word(waiting, 'attend', 'attendent')} en zone d'expédition : expédiez-les d'abord.",
                           field="order", details={"in_dispatch": fmt_qty(waiting)})
        left = left_to_pick(s, order)
        lock_products(s, sorted({line.product_id for line, _ in left}))
        for line, qty in left:
            book_short(s, order, line, qty, stamp.derived("short", line.id), reason)
        event_id = add_event(s, order, SalesOrderEvent, dict(
            line_id=None, kind="closed", client_event_id=stamp.client_event_id, occurred_at=stamp.occurred_at,
            recorded_at=utcnow(), user_id=stamp.user_id, device=stamp.device, out_of_order=False, note=reason))
        assign(s, order, status="closed")
        return s.get(SalesOrderEvent, event_id)
    return once(SalesOrderEvent, stamp.client_event_id, {"kind": "closed", "order_id": get_order(number).id}, work)


def ship(stamp: Stamp, *, number: str, dispatch: str, short_rest: str | None = None) -> tuple[SalesOrderEvent, bool]:
    def work(s):
        order = get_order(number, s)
        return s.get(SalesOrderEvent, book_ship(s, order, master.get(Location, dispatch, s), stamp,
                                                short_rest=short_rest))
    return once(SalesOrderEvent, stamp.client_event_id, {"kind": "shipped", "order_id": get_order(number).id}, work)


def refuse_if_ended(order: SalesOrder, status: str | None, *, field: str = "order") -> None:
    """Shipped, closed or cancelled, nothing more happens on it. ``status``: read with the order's row locked (None
    on SQLite, where the ORM's is current)."""
    status = status or order.status
    if status in ENDED:
        fr = {"shipped": "expédiée", "closed": "close", "cancelled": "annulée"}[status]
        raise Conflict("order_closed", f"{order.number} is already {status}.", f"{order.number} est déjà {fr}.",
                       field=field, details={"status": status})


def refuse_if_cancelled(order: SalesOrder, status: str | None) -> None:
    """``status``: read with the order's row locked (None on SQLite, where the ORM's is current)."""
    if (status or order.status) == "cancelled":
        raise Conflict("order_closed", f"{order.number} is cancelled.", f"{order.number} est annulée.",
                       field="order", details={"status": "cancelled"})


def record_event(stamp: Stamp, *, number: str, kind: str, note=None) -> tuple[SalesOrderEvent, bool]:
    """Paper steps without stock movement, e.g. 'packed'."""
    def work(s):
        order = get_order(number, s)
        refuse_if_cancelled(order, order_status_locked(s, SalesOrder, order.id))
        return s.get(SalesOrderEvent, append_event(s, order, kind, stamp, note=note))
    return once(SalesOrderEvent, stamp.client_event_id, {"kind": kind, "order_id": get_order(number).id}, work)


AREA_NAMES = {"dock": ("a dock", "un quai de réception"), "dispatch": ("a dispatch area", "une zone d'expédition")}


def area_of(s, kind: str, code: str | None):
    """The location named, which must be of this kind, or the first active one of the kind (the dock, the
    dispatch area). A bin named as the dock would take goods past their put-away (and a bin named as dispatch
    would keep picked units pickable)."""
    if code:
        place = master.place(s, code)
        if place.kind != kind:
            en, fr = AREA_NAMES[kind]
            raise Conflict(f"not_a_{kind}", f"{place.code} is not {en}.", f"{place.code} n'est pas {fr}.",
                           field="context", details={"kind": place.kind})
        return place
    place = master.first_place(s, kind)
    if place is None:
        raise NotFound(f"no_{kind}", f"No {kind} location is set up.", f"Aucun emplacement de type {kind}.",
                       field="context")
    return place


def cancel(stamp: Stamp, *, number: str, reason: str, put_back_to: str | None = None,
           ) -> tuple[SalesOrderEvent, bool]:
    """The customer withdraws the order, picked or not (a shipped one is gone: refused). What was picked goes back
    from dispatch to stock, each part to the bin it was picked from, or all of it to the bin ``put_back_to``
    names (required when a part's bin is no longer in use); its reservations are released and its demand leaves
    the history (``queries.planning.demand_history``). The picks stay in the ledger; the put-backs are new
    movements of the order's lines."""
    def work(s):
        order = get_order(number, s)
        # the order's row first: a pick, a short or a shipment of it waits for the cancel, or is seen by it
        status = lock_with_lines(s, order) or order.status
        refuse_if_ended(order, status)
        if status == PART_SHIPPED:   # what left was sold: its demand stays, only the rest can end (close_rest)
            raise Conflict("order_part_shipped", f"{order.number} has shipped in part: it cannot be cancelled. Close "
                           "its back-order instead (what is left is recorded short).",
                           f"{order.number} a été expédiée en partie : elle ne peut plus être annulée. Clôturez "
                           "plutôt son reliquat (le reste est déclaré manquant).", field="order",
                           details={"status": status})
        target = _put_back_bin(s, put_back_to) if put_back_to else None
        moves = put_backs(in_dispatch(s, order), target.id if target else None)
        lock_products(s, [move.product_id for move in moves] + [line.product_id for line in order.lines])
        for i, move in enumerate(moves):
            ledger.append(s, ledger.MovementRequest(
                stamp=stamp.derived("put_back", i), kind=MovementKind.PUT_BACK, product_id=move.product_id,
                qty=move.qty, from_location_id=move.from_id, to_location_id=move.to_id, lot=move.lot,
                reason=reason, so_line_id=move.line_id))
        for line in order.lines:
            line.qty_reserved = Decimal(0)
        event_id = add_event(s, order, SalesOrderEvent, dict(
            line_id=None, kind="cancelled", client_event_id=stamp.client_event_id, occurred_at=stamp.occurred_at,
            recorded_at=utcnow(), user_id=stamp.user_id, device=stamp.device, out_of_order=False, note=reason))
        assign(s, order, status="cancelled")
        reserve_waiting(s, [line.product_id for line in order.lines])   # what it held or put back, others may need
        return s.get(SalesOrderEvent, event_id)
    return once(SalesOrderEvent, stamp.client_event_id, {"order_id": get_order(number).id, "note": reason}, work)


def in_dispatch(s, order: SalesOrder) -> list[Picked]:
    """What was picked for the order, by line, lot, the place it was taken from and the dispatch area it went to,
    from the ledger. For an order neither shipped nor cancelled, read with its row locked: nothing of it has left
    dispatch (a shipment takes all that is picked, and ends the order). A place that is no longer an active bin
    cannot take its part back (``source_id`` None)."""
    by_line = {line.id: line for line in order.lines}
    rows = s.execute(
        select(Movement.so_line_id, Movement.lot, Movement.from_location_id, Movement.to_location_id,
               func.sum(Movement.qty))
        .where(Movement.so_line_id.in_(list(by_line)), Movement.kind == int(MovementKind.PICK))
        .group_by(Movement.so_line_id, Movement.lot, Movement.from_location_id, Movement.to_location_id)
        .order_by(Movement.so_line_id, Movement.lot, Movement.from_location_id, Movement.to_location_id)).all()
    bins = set(s.scalars(select(Location.id).where(Location.id.in_(sorted({row[2] for row in rows})),
                                                     Location.kind.in_(PICKABLE), Location.active.is_(True))))
    return [Picked(line_id, by_line[line_id].product_id, by_line[line_id].product.sku, lot,
                   source if source in bins else None, dispatch, qty)
            for line_id, lot, source, dispatch, qty in rows]


def _put_back_bin(s, code: str) -> Location:
    """The bin a supervisor names for goods put back: an active storage bin (a dock or dispatch would keep them
    from being picked again)."""
    place = master.referenced(Location, code, s, field="put_back_to")
    if place.kind not in PICKABLE or not place.active:
        raise Conflict("not_a_bin", f"{place.code} is not a bin in use: name a storage bin.",
                       f"{place.code} n'est pas un emplacement de stockage utilisé : indiquez-en un.",
                       field="put_back_to", details={"kind": place.kind, "active": place.active})
    return place
