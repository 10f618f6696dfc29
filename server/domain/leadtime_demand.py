"""Demand over a lead time: daily moments, σ_DL with both variabilities, the undershoot below s at a
daily review, and lead-time demand measured on the history (clustering and estimation noise included)."""
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


# ------------------------------------------------------------------------------ lead-time demand
# Jackknife blocks: four weeks (longer than most spells of orders, and 13 blocks in a 364-day history).
BLOCK_DAYS = 28
# Floor of the effective degrees of freedom ν: the predictive variance at most doubles (ν/(ν − 2) = 2), as
# PREDICTIVE_MIN_N does for σ_L.
MIN_DOF = 4.0


@dataclass(frozen=True)
class LeadTimeDemand:
    """Demand over a lead time as seen by the units demanded, measured on the history (arrays or floats).

    X_L is the demand of the E[L] days *before* a unit is demanded, weighted by the units demanded that day
    (see ``lead_time_demand``); its predictive variance adds the estimation noise of the history."""
    mean: Any            # μ = d̄·E[L]·(1 + c)
    sd: Any              # √(V·ν/(ν − 2) + Var μ̂ + (d̄(1 + c)·σ_L)²)
    clustering: Any      # c ≥ 0: extra demand next to a demand, as a share of d̄·E[L] (0 for independent days)
    variance: Any        # V = (1 + c)·E[L]·(σ_d² − d̄²c) + (d̄·E[L])²·c(1 + c), at least E[L]·σ_d²
    dof: Any             # ν: effective degrees of freedom of V (block jackknife; capped at 2 × demand days)
    mean_var: Any        # Var μ̂: block-jackknife variance of the measured mean, at least E[L]²(1 + c)²σ_d²/days
    lead_time_mean: Any  # E[L] it was measured for

    @property
    def demand_variance(self):
        """Predictive variance of the demand part, before the lead time's own spread: V·ν/(ν − 2) + Var μ̂."""
        return as_float(np.asarray(self.variance) * _inflation(self.dof) + np.asarray(self.mean_var))

    def at(self, daily_mean, lt_sd):
        """(μ, σ) for another daily level (a forecast) and lead-time sd, keeping the measured clustering and
        the demand part of the variance: μ = d·E[L]·(1 + c), σ = √(V·ν/(ν − 2) + Var μ̂ + (d(1 + c)·σ_L)²)."""
        d, lt_sd = np.asarray(daily_mean, dtype=float), np.asarray(lt_sd, dtype=float)
        rate = d * (1.0 + np.asarray(self.clustering))
        mean = rate * np.asarray(self.lead_time_mean)
        return as_float(mean), as_float(np.sqrt(np.asarray(self.demand_variance) + rate ** 2 * lt_sd ** 2))


def _inflation(dof):
    """E[σ²]/s² for a variance estimate with ν degrees of freedom (scaled inverse χ²): ν/(ν − 2); 1 if ν = ∞."""
    dof = np.asarray(dof, dtype=float)
    return np.where(np.isfinite(dof), dof / np.where(np.isfinite(dof), dof - 2.0, 1.0), 1.0)


def clustered_variance(d_mean, d_var, lt_mean, clustering):
    """Variance of the demand over E[L] days before a unit demanded, when demand clusters by c.

    Model: the daily rate Λ drifts slowly (a busy month, a customer's project) and is gamma-distributed with
    squared CV c; given Λ, days are independent (compound Poisson). A unit demanded picks a day in
    proportion to Λ (size-biased: shape + 1), so the E[L] days around it have mean d̄·E[L]·(1 + c) and
        V = (1 + c)·E[L]·(σ_d² − d̄²c) + (d̄·E[L])²·c·(1 + c),
    σ_d² − d̄²c being the within-rate (Poisson) part of the daily variance. c = 0 gives E[L]·σ_d². Only the
    first two moments of the history are needed: the weighted variance measured directly is a third moment,
    too noisy from a few dozen demand days."""
    d_mean, d_var, lt_mean, c = (np.asarray(a, dtype=float) for a in (d_mean, d_var, lt_mean, clustering))
    return (1.0 + c) * lt_mean * np.maximum(d_var - d_mean ** 2 * c, 0.0) + (d_mean * lt_mean) ** 2 * c * (1.0 + c)


