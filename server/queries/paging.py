"""Offset pagination for lists a person browses (keyset is used where clients sync, see movements)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from server.domain.search import fold
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
        stmt = stmt.where(_matches(model, q, columns))
    if active is not None:
        stmt = stmt.where(model.active.is_(active))
    return stmt.order_by(*columns[:1], model.id)


def _matches(model, q: str, columns):
    """``q`` anywhere in the row's stored search key, folded the same way (accents and case ignored, alike on SQLite
    and PostgreSQL: no per-row function, no database extension); a model without one: in its columns, lower-cased.
    ``%`` and ``_`` typed are plain characters (autoescape)."""
    key = getattr(model, "search_key", None)
    if key is not None:
        return key.contains(fold(q), autoescape=True)
    like = f"%{q.lower()}%"
    return db.or_(*(func.lower(c).like(like) for c in columns))
