"""Lead-time statistics and supplier reliability (DESIGN §4).

A lead time is measured per purchase-order line from its own events, end point to end point:
``available − need_detected``. The four stages are shown to explain *where* time goes, but the total is
never their sum of variances: the stages are correlated (a late supplier often ships by express).

Quantiles use Hyndman & Fan (1996) definition 7, numpy's default ``method="linear"`` (also R's default and
Excel's PERCENTILE.INC): with sorted values x₁…xₙ, the p-quantile is read at position h = (n−1)·p + 1 and
interpolated linearly between x⌊h⌋ and x⌈h⌉.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Iterable, Sequence

import numpy as np

from .errors import Invalid
from .words import en_word, fr_number, fr_percent, fr_word

QUANTILE_METHOD = "linear"
QUANTILE_METHOD_NAME = "Hyndman-Fan type 7 (numpy 'linear')"

# MAD × 1.4826 estimates σ for normal data (1 / Φ⁻¹(0.75)); robust to the odd lost delivery.
MADN_SCALE = 1.4826

# Bühlmann credibility: a product's own history gets weight n / (n + k). With k = 5, five receptions
# count as much as the supplier's pool, twenty receptions count 80 %. Chosen for a B2B catalogue where a
# supplier's products share its process (same picking, same carrier), so the pool is informative.
SHRINKAGE_K = 5.0
# From this many receptions the product's own figures are used alone (weight 29/34 = 0.85 just below).
FULL_CREDIBILITY_N = 30
# With no measurement at all, the declared lead time's spread is unknown; 25 % is a prudent coefficient
# of variation for supplier lead times until receptions are measured (replaced by the pool's CV if any).
DECLARED_CV = 0.25
Z90 = 1.2815515655446004  # Φ⁻¹(0.90), for a p90 when only a mean and sd are known

SOURCE_MEASURED = "measured"
SOURCE_SHRUNK = "shrunk_to_supplier"
SOURCE_DECLARED = "declared"
SOURCE_POOL = "supplier_pool"     # no reception of the product yet: its supplier's measured pool
SOURCE_FORCED = "forced"          # by the buyer (a product's policy_overrides)

STAGES = ("order_delay", "supplier_delay", "transport_delay", "reception_delay")
SECONDS_PER_DAY = 86_400.0


# ---------------------------------------------------------------------------------------------- stats
@dataclass(frozen=True)
class DurationStats:
    """Summary of durations in days. Statistics that need more data than ``n`` are None."""
    n: int
    mean: float | None
    sd: float | None          # sample standard deviation (ddof=1); None when n < 2
    median: float | None
    mad: float | None         # median absolute deviation from the median
    madn: float | None        # 1.4826 · MAD
    p50: float | None
    p90: float | None
    min: float | None
    max: float | None
    quantile_method: str = QUANTILE_METHOD_NAME


def _clean_durations(durations: Iterable[float], field: str) -> np.ndarray:
    values = np.asarray(list(durations) if not isinstance(durations, np.ndarray) else durations, dtype=float)
    values = values.ravel()
    if not np.all(np.isfinite(values)):
        raise Invalid("duration_not_finite", "A duration is missing or not a number.",
                      "Une durée est manquante ou n'est pas un nombre.", field=field)
    if np.any(values < 0):
        raise Invalid("duration_negative", "A duration is negative: check the order of the events.",
                      "Une durée est négative : vérifiez l'ordre des événements.", field=field)
    return values


def quantile(values: np.ndarray, p: float) -> float:
    return float(np.quantile(values, p, method=QUANTILE_METHOD))


def describe_durations(durations: Iterable[float], *, field: str = "durations") -> DurationStats:
    """n, mean, sd (ddof=1), median, MAD, MADn, p50, p90, min, max of durations in days."""
    x = _clean_durations(durations, field)
    n = int(x.size)
    if n == 0:
        return DurationStats(0, None, None, None, None, None, None, None, None, None)
    median = float(np.median(x))
    mad = float(np.median(np.abs(x - median)))
    return DurationStats(
        n=n, mean=float(x.mean()), sd=float(x.std(ddof=1)) if n >= 2 else None,
        median=median, mad=mad, madn=MADN_SCALE * mad,
        p50=quantile(x, 0.5), p90=quantile(x, 0.9), min=float(x.min()), max=float(x.max()),
    )


# ------------------------------------------------------------------------------------------ estimate
@dataclass(frozen=True)
class LeadTimeEstimate:
    """The lead time to plan with, and where it came from."""
    source: str               # "measured" | "shrunk_to_supplier" | "supplier_pool" | "declared" | "forced"
    mean: float
    sd: float
    p50: float
    p90: float
    n: int                    # the product's own receptions
    weight: float             # weight of the product's own data in mean/p50/p90 (1 = own data only)
    product: DurationStats
    supplier: DurationStats
    declared_days: float | None
    note_en: str
    note_fr: str


def credibility_weight(n: int, k: float = SHRINKAGE_K) -> float:
    """Bühlmann weight n / (n + k) of a product's own history against its supplier's pool."""
    return n / (n + k) if n > 0 else 0.0


def _blend(own: float | None, pool: float | None, w: float) -> float:
    if own is None:
        return float(pool)
    if pool is None:
        return float(own)
    return w * own + (1.0 - w) * pool


def _from_declared(declared: float, pool: DurationStats, product: DurationStats) -> LeadTimeEstimate:
    """No reception of this product and no measured pool to lean on (fewer than two lines of the supplier): the
    supplier's word, with the usual spread of a promise."""
    cv = DECLARED_CV
    sd = declared * cv
    none_en, none_fr = (("for this product nor its supplier", "pour ce produit ni pour son fournisseur") if pool.n == 0
                        else ("for this product and only one for its supplier",
                              "pour ce produit et une seule pour son fournisseur"))
    return LeadTimeEstimate(
        SOURCE_DECLARED, declared, sd, declared, declared + Z90 * sd, 0, 0.0, product, pool, declared,
        f"No reception measured {none_en}: supplier's declared {declared:g} days, spread assumed "
        f"(CV {cv:.2f}).",
        f"Aucune réception mesurée {none_fr} : délai annoncé par le fournisseur, {fr_number(declared)} jours, "
        f"dispersion supposée (CV {fr_number(cv, '.2f')}).",
    )


