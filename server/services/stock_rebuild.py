"""Repair after a fault: every cached stock level set to what the ledger says, in one write transaction."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from server.database import write_transaction
from server.domain.errors import Conflict
from server.progress import OnProgress, ignore
from server.queries.ledger_check import Difference, scan

FIX_BATCH = 1000       # stock level rows written per statement
LEVEL_UPDATE = text("UPDATE stock_levels SET qty = :qty "
                    "WHERE product_id = :product AND location_id = :location AND lot = :lot")
# A level the ledger has but the cache lost: the lot's expiry comes back from the movements that brought it.
# (The CAST: PostgreSQL must see one type for a parameter used twice.)
LEVEL_INSERT = text("""
    INSERT INTO stock_levels (product_id, location_id, lot, qty, expiry)
    VALUES (:product, :location, CAST(:lot AS VARCHAR(64)), :qty,
            (SELECT MAX(expiry) FROM movements
              WHERE product_id = :product AND to_location_id = :location AND lot = CAST(:lot AS VARCHAR(64))))
""")


def rebuild_stock_levels(on_progress: OnProgress = ignore,
                         on_fix: Callable[[Difference], None] = lambda _diff: None) -> int:
    """Set every cached stock level to what the ledger says, in one write transaction; returns how many
    levels changed. The ledger is streamed and the corrections written by batches as they are found."""
    with write_transaction() as s:
        if s.get_bind().dialect.name == "postgresql":
            # Writers wait for the rebuild's commit, then add their deltas to the rebuilt levels: a movement
            # is either in the ledger read below or applied after. (SQLite: the IMMEDIATE transaction.)
            s.execute(text("LOCK TABLE stock_levels IN EXCLUSIVE MODE"))
        batch: list[Difference] = []
        fixed = 0
        for diff in scan(s, on_progress):
            if diff.ledger < 0:
                raise Conflict("ledger_negative",
                               f"The ledger gives a negative quantity ({diff}); nothing was rebuilt.",
                               f"Le journal donne une quantité négative ({diff}) ; rien n'a été reconstruit.")
            batch.append(diff)
            fixed += 1
            on_fix(diff)
            if len(batch) >= FIX_BATCH:
                _write_levels(s, batch)
                batch = []
        _write_levels(s, batch)
    return fixed


def _write_levels(session, diffs: list[Difference]) -> None:
    def params(d: Difference) -> dict:
        return {"product": d.product_id, "location": d.location_id, "lot": d.lot, "qty": int(d.ledger * 1000)}
    updates = [params(d) for d in diffs if not d.missing]
    inserts = [params(d) for d in diffs if d.missing]
    if updates:
        session.execute(LEVEL_UPDATE, updates)
    if inserts:
        session.execute(LEVEL_INSERT, inserts)
