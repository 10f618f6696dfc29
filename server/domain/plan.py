"""The whole replenishment plan at once, as arrays: one entry per product.

The same rules as ``policy.plan_policy`` (which explains one product step by step), without the
explanations, so 20,000 products × 730 days fit in seconds: classify and forecast weekly sums, take daily
demand moments, ABC on consumption value, push/pull, fill-rate targets, order quantities rounded to MOQ
and packs, and the (s, Q) reorder points with both variabilities.

Lead-time demand is the one ``bench/policy_sim.py`` validates: measured on the history after each demand
day (``lead_time_demand_after_demand``: demand that comes in spells makes the days after an order busier
than average), kept as ratios to the formula on the history's own d̄, σ_d (both ≥ 1), and applied to the
formula on the forecast: μ = r_μ·d̄_forecast·E[L], σ = r_σ·√(E[L]σ_d² + d̄_forecast²σ_L²). When the forecast
equals the history's mean this is exactly the bench's model; with the plain formula, clustered slow movers
(carparts-like) fell 2.5–3.5 points short of their target (bench/README.md, policy section).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .classify import CRITICAL_FILL_RATE, FILL_RATE_TARGETS, PULL, abc_classes, push_pull_modes
from .demand import ERRATIC, INTERMITTENT, LUMPY, NO_DEMAND, SMOOTH, aggregate, classify
from .forecast import select_forecast
from .leadtime_demand import daily_demand_moments, lead_time_demand_after_demand, predictive_lead_time_sd, sigma_dl
from .quantities import round_order_quantity
from .reorder import reorder_points

FORECAST_WEEKS = 4
ORDER_COVER_WEEKS = 4       # Q covers four weeks of forecast demand when no EOQ costs are known
CLASS_NAMES = {SMOOTH: "smooth", ERRATIC: "erratic", INTERMITTENT: "intermittent", LUMPY: "lumpy",
               NO_DEMAND: "intermittent"}   # no demand yet: planned like rare demand


@dataclass(frozen=True)
class Plan:
    daily_mean: np.ndarray          # forecast, units per day
    daily_sd: np.ndarray
    daily_m3: np.ndarray
    method: np.ndarray              # forecast method name per product
    demand_class: np.ndarray        # smooth | erratic | intermittent | lumpy
    abc: np.ndarray
    mode: np.ndarray                # push | pull
    fill_rate: np.ndarray
    lead_time_sd: np.ndarray        # as planned with (predictive where the receptions are few)
    order_qty: np.ndarray
    safety_stock: np.ndarray
    reorder_point: np.ndarray       # NaN for pull items: they are bought against orders
    lead_time_demand_mean: np.ndarray   # μ of demand over the lead time, clustering included (docstring)
    lead_time_demand_sd: np.ndarray     # σ of the same (predictive σ_L included)


def variability_names(categories: np.ndarray) -> np.ndarray:
    return np.array([CLASS_NAMES[c] for c in categories.tolist()], dtype="<U12")


def replenishment_plan(daily, *, unit_cost, lt_mean, lt_sd, lt_n=None, moq=0.0, pack=1.0,
                       critical=False) -> Plan:
    """``daily``: (products × days) units asked for; lead times in days; ``lt_n`` receptions behind a
    measured lead time (NaN where the estimate leans on a pool or a promise: not widened)."""
    daily = np.asarray(daily, dtype=float)
    n = daily.shape[0]
    weekly = aggregate(daily, 7)
    names = variability_names(classify(weekly).category)
    selection = select_forecast(weekly, FORECAST_WEEKS)
    weekly_level = np.nan_to_num(selection.level)
    moments = daily_demand_moments(daily)
    d_sd, d_m3 = np.broadcast_to(moments.sd, (n,)), np.broadcast_to(moments.m3, (n,))
    abc = abc_classes(daily.sum(axis=1) * 365 / daily.shape[1] * np.broadcast_to(unit_cost, (n,)))
    critical = np.broadcast_to(np.asarray(critical, dtype=bool), (n,))
    modes, _ = push_pull_modes(abc, names, critical)
    fill = np.where(critical, CRITICAL_FILL_RATE, np.vectorize(FILL_RATE_TARGETS.get, otypes=[float])(abc))
    lt_mean = np.broadcast_to(np.asarray(lt_mean, dtype=float), (n,))
    lt_sd = np.broadcast_to(np.asarray(lt_sd, dtype=float), (n,))
    if lt_n is not None:
        counts = np.broadcast_to(np.asarray(lt_n, dtype=float), (n,))
        widened = predictive_lead_time_sd(lt_sd, np.where(np.isnan(counts), 1, counts))
        lt_sd = np.where(np.isnan(counts), lt_sd, widened)
    pack = np.broadcast_to(np.asarray(pack, dtype=float), (n,))
    q = round_order_quantity(np.maximum(weekly_level * ORDER_COVER_WEEKS, pack), moq, pack)
    gamma = np.isin(names, ("intermittent", "lumpy")) | (lt_sd > 0)
    d_fc = weekly_level / 7
    ltd_mean, ltd_sd = clustered_lead_time_demand(daily, moments, d_fc, d_sd, lt_mean, lt_sd)
    points = reorder_points(d_fc, d_sd, lt_mean, lt_sd, q, fill_rate=fill, d_m3=d_m3, gamma=gamma,
                            ltd_mean=ltd_mean, ltd_sd=ltd_sd)
    pull = modes == PULL
    return Plan(d_fc, d_sd, d_m3, np.asarray(selection.candidates)[selection.choice], names, abc, modes,
                fill, lt_sd, np.asarray(q, dtype=float), np.where(pull, np.nan, points.safety_stock),
                np.where(pull, np.nan, points.reorder_point), ltd_mean, ltd_sd)


def clustered_lead_time_demand(daily, moments, d_forecast, d_sd, lt_mean, lt_sd):
    """Lead-time demand mean and sd on the forecast, with the clustering measured on the history (module
    docstring). Where the lead time does not fit in the history the plain formula is kept."""
    days = daily.shape[1]
    fits = np.floor(lt_mean) + 1 < days
    h_mean = np.broadcast_to(moments.mean, d_forecast.shape)
    base_mean, base_sd = h_mean * lt_mean, np.asarray(sigma_dl(h_mean, d_sd, lt_mean, lt_sd))
    r_mean, r_sd = np.ones(d_forecast.shape), np.ones(d_forecast.shape)
    if np.any(fits):
        m, sd = (np.atleast_1d(v) for v in lead_time_demand_after_demand(daily[fits], lt_mean[fits], lt_sd[fits]))
        with np.errstate(divide="ignore", invalid="ignore"):
            r_mean[fits] = np.where(base_mean[fits] > 0, m / base_mean[fits], 1.0)
            r_sd[fits] = np.where(base_sd[fits] > 0, sd / base_sd[fits], 1.0)
    mean = r_mean * d_forecast * lt_mean
    sd = r_sd * np.asarray(sigma_dl(d_forecast, d_sd, lt_mean, lt_sd))
    return mean, sd