def _from_pool(pool: DurationStats, product: DurationStats, declared: float | None, k: float,
               prior: DurationStats, pool_weight: float) -> LeadTimeEstimate:
    """No reception of this product yet: its supplier's measured pool (``prior``: blended with the promise while
    the pool is small), which is what the credibility blend w·own + (1 − w)·pool gives at n = 0 (w = 0). A
    product's first reception then moves the estimate by 1/(1 + k) of the way: no jump between a product never
    bought and one bought once (it jumped to the declared figure)."""
    # (one line of the supplier and no promise: its spread is assumed, as for a product's single reception)
    sd = prior.sd if prior.sd is not None else prior.mean * DECLARED_CV
    said = _declared_said(declared, pool_weight, k)
    return LeadTimeEstimate(
        SOURCE_POOL, prior.mean, sd, prior.p50, prior.p90, 0, 0.0, product, pool, declared,
        f"No reception of this product yet: its supplier's {pool.n} measured "
        f"{en_word(pool.n, 'reception', 'receptions')} (weight n/(n+{k:g}) = 0 for its own){said[0]}.",
        f"Aucune réception de ce produit : "
        f"{fr_word(pool.n, 'la réception mesurée', f'les {pool.n} réceptions mesurées')} de son fournisseur "
        f"(poids n/(n+{k:g}) = 0 pour les siennes){said[1]}.",
    )


def _declared_said(declared: float | None, pool_weight: float, k: float) -> tuple[str, str]:
    """What the notes say of the promise: only declared, or weighed against the supplier's few lines."""
    if declared is None:
        return "", ""
    if pool_weight < 1.0:
        return (f", weighted {pool_weight:.0%} against the {declared:g} days it declares (weight m/(m+{k:g}) for "
                "its m deliveries)",
                f", pondérées à {fr_percent(pool_weight)} face aux {fr_number(declared)} jours qu'il annonce "
                f"(poids m/(m+{k:g}) pour ses m livraisons)")
    return f"; it declares {declared:g} days", f" ; il annonce {fr_number(declared)} jours"