def _before_demand_sums(h, whole, frac, first: int, nb: int, block_days: int):
    """Σ D_τ and Σ D_τ·W_τ over the scored days τ (all, and per block of τ), W_τ the demand of the E[L]
    days before τ (⌊E[L]⌋ and ⌊E[L]⌋ + 1 days, interpolated). Rows sharing ⌊E[L]⌋ are done together."""
    n, days = h.shape
    a0, a1 = np.zeros(n), np.zeros(n)
    s0, s1 = np.zeros((n, nb)), np.zeros((n, nb))
    order = np.argsort(whole, kind="stable")
    bounds = np.flatnonzero(np.diff(whole[order])) + 1
    for start, stop in zip(np.r_[0, bounds], np.r_[bounds, n]):
        rows = order[start:stop]
        span = int(whole[rows[0]])
        hg = h[rows]
        cum = np.zeros((rows.size, days + 1))
        np.cumsum(hg, axis=1, out=cum[:, 1:])
        # scored days τ = span + 1 … days − 1; W over τ − span … τ − 1 (lo) or τ − span − 1 … τ − 1 (hi)
        after = cum[:, span + 1:days]
        lo = after - cum[:, 1:days - span]
        hi = after - cum[:, 0:days - span - 1]
        window = lo + frac[rows, None] * (hi - lo)
        weight = hg[:, span + 1:]
        product = weight * window
        a0[rows], a1[rows] = weight.sum(axis=1), product.sum(axis=1)
        if nb:
            skip = first - (span + 1)          # scored days before the first block (never left out)
            for src, dst in ((weight, s0), (product, s1)):
                full = np.zeros((rows.size, nb * block_days))
                full[:, max(-skip, 0):] = src[:, max(skip, 0):]
                dst[rows] = full.reshape(rows.size, nb, block_days).sum(axis=2)
    return a0, a1, s0, s1


