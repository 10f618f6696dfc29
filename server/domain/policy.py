"""Safety stock, reorder point, order quantity, push or pull (DESIGN §5).

Conventions (days throughout):
- d̄, σ_d: mean and standard deviation of daily demand; E[L], σ_L: lead time mean and sd (days).
- A lead time of L days means L days of demand happen between the order (end of a day) and the goods being
  usable, so the lead-time demand D_L has mean d̄·E[L] and variance E[L]·σ_d² + d̄²·σ_L² (both variabilities).
- Review is daily: "order when the inventory position (on hand + on order − backorders) ≤ s". The position
  is only looked at once a day, so it has usually fallen *below* s when the order goes out: that undershoot U
  adds to the demand the reorder point must cover (see ``expected_undershoot``).
- Shortages are backordered (B2B customers wait); the fill rate β is the share of demand served from stock.

Scalar entry point: ``plan_policy`` → ``PolicyResult`` (every number with its formula and source).
Vectorised entry points for many products: ``reorder_points``, ``order_up_to_levels``, ``eoq``,
``round_order_quantity``, ``abc_classes``, ``push_pull_modes``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import NormalDist
from typing import Any, Mapping

import numpy as np

from .errors import Invalid

DAYS_PER_YEAR = 365.0
ABC_CUTS = (0.80, 0.95)                    # cumulative share of consumption value: A ≤ 80 %, B ≤ 95 %, C rest
VARIABILITY_CLASSES = ("smooth", "erratic", "intermittent", "lumpy")
# Default fill-rate targets. Critical references get a higher one whatever their class.
FILL_RATE_TARGETS = {"A": 0.98, "B": 0.95, "C": 0.90}
CRITICAL_FILL_RATE = 0.995

_STD_NORMAL = NormalDist()                 # stdlib; inv_cdf is Wichura's AS 241 (≈ 1e-16 relative)
_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_erfc = np.frompyfunc(math.erfc, 1, 1)     # numpy has no erfc; math's is exact to the last bits


# --------------------------------------------------------------------------------- normal helpers
def _as_float(x: np.ndarray) -> float | np.ndarray:
    return float(x) if np.ndim(x) == 0 else x


def norm_pdf(x):
    x = np.asarray(x, dtype=float)
    return _as_float(_INV_SQRT_2PI * np.exp(-0.5 * x * x))


def norm_sf(x):
    """1 − Φ(x), computed with erfc so the upper tail keeps its precision."""
    x = np.asarray(x, dtype=float)
    return _as_float(0.5 * np.asarray(_erfc(x / _SQRT2), dtype=float))


def norm_cdf(x):
    x = np.asarray(x, dtype=float)
    return _as_float(0.5 * np.asarray(_erfc(-x / _SQRT2), dtype=float))


def norm_ppf(p: float) -> float:
    """Φ⁻¹(p) for 0 < p < 1."""
    if not 0.0 < p < 1.0:
        raise Invalid("probability_out_of_range", "A service level must be strictly between 0 and 1.",
                      "Un niveau de service doit être strictement entre 0 et 1.", field="service_target")
    return _STD_NORMAL.inv_cdf(p)


def normal_loss(k):
    """Standard normal first-order loss G(k) = E[(Z − k)⁺] = φ(k) − k·(1 − Φ(k))."""
    k = np.asarray(k, dtype=float)
    return _as_float(norm_pdf(k) - k * norm_sf(k))


# --------------------------------------------------------------------------- lead-time demand
def sigma_dl(d_mean, d_sd, lt_mean, lt_sd):
    """σ of demand over a random lead time: √(E[L]·σ_d² + d̄²·σ_L²)."""
    d_mean, d_sd, lt_mean, lt_sd = (np.asarray(a, dtype=float) for a in (d_mean, d_sd, lt_mean, lt_sd))
    return _as_float(np.sqrt(lt_mean * d_sd ** 2 + d_mean ** 2 * lt_sd ** 2))


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
    return _as_float(np.where(d_mean > 0, (d_sd ** 2 + d_mean ** 2) / (2.0 * safe), 0.0))


# ----------------------------------------------------------------------------- service factors
def z_for_cycle_service(csl: float) -> float:
    """Safety factor z = Φ⁻¹(CSL) for a cycle service level (probability of no stock-out per cycle)."""
    return norm_ppf(csl)


def _check_fill_rate(beta) -> np.ndarray:
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
    beta = _check_fill_rate(beta)
    q, s = np.broadcast_arrays(np.asarray(order_qty, dtype=float), np.asarray(sigma, dtype=float))
    beta = np.broadcast_to(beta, q.shape)
    has_sigma = s > 0
    s_safe = np.where(has_sigma, s, 1.0)
    a = q / s_safe
    target = a * (1.0 - beta)

    flat_a = a.ravel()

    def shortage(k, idx):
        return normal_loss(k) - normal_loss(k + flat_a[idx]) if exact else normal_loss(k)

    k = _solve_decreasing(shortage, target, lo=-a - 8.0, hi=np.full(q.shape, 9.0))
    return _as_float(np.where(has_sigma, k, 0.0))


def _solve_decreasing(f, target, lo, hi, iterations: int = 200, tol: float = 1e-12):
    """Root of f(x, idx) = target[idx] for f decreasing in x, elementwise. x and idx are flat: idx says
    which (flattened) elements x holds, so only the unsolved ones are evaluated.

    Illinois false position: a secant step inside the bracket [lo, hi], halving the value kept at an end
    that survives twice in a row so the bracket cannot stall on one side (plain Newton overshoots on the
    convex tail of a loss function). Needs no derivative and always keeps the root bracketed."""
    target = np.asarray(target, dtype=float)
    shape = target.shape
    lo = np.array(np.broadcast_to(lo, shape), dtype=float).ravel()
    hi = np.array(np.broadcast_to(hi, shape), dtype=float).ravel()
    t = target.ravel()
    every = np.arange(t.size)
    gap_lo = np.asarray(f(lo, every), dtype=float) - t          # > 0
    gap_hi = np.asarray(f(hi, every), dtype=float) - t          # ≤ 0
    root = 0.5 * (lo + hi)
    todo = every
    x = lo.copy()
    last = np.zeros(t.size)
    for _ in range(iterations):
        l, h, gl, gh = lo[todo], hi[todo], gap_lo[todo], gap_hi[todo]
        with np.errstate(divide="ignore", invalid="ignore"):
            x_new = l + gl * (h - l) / (gl - gh)
        x_new = np.where(np.isfinite(x_new) & (x_new > l) & (x_new < h), x_new, 0.5 * (l + h))
        scale = tol * (1.0 + np.abs(x_new))
        done = (np.abs(x_new - x[todo]) <= scale) | (h - l <= scale)
        root[todo[done]] = x_new[done]
        todo, x_new = todo[~done], x_new[~done]
        if todo.size == 0:
            break
        x[todo] = x_new
        gap = np.asarray(f(x_new, todo), dtype=float) - t[todo]
        above = gap > 0
        prev = last[todo]
        gap_hi[todo] = np.where(above & (prev > 0), 0.5 * gap_hi[todo], gap_hi[todo])
        gap_lo[todo] = np.where(~above & (prev < 0), 0.5 * gap_lo[todo], gap_lo[todo])
        lo[todo] = np.where(above, x_new, lo[todo])
        gap_lo[todo] = np.where(above, gap, gap_lo[todo])
        hi[todo] = np.where(above, hi[todo], x_new)
        gap_hi[todo] = np.where(above, gap_hi[todo], gap)
        last[todo] = np.where(above, 1.0, -1.0)
    root[todo] = x[todo]
    return root.reshape(shape)


# ------------------------------------------------------------------------------ gamma helpers
_lgamma = np.frompyfunc(math.lgamma, 1, 1)
_EPS = 1e-15


def _log_gamma(a) -> np.ndarray:
    return np.asarray(_lgamma(np.asarray(a, dtype=float)), dtype=float)


def _gamma_series_p(a, x, log_front):
    """Lower regularised P(a, x) by its power series (converges fast for x < a + 1)."""
    term = 1.0 / a
    total = term.copy()
    denom = a.copy()
    for _ in range(2000):
        denom = denom + 1.0
        term = term * x / denom
        total = total + term
        if np.all(np.abs(term) <= np.abs(total) * _EPS):
            break
    return total * np.exp(log_front)


def _gamma_fraction_q(a, x, log_front):
    """Upper regularised Q(a, x) by Legendre's continued fraction, evaluated with Lentz's method
    (converges fast for x ≥ a + 1)."""
    tiny = 1e-300
    b = x + 1.0 - a
    c = np.full_like(x, 1.0 / tiny)
    d = 1.0 / np.where(np.abs(b) < tiny, tiny, b)
    h = d.copy()
    for i in range(1, 2000):
        an = -i * (i - a)
        b = b + 2.0
        d = an * d + b
        d = 1.0 / np.where(np.abs(d) < tiny, tiny, d)
        c = b + an / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        delta = d * c
        h = h * delta
        if np.all(np.abs(delta - 1.0) <= _EPS):
            break
    return h * np.exp(log_front)


def _upper_gamma(a, x, log_gamma_a):
    """Q(a, x) with lgamma(a) already known (it does not change while solving for a level)."""
    a, x, log_gamma_a = np.broadcast_arrays(a, np.asarray(x, dtype=float), log_gamma_a)
    out = np.ones(a.shape)
    pos = x > 0
    if np.any(pos):
        ap, xp = a[pos], x[pos]
        log_front = ap * np.log(xp) - xp - log_gamma_a[pos]
        series = xp < ap + 1.0
        q = np.empty(ap.shape)
        if np.any(series):
            q[series] = 1.0 - _gamma_series_p(ap[series], xp[series], log_front[series])
        if np.any(~series):
            q[~series] = _gamma_fraction_q(ap[~series], xp[~series], log_front[~series])
        out[pos] = np.clip(q, 0.0, 1.0)
    return out


def gamma_sf(x, shape):
    """P(X > x) for X ~ Gamma(shape, scale 1): the upper regularised incomplete gamma Q(shape, x)."""
    shape = np.asarray(shape, dtype=float)
    return _as_float(_upper_gamma(shape, x, _log_gamma(shape)))


class _Gamma:
    """A gamma with given mean and sd (both > 0), with what its loss function needs precomputed."""

    def __init__(self, mean, sd):
        mean, sd = np.ravel(np.asarray(mean, dtype=float)), np.ravel(np.asarray(sd, dtype=float))
        self.alpha, self.theta = (mean / sd) ** 2, sd ** 2 / mean
        self.lg_alpha, self.lg_alpha1 = _log_gamma(self.alpha), _log_gamma(self.alpha + 1.0)

    def sf(self, level, idx=slice(None)):
        """P(X > level) for the elements ``idx`` (flat)."""
        return _upper_gamma(self.alpha[idx], np.maximum(level, 0.0) / self.theta[idx], self.lg_alpha[idx])

    def loss(self, level, idx=slice(None)):
        """E[(X − level)⁺] = αθ·Q(α+1, y) − level·Q(α, y), y = level/θ; E[X] − level below 0."""
        alpha, theta = self.alpha[idx], self.theta[idx]
        level = np.asarray(level, dtype=float)
        y = np.maximum(level, 0.0) / theta
        q_a = _upper_gamma(alpha, y, self.lg_alpha[idx])
        # Q(α+1, y) = Q(α, y) + y^α e^(−y) / Γ(α+1): one incomplete gamma instead of two.
        with np.errstate(divide="ignore"):
            density = np.where(y > 0, np.exp(alpha * np.log(np.where(y > 0, y, 1.0)) - y - self.lg_alpha1[idx]), 0.0)
        above = alpha * theta * (q_a + density) - level * q_a
        return np.where(level > 0, above, alpha * theta - level)


def gamma_loss(level, mean, sd):
    """E[(X − level)⁺] for X gamma with this mean and sd (mean, sd > 0)."""
    level, mean, sd = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (level, mean, sd)))
    return _as_float(_Gamma(mean, sd).loss(level.ravel()).reshape(level.shape))


def normal_loss_at(level, mean, sd):
    """E[(X − level)⁺] for X normal: σ·G((level − μ)/σ)."""
    sd = np.asarray(sd, dtype=float)
    return _as_float(sd * normal_loss((np.asarray(level, dtype=float) - mean) / sd))


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
    return DemandMoments(_as_float(mean), _as_float(np.sqrt(np.maximum(centred, 0.0) / (days - 1))),
                         _as_float(m3), int(days))


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
    return _as_float(mean_u), _as_float(np.sqrt(np.maximum(var_u, 0.0)))


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
    return _as_float(mean[0] if single else mean), _as_float(sd[0] if single else sd)


# ------------------------------------------------------------------------------ reorder points
NORMAL, GAMMA = "normal", "gamma"


def distribution_for_class(variability_class: str) -> str:
    """Intermittent and lumpy demand over a lead time is skewed (many small totals, a few big ones): a
    gamma with the same mean and sd fits its right tail; the normal would under-protect at high targets."""
    return GAMMA if variability_class in ("intermittent", "lumpy") else NORMAL


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


def _one_target(fill_rate, cycle_service):
    if (fill_rate is None) == (cycle_service is None):
        raise Invalid("service_target_ambiguous", "Give either a fill-rate target or a cycle service level.",
                      "Indiquez soit un taux de service, soit un niveau de service par cycle.",
                      field="service_target")


def _check_csl(csl) -> np.ndarray:
    csl = np.asarray(csl, dtype=float)
    if np.any(~(csl > 0) | ~(csl < 1)):
        raise Invalid("probability_out_of_range", "A service level must be strictly between 0 and 1.",
                      "Un niveau de service doit être strictement entre 0 et 1.", field="service_target")
    return csl


def _expanding_upper(shortage, target, mean, sd, step):
    """A level above the root: start at μ + 6σ and widen until the shortage falls below the target.
    Flat arrays; ``shortage(level, idx)`` as for ``_solve_decreasing``."""
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
    x = _Gamma(mean, sd)
    q = np.ravel(order_qty)
    target = q * (1.0 - np.ravel(beta))

    def shortage(level, idx):
        return x.loss(level, idx) - x.loss(level + q[idx], idx)

    hi = _expanding_upper(shortage, target, np.ravel(mean), np.ravel(sd), q)
    return _solve_decreasing(shortage, target, lo=-q, hi=hi)


def _gamma_quantile(p, mean, sd):
    x = _Gamma(mean, sd)
    tail = 1.0 - np.ravel(p)
    hi = _expanding_upper(x.sf, tail, np.ravel(mean), np.ravel(sd), 0.0)
    return _solve_decreasing(x.sf, tail, lo=np.zeros_like(hi), hi=hi)


def reorder_points(d_mean, d_sd, lt_mean, lt_sd, order_qty, *, fill_rate=None, cycle_service=None,
                   undershoot: bool = True, d_m3=None, gamma=False, ltd_mean=None, ltd_sd=None,
                   exact: bool = True) -> ReorderPoints:
    """(s, Q) with daily review for many products at once (numpy arrays broadcast together).

    X = D_L + U must be covered: E[X] = d̄·E[L] + E[U], σ_X = √(σ_DL² + Var U). With a fill-rate target β,
    s solves E[(X − s)⁺] − E[(X − s − Q)⁺] = Q(1 − β); for the normal this is G(k) − G(k + Q/σ_X) =
    Q(1 − β)/σ_X with s = E[X] + k·σ_X. With a cycle service level, s is the CSL quantile of X.
    ``gamma``: bool or boolean array, where X is taken as gamma (see ``distribution_for_class``).
    ``ltd_mean``/``ltd_sd``: lead-time demand measured on the history (``lead_time_demand_after_demand``)
    instead of d̄·E[L] and the σ_DL formula. ``undershoot=False`` and ``exact=False`` give the textbook rule.
    """
    _one_target(fill_rate, cycle_service)
    d_mean, d_sd, lt_mean, lt_sd, q = np.broadcast_arrays(
        *(np.asarray(a, dtype=float) for a in (d_mean, d_sd, lt_mean, lt_sd, order_qty)))
    mu = d_mean * lt_mean if ltd_mean is None else np.broadcast_to(np.asarray(ltd_mean, dtype=float), q.shape)
    sigma = np.asarray(sigma_dl(d_mean, d_sd, lt_mean, lt_sd)) if ltd_sd is None else \
        np.broadcast_to(np.asarray(ltd_sd, dtype=float), q.shape)
    if undershoot:
        u_mean, u_sd = (np.asarray(v) for v in undershoot_moments(d_mean, d_sd, d_m3))
    else:
        u_mean = u_sd = np.zeros(q.shape)
    mean_x = mu + u_mean
    sd_x = np.sqrt(sigma ** 2 + u_sd ** 2)
    use_gamma = np.broadcast_to(np.asarray(gamma, dtype=bool), q.shape) & (mean_x > 0) & (sd_x > 0)
    k = np.zeros(q.shape)
    normal = ~use_gamma & (sd_x > 0)
    if fill_rate is not None:
        beta = np.broadcast_to(_check_fill_rate(fill_rate), q.shape)
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
    return ReorderPoints(*((v if np.ndim(v) else bool(v)) if i == 5 else _as_float(np.asarray(v, dtype=float))
                           for i, v in enumerate(fields)))


@dataclass(frozen=True)
class OrderUpToLevels:
    mean_protection_demand: Any    # d̄·(R + E[L])
    sigma_rl: Any                  # √((R + E[L])σ_d² + d̄²σ_L²)
    k: Any
    safety_stock: Any
    order_up_to: Any               # S


def order_up_to_levels(d_mean, d_sd, lt_mean, lt_sd, review_days, *, fill_rate=None,
                       cycle_service=None) -> OrderUpToLevels:
    """Periodic review (R, S): every R days order up to S; the protection interval is R + L.

    Fill rate: the expected shortage per review, E[(D_{R+L} − S)⁺] − E[(D_L − S)⁺] (what was already short
    before this order could help is not counted twice), must equal d̄·R·(1 − β); solved for S by bisection.
    """
    _one_target(fill_rate, cycle_service)
    d_mean, d_sd, lt_mean, lt_sd, r = np.broadcast_arrays(
        *(np.asarray(a, dtype=float) for a in (d_mean, d_sd, lt_mean, lt_sd, review_days)))
    mu_rl, mu_l = d_mean * (r + lt_mean), d_mean * lt_mean
    sig_rl = np.asarray(sigma_dl(d_mean, d_sd, r + lt_mean, lt_sd))
    sig_l = np.asarray(sigma_dl(d_mean, d_sd, lt_mean, lt_sd))
    has_sigma = sig_rl > 0
    sr, sl = np.where(has_sigma, sig_rl, 1.0), np.where(sig_l > 0, sig_l, 1.0)
    if fill_rate is not None:
        beta = np.broadcast_to(_check_fill_rate(fill_rate), mu_rl.shape)

        flat = [v.ravel() for v in (sig_l, sl, sr, mu_l, mu_rl)]

        def shortage(level, idx):
            s_l, l_sd, r_sd, m_l, m_rl = (v[idx] for v in flat)
            late = np.where(s_l > 0, l_sd * normal_loss((level - m_l) / l_sd), np.maximum(m_l - level, 0.0))
            return r_sd * normal_loss((level - m_rl) / r_sd) - late

        level = _solve_decreasing(shortage, d_mean * r * (1.0 - beta), lo=mu_rl - 12.0 * sr, hi=mu_rl + 12.0 * sr)
        k = np.where(has_sigma, (level - mu_rl) / sr, 0.0)
    else:
        k = np.where(has_sigma, np.vectorize(z_for_cycle_service)(np.asarray(cycle_service, dtype=float)), 0.0)
    ss = k * sig_rl
    S = np.maximum(mu_rl + ss, 0.0)
    return OrderUpToLevels(*(_as_float(np.asarray(v, dtype=float)) for v in (mu_rl, sig_rl, k, ss, S)))


# ------------------------------------------------------------------------------ order quantity
def eoq(annual_demand, ordering_cost, holding_cost_per_unit_year):
    """Economic order quantity √(2·D·S / H); 0 where there is no demand."""
    d, s, h = (np.asarray(a, dtype=float) for a in (annual_demand, ordering_cost, holding_cost_per_unit_year))
    if np.any(h <= 0) or np.any(s < 0) or np.any(d < 0):
        raise Invalid("eoq_inputs_invalid", "EOQ needs a positive holding cost and no negative demand or cost.",
                      "La quantité économique demande un coût de possession positif, ni demande ni coût négatifs.",
                      field="holding_cost")
    return _as_float(np.sqrt(2.0 * d * s / h))


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
    return _as_float(np.maximum(packs, moq_packs) * p)


def pull_purchase_quantity(demand_qty, moq=0.0, pack=1.0):
    """What to buy for a pull item's customer order: the ordered quantity, raised to the MOQ, in whole
    packs (rounded up: a customer order must be covered)."""
    q, m, p = (np.asarray(a, dtype=float) for a in (demand_qty, moq, pack))
    if np.any(p <= 0) or np.any(q < 0) or np.any(m < 0):
        raise Invalid("pack_invalid", "Pack multiple must be positive; quantities and MOQ not negative.",
                      "Le multiple de colisage doit être positif ; quantités et minimum non négatifs.",
                      field="pack_multiple")
    return _as_float(np.ceil(np.maximum(q, m) / p - 1e-9) * p)


# ---------------------------------------------------------------------------------- ABC, push/pull
def abc_classes(consumption_value, cuts=ABC_CUTS) -> np.ndarray:
    """'A' / 'B' / 'C' per item from its consumption value (annual quantity × unit cost).

    Items sorted by value, largest first; an item is A while the cumulative share *before* it is below
    80 % (so the item that crosses 80 % is still A), B below 95 %, C after. Items with no value are C.
    Ties keep their input order.
    """
    v = np.asarray(consumption_value, dtype=float)
    if np.any(~np.isfinite(v)) or np.any(v < 0):
        raise Invalid("consumption_value_invalid", "Consumption values must be finite and not negative.",
                      "Les valeurs de consommation doivent être finies et non négatives.", field="consumption_value")
    out = np.full(v.shape, "C", dtype="<U1")
    total = v.sum()
    if total <= 0:
        return out
    order = np.argsort(-v, kind="stable")
    before = (np.cumsum(v[order]) - v[order]) / total
    ranked = np.where(before < cuts[0], "A", np.where(before < cuts[1], "B", "C"))
    out[order] = np.where(v[order] > 0, ranked, "C")
    return out


PUSH, PULL = "push", "pull"
# Reason code → (mode, English, French). The class rule reads: frequent demand is forecastable and worth
# stocking; rare demand is stocked only when enough value flows through it (A/B); lumpy demand (rare AND
# irregular sizes) would leave stock idle between big orders, so it is bought on order.
REASONS = {
    "critical": (PUSH, "Critical reference: kept in stock whatever its demand pattern.",
                 "Référence critique : tenue en stock quel que soit son profil de demande."),
    "frequent": (PUSH, "Frequent demand ({variability}, class {abc}): forecastable, kept in stock.",
                 "Demande fréquente ({variability}, classe {abc}) : prévisible, tenue en stock."),
    "rare_valuable": (PUSH, "Infrequent demand but class {abc} consumption value: kept in stock to serve it.",
                      "Demande peu fréquente mais valeur consommée de classe {abc} : tenue en stock."),
    "rare_cheap": (PULL, "Infrequent demand and class C consumption value: bought on customer order, "
                         "promised with the measured lead time.",
                   "Demande peu fréquente et valeur consommée de classe C : achetée à la commande client, "
                   "promise avec le délai mesuré."),
    "lumpy": (PULL, "Rare demand of irregular size (lumpy, class {abc}): stock would sit idle between big "
                    "orders; bought on customer order, promised with the measured lead time.",
              "Demande rare et de taille irrégulière (sporadique, classe {abc}) : un stock dormirait entre "
              "deux grosses commandes ; achetée à la commande client, promise avec le délai mesuré."),
}
_VARIABILITY_FR = {"smooth": "régulière", "erratic": "erratique", "intermittent": "intermittente",
                   "lumpy": "sporadique"}


def _check_classes(abc: str, variability: str) -> None:
    if abc not in ("A", "B", "C"):
        raise Invalid("abc_class_invalid", "The ABC class must be A, B or C.",
                      "La classe ABC doit être A, B ou C.", field="abc_class")
    if variability not in VARIABILITY_CLASSES:
        raise Invalid("variability_class_invalid", "The variability class must be smooth, erratic, "
                      "intermittent or lumpy.", "La classe de variabilité doit être smooth, erratic, "
                      "intermittent ou lumpy.", field="variability_class")


def push_pull_reason(abc: str, variability: str, critical: bool = False) -> str:
    """Reason code of the push/pull rule (a key of ``REASONS``)."""
    _check_classes(abc, variability)
    if critical:
        return "critical"
    if variability in ("smooth", "erratic"):
        return "frequent"
    if variability == "lumpy":
        return "lumpy"
    return "rare_valuable" if abc in ("A", "B") else "rare_cheap"


def push_pull(abc: str, variability: str, critical: bool = False) -> tuple[str, str, str]:
    """(mode, reason in English, reason in French)."""
    mode, en, fr = REASONS[push_pull_reason(abc, variability, critical)]
    return (mode, en.format(abc=abc, variability=variability),
            fr.format(abc=abc, variability=_VARIABILITY_FR[variability]))


def push_pull_modes(abc, variability, critical=False) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised rule: arrays of modes and reason codes (texts via ``REASONS``)."""
    abc, variability, critical = np.broadcast_arrays(np.asarray(abc), np.asarray(variability),
                                                     np.asarray(critical, dtype=bool))
    codes = np.array([push_pull_reason(str(a), str(v), bool(c))
                      for a, v, c in zip(abc.ravel(), variability.ravel(), critical.ravel())],
                     dtype="<U16").reshape(abc.shape)
    modes = np.where(np.isin(codes, ("rare_cheap", "lumpy")), PULL, PUSH)
    return modes, codes


