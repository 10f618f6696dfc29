"""Forecast accuracy measures for many series at once.

Arrays are (series × periods); NaN marks a period that was not observed and is left out of every sum
and mean. Per-series measures return one value per series and may be inf or NaN where the scale is
zero or nothing was observed: ``finite_mean`` averages the finite ones and says how many there were,
which is how published figures drop them.
"""
from __future__ import annotations

import numpy as np

from server.domain.errors import Invalid


def _as_2d(values, name: str) -> np.ndarray:
    array = np.array(values, dtype=np.float64, ndmin=2)
    if array.ndim != 2:
        raise Invalid("invalid_shape", f"{name} must be a 1-D or 2-D array.",
                      f"{name} doit être un tableau 1-D ou 2-D.", field=name)
    return array


def _paired(actual, forecast) -> tuple[np.ndarray, np.ndarray]:
    actual = _as_2d(actual, "actual")
    forecast = np.broadcast_to(_as_2d(forecast, "forecast"), actual.shape)
    return actual, forecast


def _insample_scale(insample, season_length: int, power: int) -> np.ndarray:
    """Mean of |y_t − y_{t−m}|^power over the training periods, NaN pairs ignored."""
    if int(season_length) != season_length or season_length < 1:
        raise Invalid("invalid_season_length", "The season length must be a positive integer.",
                      "La longueur de saison doit être un entier positif.", field="season_length")
    insample = _as_2d(insample, "insample")
    m = int(season_length)
    differences = np.abs(insample[:, m:] - insample[:, :-m]) ** power
    with np.errstate(invalid="ignore"):
        return _nanmean_rows(differences)


def _nanmean_rows(values: np.ndarray) -> np.ndarray:
    count = (~np.isnan(values)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, np.nansum(values, axis=1) / count, np.nan)


def mase(actual, forecast, insample, season_length: int = 1) -> np.ndarray:
    """Mean absolute scaled error per series: mean |error| over the in-sample mean absolute
    seasonal difference (lag ``season_length``)."""
    actual, forecast = _paired(actual, forecast)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _nanmean_rows(np.abs(actual - forecast)) / _insample_scale(insample, season_length, 1)


def rmsse(actual, forecast, insample, season_length: int = 1) -> np.ndarray:
    """Root mean squared scaled error per series (M5): squared errors over the in-sample mean
    squared difference at lag ``season_length``, square-rooted."""
    actual, forecast = _paired(actual, forecast)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = _nanmean_rows((actual - forecast) ** 2) / _insample_scale(insample, season_length, 2)
    return np.sqrt(ratio)


def bias(actual, forecast) -> float:
    """Pooled relative bias: Σ(forecast − actual) / Σ actual (0.1 = 10 % over-forecast)."""
    actual, forecast = _paired(actual, forecast)
    both = ~(np.isnan(actual) | np.isnan(forecast))
    total = actual[both].sum()
    return float((forecast[both] - actual[both]).sum() / total) if total else float("nan")


def wql(actual, forecast, quantiles=None) -> float:
    """Weighted quantile loss, pooled over series: mean over levels q of 2·Σ pinball_q / Σ|actual|.

    ``forecast`` is a point forecast (series × periods) when ``quantiles`` is None, which makes the
    WQL Σ|error| / Σ|actual|; otherwise it has a last axis with one forecast per level in
    ``quantiles``."""
    actual = _as_2d(actual, "actual")
    if quantiles is None:
        forecast = np.broadcast_to(_as_2d(forecast, "forecast"), actual.shape)[..., None]
        levels = np.array([0.5])
    else:
        levels = np.asarray(quantiles, dtype=np.float64)
        forecast = np.broadcast_to(np.asarray(forecast, dtype=np.float64),
                                   actual.shape + (levels.size,))
    error = actual[..., None] - forecast
    pinball = np.maximum(levels * error, (levels - 1.0) * error)
    observed = ~np.isnan(actual)[..., None] & ~np.isnan(forecast)
    weight = np.abs(actual)[observed[..., 0]].sum()
    if not weight:
        return float("nan")
    return float(np.mean([2.0 * pinball[..., i][observed[..., i]].sum() / weight
                          for i in range(levels.size)]))


def finite_mean(values) -> tuple[float, int]:
    """Mean of the finite values, and how many there were."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values)
    count = int(finite.sum())
    return (float(values[finite].mean()) if count else float("nan")), count
