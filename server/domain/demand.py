"""Demand series: from dated order lines to dense arrays, and the Syntetos–Boylan demand classes.

Every function works on many products at once: a 2-D array has one row per product and one column per
period (day, week or month). NaN means "not observed" (a product launched late, or delisted early); a
zero means "observed, nobody asked for it". Pure numpy; no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from server.domain.errors import Invalid

# Syntetos, Boylan & Croston (2005) cut-offs, as in DESIGN §5.
ADI_CUTOFF = 1.32
CV2_CUTOFF = 0.49

SMOOTH, ERRATIC, INTERMITTENT, LUMPY, NO_DEMAND = 0, 1, 2, 3, 4
CLASS_NAMES = ("smooth", "erratic", "intermittent", "lumpy", "no_demand")

_PERIOD_UNITS = {"day": "D", "week": "W", "month": "M"}


def period_index(dates, start, unit: str = "day") -> np.ndarray:
    """Number of whole periods (``day``, ``week`` or ``month``) between ``start`` and each date.

    Weeks are numpy's (Thursday-anchored, 1970-01-01 based); pass a Monday ``start`` and use ``day``
    then ``aggregate`` with width 7 if ISO weeks matter.
    """
    code = _PERIOD_UNITS.get(unit)
    if code is None:
        raise Invalid("invalid_period_unit", f"Unknown period unit {unit!r}: use day, week or month.",
                      f"Unité de période inconnue {unit!r} : day, week ou month.", field="unit")
    dates = np.asarray(dates, dtype="datetime64[D]")
    start = np.datetime64(start, "D")
    if code == "D":
        return (dates - start).astype(np.int64)
    return (dates.astype(f"datetime64[{code}]") - start.astype(f"datetime64[{code}]")).astype(np.int64)


def bucket_demand(product_idx, period_idx, quantity, n_products: int, n_periods: int) -> np.ndarray:
    """Dense (products × periods) array of summed quantities; events outside the grid are refused.

    Every cell of the grid is observed (zero where nothing was asked); mark unobserved spans with NaN
    afterwards, e.g. with ``mask_unobserved``.
    """
    product_idx = np.asarray(product_idx, dtype=np.int64)
    period_idx = np.asarray(period_idx, dtype=np.int64)
    quantity = np.asarray(quantity, dtype=np.float64)
    if not (product_idx.shape == period_idx.shape == quantity.shape):
        raise Invalid("shape_mismatch", "Products, periods and quantities must have the same length.",
                      "Produits, périodes et quantités doivent avoir la même longueur.")
    outside = ((product_idx < 0) | (product_idx >= n_products)
               | (period_idx < 0) | (period_idx >= n_periods))
    if outside.any():
        raise Invalid("event_outside_grid", f"{int(outside.sum())} events fall outside the grid.",
                      f"{int(outside.sum())} événements tombent hors de la grille.", field="period_idx")
    _check_demand_values(quantity)
    cells = product_idx * n_periods + period_idx
    # bincount sums in one pass: far faster than np.add.at for millions of order lines.
    flat = np.bincount(cells, weights=quantity, minlength=n_products * n_periods)
    return flat.reshape(n_products, n_periods)


def mask_unobserved(demand: np.ndarray, first_period, last_period=None) -> np.ndarray:
    """Copy of ``demand`` with NaN before each product's ``first_period`` and after ``last_period``."""
    demand = np.array(demand, dtype=np.float64, ndmin=2)
    columns = np.arange(demand.shape[1])
    first = np.asarray(first_period).reshape(-1, 1)
    hidden = columns < first
    if last_period is not None:
        hidden |= columns > np.asarray(last_period).reshape(-1, 1)
    demand[hidden] = np.nan
    return demand


def aggregate(demand: np.ndarray, width: int) -> np.ndarray:
    """Sum consecutive blocks of ``width`` periods, blocks aligned on the LAST period.

    Aligning on the end keeps the most recent block complete (the one that matters for a forecast);
    the oldest incomplete block is dropped. A block touching an unobserved (NaN) period is NaN.
    """
    if int(width) != width or width < 1:
        raise Invalid("invalid_width", "Block width must be a positive integer.",
                      "La largeur de bloc doit être un entier positif.", field="width")
    demand = np.asarray(demand, dtype=np.float64)
    n_blocks = demand.shape[-1] // width
    kept = demand[..., demand.shape[-1] - n_blocks * width:]
    return kept.reshape(*demand.shape[:-1], n_blocks, width).sum(axis=-1)


@dataclass(frozen=True)
class DemandProfile:
    """Per-product Syntetos–Boylan statistics; every field has one entry per product."""
    adi: np.ndarray          # observed periods / periods with demand (inf when no demand)
    cv2: np.ndarray          # squared coefficient of variation of the non-zero sizes (NaN when none)
    n_demands: np.ndarray    # periods with a non-zero demand
    n_observed: np.ndarray   # periods not NaN
    category: np.ndarray     # SMOOTH, ERRATIC, INTERMITTENT, LUMPY or NO_DEMAND

    def names(self) -> list[str]:
        return [CLASS_NAMES[c] for c in self.category]


def classify(demand) -> DemandProfile:
    """Syntetos–Boylan class of each row of a (products × periods) array.

    ADI is the number of observed periods divided by the number of periods with demand: the mean
    inter-demand interval when the window is read as a cycle. Unlike the mean gap between the first
    and last demand, it is defined for a single demand and it counts the silence since the last one,
    so a product that stopped selling drifts to intermittent instead of looking smooth.
    CV² uses the population variance (ddof=0) of the non-zero sizes, so one demand gives CV² = 0.
    No demand at all (or nothing observed) gives NO_DEMAND, ADI = inf, CV² = NaN.
    """
    demand = np.array(demand, dtype=np.float64, ndmin=2)
    _check_demand_values(demand)
    n_observed = (~np.isnan(demand)).sum(axis=1)
    sizes = np.where(demand > 0, demand, 0.0)        # NaN > 0 is False: unobserved drops out
    n_demands = np.count_nonzero(sizes, axis=1)
    total = sizes.sum(axis=1)
    squares = np.einsum("ij,ij->i", sizes, sizes)
    with np.errstate(divide="ignore", invalid="ignore"):
        adi = np.where(n_demands > 0, n_observed / n_demands, np.inf)
        mean_size = total / n_demands
        # E[z²] − E[z]², clipped: rounding can leave a tiny negative for equal sizes.
        variance = np.maximum(squares / n_demands - mean_size ** 2, 0.0)
        cv2 = variance / mean_size ** 2
    category = np.where(adi < ADI_CUTOFF,
                        np.where(cv2 < CV2_CUTOFF, SMOOTH, ERRATIC),
                        np.where(cv2 < CV2_CUTOFF, INTERMITTENT, LUMPY))
    category = np.where(n_demands == 0, NO_DEMAND, category)
    return DemandProfile(adi=adi, cv2=cv2, n_demands=n_demands, n_observed=n_observed,
                         category=category)


def _check_demand_values(values: np.ndarray) -> None:
    # Demand is what customers asked for; returns belong to another ledger, and inf is a bug upstream.
    if np.isinf(values).any():
        raise Invalid("infinite_demand", "Demand contains an infinite value.",
                      "La demande contient une valeur infinie.", field="demand")
    if (values < 0).any():
        raise Invalid("negative_demand", "Demand cannot be negative (returns are not demand).",
                      "La demande ne peut pas être négative (les retours ne sont pas de la demande).",
                      field="demand")
