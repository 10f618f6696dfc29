"""Offset pagination for lists a person browses (keyset is used where clients sync, see movements)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from server.extensions import db


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int


def paginate(stmt, page: int, per_page: int, rows: bool = False) -> Page:
    """One page of ``stmt``: ORM objects, or plain dicts when ``rows`` (a multi-column select)."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    window = stmt.limit(per_page).offset((page - 1) * per_page)
    if rows:
        items = [dict(r) for r in db.session.execute(window).mappings()]
    else:
        items = list(db.session.scalars(window).unique())
    return Page(items, total, page, per_page)


def search(model, q: str | None, active: bool | None, *columns):
    """A list statement over ``model`` filtered by a text search on ``columns`` and by ``active``."""
    stmt = select(model)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(db.or_(*(func.lower(c).like(like) for c in columns)))
    if active is not None:
        stmt = stmt.where(model.active.is_(active))
    return stmt.order_by(*columns[:1], model.id)
