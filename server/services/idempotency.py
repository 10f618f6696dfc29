"""Exactly-once writes keyed by the device's ``client_event_id``.

A replay (same id) returns what the first request wrote and writes nothing. The unique index is the
final arbiter: two copies racing on PostgreSQL end with one IntegrityError, turned into a replay here.

A scan's id is refused here too: a held scan writes its movement under its own id only when a supervisor
accepts it, so a direct write taking that id first would leave the scan impossible to accept.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from server.database import retrying, write_transaction
from server.domain.errors import Conflict, DomainError
from server.extensions import db
from server.models import ScanEvent

_SCAN_ID = select(ScanEvent.__table__.c.id).where(ScanEvent.__table__.c.client_event_id == bindparam("cid"))


class _ScanId(Exception):
    """The id is a scan's (raised inside the transaction, turned into a 409 outside it)."""


def _find(session, model, client_event_id: str):
    return session.scalar(select(model).where(model.client_event_id == client_event_id))


def raise_reused(differing: list[str] | None = None, used_by: str | None = None):
    details = {**({"differs": differing} if differing else {}), **({"used_by": used_by} if used_by else {})}
    raise Conflict("client_event_id_reused",
                   "This event id was already used for a different request.",
                   "Cet identifiant d'événement a déjà servi pour une autre requête.",
                   field="client_event_id", details=details or None)


def _check_same(existing, expected: dict):
    differing = sorted(k for k, v in expected.items() if getattr(existing, k) != v)
    if differing:
        raise_reused(differing)


def once(model, client_event_id: str, expected: dict, work: Callable):
    """Run ``work(session)`` in one write transaction unless the id is known. Returns (row, created).

    The work is attempted first and the unique index refuses a replay: new events, the common case,
    cost no extra look-up but the scans' index (a direct write, never on a scan's path); a replay costs one
    rolled-back transaction.
    """
    def attempt():
        with write_transaction() as s:
            # Under the write lock on SQLite; on PostgreSQL a scan racing in between is caught by decide().
            if s.execute(_SCAN_ID, {"cid": client_event_id}).first() is not None:
                raise _ScanId
            return work(s), True
    try:
        return retrying(attempt)
    except _ScanId:
        raise_reused(used_by="scan")
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
