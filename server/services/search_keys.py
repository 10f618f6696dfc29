"""Every searched row's ``search_key`` (its code and name folded: ``domain.search``) kept in step with them.

Mapper events, so that every write through the ORM (master-data edits, CSV imports, demo data) keeps the key with no
writer having to remember it. A bulk insert that bypasses the unit of work (bench/load.py) passes the key itself; the
column is NOT NULL so that one which forgets fails at once instead of writing rows no search can find.
"""
from __future__ import annotations

from sqlalchemy import event

from server.domain.search import search_key
from server.models import Customer, Product, Supplier

CODE_OF = {Product: "sku", Supplier: "code", Customer: "code"}


def _refresh(_mapper, _connection, target) -> None:
    target.search_key = search_key(getattr(target, CODE_OF[type(target)]), target.name)


def install() -> None:
    """Listen once (``create_app`` calls this for every app a process makes)."""
    for model in CODE_OF:
        for name in ("before_insert", "before_update"):
            if not event.contains(model, name, _refresh):
                event.listen(model, name, _refresh)
