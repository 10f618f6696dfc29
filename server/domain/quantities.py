"""Order quantities: EOQ, rounding to packs and MOQ, what to buy for a pull item."""
from __future__ import annotations

import numpy as np

from .errors import Invalid
from .numeric import as_float

DAYS_PER_YEAR = 365.0
# Holding cost per year as a share of the unit cost (capital, space, insurance, obsolescence), when the
# company has not set its own (TENDU_HOLDING_RATE): the textbook order of magnitude for a distributor.
HOLDING_RATE = 0.25
ORDER_COVER_WEEKS = 4       # without an ordering cost, Q covers four weeks of forecast demand


def eoq(annual_demand, ordering_cost, holding_cost_per_unit_year):
    """Economic order quantity √(2·D·S / H); 0 where there is no demand."""
    d, s, h = (np.asarray(a, dtype=float) for a in (annual_demand, ordering_cost, holding_cost_per_unit_year))
    if np.any(h <= 0) or np.any(s < 0) or np.any(d < 0):
        raise Invalid("eoq_inputs_invalid", "EOQ needs a positive holding cost and no negative demand or cost.",
                      "La quantité économique demande un coût de possession positif, ni demande ni coût négatifs.",
                      field="holding_cost")
    return as_float(np.sqrt(2.0 * d * s / h))


def base_order_quantity(daily_demand, unit_cost, ordering_cost, holding_rate=HOLDING_RATE):
    """Q before packs and MOQ: the EOQ with D = d̄·365 and H = rate × unit cost where the supplier's cost of an
    order S is known and the product has a cost; four weeks of demand otherwise (no cost to weigh against holding)."""
    d, c, s = (np.asarray(a, dtype=float) for a in (daily_demand, unit_cost, ordering_cost))
    if not holding_rate > 0:
        raise Invalid("holding_rate_invalid", "The holding rate must be positive.",
                      "Le taux de possession doit être positif.", field="holding_rate")
    d = np.maximum(d, 0.0)
    by_eoq = np.isfinite(s) & (s > 0) & np.isfinite(c) & (c > 0)
    q_eoq = eoq(d * DAYS_PER_YEAR, np.where(by_eoq, s, 0.0), holding_rate * np.where(by_eoq, c, 1.0))
    return np.where(by_eoq, q_eoq, d * 7 * ORDER_COVER_WEEKS)


def round_order_quantity(qty, moq=0.0, pack=1.0):
    """Nearest whole number of packs (at least one; the EOQ cost curve is flat, ±20 % costs < 2.5 %), then
    raised to the MOQ, itself rounded up to whole packs so an order is always whole packs."""
    q, m, p = (np.asarray(a, dtype=float) for a in (qty, moq, pack))
    if np.any(p <= 0) or np.any(m < 0) or np.any(q < 0):
        raise Invalid("pack_invalid", "Pack multiple must be positive; quantities and MOQ not negative.",
                      "Le multiple de colisage doit être positif ; quantités et minimum non négatifs.",
                      field="pack_multiple")
    packs = np.maximum(np.floor(q / p + 0.5), 1.0)          # half rounds up, not to even
    moq_packs = np.ceil(m / p - 1e-9)
    return as_float(np.maximum(packs, moq_packs) * p)


def pull_purchase_quantity(demand_qty, moq=0.0, pack=1.0):
    """What to buy for a pull item's customer order: the ordered quantity, raised to the MOQ, in whole
    packs (rounded up: a customer order must be covered)."""
    q, m, p = (np.asarray(a, dtype=float) for a in (demand_qty, moq, pack))
    if np.any(p <= 0) or np.any(q < 0) or np.any(m < 0):
        raise Invalid("pack_invalid", "Pack multiple must be positive; quantities and MOQ not negative.",
                      "Le multiple de colisage doit être positif ; quantités et minimum non négatifs.",
                      field="pack_multiple")
    return as_float(np.ceil(np.maximum(q, m) / p - 1e-9) * p)
