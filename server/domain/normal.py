"""The standard normal distribution: density, tails, quantile and first-order loss function G(k)."""
from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

from .errors import Invalid
from .numeric import as_float

_STD_NORMAL = NormalDist()                 # stdlib; inv_cdf is Wichura's AS 241 (≈ 1e-16 relative)
_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_erfc = np.frompyfunc(math.erfc, 1, 1)     # numpy has no erfc; math's is exact to the last bits


def norm_pdf(x):
    x = np.asarray(x, dtype=float)
    return as_float(_INV_SQRT_2PI * np.exp(-0.5 * x * x))


def norm_sf(x):
    """1 − Φ(x), computed with erfc so the upper tail keeps its precision."""
    x = np.asarray(x, dtype=float)
    return as_float(0.5 * np.asarray(_erfc(x / _SQRT2), dtype=float))


def norm_cdf(x):
    x = np.asarray(x, dtype=float)
    return as_float(0.5 * np.asarray(_erfc(-x / _SQRT2), dtype=float))


def norm_ppf(p: float) -> float:
    """Φ⁻¹(p) for 0 < p < 1."""
    if not 0.0 < p < 1.0:
        raise Invalid("probability_out_of_range", "A service level must be strictly between 0 and 1.",
                      "Un niveau de service doit être strictement entre 0 et 1.", field="service_target")
    return _STD_NORMAL.inv_cdf(p)


def normal_loss(k):
    """Standard normal first-order loss G(k) = E[(Z − k)⁺] = φ(k) − k·(1 − Φ(k))."""
    k = np.asarray(k, dtype=float)
    return as_float(norm_pdf(k) - k * norm_sf(k))


def normal_loss_at(level, mean, sd):
    """E[(X − level)⁺] for X normal: σ·G((level − μ)/σ)."""
    sd = np.asarray(sd, dtype=float)
    return as_float(sd * normal_loss((np.asarray(level, dtype=float) - mean) / sd))
