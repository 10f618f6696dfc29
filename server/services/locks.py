"""Per-product locks: every change to a product's stock or reservations happens under its row lock. A sales
order's picks and its shipment also take turns on the order's row (taken before any product's).

On PostgreSQL ``SELECT … FOR NO KEY UPDATE`` on the product rows, always in id order, so two transactions
never wait on each other in a cycle. NO KEY: inserting an order line takes a KEY SHARE lock on its product
(the foreign key check), which a plain FOR UPDATE would then wait for — two orders for the same product
would deadlock. On SQLite the IMMEDIATE write transaction already serialises writers.
"""
from __future__ import annotations

from sqlalchemy import select

from server.models import Product


def lock_products(session, product_ids) -> None:
    ids = sorted(set(product_ids))
    if ids and session.get_bind().dialect.name == "postgresql":
        session.execute(select(Product.id).where(Product.id.in_(ids)).order_by(Product.id).with_for_update(key_share=True))


def committed_status(session, model, order_id: int) -> str | None:
    """PostgreSQL: the order's status as committed now, read again after taking a lock its closing also takes
    (the order was read before: a close that committed since would be missed). SQLite: None, writers take
    turns and the status read is current."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return session.scalar(select(model.status).where(model.id == order_id))


def order_status_locked(session, model, order_id: int) -> str | None:
    """PostgreSQL: lock the order's row until the transaction ends and return its status as committed now (a
    shipment read before another device's shipment committed would ship the same goods twice). SQLite: None,
    the write lock already makes writers take turns and the status read is current."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    locked = select(model.status).where(model.id == order_id).with_for_update(key_share=True)
    return session.execute(locked).scalar_one()