def default_fill_rate(abc: str, critical: bool = False) -> float:
    return CRITICAL_FILL_RATE if critical else FILL_RATE_TARGETS[abc]


# --------------------------------------------------------------------------------- explained plan
@dataclass(frozen=True)
class Step:
    """One number of the plan: what it is, its value, how it was computed, where its inputs came from."""
    name: str
    value: Any
    formula: str
    source: str


@dataclass(frozen=True)
class AppliedOverride:
    name: str
    computed: Any
    value: Any


@dataclass(frozen=True)
class PolicyInput:
    demand_mean: float                       # d̄, units/day (forecast)
    demand_sd: float                         # σ_d, units/day
    lead_time_mean: float                    # E[L], days
    lead_time_sd: float                      # σ_L, days
    variability_class: str                   # smooth | erratic | intermittent | lumpy
    abc_class: str                           # A | B | C
    critical: bool = False
    lead_time_source: str = "measured"       # from leadtime.LeadTimeEstimate.source
    fill_rate_target: float | None = None    # β; default from the ABC class / critical flag
    cycle_service_target: float | None = None
    demand_m3: float | None = None           # E[D³], for the undershoot's spread
    lead_time_demand_mean: float | None = None   # measured after demand days, if known
    lead_time_demand_sd: float | None = None
    order_quantity: float | None = None      # fixed Q (e.g. agreed); else EOQ from the two costs
    ordering_cost: float | None = None       # S, per purchase order
    holding_cost_per_unit_year: float | None = None   # H
    moq: float = 0.0
    pack_multiple: float = 1.0
    review_period_days: float | None = None  # None: daily review (s, Q); else periodic (R, S)
    overrides: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PolicyResult:
    mode: str                                # push | pull (after overrides)
    reason_en: str
    reason_fr: str
    abc_class: str
    variability_class: str
    critical: bool
    service_kind: str                        # fill_rate | cycle_service
    service_target: float
    distribution: str                        # normal | gamma
    mean_lead_time_demand: float
    sigma_dl: float
    undershoot: float
    safety_factor: float                     # k (z for a cycle service level)
    safety_stock: float | None               # None for a pull item
    reorder_point: float | None              # (s, Q): order when position ≤ s; None for pull or (R, S)
    order_up_to: float | None                # (R, S) only
    order_quantity: float | None             # (s, Q) only
    eoq: float | None
    review_period_days: float | None
    overrides: tuple[AppliedOverride, ...]
    steps: tuple[Step, ...]

    @property
    def stocked(self) -> bool:
        return self.mode == PUSH