def _shrunk(product: DurationStats, pool: DurationStats, k: float, declared: float | None, *,
            toward_promise: bool = False, prior: DurationStats | None = None,
            pool_weight: float = 1.0) -> LeadTimeEstimate:
    """The product's few receptions blended with a prior: the supplier's pool, or with ``toward_promise`` (no
    other line of the supplier) the declared lead time with the usual spread of a promise, so that one on-time
    reception does not make the lead time look certain."""
    w = credibility_weight(product.n, k)
    # The variance's credibility counts degrees of freedom (n − 1): one reception says nothing of spread.
    w_var = credibility_weight(product.n - 1, k)
    if toward_promise:
        prior_sd = declared * DECLARED_CV
        mean, var, p50, p90 = declared, prior_sd ** 2, declared, declared + Z90 * prior_sd
        against = (f"the supplier's declared {declared:g} days (spread assumed, CV {DECLARED_CV:.2f})",
                   f"au délai annoncé de {fr_number(declared)} jours "
                   f"(dispersion supposée, CV {fr_number(DECLARED_CV, '.2f')})")
    else:
        prior = prior or pool
        mean, var, p50, p90 = prior.mean, prior.sd ** 2 if prior.sd is not None else 0.0, prior.p50, prior.p90
        said = _declared_said(declared, pool_weight, k) if pool_weight < 1.0 else ("", "")
        against = (f"the supplier's {pool.n} {en_word(pool.n, 'reception', 'receptions')}{said[0]}",
                   (f"à {pool.n} réception du fournisseur" if pool.n < 2 else f"aux {pool.n} réceptions du fournisseur")
                   + said[1])
    own_var = product.sd ** 2 if product.sd is not None else None
    return LeadTimeEstimate(
        SOURCE_SHRUNK, _blend(product.mean, mean, w), math.sqrt(_blend(own_var, var, w_var)),
        _blend(product.p50, p50, w), _blend(product.p90, p90, w), product.n, w, product, pool, declared,
        f"{product.n} {en_word(product.n, 'reception', 'receptions')} of this product, weighted {w:.0%} against "
        f"{against[0]} (weight n/(n+{k:g})).",
        f"{product.n} {fr_word(product.n, 'réception de ce produit, pondérée', 'réceptions de ce produit, pondérées')}"
        f" à {fr_percent(w)} face {against[1]} (poids n/(n+{k:g})).",
    )


def _measured(product: DurationStats, pool: DurationStats, declared: float | None) -> LeadTimeEstimate:
    # (one reception and nothing else known: its spread is assumed, as for a promise, not zero)
    sd = product.sd if product.sd is not None else product.mean * DECLARED_CV
    return LeadTimeEstimate(
        SOURCE_MEASURED, product.mean, sd, product.p50, product.p90, product.n, 1.0, product, pool, declared,
        f"Measured on {product.n} {en_word(product.n, 'reception', 'receptions')} of this product.",
        f"Mesuré sur {product.n} {fr_word(product.n, 'réception', 'réceptions')} de ce produit.",
    )


def with_forced(estimate: LeadTimeEstimate, mean: float | None = None, sd: float | None = None) -> LeadTimeEstimate:
    """The buyer's lead time (a product's ``policy_overrides`` ``lead_time_mean``, ``lead_time_sd``) in place of the
    estimate: the plan uses it, so do the dates the goods are expected by. Its p50 is the mean and its p90 the mean
    + z₉₀·sd, as for a promise; a forced sd alone keeps the estimate's mean."""
    if mean is None and sd is None:
        return estimate
    mean = estimate.mean if mean is None else float(mean)
    sd = estimate.sd if sd is None else float(sd)
    return replace(estimate, source=SOURCE_FORCED, mean=mean, sd=sd, p50=mean, p90=mean + Z90 * sd,
                   note_en=f"Forced by the buyer: {mean:.3g} days, spread {sd:.3g}.",
                   note_fr=f"Forcé par l'acheteur : {fr_number(mean)} jours, dispersion {fr_number(sd)}.")


def _pool_prior(pool: DurationStats, declared: float | None, k: float, full_credibility_n: int,
                deliveries: int | None = None) -> tuple[DurationStats, float]:
    """The supplier's pool as a prior, and its weight: a pool of a few deliveries (one test order received the same
    day made every product of its supplier 0 days) is blended with the declared lead time as a product's few
    receptions are with the pool, w = m/(m+k) for its m deliveries (``deliveries``: the orders its lines came on —
    ten lines of one delivery are one observation of the supplier, not ten; its lines when not given); from
    ``full_credibility_n``, or with no promise, alone."""
    m = pool.n if deliveries is None else min(deliveries, pool.n)
    if declared is None or m >= full_credibility_n or pool.n < 2:
        return pool, 1.0
    w = credibility_weight(m, k)
    w_var = credibility_weight(m - 1, k)
    promise_sd = declared * DECLARED_CV
    var = _blend(pool.sd ** 2 if pool.sd is not None else None, promise_sd ** 2, w_var)
    return replace(pool, mean=_blend(pool.mean, declared, w), sd=math.sqrt(var), p50=_blend(pool.p50, declared, w),
                   p90=_blend(pool.p90, declared + Z90 * promise_sd, w)), w


