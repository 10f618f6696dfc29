"""The vectorised plan: the same rules as one product's explained policy, for many products at once."""
import numpy as np
import pytest

from server.domain import policy
from server.domain.leadtime_demand import window_sum_variance
from server.domain.plan import replenishment_plan


def demand(rng, days=364):
    steady = rng.poisson(4.0, days).astype(float)                       # smooth, every day
    rare = np.where(rng.random(days) < 0.03, rng.integers(1, 30, days), 0).astype(float)   # lumpy
    none = np.zeros(days)
    return np.vstack([steady, rare, none])


def test_plan_agrees_with_the_explained_policy():
    rng = np.random.default_rng(3)
    daily = demand(rng)
    result = replenishment_plan(daily, unit_cost=np.array([20.0, 0.5, 1.0]), lt_mean=[6.0, 10.0, 5.0],
                                lt_sd=[1.5, 4.0, 0.0], moq=[0, 0, 0], pack=[1, 1, 1])
    assert list(result.demand_class) == ["smooth", "lumpy", "intermittent"]
    assert list(result.mode) == ["push", "pull", "pull"]
    assert np.isnan(result.reorder_point[1:]).all()
    one = policy.plan_policy(policy.PolicyInput(
        demand_mean=float(result.daily_mean[0]), demand_sd=float(result.daily_sd[0]),
        demand_m3=float(result.daily_m3[0]), demand_history_mean=float(result.history_mean[0]),
        lead_time_mean=6.0, lead_time_sd=1.5,
        variability_class="smooth", abc_class=str(result.abc[0]), order_quantity=float(result.order_qty[0]),
        lead_time_demand_mean=float(result.lead_time_demand_mean[0]),
        lead_time_demand_sd=float(result.lead_time_demand_sd[0])))
    assert result.reorder_point[0] == pytest.approx(one.reorder_point, rel=1e-9)
    assert result.safety_stock[0] == pytest.approx(one.safety_stock, rel=1e-9)
    # Four weeks of ~4 a day, in whole units.
    assert 100 <= result.order_qty[0] <= 125 and result.order_qty[0] == round(result.order_qty[0])


def test_a_supplier_cost_per_order_gives_the_eoq_where_the_product_has_a_cost():
    rng = np.random.default_rng(3)
    daily = demand(rng)[[0, 0]]
    result = replenishment_plan(daily, unit_cost=np.array([20.0, 20.0]), lt_mean=6.0, lt_sd=1.5,
                                ordering_cost=np.array([25.0, np.nan]), holding_rate=0.25, pack=[1, 10])
    d = float(result.daily_mean[0])
    assert result.order_qty[0] == round(np.sqrt(2 * 365 * d * 25 / 5))      # EOQ, H = 25 % × 20
    assert result.order_qty[1] == 10 * round(d * 28 / 10)                    # 4 weeks in packs of 10
    same = policy.plan_policy(policy.PolicyInput(
        demand_mean=d, demand_sd=float(result.daily_sd[0]), lead_time_mean=6.0, lead_time_sd=1.5,
        variability_class="smooth", abc_class="A", ordering_cost=25.0, holding_cost_per_unit_year=5.0))
    assert same.order_quantity == result.order_qty[0]


def test_few_receptions_widen_the_lead_time_sd():
    daily = demand(np.random.default_rng(5))[:1]
    loose = replenishment_plan(daily, unit_cost=5.0, lt_mean=6.0, lt_sd=1.5, lt_n=[5])
    known = replenishment_plan(daily, unit_cost=5.0, lt_mean=6.0, lt_sd=1.5, lt_n=[np.nan])
    assert loose.lead_time_sd[0] == pytest.approx(1.5 * np.sqrt((1 + 1 / 5) * 4 / 2))
    assert known.lead_time_sd[0] == 1.5 and loose.reorder_point[0] > known.reorder_point[0]