OVERRIDABLE = ("order_quantity", "safety_stock", "reorder_point", "order_up_to", "mode")


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _check_policy_input(p: PolicyInput) -> None:
    _check_classes(p.abc_class, p.variability_class)
    for name in ("demand_mean", "demand_sd", "lead_time_mean", "lead_time_sd"):
        value = getattr(p, name)
        if not (math.isfinite(value) and value >= 0):
            raise Invalid(f"{name}_invalid", f"{name} must be a number, zero or more.",
                          f"{name} doit être un nombre positif ou nul.", field=name)
    unknown = set(p.overrides) - set(OVERRIDABLE)
    if unknown:
        raise Invalid("override_unknown", f"Cannot override: {', '.join(sorted(unknown))}.",
                      f"Impossible de forcer : {', '.join(sorted(unknown))}.", field="overrides")
    if p.overrides.get("mode", PUSH) not in (PUSH, PULL):
        raise Invalid("mode_invalid", "The mode must be push or pull.", "Le mode doit être push ou pull.",
                      field="overrides")


def _service_target(p: PolicyInput, steps: list[Step]) -> tuple[str, float]:
    if p.fill_rate_target is not None and p.cycle_service_target is not None:
        _one_target(p.fill_rate_target, p.cycle_service_target)
    if p.cycle_service_target is not None:
        steps.append(Step("cycle_service_target", p.cycle_service_target, "given", "input"))
        return "cycle_service", float(p.cycle_service_target)
    if p.fill_rate_target is not None:
        steps.append(Step("fill_rate_target", p.fill_rate_target, "given", "input"))
        return "fill_rate", float(p.fill_rate_target)
    beta = default_fill_rate(p.abc_class, p.critical)
    rule = "critical reference" if p.critical else f"class {p.abc_class}"
    steps.append(Step("fill_rate_target", beta, f"default for {rule}", "table FILL_RATE_TARGETS"))
    return "fill_rate", beta


