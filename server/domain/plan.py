"""The whole replenishment plan at once, as arrays: one entry per product.

The same rules as ``policy.plan_policy`` (which explains one product step by step), without the
explanations, so 20,000 products × 730 days fit in seconds: classify and forecast weekly sums, take daily
demand moments, ABC on consumption value, push/pull, fill-rate targets, order quantities rounded to MOQ
and packs, and the (s, Q) reorder points with both variabilities.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .classify import CRITICAL_FILL_RATE, FILL_RATE_TARGETS, PULL, abc_classes, push_pull_modes
from .demand import ERRATIC, INTERMITTENT, LUMPY, NO_DEMAND, SMOOTH, aggregate, classify
from .forecast import select_forecast
from .leadtime_demand import daily_demand_moments, predictive_lead_time_sd
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
    points = reorder_points(weekly_level / 7, d_sd, lt_mean, lt_sd, q, fill_rate=fill, d_m3=d_m3, gamma=gamma)
    pull = modes == PULL
    return Plan(weekly_level / 7, d_sd, d_m3, np.asarray(selection.candidates)[selection.choice], names, abc, modes,
                fill, lt_sd, np.asarray(q, dtype=float), np.where(pull, np.nan, points.safety_stock),
                np.where(pull, np.nan, points.reorder_point))
