"""The ledger: append movements and keep stock levels in step, in the same transaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from server.domain.errors import Conflict, Invalid, NotFound
from server.domain.movements import check_occurred_at, check_quantity, fmt_qty, fr_qty, level_deltas
from server.domain.words import fr_word
from server.extensions import db
from server.models import Location, Movement, MovementKind, Product, StockLevel
from server.models.base import utcnow
from server.services import master
from server.services.idempotency import once
from server.services.locks import lock_products
from server.services.stamp import Stamp

# Stock rows are never held as objects in the session, and the statements below are on the table (Core):
# the ORM has nothing to synchronise.


@dataclass
class MovementRequest:
    stamp: Stamp
    kind: MovementKind
    product_id: int
    qty: Decimal
    from_location_id: int | None = None
    to_location_id: int | None = None
    lot: str = ""
    expiry: date | None = None
    unit_cost: Decimal | None = None
    reason: str | None = None
    reverses_id: int | None = None
    po_line_id: int | None = None
    so_line_id: int | None = None

    def identity(self) -> dict:
        """What must match for a repeated id to count as the same request."""
        return {"kind": int(self.kind), "product_id": self.product_id, "qty": self.qty,
                "from_location_id": self.from_location_id, "to_location_id": self.to_location_id,
                "lot": self.lot}


_LEVELS = StockLevel.__table__
# The two statements every movement runs, built once (per dialect for the upsert) with bound parameters.
_ADD: dict[str, object] = {}
# One conditional UPDATE: the check and the decrement are a single atomic step (row lock on PG).
_REMOVE = (update(_LEVELS)
           .where(_LEVELS.c.product_id == bindparam("p"), _LEVELS.c.location_id == bindparam("loc"),
                  _LEVELS.c.lot == bindparam("b_lot"), _LEVELS.c.qty >= bindparam("q", type_=_LEVELS.c.qty.type))
           .values(qty=_LEVELS.c.qty - bindparam("q", type_=_LEVELS.c.qty.type)))


def _add_statement(dialect: str):
    if dialect not in _ADD:
        ins = (postgresql if dialect == "postgresql" else sqlite).insert(_LEVELS).values(
            product_id=bindparam("p"), location_id=bindparam("loc"), lot=bindparam("b_lot"),
            expiry=bindparam("b_expiry", type_=_LEVELS.c.expiry.type), qty=bindparam("q", type_=_LEVELS.c.qty.type))
        _ADD[dialect] = ins.on_conflict_do_update(
            index_elements=[_LEVELS.c.product_id, _LEVELS.c.location_id, _LEVELS.c.lot],
            set_={"qty": _LEVELS.c.qty + ins.excluded.qty})
    return _ADD[dialect]


def _add_stock(session, product_id: int, location_id: int, lot: str, expiry, qty: Decimal) -> None:
    session.execute(_add_statement(session.get_bind().dialect.name),
                    {"p": product_id, "loc": location_id, "b_lot": lot, "b_expiry": expiry, "q": qty})


def _remove_stock(session, product_id: int, location_id: int, lot: str, qty: Decimal) -> None:
    result = session.execute(_REMOVE, {"p": product_id, "loc": location_id, "b_lot": lot, "q": qty})
    if result.rowcount != 1:
        _refuse_short(session, location_id, lot, qty, on_hand(session, product_id, location_id, lot))


def on_hand(session, product_id: int, location_id: int, lot: str) -> Decimal:
    return session.scalar(select(StockLevel.qty).where(
        StockLevel.product_id == product_id, StockLevel.location_id == location_id,
        StockLevel.lot == lot)) or Decimal(0)


def require_on_hand(session, product_id: int, location_id: int, lot: str, qty: Decimal) -> None:
    """Refuse taking more than the location holds, before a move split in parts starts: its later part's
    refusal would give that part's numbers ("Only 0 …") rather than the operator's."""
    have = on_hand(session, product_id, location_id, lot)
    if have < qty:
        _refuse_short(session, location_id, lot, qty, have)


def _refuse_short(session, location_id: int, lot: str, qty: Decimal, have: Decimal):
    where = session.get(Location, location_id).code
    lot_txt = f" (lot {lot})" if lot else ""
    raise Conflict("insufficient_stock",
                   f"Only {fmt_qty(have)} on hand at {where}{lot_txt}; {fmt_qty(qty)} requested.",
                   f"Seulement {fr_qty(have)} en stock en {where}{lot_txt} ; "
                   f"{fr_qty(qty)} {fr_word(qty, 'demandé', 'demandés')}.",
                   field="qty", details={"on_hand": fmt_qty(have), "requested": fmt_qty(qty), "location": where})


def _lot_expiry(session, product_id: int, location_id: int, lot: str) -> date | None:
    return session.scalar(select(StockLevel.expiry).where(
        StockLevel.product_id == product_id, StockLevel.location_id == location_id, StockLevel.lot == lot))


_INSERT_MOVEMENT = insert(Movement.__table__)
# Movements that may bring stock into the bins, where orders waiting for it take it first (sales.reserve_waiting).
# Not a receipt (to the dock) nor a pick (to dispatch); not an opening stock import either: a new warehouse's, read
# before any order exists (and 100,000 rows would each pay the look-up).
_MAY_FREE_STOCK = frozenset({MovementKind.PUT_AWAY, MovementKind.PUT_BACK, MovementKind.TRANSFER,
                             MovementKind.ADJUSTMENT, MovementKind.COUNT, MovementKind.REVERSAL})


def append(session, req: MovementRequest) -> int:
    """Write one movement and its stock effect; returns the movement's id. The caller owns the transaction
    (and the product lock)."""
    check_quantity(req.qty)
    check_occurred_at(req.stamp.occurred_at, utcnow(), current_app.config["TENDU_CLOCK_SKEW_SECONDS"])
    deltas = level_deltas(req.qty, req.from_location_id, req.to_location_id)
    if req.expiry is None and req.lot and req.from_location_id is not None:
        req.expiry = _lot_expiry(session, req.product_id, req.from_location_id, req.lot)  # the lot keeps its date
    # A Core INSERT built once: no ORM object to build or load on the hot path (callers that show the
    # movement load it by id).
    movement_id = session.execute(_INSERT_MOVEMENT, dict(
        client_event_id=req.stamp.client_event_id, kind=int(req.kind), product_id=req.product_id, qty=req.qty,
        from_location_id=req.from_location_id, to_location_id=req.to_location_id, lot=req.lot,
        expiry=req.expiry, unit_cost=req.unit_cost, reason=req.reason, reverses_id=req.reverses_id,
        po_line_id=req.po_line_id, so_line_id=req.so_line_id, occurred_at=req.stamp.occurred_at,
        recorded_at=utcnow(), user_id=req.stamp.user_id, device=req.stamp.device)).inserted_primary_key[0]
    # Decrements first: a refusal then costs nothing.
    for location_id, delta in sorted(deltas, key=lambda d: d[1]):
        if delta < 0:
            _remove_stock(session, req.product_id, location_id, req.lot, -delta)
        else:
            _add_stock(session, req.product_id, location_id, req.lot, req.expiry, delta)
    if req.to_location_id is not None and req.kind in _MAY_FREE_STOCK:
        from server.services import sales  # (sales books its own movements here)
        sales.reserve_waiting(session, [req.product_id])
    return movement_id


def post(req: MovementRequest) -> tuple[Movement, bool]:
    """Append exactly once per ``client_event_id``, under the product's lock. Returns (movement, created)."""
    def work(s):
        lock_products(s, [req.product_id])
        return s.get(Movement, append(s, req))
    return once(Movement, req.stamp.client_event_id, req.identity(), work)