def _order_quantity(p: PolicyInput, steps: list[Step]) -> tuple[float, float | None]:
    if p.order_quantity is not None:
        raw, eoq_value = float(p.order_quantity), None
        steps.append(Step("order_quantity_given", raw, "given", "input"))
    else:
        if p.ordering_cost is None or p.holding_cost_per_unit_year is None:
            raise Invalid("order_quantity_unknown", "Give an order quantity, or the ordering and holding costs.",
                          "Indiquez une quantité de commande, ou les coûts de commande et de possession.",
                          field="order_quantity")
        annual = p.demand_mean * DAYS_PER_YEAR
        raw = eoq_value = float(eoq(annual, p.ordering_cost, p.holding_cost_per_unit_year))
        steps.append(Step("eoq", raw, f"√(2·D·S/H) = √(2·{_fmt(annual)}·{_fmt(p.ordering_cost)}/"
                          f"{_fmt(p.holding_cost_per_unit_year)}), D = d̄·365", "computed from costs"))
    q = float(round_order_quantity(raw, p.moq, p.pack_multiple))
    steps.append(Step("order_quantity", q, f"nearest multiple of pack {_fmt(p.pack_multiple)} (≥ 1 pack), "
                      f"at least MOQ {_fmt(p.moq)} in whole packs", "computed"))
    return q, eoq_value


