"""Per-product locks: every change to a product's stock or reservations happens under its row lock.

On PostgreSQL ``SELECT … FOR UPDATE`` on the product rows, always in id order, so two transactions never
wait on each other in a cycle. On SQLite the IMMEDIATE write transaction already serialises writers and
``FOR UPDATE`` is not emitted.
"""
from __future__ import annotations

from sqlalchemy import select

from server.models import Product


def lock_products(session, product_ids) -> None:
    ids = sorted(set(product_ids))
    if ids:
        session.execute(select(Product.id).where(Product.id.in_(ids)).order_by(Product.id).with_for_update())
