"""Order quantities: EOQ, rounding to packs and MOQ, what to buy for a pull item."""
from __future__ import annotations

import numpy as np

from .errors import Invalid
from .numeric import as_float

DAYS_PER_YEAR = 365.0


def eoq(annual_demand, ordering_cost, holding_cost_per_unit_year):
    """Economic order quantity √(2·D·S / H); 0 where there is no demand."""
    d, s, h = (np.asarray(a, dtype=float) for a in (annual_demand, ordering_cost, holding_cost_per_unit_year))
    if np.any(h <= 0) or np.any(s < 0) or np.any(d < 0):
        raise Invalid("eoq_inputs_invalid", "EOQ needs a positive holding cost and no negative demand or cost.",
                      "La quantité économique demande un coût de possession positif, ni demande ni coût négatifs.",
                      field="holding_cost")
    return as_float(np.sqrt(2.0 * d * s / h))


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