def _continuous_review(p: PolicyInput, kind: str, target: float, q: float, gamma: bool, steps: list[Step]):
    target_kw = {"fill_rate": target} if kind == "fill_rate" else {"cycle_service": target}
    r = reorder_points(p.demand_mean, p.demand_sd, p.lead_time_mean, p.lead_time_sd, q, d_m3=p.demand_m3,
                       gamma=gamma, ltd_mean=p.lead_time_demand_mean, ltd_sd=p.lead_time_demand_sd, **target_kw)
    lt_src = f"lead time: {p.lead_time_source}; demand: forecast"
    if p.lead_time_demand_mean is None:
        steps.append(Step("mean_lead_time_demand", r.mean_lead_time_demand,
                          f"d̄·E[L] = {_fmt(p.demand_mean)}·{_fmt(p.lead_time_mean)}", lt_src))
        steps.append(Step("sigma_dl", r.sigma_dl, f"√(E[L]·σ_d² + d̄²·σ_L²) = √({_fmt(p.lead_time_mean)}·"
                          f"{_fmt(p.demand_sd)}² + {_fmt(p.demand_mean)}²·{_fmt(p.lead_time_sd)}²)", lt_src))
    else:
        steps.append(Step("mean_lead_time_demand", r.mean_lead_time_demand,
                          "demand over E[L] days after each demand day, weighted by its size", "demand history"))
        steps.append(Step("sigma_dl", r.sigma_dl, "sd of the same, plus (d̄_c·σ_L)²", "demand history"))
    steps.append(Step("undershoot", r.undershoot, f"E[U] = (σ_d² + d̄²)/(2·d̄) = ({_fmt(p.demand_sd)}² + "
                      f"{_fmt(p.demand_mean)}²)/(2·{_fmt(p.demand_mean)}), daily review", "computed"))
    spread = "E[D³]/(3·d̄) − E[U]²" if p.demand_m3 is not None else "E[U]²/3 (no E[D³] given)"
    steps.append(Step("sigma_x", r.sigma_x, f"√(σ_DL² + Var U) = √({_fmt(r.sigma_dl)}² + {_fmt(r.undershoot_sd)}²),"
                      f" Var U = {spread}", "computed"))
    distribution = GAMMA if r.gamma else NORMAL
    if kind == "fill_rate" and distribution == NORMAL:
        formula = (f"G(k) − G(k + Q/σ_X) = Q(1 − β)/σ_X = {_fmt(q)}·{_fmt(1 - target)}/{_fmt(r.sigma_x)}, "
                   f"G(k) = φ(k) − k(1 − Φ(k))")
    elif kind == "fill_rate":
        formula = "E[(X − s)⁺] − E[(X − s − Q)⁺] = Q(1 − β), X gamma; k = (s − E[X])/σ_X"
    else:
        formula = f"Φ⁻¹({_fmt(target)})" if distribution == NORMAL else f"gamma quantile {_fmt(target)} of X"
    steps.append(Step("safety_factor", r.k, formula, f"{distribution} lead-time demand"))
    steps.append(Step("safety_stock", r.safety_stock, f"k·σ_X = {_fmt(r.k)}·{_fmt(r.sigma_x)}", "computed"))
    steps.append(Step("reorder_point", r.reorder_point, f"max(0, d̄·E[L] + E[U] + SS) = {_fmt(r.mean_lead_time_demand)}"
                      f" + {_fmt(r.undershoot)} + {_fmt(r.safety_stock)}; order Q when position ≤ s", "computed"))
    return r, distribution


