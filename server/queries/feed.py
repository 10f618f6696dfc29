"""The live feed, read from the database: what was scanned, moved or done to an order after a position.

Reading the tables themselves (rather than a message broker) is what lets every gunicorn worker and
every app server serve the same feed. An idle poll costs one query (the newest id of each table).
Kinds: ``scan`` (applied or looked up), ``exception`` (refused, pending or rejected scans), ``movement``,
``order_event``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from server.extensions import db
from server.models import (Location, Movement, MovementKind, Product, PurchaseOrder, PurchaseOrderEvent,
                           SalesOrder, SalesOrderEvent, ScanEvent, User)
from server.queries.feed_position import Cursor, Position

TABLES = {"s": ScanEvent, "m": Movement, "p": PurchaseOrderEvent, "o": SalesOrderEvent}
EXCEPTIONS = {"refused", "pending", "rejected"}
HOLE_TTL = 60.0    # seconds a skipped id may take to commit (an import of thousands of rows included)
HEAD_WINDOW = 100  # at connect, ids missing among the newest rows may belong to transactions still running


@dataclass
class FeedEvent:
    kind: str
    data: dict
    position: str  # the position just after this event: its SSE id


def head(backlog: int = 0, now: float | None = None, ttl: float = HOLE_TTL) -> Position:
    """Where a new reader starts: after everything but the newest ``backlog`` rows of each table."""
    now = time.monotonic() if now is None else now
    position = Position()
    for source, model in TABLES.items():
        recent = db.session.scalars(select(model.id).order_by(model.id.desc()).limit(backlog + HEAD_WINDOW)).all()
        if len(recent) <= backlog:
            continue  # fewer rows than the backlog: replay them all from 0
        start = recent[backlog]
        present = set(recent[backlog:])
        position.cursors[source] = Cursor(start, {i: now + ttl for i in range(recent[-1], start) if i not in present})
    return position


def changes_after(position: Position, *, lang: str = "en", limit: int = 200, now: float | None = None,
                  ttl: float = HOLE_TTL) -> tuple[list[FeedEvent], Position]:
    """Events after ``position``, oldest first, each with the position to resume after it; and the new position."""
    now = time.monotonic() if now is None else now
    position = position.copy()
    position.expire(now)
    newest = db.session.execute(select(*(select(func.max(m.id)).scalar_subquery() for m in TABLES.values()))).one()
    rows = []
    for (source, model), top in zip(TABLES.items(), newest):
        cursor = position.cursors[source]
        if (top or 0) > cursor.high or cursor.holes:
            wanted = or_(model.id > cursor.high, model.id.in_(sorted(cursor.holes))) if cursor.holes \
                else model.id > cursor.high
            rows += [(source, row) for row in READERS[source](wanted, limit)]
    rows.sort(key=lambda r: (r[1]["recorded_at"], r[0], r[1]["id"]))
    events = []
    for source, row in rows:
        position.seen(source, row["id"], now, ttl)
        kind, data = SHAPERS[source](row, lang)
        events.append(FeedEvent(kind, data, position.encode()))
    return events, position


def _user():
    return aliased(User)


def _scans(wanted, limit):
    who = _user()
    stmt = (select(ScanEvent, who.username).outerjoin(who, who.id == ScanEvent.user_id)
            .where(wanted).order_by(ScanEvent.id).limit(limit))
    return [{"id": e.id, "recorded_at": e.recorded_at, "event": e, "user": name}
            for e, name in db.session.execute(stmt)]


def _movements(wanted, limit):
    who, source, target = _user(), aliased(Location), aliased(Location)
    stmt = (select(Movement, Product.sku, source.code, target.code, who.username)
            .join(Product, Product.id == Movement.product_id)
            .outerjoin(source, source.id == Movement.from_location_id)
            .outerjoin(target, target.id == Movement.to_location_id)
            .outerjoin(who, who.id == Movement.user_id)
            .where(wanted).order_by(Movement.id).limit(limit))
    return [{"id": m.id, "recorded_at": m.recorded_at, "movement": m, "sku": sku, "from": f, "to": t, "user": name}
            for m, sku, f, t, name in db.session.execute(stmt)]


def _order_events(event_model, order_model):
    def read(wanted, limit):
        who = _user()
        stmt = (select(event_model, order_model.number, who.username)
                .join(order_model, order_model.id == event_model.order_id)
                .outerjoin(who, who.id == event_model.user_id)
                .where(wanted).order_by(event_model.id).limit(limit))
        return [{"id": e.id, "recorded_at": e.recorded_at, "event": e, "number": number, "user": name}
                for e, number, name in db.session.execute(stmt)]
    return read


READERS = {"s": _scans, "m": _movements, "p": _order_events(PurchaseOrderEvent, PurchaseOrder),
           "o": _order_events(SalesOrderEvent, SalesOrder)}


def _scan(row, lang):
    e: ScanEvent = row["event"]
    answer = e.response or {}
    message = answer.get("message")
    if isinstance(message, dict):
        message = message.get(lang) or message.get("en")
    product = answer.get("product")
    kind = "exception" if e.outcome in EXCEPTIONS else "scan"
    return kind, {"kind": kind, "id": e.id, "client_event_id": e.client_event_id, "action": e.action,
                  "outcome": e.outcome, "error_code": e.error_code, "message": message,
                  "sku": product.get("sku") if isinstance(product, dict) else None, "code": e.raw_code,
                  "occurred_at": e.occurred_at.isoformat(), "recorded_at": e.recorded_at.isoformat(),
                  "user": row["user"], "device": e.device}


def _movement(row, _lang):
    m: Movement = row["movement"]
    return "movement", {"kind": "movement", "id": m.id, "movement_kind": MovementKind(m.kind).name.lower(),
                        "sku": row["sku"], "qty": _number(m.qty), "from_location": row["from"],
                        "to_location": row["to"], "lot": m.lot or None, "reason": m.reason,
                        "occurred_at": m.occurred_at.isoformat(), "recorded_at": m.recorded_at.isoformat(),
                        "user": row["user"], "device": m.device}


def _order_event(order_type):
    def shape(row, _lang):
        e = row["event"]
        return "order_event", {"kind": "order_event", "id": e.id, "order_type": order_type, "order": row["number"],
                               "event": e.kind, "line_id": e.line_id, "out_of_order": e.out_of_order,
                               "occurred_at": e.occurred_at.isoformat(), "recorded_at": e.recorded_at.isoformat(),
                               "user": row["user"], "device": e.device}
    return shape


SHAPERS = {"s": _scan, "m": _movement, "p": _order_event("purchase"), "o": _order_event("sales")}


def _number(value):
    return int(value) if value == value.to_integral_value() else float(value)
