"""The gamma distribution by mean and sd: upper tail and loss function E[(X − s)⁺], pure numpy/math."""
from __future__ import annotations

import math

import numpy as np

from .numeric import as_float

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
    return as_float(_upper_gamma(shape, x, _log_gamma(shape)))


class GammaDistribution:
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
    return as_float(GammaDistribution(mean, sd).loss(level.ravel()).reshape(level.shape))