def _periodic_review(p: PolicyInput, kind: str, target: float, steps: list[Step]):
    target_kw = {"fill_rate": target} if kind == "fill_rate" else {"cycle_service": target}
    r = order_up_to_levels(p.demand_mean, p.demand_sd, p.lead_time_mean, p.lead_time_sd,
                           p.review_period_days, **target_kw)
    horizon = p.review_period_days + p.lead_time_mean
    src = f"lead time: {p.lead_time_source}; demand: forecast"
    steps.append(Step("mean_protection_demand", r.mean_protection_demand,
                      f"d̄·(R + E[L]) = {_fmt(p.demand_mean)}·{_fmt(horizon)}", src))
    steps.append(Step("sigma_dl", r.sigma_rl, f"√((R + E[L])·σ_d² + d̄²·σ_L²) = √({_fmt(horizon)}·"
                      f"{_fmt(p.demand_sd)}² + {_fmt(p.demand_mean)}²·{_fmt(p.lead_time_sd)}²)", src))
    formula = ("E[(D_{R+L} − S)⁺] − E[(D_L − S)⁺] = d̄·R·(1 − β), normal" if kind == "fill_rate"
               else f"Φ⁻¹({_fmt(target)})")
    steps.append(Step("safety_factor", r.k, formula, "normal protection-interval demand"))
    steps.append(Step("safety_stock", r.safety_stock, f"k·σ = {_fmt(r.k)}·{_fmt(r.sigma_rl)}", "computed"))
    steps.append(Step("order_up_to", r.order_up_to, f"max(0, d̄·(R + E[L]) + SS); every {_fmt(p.review_period_days)}"
                      " days order up to S", "computed"))
    return r


