"""The whole replenishment plan at once, as arrays: one entry per product.

The same rules as ``policy.plan_policy`` (which explains one product step by step), without the
explanations, so 20,000 products × 730 days fit in seconds: classify and forecast weekly sums, take daily
demand moments, ABC on consumption value, push/pull, fill-rate targets, order quantities rounded to MOQ
and packs, and the (s, Q) reorder points with both variabilities — or, for a product whose supplier is
reviewed every R days, the (R, S) order-up-to level over R + E[L] (``reorder.order_up_to_levels``), with
the variance of the demand of R + E[L] and of E[L] consecutive days measured on the history
(``leadtime_demand.window_sum_variance``: demand in spells makes a window's total more variable).

Lead-time demand is measured on the history (``leadtime_demand.lead_time_demand``): the demand of the E[L]
days before each unit demanded, so demand that comes in spells counts (clustering c), with the estimation
noise of one history added to its variance (block jackknife). The clustering and the demand part of the
variance are kept; the level is the forecast's: μ = d̄_forecast·E[L]·(1 + c), σ² = V·ν/(ν − 2) + Var μ̂ +
(d̄_forecast(1 + c)·σ_L)². The undershoot is one day's demand past s: it is taken on the history's own
moments (E[D²]/(2E[D]) with the history's d̄), not on the forecast. ``stock_levels`` is that computation alone,
so ``bench/policy_sim.py`` simulates exactly what the plan computes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .classify import CRITICAL_FILL_RATE, FILL_RATE_TARGETS, PULL, abc_classes, push_pull_modes
from .demand import ERRATIC, INTERMITTENT, LUMPY, NO_DEMAND, SMOOTH, aggregate, classify
from .forecast import DEFAULT_CANDIDATES, select_forecast
from .leadtime_demand import (DemandMoments, daily_demand_moments, lead_time_demand, predictive_lead_time_sd, sigma_dl,
                              window_sum_variance)
from .quantities import HOLDING_RATE, base_order_quantity, round_order_quantity
from .reorder import ReorderPoints, order_up_to_levels, reorder_points

FORECAST_WEEKS = 4
# The plan's forecast leaves out "zero": it wins the accuracy contest on quiet histories (a few demand days a
# year), and a reorder point planned on it leaves those parts short — in bench/policy_sim.py --forecast
# it cost 1-2 points of fill rate on intermittent, lumpy and carparts-like demand. A part whose demand has
# really stopped still falls fast through tsb_0.2 and ses_0.2.
PLAN_CANDIDATES = tuple(name for name in DEFAULT_CANDIDATES if name != "zero")
CLASS_NAMES = {SMOOTH: "smooth", ERRATIC: "erratic", INTERMITTENT: "intermittent", LUMPY: "lumpy",
               NO_DEMAND: "intermittent"}   # no demand yet: planned like rare demand


@dataclass(frozen=True)
class Plan:
    daily_mean: np.ndarray          # forecast, units per day
    history_mean: np.ndarray        # mean of the history (σ_d and E[D³] are its moments; the undershoot uses it)
    daily_sd: np.ndarray
    daily_m3: np.ndarray
    method: np.ndarray              # forecast method name per product
    demand_class: np.ndarray        # smooth | erratic | intermittent | lumpy
    abc: np.ndarray
    mode: np.ndarray                # push | pull
    fill_rate: np.ndarray
    lead_time_sd: np.ndarray        # as planned with (predictive where the receptions are few)
    order_qty: np.ndarray           # (s, Q): Q; NaN under periodic review (the order is what brings it up to S)
    safety_stock: np.ndarray
    reorder_point: np.ndarray       # NaN for pull items (bought against orders) and under periodic review
    lead_time_demand_mean: np.ndarray   # μ of demand over the lead time, clustering included (docstring)
    lead_time_demand_sd: np.ndarray     # σ of the same (estimation noise and predictive σ_L included)
    review_days: np.ndarray         # R of a periodic review (R, S); NaN: reviewed daily, (s, Q)
    order_up_to: np.ndarray         # S under periodic review; NaN otherwise and for pull items
    window_var_rl: np.ndarray       # periodic review: variance of R + E[L] days of demand (``window_variances``;
    window_var_l: np.ndarray        # NaN for daily review) and of E[L] days


def variability_names(categories: np.ndarray) -> np.ndarray:
    return np.array([CLASS_NAMES[c] for c in categories.tolist()], dtype="<U12")


def replenishment_plan(daily, *, unit_cost, lt_mean, lt_sd, lt_n=None, moq=0.0, pack=1.0,
                       critical=False, review_days=np.nan, ordering_cost=np.nan,
                       holding_rate=HOLDING_RATE) -> Plan:
    """``daily``: (products × days) units asked for; lead times in days; ``lt_n`` receptions behind a
    measured lead time (NaN where the estimate leans on a pool or a promise: not widened); ``review_days``
    the supplier's review period R where it orders on fixed days (NaN: reviewed daily); ``ordering_cost``
    the supplier's cost of one order (NaN: unknown, Q covers four weeks; else the EOQ with ``holding_rate``
    × unit cost a year)."""
    daily = np.asarray(daily, dtype=float)
    n = daily.shape[0]
    weekly = aggregate(daily, 7)
    names = variability_names(classify(weekly).category)
    selection = select_forecast(weekly, FORECAST_WEEKS, candidates=PLAN_CANDIDATES)
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
    base = base_order_quantity(weekly_level / 7, np.broadcast_to(unit_cost, (n,)),
                               np.broadcast_to(np.asarray(ordering_cost, dtype=float), (n,)), holding_rate)
    q = round_order_quantity(base, moq, pack)
    gamma = np.isin(names, ("intermittent", "lumpy")) | (lt_sd > 0)
    d_fc = weekly_level / 7
    levels = stock_levels(daily, d_fc, lt_mean, lt_sd, q, fill, gamma, moments=moments)
    pull = modes == PULL
    points = levels.points
    review = np.array(np.broadcast_to(np.asarray(review_days, dtype=float), (n,)))
    periodic = ~np.isnan(review)
    safety, s_point = np.array(points.safety_stock, ndmin=1), np.array(points.reorder_point, ndmin=1)
    up_to, q = np.full(n, np.nan), np.array(q, dtype=float, ndmin=1)
    v_rl, v_l = np.full(n, np.nan), np.full(n, np.nan)
    if np.any(periodic):
        at = periodic
        r, v_rl[at], v_l[at] = periodic_levels(daily[at], d_fc[at], d_sd[at], lt_mean[at], lt_sd[at], review[at],
                                              fill[at], gamma[at])
        safety[at], up_to[at], s_point[at], q[at] = r.safety_stock, r.order_up_to, np.nan, np.nan
    return Plan(d_fc, levels.history_mean, d_sd, d_m3, np.asarray(selection.candidates)[selection.choice], names, abc,
                modes, fill, lt_sd, q, np.where(pull, np.nan, safety), np.where(pull, np.nan, s_point),
                levels.lead_time_demand_mean, levels.lead_time_demand_sd, review, np.where(pull, np.nan, up_to),
                v_rl, v_l)


@dataclass(frozen=True)
class StockLevels:
    points: ReorderPoints               # arrays, one entry per product
    lead_time_demand_mean: np.ndarray
    lead_time_demand_sd: np.ndarray
    history_mean: np.ndarray


def stock_levels(daily, d_level, lt_mean, lt_sd, order_qty, fill_rate, gamma,
                 moments: DemandMoments | None = None) -> StockLevels:
    """(s, Q) reorder points from a (products × days) history, for a daily demand level ``d_level`` (the
    forecast), lead times in days (``lt_sd`` as planned: predictive where the receptions are few), order
    quantities, fill-rate targets and where X is gamma. Lead-time demand measured on the history as the
    module docstring says; where the lead time does not fit in the history, the σ_DL formula."""
    daily = np.asarray(daily, dtype=float)
    n, days = daily.shape
    moments = moments or daily_demand_moments(daily)
    h_mean, d_sd, d_m3 = (np.broadcast_to(np.asarray(v, dtype=float), (n,))
                          for v in (moments.mean, moments.sd, moments.m3))
    d_level = np.broadcast_to(np.asarray(d_level, dtype=float), (n,))
    lt_mean = np.broadcast_to(np.asarray(lt_mean, dtype=float), (n,))
    lt_sd = np.broadcast_to(np.asarray(lt_sd, dtype=float), (n,))
    mean = d_level * lt_mean
    sd = np.array(sigma_dl(d_level, d_sd, lt_mean, lt_sd), dtype=float, ndmin=1)
    fits = np.floor(lt_mean) + 2 <= days
    if np.any(fits):
        every = bool(np.all(fits))
        measured = lead_time_demand(daily if every else daily[fits], lt_mean[fits], lt_sd[fits])
        m, s = measured.at(d_level[fits], lt_sd[fits])
        mean, sd = np.array(mean), np.array(sd)
        mean[fits], sd[fits] = m, s
    points = reorder_points(d_level, d_sd, lt_mean, lt_sd, order_qty, fill_rate=fill_rate, d_m3=d_m3, gamma=gamma,
                            ltd_mean=mean, ltd_sd=sd, d_hist_mean=h_mean)
    return StockLevels(points, mean, sd, np.array(h_mean))


def periodic_levels(daily, d_level, d_sd, lt_mean, lt_sd, review, fill_rate, gamma):
    """(R, S) order-up-to levels from a (products × days) history, as the plan computes them, with the window
    variances they used (``window_variances``)."""
    v_rl, v_l = window_variances(daily, d_level, d_sd, lt_mean, review)
    levels = order_up_to_levels(d_level, d_sd, lt_mean, lt_sd, review, fill_rate=fill_rate, gamma=gamma,
                                demand_var=(v_rl, v_l))
    return levels, v_rl, v_l


def window_variances(daily, d_level, d_sd, lt_mean, review) -> tuple[np.ndarray, np.ndarray]:
    """Variance of the demand of R + E[L] and of E[L] days, per product: measured on the history where the
    window fits in it (``window_sum_variance``), else the independent-days formula (days·σ_d²).

    Scaled by min(1, d̄ forecast / d̄ history): a fading forecast is fewer demands of the same sizes, whose
    variance falls with the rate (compound Poisson) while the CV stays; left at the history's, a gamma of mean
    d̄·(R + E[L]) → 0 with that spread has a tail that grows without bound (a part that stopped selling was
    bought by the thousand)."""
    daily = np.atleast_2d(np.asarray(daily, dtype=float))
    n = daily.shape[0]
    lt_mean, review, d_sd, d_level = (np.broadcast_to(np.asarray(v, dtype=float), (n,))
                                      for v in (lt_mean, review, d_sd, d_level))
    v_rl, v_l = (lt_mean + review) * d_sd ** 2, lt_mean * d_sd ** 2
    fits = np.floor(lt_mean + review) + 2 <= daily.shape[1]
    if np.any(fits):
        v_rl[fits] = window_sum_variance(daily[fits], (lt_mean + review)[fits])
        v_l[fits] = window_sum_variance(daily[fits], lt_mean[fits])
    h_mean = daily.mean(axis=1)
    scale = np.where(h_mean > 0, np.clip(d_level / np.where(h_mean > 0, h_mean, 1.0), 0.0, 1.0), 1.0)
    return v_rl * scale, v_l * scale