def estimate_lead_time(product_durations: Iterable[float], supplier_durations: Iterable[float] = (),
                       declared_days: float | None = None, *, k: float = SHRINKAGE_K,
                       full_credibility_n: int = FULL_CREDIBILITY_N,
                       pool_deliveries: int | None = None) -> LeadTimeEstimate:
    """Lead time to plan with for one product.

    - n == 0 and a supplier pool of ≥ 2 lines: the pool itself (source "supplier_pool"), which is the blend below
      at n = 0 (w = 0): a product not bought yet is planned on how its supplier delivers, not on its promise;
    - n == 0 otherwise: the supplier's declared lead time (spread ``DECLARED_CV``); without a declared figure, the
      pool's one line; nothing measured nor declared is refused;
    - 1 ≤ n < ``full_credibility_n`` and a supplier pool of ≥ 2 lines: each statistic is the credibility
      blend w·own + (1−w)·pool with w = n/(n+k); the variance uses w = (n−1)/(n−1+k);
    - the same with fewer pool lines: the same blend toward the declared lead time (spread ``DECLARED_CV``).
    - otherwise: the product's own measurements.
    ``supplier_durations`` is the supplier's pool (all its lines, this product's included). The prior a product's
    few receptions shrink toward is the same at n = 0 and n ≥ 1: the pool when it has ≥ 2 lines, else the promise.
    """
    product = describe_durations(product_durations, field="product_durations")
    pool = describe_durations(supplier_durations, field="supplier_durations")
    if declared_days is not None and not (math.isfinite(declared_days) and declared_days >= 0):
        raise Invalid("declared_lead_time_invalid", "The declared lead time must be zero or more days.",
                      "Le délai annoncé doit être d'au moins zéro jour.", field="declared_days")
    prior, pool_weight = _pool_prior(pool, declared_days, k, full_credibility_n, pool_deliveries)
    if product.n == 0:
        if pool.n >= 2 or (pool.n == 1 and declared_days is None):
            return _from_pool(pool, product, declared_days, k, prior, pool_weight)
        if declared_days is not None:
            return _from_declared(float(declared_days), pool, product)
        raise Invalid("lead_time_unknown", "No lead time measured nor declared for this supplier.",
                      "Aucun délai mesuré ni annoncé pour ce fournisseur.", field="declared_days")
    if product.n < full_credibility_n and pool.n >= 2:
        return _shrunk(product, pool, k, declared_days, prior=prior, pool_weight=pool_weight)
    if product.n < full_credibility_n and declared_days is not None:
        return _shrunk(product, pool, k, float(declared_days), toward_promise=True)
    return _measured(product, pool, declared_days)


# ------------------------------------------------------------------------------------------- stages
@dataclass(frozen=True)
class StageBreakdown:
    """Durations in days; None where an event bounding it is missing."""
    total: float | None
    order_delay: float | None       # need detected → PO sent
    supplier_delay: float | None    # PO sent → shipped
    transport_delay: float | None   # shipped → arrived at dock
    reception_delay: float | None   # arrived → available in stock (put away)


def days_between(start, end) -> float | None:
    """end − start in days for datetimes, dates or plain day numbers; None if either is missing."""
    if start is None or end is None:
        return None
    if isinstance(start, datetime) != isinstance(end, datetime):
        raise Invalid("mixed_time_types", "Dates and date-times cannot be mixed.",
                      "On ne peut pas mélanger dates et dates-heures.")
    if isinstance(start, (datetime, date)):
        return (end - start).total_seconds() / SECONDS_PER_DAY
    return float(end) - float(start)


def stage_breakdown(need_detected=None, ordered=None, shipped=None, arrived=None,
                    available=None) -> StageBreakdown:
    """Total and the four stages of one PO line. ``available`` is the put-away time (or the receipt when
    there is no put-away step). The total comes from the end points, so a missing middle event does not
    hide it; without a need detected (an order typed by hand) it runs from the order, order taking unknown."""
    points = [need_detected, ordered, shipped, arrived, available]
    present = [p for p in points if p is not None]
    for earlier, later in zip(present, present[1:]):
        if days_between(earlier, later) < 0:
            raise Invalid("events_out_of_order", "The events of this line are out of order.",
                          "Les événements de cette ligne ne sont pas dans l'ordre.")
    stages = [days_between(a, b) for a, b in zip(points, points[1:])]
    start = need_detected if need_detected is not None else ordered
    return StageBreakdown(days_between(start, available), *stages)