def adjust(stamp: Stamp, *, sku: str, location: str, qty: Decimal, reason: str, lot: str = "", expiry=None,
           unit_cost=None, kind: MovementKind = MovementKind.ADJUSTMENT) -> tuple[Movement, bool]:
    """A correction with a reason: positive adds stock at ``location``, negative removes it."""
    if not (reason or "").strip():
        raise Invalid("reason_required", "An adjustment needs a reason.", "Un ajustement demande un motif.",
                      field="reason")
    product = master.referenced(Product, sku, field="product")
    check_quantity(qty, allow_negative=True, of=product)
    place = master.referenced(Location, location, field="location")
    inbound = qty > 0
    return post(MovementRequest(
        stamp=stamp, kind=kind, product_id=product.id, qty=abs(qty),
        to_location_id=place.id if inbound else None, from_location_id=None if inbound else place.id,
        lot=lot, expiry=expiry, unit_cost=unit_cost if inbound else None, reason=reason.strip()))


def transfer(stamp: Stamp, *, sku: str, from_location: str, to_location: str, qty: Decimal, lot: str = "",
             kind=MovementKind.TRANSFER) -> tuple[Movement, bool]:
    product = master.referenced(Product, sku, field="product")
    check_quantity(qty, of=product)
    source = master.referenced(Location, from_location, field="from_location")
    target = master.referenced(Location, to_location, field="to_location")
    return post(MovementRequest(stamp=stamp, kind=kind, product_id=product.id, qty=qty,
                                from_location_id=source.id, to_location_id=target.id, lot=lot))


