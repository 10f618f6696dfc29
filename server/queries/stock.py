"""Stock levels and ledger listings."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from server.extensions import db
from server.models import Location, Movement, MovementKind, Product, StockLevel
from server.queries.paging import Page, paginate
from server.services import master


def levels(sku: str | None, location: str | None, include_empty: bool, page: int, per_page: int) -> Page:
    stmt = (select(StockLevel.qty, StockLevel.lot, StockLevel.expiry, Product.sku, Product.name,
                   Location.code.label("location"))
            .join(Product, Product.id == StockLevel.product_id)
            .join(Location, Location.id == StockLevel.location_id))
    if sku:
        stmt = stmt.where(StockLevel.product_id == master.get(Product, sku).id)
    if location:
        stmt = stmt.where(StockLevel.location_id == master.get(Location, location).id)
    if not include_empty:
        stmt = stmt.where(StockLevel.qty > 0)
    stmt = stmt.order_by(Product.sku, Location.walk_order, Location.code, StockLevel.lot)
    return paginate(stmt, page, per_page, rows=True)


def movements(sku: str | None, since: datetime | None, after_id: int | None, limit: int) -> dict:
    """Keyset by id so a client syncing the ledger never skips or repeats a row."""
    source, target = aliased(Location), aliased(Location)
    stmt = (select(Movement, Product.sku, source.code.label("from_location"), target.code.label("to_location"))
            .join(Product, Product.id == Movement.product_id)
            .outerjoin(source, source.id == Movement.from_location_id)
            .outerjoin(target, target.id == Movement.to_location_id)
            .order_by(Movement.id).limit(limit))
    if sku:
        stmt = stmt.where(Movement.product_id == master.get(Product, sku).id)
    if since:
        stmt = stmt.where(Movement.recorded_at >= since)
    if after_id:
        stmt = stmt.where(Movement.id > after_id)
    items = [movement_view(m, sku_, f, t) for m, sku_, f, t in db.session.execute(stmt)]
    return {"items": items, "next_after_id": items[-1]["id"] if len(items) == limit else None}


def movement_view(m: Movement, sku: str, from_code: str | None, to_code: str | None) -> dict:
    return {"id": m.id, "client_event_id": m.client_event_id, "kind": MovementKind(m.kind).name.lower(),
            "kind_code": m.kind, "sku": sku, "qty": m.qty, "from_location": from_code, "to_location": to_code,
            "lot": m.lot or None, "expiry": m.expiry, "unit_cost": m.unit_cost, "reason": m.reason,
            "reverses_id": m.reverses_id, "po_line_id": m.po_line_id, "so_line_id": m.so_line_id,
            "occurred_at": m.occurred_at, "recorded_at": m.recorded_at, "user_id": m.user_id, "device": m.device}


def describe(m: Movement) -> dict:
    """One movement as the API shows it (the same body on a replay)."""
    codes = {loc.id: loc.code for loc in db.session.scalars(
        select(Location).where(Location.id.in_([m.from_location_id or 0, m.to_location_id or 0])))}
    sku = db.session.scalar(select(Product.sku).where(Product.id == m.product_id))
    return movement_view(m, sku, codes.get(m.from_location_id), codes.get(m.to_location_id))
