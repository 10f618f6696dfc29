"""Reorder points (s, Q) and order-up-to levels (R, S) for a fill rate or a cycle service level."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import Invalid
from .gamma import GammaDistribution
from .leadtime_demand import sigma_dl, undershoot_moments
from .normal import normal_loss, norm_ppf
from .numeric import as_float, solve_decreasing


def z_for_cycle_service(csl: float) -> float:
    """Safety factor z = Φ⁻¹(CSL) for a cycle service level (probability of no stock-out per cycle)."""
    return norm_ppf(csl)


def check_fill_rate(beta) -> np.ndarray:
    beta = np.asarray(beta, dtype=float)
    if np.any(~(beta > 0) | ~(beta < 1)):
        raise Invalid("fill_rate_out_of_range", "A fill-rate target must be strictly between 0 and 1.",
                      "Un taux de service doit être strictement entre 0 et 1.", field="fill_rate_target")
    return beta


def k_for_fill_rate(beta, order_qty, sigma, *, exact: bool = True):
    """Safety factor k reaching fill rate β with order quantity Q and lead-time-demand σ.

    Expected units short per order cycle must equal Q(1 − β). For normal lead-time demand with backorders
    that shortage is σ·[G(k) − G(k + Q/σ)] (Hadley & Whitin 1963), so we solve
        G(k) − G(k + Q/σ) = Q(1 − β)/σ            (exact=True)
    or the textbook relation G(k) = Q(1 − β)/σ     (exact=False), which ignores the second term and
    over-protects when Q is small against σ (slow movers). Solved by bracketed false position.
    k is 0 where σ = 0 (no uncertainty: the mean alone suffices).
    """
    beta = check_fill_rate(beta)
    q, s = np.broadcast_arrays(np.asarray(order_qty, dtype=float), np.asarray(sigma, dtype=float))
    beta = np.broadcast_to(beta, q.shape)
    has_sigma = s > 0
    s_safe = np.where(has_sigma, s, 1.0)
    a = q / s_safe
    target = a * (1.0 - beta)

    flat_a = a.ravel()

    def shortage(k, idx):
        return normal_loss(k) - normal_loss(k + flat_a[idx]) if exact else normal_loss(k)

    k = solve_decreasing(shortage, target, lo=-a - 8.0, hi=np.full(q.shape, 9.0))
    return as_float(np.where(has_sigma, k, 0.0))


# ------------------------------------------------------------------------------ reorder points
NORMAL, GAMMA = "normal", "gamma"


# Beyond this gamma shape α (skewness 2/√α < 0.02) the gamma and the normal agree to the precision that
# matters, and the incomplete-gamma series would need thousands of terms: the normal is used.
GAMMA_MAX_SHAPE = 1e4


def distribution_for_class(variability_class: str, lead_time_sd: float = 0.0) -> str:
    """Which distribution X = D_L + U gets. Two things make it right-skewed:

    - rare demand (intermittent, lumpy): many small lead-time totals and a few big ones;
    - an uncertain lead time: deliveries are late more often and by more than they are early (lead times
      are right-skewed, and when they carry most of σ_DL, X inherits their skew).

    A gamma with the same mean and sd fits that right tail, and tends to the normal as its CV falls; the
    normal under-protects at high targets (bench/README.md, policy section: with exact parameters and
    in-order deliveries, smooth items reached 0.897 / 0.942 / 0.971 with the normal, 0.900 / 0.949 / 0.979
    with the gamma). The normal is kept for frequent demand with a fixed lead time.
    """
    if variability_class in ("intermittent", "lumpy"):
        return GAMMA
    return GAMMA if lead_time_sd > 0 else NORMAL


@dataclass(frozen=True)
class ReorderPoints:
    """Arrays (or floats), one entry per product. X = lead-time demand + undershoot is what s must cover."""
    mean_lead_time_demand: Any     # d̄·E[L] (or measured after demand days)
    sigma_dl: Any                  # √(E[L]σ_d² + d̄²σ_L²) (or measured)
    undershoot: Any                # E[U]; 0 when not corrected
    undershoot_sd: Any             # sd of U; 0 when not corrected
    sigma_x: Any                   # √(σ_DL² + Var U)
    gamma: Any                     # True where the gamma was used for X, else normal
    k: Any                         # (s − E[X]) / σ_X: the safety factor (z for a cycle service level)
    safety_stock: Any              # k·σ_X
    reorder_point: Any             # s = d̄·E[L] + E[U] + SS, at least 0


def one_target(fill_rate, cycle_service):
    if (fill_rate is None) == (cycle_service is None):
        raise Invalid("service_target_ambiguous", "Give either a fill-rate target or a cycle service level.",
                      "Indiquez soit un taux de satisfaction visé, soit un taux de service cycle visé.",
                      field="service_target")


def _check_csl(csl) -> np.ndarray:
    csl = np.asarray(csl, dtype=float)
    if np.any(~(csl > 0) | ~(csl < 1)):
        raise Invalid("probability_out_of_range", "A service level must be strictly between 0 and 1.",
                      "Un niveau de service doit être strictement entre 0 et 1.", field="service_target")
    return csl


def _expanding_upper(shortage, target, mean, sd, step):
    """A level above the root: start at μ + 6σ and widen until the shortage falls below the target.
    Flat arrays; ``shortage(level, idx)`` as for ``solve_decreasing``."""
    hi = mean + 6.0 * sd
    every = np.arange(hi.size)
    for _ in range(60):
        short = shortage(hi, every) > target
        if not np.any(short):
            break
        hi = np.where(short, hi + 6.0 * sd + step, hi)
    return hi


def _gamma_fill_rate_level(beta, order_qty, mean, sd):
    """Level s with E[(X − s)⁺] − E[(X − s − Q)⁺] = Q(1 − β), X gamma (the shortage per cycle)."""
    x = GammaDistribution(mean, sd)
    q = np.ravel(order_qty)
    target = q * (1.0 - np.ravel(beta))

    def shortage(level, idx):
        return x.loss(level, idx) - x.loss(level + q[idx], idx)

    hi = _expanding_upper(shortage, target, np.ravel(mean), np.ravel(sd), q)
    return solve_decreasing(shortage, target, lo=-q, hi=hi)


def _gamma_quantile(p, mean, sd):
    x = GammaDistribution(mean, sd)
    tail = 1.0 - np.ravel(p)
    hi = _expanding_upper(x.sf, tail, np.ravel(mean), np.ravel(sd), 0.0)
    return solve_decreasing(x.sf, tail, lo=np.zeros_like(hi), hi=hi)


def reorder_points(d_mean, d_sd, lt_mean, lt_sd, order_qty, *, fill_rate=None, cycle_service=None,
                   undershoot: bool = True, d_m3=None, gamma=False, ltd_mean=None, ltd_sd=None,
                   exact: bool = True, d_hist_mean=None) -> ReorderPoints:
    """(s, Q) with daily review for many products at once (numpy arrays broadcast together).

    X = D_L + U must be covered: E[X] = d̄·E[L] + E[U], σ_X = √(σ_DL² + Var U). With a fill-rate target β,
    s solves E[(X − s)⁺] − E[(X − s − Q)⁺] = Q(1 − β); for the normal this is G(k) − G(k + Q/σ_X) =
    Q(1 − β)/σ_X with s = E[X] + k·σ_X. With a cycle service level, s is the CSL quantile of X.
    This is the daily-review fill rate itself, not an approximation of it: with the position after ordering
    uniform on (s, s + Q] (Hadley & Whitin), a day's shortage is E[(D_L + D − IP)⁺ − (D_L − IP)⁺] and
    E[(D_L + D − y)⁺²/2 − (D_L − y)⁺²/2] = d̄·E[(D_L + U − y)⁺] with U of density P(D > u)/d̄, the
    residual whose moments ``undershoot_moments`` gives; averaging over y uniform on (s, s + Q] leaves
    d̄·[E(X − s)⁺ − E(X − s − Q)⁺]/Q per day (tests/unit/test_policy_fill_rate.py checks it on a case).
    ``gamma``: bool or boolean array, where X is taken as gamma (see ``distribution_for_class``).
    ``ltd_mean``/``ltd_sd``: lead-time demand measured on the history (``leadtime_demand.lead_time_demand``)
    instead of d̄·E[L] and the σ_DL formula. ``undershoot=False`` and ``exact=False`` give the textbook rule.
    ``d_hist_mean``: the mean of the history σ_d and E[D³] were measured on, when ``d_mean`` is a forecast:
    the undershoot is a property of one day's demand, E[D²]/(2E[D]) on the history's own moments (mixing a
    forecast d̄ with the history's σ_d would scale it by history/forecast: ×4 for a forecast a quarter of
    the history's mean).
    """
    one_target(fill_rate, cycle_service)
    d_mean, d_sd, lt_mean, lt_sd, q = np.broadcast_arrays(
        *(np.asarray(a, dtype=float) for a in (d_mean, d_sd, lt_mean, lt_sd, order_qty)))
    mu = d_mean * lt_mean if ltd_mean is None else np.broadcast_to(np.asarray(ltd_mean, dtype=float), q.shape)
    sigma = np.asarray(sigma_dl(d_mean, d_sd, lt_mean, lt_sd)) if ltd_sd is None else \
        np.broadcast_to(np.asarray(ltd_sd, dtype=float), q.shape)
    if undershoot:
        u_base = d_mean if d_hist_mean is None else np.broadcast_to(np.asarray(d_hist_mean, dtype=float), q.shape)
        u_mean, u_sd = (np.asarray(v) for v in undershoot_moments(u_base, d_sd, d_m3))
    else:
        u_mean = u_sd = np.zeros(q.shape)
    mean_x = mu + u_mean
    sd_x = np.sqrt(sigma ** 2 + u_sd ** 2)
    use_gamma = np.broadcast_to(np.asarray(gamma, dtype=bool), q.shape) & (mean_x > 0) & (sd_x > 0)
    use_gamma = use_gamma & ((mean_x / np.where(sd_x > 0, sd_x, 1.0)) ** 2 <= GAMMA_MAX_SHAPE)
    k = np.zeros(q.shape)
    normal = ~use_gamma & (sd_x > 0)
    if fill_rate is not None:
        beta = np.broadcast_to(check_fill_rate(fill_rate), q.shape)
        if np.any(normal):
            k[normal] = k_for_fill_rate(beta[normal], q[normal], sd_x[normal], exact=exact)
        if np.any(use_gamma):
            g = use_gamma
            k[g] = (_gamma_fill_rate_level(beta[g], q[g], mean_x[g], sd_x[g]) - mean_x[g]) / sd_x[g]
    else:
        csl = np.broadcast_to(_check_csl(cycle_service), q.shape)
        if np.any(normal):
            k[normal] = np.vectorize(z_for_cycle_service)(csl[normal])
        if np.any(use_gamma):
            g = use_gamma
            k[g] = (_gamma_quantile(csl[g], mean_x[g], sd_x[g]) - mean_x[g]) / sd_x[g]
    ss = k * sd_x
    s = np.maximum(mean_x + ss, 0.0)
    fields = (mu, sigma, u_mean, u_sd, sd_x, use_gamma, k, ss, s)
    return ReorderPoints(*((v if np.ndim(v) else bool(v)) if i == 5 else as_float(np.asarray(v, dtype=float))
                           for i, v in enumerate(fields)))


@dataclass(frozen=True)
class OrderUpToLevels:
    mean_protection_demand: Any    # d̄·(R + E[L])
    sigma_rl: Any                  # √((R + E[L])σ_d² + d̄²σ_L²)
    k: Any
    safety_stock: Any
    order_up_to: Any               # S
    gamma: Any = False             # True where D_{R+L} and D_L were taken as gamma, else normal


def order_up_to_levels(d_mean, d_sd, lt_mean, lt_sd, review_days, *, fill_rate=None,
                       cycle_service=None, gamma=False, demand_var=None) -> OrderUpToLevels:
    """Periodic review (R, S): every R days order up to S; the protection interval is R + L.

    Fill rate: the expected shortage per review, E[(D_{R+L} − S)⁺] − E[(D_L − S)⁺] (what was already short
    before this order could help is not counted twice), must equal d̄·R·(1 − β); solved for S by bisection.
    ``gamma``: bool or boolean array, where D_{R+L} and D_L are taken as gamma with their mean and sd (as
    ``reorder_points`` does for X; see ``distribution_for_class``), else normal. No undershoot: the position
    is looked at on review days only, and S is what the order brings it back to.
    ``demand_var``: (variance of the demand of R + E[L] days, of E[L] days) measured on the history
    (``leadtime_demand.window_sum_variance``) instead of (R + E[L])·σ_d² and E[L]·σ_d²; σ_L's part is added.
    """
    one_target(fill_rate, cycle_service)
    d_mean, d_sd, lt_mean, lt_sd, r = np.broadcast_arrays(
        *(np.asarray(a, dtype=float) for a in (d_mean, d_sd, lt_mean, lt_sd, review_days)))
    mu_rl, mu_l = np.asarray(d_mean * (r + lt_mean)), np.asarray(d_mean * lt_mean)
    if demand_var is None:
        sig_rl = np.asarray(sigma_dl(d_mean, d_sd, r + lt_mean, lt_sd), dtype=float) + np.zeros(r.shape)
        sig_l = np.asarray(sigma_dl(d_mean, d_sd, lt_mean, lt_sd), dtype=float) + np.zeros(r.shape)
    else:
        v_rl, v_l = (np.broadcast_to(np.asarray(v, dtype=float), r.shape) for v in demand_var)
        sig_rl, sig_l = (np.sqrt(v + (d_mean * lt_sd) ** 2) + np.zeros(r.shape) for v in (v_rl, v_l))
    has_sigma = (sig_rl > 0) & (d_mean > 0)        # no demand expected: nothing to protect, S = 0
    sr = np.where(has_sigma, sig_rl, 1.0)
    use_gamma = np.broadcast_to(np.asarray(gamma, dtype=bool), r.shape) & (mu_rl > 0) & has_sigma
    use_gamma = use_gamma & ((mu_rl / sr) ** 2 <= GAMMA_MAX_SHAPE)
    normal = ~use_gamma & has_sigma
    level = np.array(mu_rl, dtype=float)
    if fill_rate is not None:
        beta = np.broadcast_to(check_fill_rate(fill_rate), r.shape)
        target = d_mean * r * (1.0 - beta)
        if np.any(normal):
            level[normal] = _normal_order_up_to(target[normal], mu_l[normal], sig_l[normal], mu_rl[normal],
                                                sig_rl[normal])
        if np.any(use_gamma):
            g = use_gamma
            level[g] = _gamma_order_up_to(target[g], mu_l[g], sig_l[g], mu_rl[g], sig_rl[g])
    else:
        csl = np.broadcast_to(_check_csl(cycle_service), r.shape)
        if np.any(normal):
            level[normal] = mu_rl[normal] + np.vectorize(z_for_cycle_service)(csl[normal]) * sig_rl[normal]
        if np.any(use_gamma):
            g = use_gamma
            level[g] = _gamma_quantile(csl[g], mu_rl[g], sig_rl[g])
    k = np.where(has_sigma, (level - mu_rl) / sr, 0.0)
    ss = k * sig_rl
    S = np.maximum(mu_rl + ss, 0.0)
    return OrderUpToLevels(*(as_float(np.asarray(v, dtype=float)) for v in (mu_rl, sig_rl, k, ss, S)),
                           gamma=use_gamma if np.ndim(use_gamma) else bool(use_gamma))


def _late(loss, level, mean, sd, idx):
    """E[(D_L − level)⁺]: a certain D_L (σ 0) is short by its excess alone."""
    return np.where(sd[idx] > 0, loss(level, idx), np.maximum(mean[idx] - level, 0.0))


def _normal_order_up_to(target, mu_l, sig_l, mu_rl, sig_rl):
    l_sd = np.where(sig_l > 0, sig_l, 1.0)

    def shortage(level, idx):
        late = _late(lambda x, i: l_sd[i] * normal_loss((x - mu_l[i]) / l_sd[i]), level, mu_l, sig_l, idx)
        return sig_rl[idx] * normal_loss((level - mu_rl[idx]) / sig_rl[idx]) - late

    # below D_L's range too the shortage is d̄·R, above any target: the root is bracketed however small σ is
    lo = np.minimum(mu_rl - 12.0 * sig_rl, mu_l - 12.0 * sig_l)
    return solve_decreasing(shortage, target, lo=lo, hi=mu_rl + 12.0 * sig_rl)


def _gamma_order_up_to(target, mu_l, sig_l, mu_rl, sig_rl):
    x_rl = GammaDistribution(mu_rl, sig_rl)
    sig_l = np.where(mu_l > 0, sig_l, 0.0)        # no demand over the lead time: nothing short before S helps
    x_l = GammaDistribution(np.where(sig_l > 0, mu_l, 1.0), np.where(sig_l > 0, sig_l, 1.0))

    def shortage(level, idx):
        return x_rl.loss(level, idx) - _late(x_l.loss, level, mu_l, sig_l, idx)

    # At S = 0 the shortage is d̄·R, above any target d̄·R·(1 − β): the root is at 0 or more.
    hi = _expanding_upper(shortage, target, mu_rl, sig_rl, 0.0)
    return solve_decreasing(shortage, target, lo=np.zeros_like(hi), hi=hi)
