"""Master data (locations, suppliers, customers, products): create, update, deactivate, by business key."""
from __future__ import annotations

import uuid

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError

from server.database import write_transaction
from server.domain.errors import Conflict, Invalid, NotFound
from server.extensions import db
from server.models import Customer, Location, Product, Supplier

# model → (business key column, English noun, French noun)
KEYS = {
    Product: ("sku", "product", "produit"),
    Location: ("code", "location", "emplacement"),
    Supplier: ("code", "supplier", "fournisseur"),
    Customer: ("code", "customer", "client"),
}


def key_of(model) -> str:
    return KEYS[model][0]


def not_found(model, key: str) -> NotFound:
    _, en, fr = KEYS[model]
    return NotFound(f"unknown_{en}", f"No {en} {key!r}.", f"Aucun {fr} « {key} ».", field=en,
                    details={"key": key})


def unknown_reference(model, key: str, field: str) -> Invalid:
    """A code inside a request's body that names nothing: the body is wrong (422 on that field), not the address
    (the resource the URL names exists). Same code as the 404 of the address, ``unknown_<noun>``."""
    _, en, fr = KEYS[model]
    return Invalid(f"unknown_{en}", f"{field}: no {en} {key!r}.", f"{field} : aucun {fr} « {key} ».", field=field,
                   details={"key": key})


def only_one(rows):
    """The row of a look-up in any case when exactly one row answers it (``abc`` and ``ABC`` both: neither)."""
    return rows[0] if len(rows) == 1 else None


def get(model, key: str, session=None):
    """The row the request's address names (404 when there is none); a row its body names: ``referenced``."""
    session = session or db.session
    obj = session.scalar(select(model).where(getattr(model, key_of(model)) == key))
    if obj is None:
        raise not_found(model, key)
    return obj


def referenced(model, key: str, session=None, *, field: str):
    """The row a request's body names in ``field``; 422 ``unknown_<noun>`` on that field when there is none."""
    session = session or db.session
    obj = session.scalar(select(model).where(getattr(model, key_of(model)) == key))
    if obj is None:
        raise unknown_reference(model, key, field)
    return obj


_LOC = Location.__table__
# Scans name a place on almost every request: plain rows (id, code, kind, name) from statements built once.
_PLACE = select(_LOC.c.id, _LOC.c.code, _LOC.c.kind, _LOC.c.name)
_PLACE_BY_CODE = _PLACE.where(_LOC.c.code == bindparam("code"))
_PLACE_BY_CODE_ANY_CASE = _PLACE.where(func.upper(_LOC.c.code) == bindparam("code")).limit(2)
_FIRST_OF_KIND = _PLACE.where(_LOC.c.kind == bindparam("kind"), _LOC.c.active.is_(True)).order_by(_LOC.c.id).limit(1)


def place_or_none(session, code: str):
    """The location with this code, as a row (id, code, kind, name). A bin's label carries its code in capitals (so
    that a scanner with Caps Lock on reads the same bin): a code not found as written is looked for in any case."""
    return session.execute(_PLACE_BY_CODE, {"code": code}).first() or only_one(
        session.execute(_PLACE_BY_CODE_ANY_CASE, {"code": code.upper()}).all())


def place(session, code: str):
    """The location with this code (``place_or_none``); NotFound otherwise."""
    row = place_or_none(session, code)
    if row is None:
        raise not_found(Location, code)
    return row


def first_place(session, kind: str):
    """The first active location of a kind (the dock, the dispatch area), as a row; None if there is none."""
    return session.execute(_FIRST_OF_KIND, {"kind": kind}).first()


def _duplicate(model, key) -> Conflict:
    _, en, fr = KEYS[model]
    return Conflict("duplicate", f"A {en} {key!r} exists already.", f"Un {fr} « {key} » existe déjà.",
                    field=key_of(model))


def same_key(session, model, key: str) -> str | None:
    """The key of an existing row spelt like ``key`` but for case: labels carry keys in capitals and cannot tell
    ``pad`` from ``PAD``, so a second one is refused as a duplicate."""
    column = getattr(model, key_of(model))
    return session.scalar(select(column).where(func.upper(column) == key.upper()).limit(1))


def line_of(order, line_id: int | None):
    """The line ``line_id`` of a purchase or sales order; None asks for none."""
    if line_id is None:
        return None
    for line in order.lines:
        if line.id == line_id:
            return line
    raise NotFound("unknown_order_line", f"Line {line_id} is not on {order.number}.",
                   f"La ligne {line_id} n'est pas sur {order.number}.", field="line_id")


def temporary_number() -> str:
    """A unique placeholder until the order has an id (fits the 32-character number column)."""
    return f"tmp-{uuid.uuid4().hex}"[:32]


def assign_number(session, order, prefix: str) -> None:
    """Orders get a short readable number from their id (PO-000042), unique by construction."""
    session.flush()
    order.number = f"{prefix}-{order.id:06d}"


def _columns(model) -> set[str]:
    # Only plain columns are copied; references (supplier code, barcodes) are resolved by ``prepare``.
    return set(model.__table__.columns.keys()) - {"id"}


def create(model, data: dict, prepare=None):
    """Insert one row; ``prepare(session, obj, data)`` resolves references inside the same transaction."""
    key = data[key_of(model)]
    try:
        with write_transaction() as s:
            if (existing := same_key(s, model, key)) is not None:
                raise _duplicate(model, existing)
            obj = model(**{k: v for k, v in data.items() if k in _columns(model)})
            if prepare:
                prepare(s, obj, data)
            s.add(obj)
    except IntegrityError:  # a concurrent insert of the same key won the race
        raise _duplicate(model, key) from None
    return obj


def update(model, key: str, data: dict, prepare=None):
    with write_transaction() as s:
        obj = get(model, key, s)
        for name, value in data.items():
            if name in _columns(model) and name != key_of(model):
                setattr(obj, name, value)
        if prepare:
            prepare(s, obj, data)
    return obj
