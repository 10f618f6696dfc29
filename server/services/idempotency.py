"""Exactly-once writes keyed by the device's ``client_event_id``.

A replay (same id) returns what the first request wrote and writes nothing. The unique index is the
final arbiter: two copies racing on PostgreSQL end with one IntegrityError, turned into a replay here.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.database import retrying, write_transaction
from server.domain.errors import Conflict, DomainError
from server.extensions import db


def _find(session, model, client_event_id: str):
    return session.scalar(select(model).where(model.client_event_id == client_event_id))


def raise_reused(differing: list[str] | None = None):
    raise Conflict("client_event_id_reused",
                   "This event id was already used for a different request.",
                   "Cet identifiant d'événement a déjà servi pour une autre requête.",
                   field="client_event_id", details={"differs": differing} if differing else None)


def _check_same(existing, expected: dict):
    differing = sorted(k for k, v in expected.items() if getattr(existing, k) != v)
    if differing:
        raise_reused(differing)


def once(model, client_event_id: str, expected: dict, work: Callable):
    """Run ``work(session)`` in one write transaction unless the id is known. Returns (row, created).

    The work is attempted first and the unique index refuses a replay: new events, the common case,
    cost no extra look-up; a replay costs one rolled-back transaction.
    """
    def attempt():
        with write_transaction() as s:
            return work(s), True
    try:
        return retrying(attempt)
    except IntegrityError:
        existing = _find(db.session, model, client_event_id)
        if existing is None:
            raise
    except DomainError:
        # A replay of a request that has since become impossible (stock moved on) is still a replay.
        existing = _find(db.session, model, client_event_id)
        if existing is None:
            raise
    _check_same(existing, expected)
    return existing, False