def plan_policy(p: PolicyInput) -> PolicyResult:
    """Push or pull, safety stock, reorder point (or order-up-to level) and order quantity for one
    product, with every number's formula and source; buyer overrides applied last and reported."""
    _check_policy_input(p)
    steps: list[Step] = []
    mode, reason_en, reason_fr = push_pull(p.abc_class, p.variability_class, p.critical)
    steps.append(Step("mode", mode, f"rule: ABC {p.abc_class} × {p.variability_class}"
                      f"{' × critical' if p.critical else ''} — {reason_en}", "push/pull rule"))
    kind, target = _service_target(p, steps)
    gamma = distribution_for_class(p.variability_class) == GAMMA
    values: dict[str, Any] = {"mode": mode, "order_quantity": None, "safety_stock": None, "reorder_point": None,
                              "order_up_to": None}
    eoq_value = None
    if p.review_period_days is None:
        q, eoq_value = _order_quantity(p, steps)
        r, distribution = _continuous_review(p, kind, target, q, gamma, steps)
        values.update(order_quantity=q, safety_stock=r.safety_stock, reorder_point=r.reorder_point)
        mean_dl, sigma, under, k = r.mean_lead_time_demand, r.sigma_dl, r.undershoot, r.k
        covered = r.mean_lead_time_demand + r.undershoot
    else:
        if not p.review_period_days > 0:
            raise Invalid("review_period_invalid", "The review period must be more than zero days.",
                          "La période de revue doit dépasser zéro jour.", field="review_period_days")
        r = _periodic_review(p, kind, target, steps)
        distribution = NORMAL
        values.update(safety_stock=r.safety_stock, order_up_to=r.order_up_to)
        mean_dl, sigma, under, k = r.mean_protection_demand, r.sigma_rl, 0.0, r.k
        covered = r.mean_protection_demand
    applied = _apply_overrides(p.overrides, values, covered, steps)
    if values["mode"] == PULL:
        values.update(safety_stock=None, reorder_point=None, order_up_to=None, order_quantity=None)
        steps.append(Step("stocking", "none", "pull: bought against customer orders (MOQ and packs still apply);"
                          " the figures above are what stocking it would take", "mode"))
    if any(a.name == "mode" for a in applied):
        reason_en = f"Buyer override: {values['mode']} (rule said {mode}: {reason_en})"
        reason_fr = f"Choix de l'acheteur : {values['mode']} (la règle disait {mode} : {reason_fr})"
    return PolicyResult(
        mode=values["mode"], reason_en=reason_en, reason_fr=reason_fr, abc_class=p.abc_class,
        variability_class=p.variability_class, critical=p.critical, service_kind=kind, service_target=target,
        distribution=distribution, mean_lead_time_demand=mean_dl, sigma_dl=sigma, undershoot=under,
        safety_factor=k, safety_stock=values["safety_stock"], reorder_point=values["reorder_point"],
        order_up_to=values["order_up_to"], order_quantity=values["order_quantity"], eoq=eoq_value,
        review_period_days=p.review_period_days, overrides=tuple(applied), steps=tuple(steps),
    )