def lead_time_demand(history, lt_mean, lt_sd, *, block_days: int = BLOCK_DAYS) -> LeadTimeDemand:
    """Mean and predictive sd of the lead-time demand the reorder point must cover, from a (days,) or
    (products, days) history.

    *Which days.* A unit demanded on day τ is short when the position at the last order before it, less
    the demand of the lead time in between, does not cover it; with daily review the shortage per day is
    E[(D_L + D_τ − IP)⁺ − (D_L − IP)⁺], D_L the demand of the E[L] days *before* τ. Counted per unit
    demanded, each day weighs by D_τ (this is exactly the X = D_L + U of the fill-rate equation, U the
    undershoot). When demand comes in spells the days next to a demand are busier than average:
    a = Σ D_τ·W_τ / Σ D_τ (W_τ the demand of the E[L] days before τ) exceeds d̄·E[L]; c = a/(d̄·E[L]) − 1,
    floored at 0 (a lower value is taken as noise). The variance comes from ``clustered_variance``.

    *Estimation noise.* The figures come from one history; the plan must hold for the next lead time. As
    for σ_L (``predictive_lead_time_sd``), the predictive variance is E[σ²|data] + Var μ̂:
    - V is inflated by ν/(ν − 2), ν = 2V²/Var(V̂) its effective degrees of freedom (a variance estimate
      with ν degrees of freedom, scaled inverse χ²), capped at 2 × the number of demand days (a compound
      Poisson variance estimate cannot have more: Var(s²)/σ⁴ ≥ 1/n), floored at ``MIN_DOF``;
    - Var μ̂, the sampling variance of a, is added (at least that of d̄·E[L]·(1 + c) with independent days,
      E[L]²(1 + c)²σ_d²/days).
    Var(V̂) and Var μ̂ come from a delete-one-block jackknife over blocks of ``block_days`` days (aligned
    on the last day; older days stay in every replicate), valid when days are dependent within a spell
    (Künsch 1989); c is held at its estimate in the replicates of V (its noise is in Var μ̂).
    Lead-time spread: + (d̄(1 + c)·σ_L)². See bench/README.md (policy_sim) for what each part is worth.
    """
    single = np.ndim(history) == 1
    h = np.atleast_2d(np.asarray(history, dtype=float))
    n, days = h.shape
    lt_mean = np.array(np.broadcast_to(np.asarray(lt_mean, dtype=float), (n,)))
    lt_sd = np.broadcast_to(np.asarray(lt_sd, dtype=float), (n,))
    if np.any(~(lt_mean >= 0)) or np.any(np.floor(lt_mean) + 2 > days):
        raise Invalid("history_too_short", "The demand history is shorter than the lead time.",
                      "L'historique de demande est plus court que le délai.", field="history")
    whole = np.floor(lt_mean).astype(int)
    frac = lt_mean - whole
    total = h.sum(axis=1)
    squares = np.einsum("ij,ij->i", h, h)
    d_mean = total / days
    d_var = np.maximum(squares - days * d_mean ** 2, 0.0) / (days - 1)
    nb = days // block_days if days // block_days >= 2 else 0
    first = days - nb * block_days
    a0, a1, s0, s1 = _before_demand_sums(h, whole, frac, first, nb, block_days)
    formula = d_mean * lt_mean
    a = np.where(a0 > 0, a1 / np.where(a0 > 0, a0, 1.0), 0.0)
    c = np.where((a0 > 0) & (formula > 0), np.maximum(a / np.where(formula > 0, formula, 1.0) - 1.0, 0.0), 0.0)
    mean = formula * (1.0 + c)
    variance = np.maximum(clustered_variance(d_mean, d_var, lt_mean, c), lt_mean * d_var)
    var_v = mean_var = np.zeros(n)
    if nb:
        blocks = h[:, first:].reshape(n, nb, block_days)
        rest = days - block_days
        dm_b = (total[:, None] - blocks.sum(axis=2)) / rest
        sq_b = squares[:, None] - np.einsum("ijk,ijk->ij", blocks, blocks)
        dv_b = np.maximum(sq_b - rest * dm_b ** 2, 0.0) / (rest - 1)
        v_b = np.maximum(clustered_variance(dm_b, dv_b, lt_mean[:, None], c[:, None]), lt_mean[:, None] * dv_b)
        left = a0[:, None] - s0
        a_b = np.where(left > 0, (a1[:, None] - s1) / np.where(left > 0, left, 1.0), a[:, None])

        def jackknife(x):
            return (nb - 1) / nb * np.sum((x - x.mean(axis=1, keepdims=True)) ** 2, axis=1)
        var_v, mean_var = jackknife(v_b), jackknife(a_b)
    demand_days = np.count_nonzero(h, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        dof = np.where(var_v > 0, 2.0 * variance ** 2 / var_v, np.inf)
    dof = np.maximum(np.minimum(dof, 2.0 * demand_days), MIN_DOF)
    mean_var = np.maximum(mean_var, (lt_mean * (1.0 + c)) ** 2 * d_var / days)
    predictive = variance * _inflation(dof) + mean_var
    sd = np.sqrt(predictive + (d_mean * (1.0 + c) * lt_sd) ** 2)
    pick = (lambda v: as_float(np.asarray(v)[0])) if single else as_float
    return LeadTimeDemand(*(pick(v) for v in (mean, sd, c, variance, dof, mean_var, lt_mean)))


def window_sum_variance(history, window) -> np.ndarray:
    """Variance of the demand of ``window`` consecutive days (per product; a fractional window interpolates
    between whole days), measured on the history's overlapping windows, at least window·σ_d².

    This is what periodic review (R, S) must cover: the order goes out on a fixed day, whatever the demand
    did, so the window is not size-biased as the (s, Q) one is (``lead_time_demand``), but demand that comes
    in spells makes a window's total far more variable than window·σ_d² (independent days): on carparts-like
    demand the formula left (R, S) 5–7 points below its fill-rate target (bench/README.md, policy_sim)."""
    h = np.atleast_2d(np.asarray(history, dtype=float))
    n, days = h.shape
    window = np.array(np.broadcast_to(np.asarray(window, dtype=float), (n,)))
    if np.any(~(window >= 0)) or np.any(np.floor(window) + 2 > days):
        raise Invalid("history_too_short", "The demand history is shorter than the review period and lead time.",
                      "L'historique de demande est plus court que la période de revue et le délai.", field="history")
    cum = np.concatenate([np.zeros((n, 1)), np.cumsum(h, axis=1)], axis=1)
    whole = np.floor(window).astype(int)
    at = {}
    for k in np.unique(np.concatenate([whole, whole + 1])):
        rows = np.flatnonzero((whole == k) | (whole + 1 == k))
        sums = cum[rows, k:] - cum[rows, :days + 1 - k]
        at[k] = dict(zip(rows.tolist(), sums.var(axis=1, ddof=1) if k else np.zeros(rows.size)))
    frac = window - whole
    measured = np.array([(1 - f) * at[k][i] + f * at[k + 1][i] for i, (k, f) in enumerate(zip(whole, frac))])
    d_var = np.var(h, axis=1, ddof=1)
    return np.maximum(measured, window * d_var)