def stage_durations(need_detected: np.ndarray, ordered: np.ndarray, shipped: np.ndarray,
                    arrived: np.ndarray, available: np.ndarray) -> dict[str, np.ndarray]:
    """Vectorised ``stage_breakdown`` for many lines: datetime64 arrays (NaT where missing) → float days
    (NaN where missing). Ordering is not checked here; filter negative values before describing them."""
    points = [np.asarray(p, dtype="datetime64[s]") for p in (need_detected, ordered, shipped, arrived, available)]

    def span(a, b):
        delta = (b - a).astype("timedelta64[s]")
        days = delta.astype(np.int64).astype(float) / SECONDS_PER_DAY
        return np.where(np.isnat(delta), np.nan, days)

    out = {name: span(a, b) for name, a, b in zip(STAGES, points, points[1:])}
    out["total"] = span(np.where(np.isnat(points[0]), points[1], points[0]), points[-1])  # (as stage_breakdown)
    return out


# -------------------------------------------------------------------------------------- reliability
@dataclass(frozen=True)
class LineOutcome:
    """What a supplier promised and did on one PO line."""
    ordered_qty: float
    promised_at: date | datetime | float
    first_received_at: date | datetime | float | None = None   # None: nothing received yet
    first_receipt_qty: float = 0.0
    received_qty: float = 0.0                                   # all receipts of the line so far


@dataclass(frozen=True)
class LatenessSummary:
    """Days late per line (negative = early) over received lines."""
    n: int
    mean: float | None
    p50: float | None
    p90: float | None
    max: float | None
    late_share: float | None            # share of lines later than the window
    mean_days_late_when_late: float | None
    quantile_method: str = QUANTILE_METHOD_NAME


@dataclass(frozen=True)
class SupplierReliability:
    lines: int                # lines judged (received or overdue)
    otif_lines: int
    otif: float | None        # on time AND in full, per line, jointly
    on_time: float | None     # for information: each criterion alone
    in_full: float | None
    fill_rate: float | None   # Σ min(received, ordered) / Σ ordered
    overdue_lines: int        # not received, window over: count as failures
    pending_lines: int        # not received, still in time: not judged yet
    lateness: LatenessSummary
    days_late: tuple[float, ...]


def _lateness_summary(days_late: np.ndarray, late_days: float) -> LatenessSummary:
    if days_late.size == 0:
        return LatenessSummary(0, None, None, None, None, None, None)
    late = days_late[days_late > late_days]
    return LatenessSummary(
        n=int(days_late.size), mean=float(days_late.mean()), p50=quantile(days_late, 0.5),
        p90=quantile(days_late, 0.9), max=float(days_late.max()), late_share=late.size / days_late.size,
        mean_days_late_when_late=float(late.mean()) if late.size else None,
    )


def supplier_reliability(lines: Sequence[LineOutcome], *, early_days: float = math.inf,
                         late_days: float = 0.0, as_of=None) -> SupplierReliability:
    """OTIF, fill rate and lateness of a supplier's lines.

    On time: the first receipt falls in [promised − early_days, promised + late_days] (default: any day up
    to the promised one). In full: the first receipt brings the whole ordered quantity. OTIF counts lines
    meeting both at once. A line not received whose window ended before ``as_of`` is an OTIF failure and
    counts with what it received (nothing) in the fill rate; one still in time is left out (pending).
    Over-deliveries do not make up for shortages elsewhere: each line's receipt is capped at its order.
    """
    judged = ontime = infull = otif = overdue = pending = 0
    ordered_units = received_units = 0.0
    days_late = []
    for line in lines:
        if not line.ordered_qty > 0:
            raise Invalid("ordered_qty_not_positive", "An ordered quantity must be greater than zero.",
                          "Une quantité commandée doit être supérieure à zéro.", field="ordered_qty")
        if line.first_received_at is None:
            window_over = as_of is not None and days_between(line.promised_at, as_of) > late_days
            if not window_over:
                pending += 1
                continue
            overdue += 1
        else:
            lateness = days_between(line.promised_at, line.first_received_at)
            days_late.append(lateness)
            is_on_time = -early_days <= lateness <= late_days
            is_in_full = line.first_receipt_qty >= line.ordered_qty
            ontime += is_on_time
            infull += is_in_full
            otif += is_on_time and is_in_full
        judged += 1
        ordered_units += line.ordered_qty
        received_units += min(line.received_qty, line.ordered_qty)

    def share(count: int) -> float | None:
        return count / judged if judged else None

    return SupplierReliability(
        lines=judged, otif_lines=otif, otif=share(otif), on_time=share(ontime), in_full=share(infull),
        fill_rate=received_units / ordered_units if ordered_units else None,
        overdue_lines=overdue, pending_lines=pending,
        lateness=_lateness_summary(np.asarray(days_late, dtype=float), late_days),
        days_late=tuple(days_late),
    )
