"""Rebuild stock levels from the ledger and compare them with the cached levels.

Quantities are compared as the stored integers (thousandths), so the check is exact on every database.
The ledger side is streamed; only the cached levels are held in memory (one entry per product × place × lot).
Both sides are read in one snapshot (REPEATABLE READ on PostgreSQL, one read transaction on SQLite), so a
check run while Tendu serves does not report a movement committed between the two reads as a difference.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import text

from server.domain.movements import fmt_qty
from server.extensions import db
from server.progress import OnProgress

LEDGER_SUMS = text("""
    SELECT product_id, location_id, lot, SUM(delta) AS qty FROM (
        SELECT product_id, to_location_id AS location_id, lot, qty AS delta
          FROM movements WHERE to_location_id IS NOT NULL
        UNION ALL
        SELECT product_id, from_location_id AS location_id, lot, -qty AS delta
          FROM movements WHERE from_location_id IS NOT NULL
    ) AS deltas
    GROUP BY product_id, location_id, lot
""")
CACHED = text("SELECT product_id, location_id, lot, qty FROM stock_levels")
# Progress is reported every this many ledger groups; the reporter throttles what it prints.
PROGRESS_EVERY = 5_000


@dataclass(frozen=True)
class Difference:
    product_id: int
    location_id: int
    lot: str
    ledger: Decimal
    cached: Decimal
    missing: bool = False  # no stock_levels row at all (as opposed to a row with the wrong quantity)

    def __str__(self) -> str:
        lot = f" lot {self.lot}" if self.lot else ""
        return (f"product {self.product_id} at location {self.location_id}{lot}: "
                f"ledger says {fmt_qty(self.ledger)}, cached level says {fmt_qty(self.cached)}")


def _qty(raw) -> Decimal:
    return Decimal(int(raw or 0)) / 1000


def scan(connection, on_progress: OnProgress | None = None) -> Iterator[Difference]:
    """Each difference, as the ledger is read. ``connection`` is a Connection or a Session, already in the
    transaction the caller wants (a snapshot to check, a locked write transaction to rebuild)."""
    cached = {(p, loc, lot): q for p, loc, lot, q in connection.execute(CACHED)}
    # Nearly every ledger group has its cached row: their count is a free estimate of the groups to read.
    expected = len(cached)
    if on_progress:
        on_progress(0, expected)  # shown while the database sorts the ledger, before the first group comes
    n = 0
    for n, (product, location, lot, qty) in enumerate(
            connection.execute(LEDGER_SUMS.execution_options(yield_per=10_000)), 1):
        have = cached.pop((product, location, lot), None)
        if int(have or 0) != int(qty):
            yield Difference(product, location, lot, _qty(qty), _qty(have), missing=have is None)
        if on_progress and n % PROGRESS_EVERY == 0:
            on_progress(n, expected)
    if on_progress:
        on_progress(n, n)
    # Cached levels the ledger never produced: fine if zero (a row emptied by moves), wrong otherwise.
    for (p, loc, lot), q in cached.items():
        if q:
            yield Difference(p, loc, lot, Decimal(0), _qty(q))


def differences(on_progress: OnProgress | None = None) -> list[Difference]:
    engine = db.engine
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        # Both reads in the transaction the connection begins by itself; closing it rolls back (nothing written).
        return list(scan(conn, on_progress))
