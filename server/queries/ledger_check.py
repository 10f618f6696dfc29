"""Rebuild stock levels from the ledger and compare them with the cached levels.

Quantities are compared as the stored integers (thousandths), so the check is exact on every database.
The ledger side is streamed; only the cached levels are held in memory (one entry per product × place × lot).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import text

from server.domain.movements import fmt_qty
from server.extensions import db

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


@dataclass(frozen=True)
class Difference:
    product_id: int
    location_id: int
    lot: str
    ledger: Decimal
    cached: Decimal

    def __str__(self) -> str:
        lot = f" lot {self.lot}" if self.lot else ""
        return (f"product {self.product_id} at location {self.location_id}{lot}: "
                f"ledger says {fmt_qty(self.ledger)}, cached level says {fmt_qty(self.cached)}")


def _qty(raw) -> Decimal:
    return Decimal(int(raw or 0)) / 1000


def differences(on_progress=None) -> list[Difference]:
    session = db.session
    cached = {(p, loc, lot): q for p, loc, lot, q in session.execute(CACHED)}
    found = []
    for n, (product, location, lot, qty) in enumerate(session.execute(LEDGER_SUMS.execution_options(yield_per=10_000)), 1):
        have = cached.pop((product, location, lot), 0)
        if int(have) != int(qty):
            found.append(Difference(product, location, lot, _qty(qty), _qty(have)))
        if on_progress and n % 10_000 == 0:
            on_progress(n)
    # Cached levels the ledger never produced: fine if zero (a row emptied by moves), wrong otherwise.
    found += [Difference(p, loc, lot, Decimal(0), _qty(q)) for (p, loc, lot), q in cached.items() if q]
    session.rollback()
    return found