def _apply_overrides(overrides: Mapping[str, Any], values: dict, covered: float, steps: list[Step]):
    """Buyer's values replace computed ones, in a fixed order; a forced safety stock moves the reorder
    point (or order-up-to level) with it, a forced reorder point implies its safety stock."""
    applied = []
    for name in OVERRIDABLE:
        if name not in overrides:
            continue
        value = overrides[name]
        if name != "mode":
            value = float(value)
            if not (math.isfinite(value) and value >= 0):
                raise Invalid("override_invalid", f"The forced {name} must be a number, zero or more.",
                              f"La valeur forcée {name} doit être un nombre positif ou nul.", field=name)
        if name != "mode" and name != "safety_stock" and values.get(name) is None:
            raise Invalid("override_not_applicable", f"{name} does not exist with this review type.",
                          f"{name} n'existe pas pour ce type de revue.", field=name)
        computed = values.get(name)
        applied.append(AppliedOverride(name, computed, value))
        values[name] = value
        steps.append(Step(name, value, f"forced by the buyer (computed: {computed})", "buyer override"))
        level = "reorder_point" if values["reorder_point"] is not None else "order_up_to"
        if name == "safety_stock":
            values[level] = max(covered + value, 0.0)
            steps.append(Step(level, values[level], f"{_fmt(covered)} + forced safety stock", "buyer override"))
        elif name in ("reorder_point", "order_up_to"):
            values["safety_stock"] = value - covered
            steps.append(Step("safety_stock", values["safety_stock"], f"forced {name} − {_fmt(covered)}",
                              "buyer override"))
    return applied


# ---------------------------------------------------------------------------------- customer promise
@dataclass(frozen=True)
class Promise:
    date: date
    basis: str            # "lead_time" (pull, or push out of stock) | "in_stock" | "next_arrival"
    days: int             # calendar days from the start date, rounded up
    explanation_en: str
    explanation_fr: str


def promise_date(mode: str, *, today: date, handling_days: float, order_date: date | None = None,
                 in_stock: bool = False, lead_time_p50: float | None = None, lead_time_p90: float | None = None,
                 quantile: str = "p90", next_arrival: date | None = None) -> Promise:
    """The date to promise a customer (DESIGN §5).

    Push item in stock: today + handling time. Push item out of stock with a delivery expected: that
    arrival + handling. Pull item (or push with nothing coming): order date + the supplier's measured lead
    time (p90 by default: nine promises in ten are kept; p50 on request) + handling. Fractions of a day are
    rounded up: a promise is a whole date and must be kept. ``handling_days`` is the internal time measured
    from reception to shipment.
    """
    if mode not in (PUSH, PULL):
        raise Invalid("mode_invalid", "The mode must be push or pull.", "Le mode doit être push ou pull.", field="mode")
    if quantile not in ("p50", "p90"):
        raise Invalid("quantile_invalid", "The lead-time quantile must be p50 or p90.",
                      "Le quantile du délai doit être p50 ou p90.", field="quantile")
    if not (math.isfinite(handling_days) and handling_days >= 0):
        raise Invalid("handling_days_invalid", "The handling time must be zero or more days.",
                      "Le temps de préparation doit être d'au moins zéro jour.", field="handling_days")
    if mode == PUSH and in_stock:
        days = math.ceil(handling_days)
        return Promise(today + timedelta(days=days), "in_stock", days,
                       f"In stock: today + {handling_days:g} days of handling.",
                       f"En stock : aujourd'hui + {handling_days:g} jours de préparation.")
    if mode == PUSH and next_arrival is not None:
        start = max(next_arrival, today)
        days = math.ceil(handling_days)
        return Promise(start + timedelta(days=days), "next_arrival", (start - today).days + days,
                       f"Out of stock, delivery expected {start.isoformat()}: + {handling_days:g} days of handling.",
                       f"En rupture, livraison attendue le {start.isoformat()} : + {handling_days:g} jours de "
                       "préparation.")
    lead = lead_time_p90 if quantile == "p90" else lead_time_p50
    if lead is None or not (math.isfinite(lead) and lead >= 0):
        raise Invalid("lead_time_missing", f"The supplier's {quantile} lead time is needed to promise this item.",
                      f"Le délai {quantile} du fournisseur est nécessaire pour promettre cet article.",
                      field="lead_time")
    start = order_date or today
    days = math.ceil(lead + handling_days)
    return Promise(start + timedelta(days=days), "lead_time", days,
                   f"Ordered from the supplier on {start.isoformat()}: {quantile} lead time {lead:g} days + "
                   f"{handling_days:g} days of handling.",
                   f"Commandé au fournisseur le {start.isoformat()} : délai {quantile} de {lead:g} jours + "
                   f"{handling_days:g} jours de préparation.")