def test_demand_in_spells_raises_the_lead_time_demand():
    """Orders that come in busy spells: the days after an order see more demand than the average."""
    rng = np.random.default_rng(8)
    days = 728
    busy = np.repeat(rng.random(days // 14) < 0.2, 14)             # two-week busy spells
    spells = np.where(busy & (rng.random(days) < 0.5), rng.integers(1, 6, days), 0).astype(float)
    spread = rng.permutation(spells)                                 # the same days, shuffled: no spells
    plan = replenishment_plan(np.vstack([spells, spread]), unit_cost=5.0, lt_mean=7.0, lt_sd=0.0)
    formula = plan.daily_mean * 7.0
    assert plan.lead_time_demand_mean[0] > 1.3 * formula[0]
    assert plan.lead_time_demand_mean[1] == pytest.approx(formula[1], rel=0.25)


def test_a_supplier_reviewed_every_r_days_gets_order_up_to_levels_as_the_explained_policy():
    daily = np.vstack([demand(np.random.default_rng(3))[0]] * 2)
    common = dict(unit_cost=20.0, lt_mean=6.0, lt_sd=1.5, lt_n=[12, 12])
    daily_review = replenishment_plan(daily, **common)
    plan = replenishment_plan(daily, **common, review_days=[np.nan, 7])
    # the first product is reviewed daily, as before: (s, Q)
    assert plan.reorder_point[0] == daily_review.reorder_point[0] and np.isnan(plan.order_up_to[0])
    assert np.isnan(plan.review_days[0]) and plan.review_days[1] == 7
    # the second, every 7 days: S over R + L, no reorder point, no fixed Q
    assert np.isnan(plan.reorder_point[1]) and np.isnan(plan.order_qty[1])
    one = policy.plan_policy(policy.PolicyInput(
        demand_mean=float(plan.daily_mean[1]), demand_sd=float(plan.daily_sd[1]), lead_time_mean=6.0,
        lead_time_sd=1.5, lead_time_n=12, variability_class=str(plan.demand_class[1]), abc_class=str(plan.abc[1]),
        order_quantity=1.0, review_period_days=7, demand_var_rl=float(plan.window_var_rl[1]),
        demand_var_l=float(plan.window_var_l[1])))
    fading = min(1.0, plan.daily_mean[1] / plan.history_mean[1])          # see window_variances
    assert plan.window_var_rl[1] == pytest.approx(window_sum_variance(daily[1], 13.0)[0] * fading, rel=1e-12)
    assert plan.order_up_to[1] == pytest.approx(one.order_up_to, rel=1e-9)
    assert plan.safety_stock[1] == pytest.approx(one.safety_stock, rel=1e-9)
    # S covers R + L days of demand: above s, which covers L days and one day's undershoot
    assert plan.order_up_to[1] > plan.daily_mean[1] * 13 > plan.reorder_point[0]


def test_window_sum_variance_worked_by_hand():
    # Demand in pairs of days: 2-day windows total 0, 3, 6, 3, 0, 3, 6 → mean 3, variance 36/6 = 6, above the
    # independent days' 2·σ_d² = 2·18/7 = 5.142857 (σ_d² of 0, 0, 3, 3, 0, 0, 3, 3 is 18/7)
    pairs = np.array([0, 0, 3, 3, 0, 0, 3, 3.0])
    assert window_sum_variance(pairs, 2.0)[0] == pytest.approx(6.0, abs=1e-12)
    # 1.5 days: halfway between 1 day (18/7) and 2 days (6): 4.285714, above 1.5·18/7 = 3.857143
    assert window_sum_variance(pairs, 1.5)[0] == pytest.approx((18 / 7 + 6) / 2, abs=1e-12)
    # alternating days: 2-day totals are steady (variance 1.81), below the independent days' value, which is kept
    alternating = np.array([1, 0, 2, 0, 3, 0, 0, 4.0])
    assert window_sum_variance(alternating, 2.0)[0] == pytest.approx(2 * np.var(alternating, ddof=1), abs=1e-12)
    with pytest.raises(policy.Invalid):
        window_sum_variance(pairs, 7.0)


def test_a_product_that_stopped_selling_gets_a_small_order_up_to_level():
    """Two a day for 20 months, then nothing for 4: the forecast falls toward 0. Its S must fall with it, not
    grow: the window variances shrink with the forecast (a gamma of mean → 0 with the history's spread had a
    tail without bound: S in the thousands)."""
    alive = np.random.default_rng(1).poisson(2.0, 730).astype(float)
    stopped = alive.copy()
    stopped[-120:] = 0.0
    daily = np.vstack([alive, stopped])
    common = dict(unit_cost=np.array([20.0, 20.0]), lt_mean=6.0, lt_sd=1.5)
    continuous = replenishment_plan(daily, **common)
    periodic = replenishment_plan(daily, **common, review_days=7.0)
    assert periodic.daily_mean[1] < 0.1 * periodic.daily_mean[0] and list(periodic.mode) == ["push", "push"]
    assert periodic.order_up_to[1] <= periodic.order_up_to[0]
    assert periodic.order_up_to[1] <= 3 * continuous.reorder_point[1]
