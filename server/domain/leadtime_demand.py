"""Demand over a lead time: daily moments, σ_DL with both variabilities, the undershoot below s at a
daily review, and lead-time demand measured on the history after demand days."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import Invalid
from .numeric import as_float


# Below this many receptions the predictive factor is taken at this count (it would blow up at 3).
PREDICTIVE_MIN_N = 5


def predictive_lead_time_sd(lt_sd, n):
    """The sd of the *next* lead time when E[L] and σ_L were themselves estimated from n receptions.

    The plan uses the sample mean and sd of a few measured lead times as if they were exact. They are not:
    with n = 20 the sample sd is off by ±17 % (1 in 6 suppliers look ≥ 17 % steadier than they are), and
    the fill rate is concave in the safety stock, so the misses of the under-estimated items are not paid
    back by the surplus of the over-estimated ones: the average falls short of the target. The predictive
    distribution of a new draw (normal theory: Student t with n − 1 degrees of freedom, scale σ̂·√(1 + 1/n))
    has variance σ̂²·(1 + 1/n)·(n − 1)/(n − 3): the 1/n is the error of the estimated mean, the
    (n − 1)/(n − 3) that of the estimated sd. n = 20: ×1.083 on σ_L; n = 5: ×1.55; n = 100: ×1.015.
    ``n`` None (or the lead time was not measured) leaves σ_L as it is. Counts below
    ``PREDICTIVE_MIN_N`` use that count. Reference: Geisser, *Predictive Inference* (1993), ch. 2.
    """
    lt_sd = np.asarray(lt_sd, dtype=float)
    if n is None:
        return as_float(lt_sd)
    n = np.maximum(np.asarray(n, dtype=float), PREDICTIVE_MIN_N)
    return as_float(lt_sd * np.sqrt((1.0 + 1.0 / n) * (n - 1.0) / (n - 3.0)))


def sigma_dl(d_mean, d_sd, lt_mean, lt_sd):
    """σ of demand over a random lead time: √(E[L]·σ_d² + d̄²·σ_L²)."""
    d_mean, d_sd, lt_mean, lt_sd = (np.asarray(a, dtype=float) for a in (d_mean, d_sd, lt_mean, lt_sd))
    return as_float(np.sqrt(lt_mean * d_sd ** 2 + d_mean ** 2 * lt_sd ** 2))


def expected_undershoot(d_mean, d_sd):
    """E[U] ≈ E[D²] / (2·E[D]) = (σ_d² + d̄²) / (2·d̄) for a daily review; 0 when there is no demand.

    Renewal theory: the position crosses s by the "residual" of the daily demand that crosses it, whose
    mean is E[D²]/(2E[D]). Zero-demand days cancel out (E[D²]/E[D] is the same for the non-zero sizes), so
    the formula holds for intermittent demand too. Reference: Silver, Pyke & Peterson, *Inventory Management
    and Production Planning and Scheduling*, 3rd ed. (1998), undershoot in (s, Q) with periodic review;
    tested by Baganha, Pyke & Ferrer, "The undershoot of the reorder point: tests of an approximation",
    Int. J. Production Economics 45 (1996).
    """
    d_mean, d_sd = np.asarray(d_mean, dtype=float), np.asarray(d_sd, dtype=float)
    safe = np.where(d_mean > 0, d_mean, 1.0)
    return as_float(np.where(d_mean > 0, (d_sd ** 2 + d_mean ** 2) / (2.0 * safe), 0.0))


# ------------------------------------------------------------------------------ demand moments
@dataclass(frozen=True)
class DemandMoments:
    """Daily demand moments per product (arrays or floats)."""
    mean: Any        # d̄
    sd: Any          # σ_d (ddof=1)
    m3: Any          # E[D³], raw third moment (for the undershoot's spread)
    days: int


def daily_demand_moments(history) -> DemandMoments:
    """Moments of daily demand from a (days,) or (products, days) history, zero days included."""
    h = np.asarray(history, dtype=float)
    days = h.shape[-1]
    if days < 2:
        raise Invalid("history_too_short", "At least two days of demand history are needed.",
                      "Il faut au moins deux jours d'historique de demande.", field="history")
    mean = h.mean(axis=-1)
    centred = np.einsum("...i,...i->...", h, h) - days * mean ** 2      # Σ(x − x̄)² without a copy
    m3 = np.einsum("...i,...i,...i->...", h, h, h) / days
    return DemandMoments(as_float(mean), as_float(np.sqrt(np.maximum(centred, 0.0) / (days - 1))),
                         as_float(m3), int(days))


def undershoot_moments(d_mean, d_sd, d_m3=None):
    """Mean and sd of the undershoot U below s at a daily review (renewal-theory residual of D).

    E[U] = E[D²]/(2E[D]) (see ``expected_undershoot``) and E[U²] = E[D³]/(3E[D]). Without E[D³] the
    spread is taken as that of a constant daily demand (U uniform: Var U = E[U]²/3), the least it can be.
    """
    d_mean, d_sd = np.asarray(d_mean, dtype=float), np.asarray(d_sd, dtype=float)
    mean_u = np.asarray(expected_undershoot(d_mean, d_sd))
    if d_m3 is None:
        var_u = mean_u ** 2 / 3.0
    else:
        safe = np.where(d_mean > 0, d_mean, 1.0)
        var_u = np.where(d_mean > 0, np.asarray(d_m3, dtype=float) / (3.0 * safe), 0.0) - mean_u ** 2
    return as_float(mean_u), as_float(np.sqrt(np.maximum(var_u, 0.0)))


def _after_demand_moments(h, cum, span: int):
    """Weighted mean and variance of the demand on days t+1 … t+span, weights D_t (uniform if no demand)."""
    days = h.shape[1]
    if span == 0:
        return np.zeros(h.shape[0]), np.zeros(h.shape[0])
    window = cum[:, 1 + span:] - cum[:, 1:days + 1 - span]
    weight = h[:, :days - span]
    total = weight.sum(axis=1)
    no_demand = total <= 0
    w_sum = np.where(no_demand, window.shape[1], total)
    s1 = np.where(no_demand, window.sum(axis=1), np.einsum("ij,ij->i", weight, window))
    s2 = np.where(no_demand, np.einsum("ij,ij->i", window, window), np.einsum("ij,ij,ij->i", weight, window, window))
    m = s1 / w_sum
    return m, np.maximum(s2 / w_sum - m * m, 0.0)


def lead_time_demand_after_demand(history, lt_mean, lt_sd):
    """Mean and sd of lead-time demand *as seen when an order is triggered*, measured on the history.

    An order goes out on a day the position crosses s, and that happens on busy days (the chance is
    proportional to the day's demand). When demand comes in spells (a customer's project, a busy month),
    the days after a busy day are busier than average, and d̄·E[L], √(E[L]σ_d² + d̄²σ_L²) understate the
    risk. We take the demand of the E[L] days following each day t, weighted by D_t (interpolating between
    ⌊E[L]⌋ and ⌈E[L]⌉ days), and add the lead time's spread (d̄_c·σ_L)², d̄_c = that mean / E[L].
    With independent days this tends to the formula; measured values *below* the formula are taken as
    sampling noise (demand rarely alternates busy and quiet days on purpose), so each is floored at it.
    """
    h = np.atleast_2d(np.asarray(history, dtype=float))
    n, days = h.shape
    lt_mean = np.broadcast_to(np.asarray(lt_mean, dtype=float), (n,))
    lt_sd = np.broadcast_to(np.asarray(lt_sd, dtype=float), (n,))
    if np.any(np.floor(lt_mean) + 1 >= days):
        raise Invalid("history_too_short", "The demand history is shorter than the lead time.",
                      "L'historique de demande est plus court que le délai.", field="history")
    whole = np.floor(lt_mean).astype(int)
    frac = lt_mean - whole
    order = np.argsort(whole, kind="stable")          # products sharing ⌊E[L]⌋ become contiguous slices
    h_sorted = h[order]
    cum = np.empty((n, days + 1))
    cum[:, 0] = 0.0
    np.cumsum(h_sorted, axis=1, out=cum[:, 1:])
    mean, var = np.zeros(n), np.zeros(n)
    bounds = np.flatnonzero(np.diff(whole[order])) + 1
    for start, stop in zip(np.r_[0, bounds], np.r_[bounds, n]):
        rows = order[start:stop]
        span = whole[rows[0]]
        m_lo, v_lo = _after_demand_moments(h_sorted[start:stop], cum[start:stop], span)
        m_hi, v_hi = _after_demand_moments(h_sorted[start:stop], cum[start:stop], span + 1)
        f = frac[rows]
        mean[rows] = (1.0 - f) * m_lo + f * m_hi
        var[rows] = (1.0 - f) * v_lo + f * v_hi
    rate = np.where(lt_mean > 0, mean / np.where(lt_mean > 0, lt_mean, 1.0), 0.0)
    daily = daily_demand_moments(h)
    d_mean, d_sd = np.asarray(daily.mean), np.asarray(daily.sd)
    mean = np.maximum(mean, d_mean * lt_mean)
    sd = np.maximum(np.sqrt(var + rate ** 2 * lt_sd ** 2), np.asarray(sigma_dl(d_mean, d_sd, lt_mean, lt_sd)))
    single = np.ndim(history) == 1
    return as_float(mean[0] if single else mean), as_float(sd[0] if single else sd)