def reverse(stamp: Stamp, *, movement_id: int, reason: str) -> tuple[Movement, bool]:
    """Undo a movement with its mirror image; the original stays in the ledger."""
    original = db.session.get(Movement, movement_id)
    if original is None:
        raise NotFound("unknown_movement", f"No movement {movement_id}.", f"Aucun mouvement {movement_id}.")
    if original.kind == MovementKind.REVERSAL:
        raise Conflict("reversal_of_reversal", "A reversal cannot itself be reversed; record a new movement.",
                       "Une annulation ne s'annule pas ; enregistrez un nouveau mouvement.")
    if original.po_line_id is not None or original.so_line_id is not None:
        # Its order counts it (received, put away, picked, shipped): a mirror movement would leave the order
        # waiting for goods it has, or unable to pick and ship what it lacks.
        raise Conflict("order_movement", "This movement belongs to an order, which counts it: it cannot be reversed "
                       "alone. Correct the stock with an adjustment; the order keeps its history.",
                       "Ce mouvement appartient à une commande, qui le compte : il ne peut pas être annulé seul. "
                       "Corrigez le stock par un ajustement ; la commande garde son historique.",
                       details={"kind": MovementKind(original.kind).name.lower()})
    _not_reversed_by_another(movement_id, stamp)
    if not (reason or "").strip():
        raise Invalid("reason_required", "A reversal needs a reason.", "Une annulation demande un motif.",
                      field="reason")
    try:
        return post(MovementRequest(
            stamp=stamp, kind=MovementKind.REVERSAL, product_id=original.product_id, qty=original.qty,
            from_location_id=original.to_location_id, to_location_id=original.from_location_id, lot=original.lot,
            expiry=original.expiry, unit_cost=original.unit_cost, reason=reason.strip(), reverses_id=original.id))
    except IntegrityError:  # another reversal of it committed in between (the unique index on reverses_id)
        db.session.rollback()
        _not_reversed_by_another(movement_id, stamp)
        raise


def _not_reversed_by_another(movement_id: int, stamp: Stamp) -> None:
    already = db.session.scalar(select(Movement.client_event_id).where(Movement.reverses_id == movement_id))
    if already and already != stamp.client_event_id:
        raise Conflict("already_reversed", f"Movement {movement_id} is already reversed.",
                       f"Le mouvement {movement_id} est déjà annulé.")
