"""Safety stock, reorder point, EOQ, push/pull and promise dates against hand-worked examples."""
import math
import re
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.errors import Invalid
from server.domain.policy import (
    PolicyInput, abc_classes, clustered_variance, daily_demand_moments, eoq, expected_undershoot, gamma_loss,
    gamma_sf, k_for_fill_rate, lead_time_demand, norm_cdf, norm_ppf, normal_loss, normal_loss_at,
    order_up_to_levels, plan_policy, promise_date, pull_purchase_quantity, push_pull, push_pull_modes,
    base_order_quantity, reorder_points, round_order_quantity, sigma_dl, undershoot_moments, z_for_cycle_service,
)

TIGHT = dict(rel=1e-9, abs=1e-9)
SIX = dict(abs=1e-6)


# --------------------------------------------------------------------------------- normal maths
@pytest.mark.parametrize("p, z", [(0.5, 0.0), (0.90, 1.2815516), (0.95, 1.6448536), (0.975, 1.9599640),
                                  (0.98, 2.0537489), (0.99, 2.3263479)])
def test_z_for_cycle_service_matches_tables(p, z):
    assert z_for_cycle_service(p) == pytest.approx(z, abs=5e-8)


def test_ppf_and_cdf_are_inverse_and_refuse_certainty():
    assert norm_cdf(norm_ppf(0.95)) == pytest.approx(0.95, abs=1e-14)
    assert norm_cdf(1.0) == pytest.approx(0.8413447, abs=5e-8)
    for p in (0.0, 1.0, 1.5):
        with pytest.raises(Invalid):
            norm_ppf(p)


def test_normal_loss_values():
    assert normal_loss(0.0) == pytest.approx(0.3989423, abs=5e-8)          # φ(0) = 1/√(2π)
    # G(1) = φ(1) − 1·(1 − Φ(1)) = 0.2419707 − 0.1586553 = 0.0833155
    assert normal_loss(1.0) == pytest.approx(0.0833155, abs=5e-8)
    # G(2) = 0.0539910 − 2·0.0227501 = 0.0084907
    assert normal_loss(2.0) == pytest.approx(0.0084907, abs=5e-8)
    # G(−k) = k + G(k): G(−1) = 1.0833155
    assert normal_loss(-1.0) == pytest.approx(1.0833155, abs=5e-8)
    np.testing.assert_allclose(normal_loss(np.array([0.0, 1.0])), [0.3989423, 0.0833155], atol=5e-8)


def test_k_from_fill_rate_textbook_relation():
    # G(k) = Q(1 − β)/σ: σ = 100, β = 0.95, Q = 100·G(1)/0.05 = 166.6309 → G(k) = G(1) → k = 1
    q = 100 * 0.0833154706 / 0.05
    assert k_for_fill_rate(0.95, q, 100, exact=False) == pytest.approx(1.0, abs=1e-6)
    # G(0) = 0.398942: Q(1 − β)/σ = 0.398942 with Q = 398.942, β = 0.9, σ = 100 → k = 0
    assert k_for_fill_rate(0.9, 3989.422804, 1000, exact=False) == pytest.approx(0.0, abs=1e-6)


def test_k_from_fill_rate_exact_relation():
    # G(k) − G(k + Q/σ) = Q(1 − β)/σ with Q = σ = 100 (a = 1) and k = 0.5:
    # G(0.5) = 0.3520653 − 0.5·0.3085375 = 0.1977966; G(1.5) = 0.1295176 − 1.5·0.0668072 = 0.0293068
    # → 1 − β = 0.1684898 → β = 0.8315102
    assert k_for_fill_rate(0.8315102, 100, 100) == pytest.approx(0.5, abs=1e-5)
    # the textbook relation with the same numbers asks for more: G(k) = 0.1684898 → k ≈ 0.58
    assert k_for_fill_rate(0.8315102, 100, 100, exact=False) > 0.55


def test_k_is_zero_without_uncertainty_and_can_be_negative_with_big_orders():
    assert k_for_fill_rate(0.95, 50, 0.0) == 0.0
    # Q/σ = 20, β = 0.9: G(k) ≈ 2 → k ≈ −1.99: the order quantity alone gives most of the service
    assert k_for_fill_rate(0.9, 2000, 100) == pytest.approx(-1.9915, abs=1e-3)
    with pytest.raises(Invalid):
        k_for_fill_rate(1.0, 10, 10)


def test_k_vectorised_matches_scalar():
    betas, qs, sigmas = np.array([0.9, 0.95, 0.99]), np.array([10.0, 200.0, 5.0]), np.array([7.0, 30.0, 12.0])
    vec = k_for_fill_rate(betas, qs, sigmas)
    for b, q, s, k in zip(betas, qs, sigmas, vec):
        assert k_for_fill_rate(b, q, s) == pytest.approx(k, abs=1e-12)
        assert normal_loss(k) - normal_loss(k + q / s) == pytest.approx(q * (1 - b) / s, abs=1e-12)


# ---------------------------------------------------------------------------- lead-time demand
def test_sigma_dl_both_variabilities():
    # d̄ 10, σ_d 4, E[L] 9, σ_L 2: √(9·16 + 100·4) = √(144 + 400) = √544 = 23.323808
    assert sigma_dl(10, 4, 9, 2) == pytest.approx(math.sqrt(544), **TIGHT)
    assert sigma_dl(10, 4, 9, 0) == pytest.approx(12.0, **TIGHT)            # √144: demand only


def test_undershoot():
    # (σ_d² + d̄²)/(2d̄) = (16 + 100)/20 = 5.8
    assert expected_undershoot(10, 4) == pytest.approx(5.8, **TIGHT)
    assert expected_undershoot(0, 0) == 0.0
    mean, sd = undershoot_moments(10, 4)                                     # no E[D³]: Var U = E[U]²/3
    assert (mean, sd) == (pytest.approx(5.8), pytest.approx(5.8 / math.sqrt(3)))
    # daily demand always 6: E[D³] = 216 → E[U²] = 216/(3·6) = 12, E[U] = 36/12 = 3 → Var 3 → sd √3
    mean, sd = undershoot_moments(6, 0, 216)
    assert mean == pytest.approx(3.0, **TIGHT) and sd == pytest.approx(math.sqrt(3), **TIGHT)


def test_reorder_point_cycle_service_with_undershoot():
    r = reorder_points(10, 4, 9, 2, 100, cycle_service=0.95)
    assert r.mean_lead_time_demand == pytest.approx(90.0, **TIGHT)          # 10·9
    assert r.undershoot == pytest.approx(5.8, **TIGHT)
    # σ_X = √(544 + 5.8²/3) = √(544 + 11.213333) = √555.213333 = 23.562965
    assert r.sigma_x == pytest.approx(23.5629653, abs=1e-6)
    # SS = 1.6448536·23.5629653 = 38.757629; s = 90 + 5.8 + 38.757629 = 134.557629
    assert r.safety_stock == pytest.approx(38.757629, abs=1e-5)
    assert r.reorder_point == pytest.approx(134.557629, abs=1e-5)


def test_undershoot_takes_the_history_mean_when_the_level_is_a_forecast():
    # σ_d 4 and E[D³] were measured on a history of mean 10; the forecast is 2.5. E[U] = (16 + 100)/20 = 5.8 as
    # for the history, not (16 + 6.25)/5 = 4.45 (forecast with the history's σ_d).
    r = reorder_points(2.5, 4, 9, 2, 100, fill_rate=0.95, d_hist_mean=10.0)
    assert r.undershoot == pytest.approx(5.8, **TIGHT) and r.mean_lead_time_demand == pytest.approx(22.5, **TIGHT)
    assert reorder_points(2.5, 4, 9, 2, 100, fill_rate=0.95).undershoot == pytest.approx(4.45, **TIGHT)


def test_reorder_point_without_undershoot_is_the_textbook_one():
    r = reorder_points(10, 4, 9, 2, 100, cycle_service=0.95, undershoot=False)
    # SS = 1.6448536·23.323808 = 38.364249; s = 90 + 38.364249 = 128.364249
    assert r.safety_stock == pytest.approx(38.364249, abs=1e-5)
    assert r.reorder_point == pytest.approx(128.364249, abs=1e-5)


def test_reorder_point_fill_rate_solves_the_shortage_equation():
    r = reorder_points(10, 4, 9, 2, 276, fill_rate=0.98)
    mean_x, s = 95.8, r.reorder_point                                         # 90 + E[U] 5.8
    short = normal_loss_at(s, mean_x, r.sigma_x) - normal_loss_at(s + 276, mean_x, r.sigma_x)
    assert short == pytest.approx(276 * 0.02, abs=1e-9)                     # Q(1 − β) = 5.52 units per cycle


def test_reorder_points_vectorised_and_zero_demand():
    r = reorder_points(np.array([10.0, 0.0]), np.array([4.0, 0.0]), 9, 2, np.array([100.0, 5.0]), fill_rate=0.95)
    single = reorder_points(10, 4, 9, 2, 100, fill_rate=0.95)
    assert r.reorder_point[0] == pytest.approx(single.reorder_point, abs=1e-9)
    assert r.reorder_point[1] == 0.0 and r.safety_stock[1] == 0.0


def test_ambiguous_target_refused():
    with pytest.raises(Invalid):
        reorder_points(10, 4, 9, 2, 100)
    with pytest.raises(Invalid):
        reorder_points(10, 4, 9, 2, 100, fill_rate=0.9, cycle_service=0.9)


# ------------------------------------------------------------------------------------------ gamma
def test_gamma_tail_and_loss_closed_forms():
    assert gamma_sf(1.0, 1.0) == pytest.approx(math.exp(-1), abs=1e-14)      # exponential: e^−x
    assert gamma_sf(2.0, 2.0) == pytest.approx(3 * math.exp(-2), abs=1e-14)  # shape 2: e^−x(1 + x) = 0.406006
    assert gamma_sf(30.0, 3.0) == pytest.approx(math.exp(-30) * (1 + 30 + 450), abs=1e-25)   # continued fraction
    # mean = sd = 2 is an exponential with θ = 2: E[(X − 1)⁺] = θe^(−1/θ) = 2e^−0.5 = 1.213061
    assert gamma_loss(1.0, 2.0, 2.0) == pytest.approx(2 * math.exp(-0.5), abs=1e-12)
    assert gamma_loss(-3.0, 2.0, 2.0) == pytest.approx(5.0, **TIGHT)          # E[X] − s below zero


def test_gamma_reorder_points_exponential_case():
    # X exponential, θ = 2 (given as measured lead-time demand, no undershoot).
    kw = dict(ltd_mean=2.0, ltd_sd=2.0, undershoot=False, gamma=True)
    # CSL 0.9: s = −θ·ln(0.1) = 2·2.302585 = 4.605170
    assert reorder_points(1, 1, 2, 0, 4, cycle_service=0.9, **kw).reorder_point == pytest.approx(4.6051702, abs=1e-6)
    # β 0.9, Q 4: θe^(−s/θ)(1 − e^(−Q/θ)) = Q(1 − β) → e^(−s/2) = 0.4 / (2·0.8646647) = 0.2313032
    # → s = −2·ln(0.2313032) = −2·(−1.4640245) = 2.928049
    r = reorder_points(1, 1, 2, 0, 4, fill_rate=0.9, **kw)
    assert r.reorder_point == pytest.approx(2.928049, abs=1e-5) and r.gamma is True


# ---------------------------------------------------------------------------- measured on the history
def test_clustered_variance_by_hand():
    # d̄ 2, σ_d² 10, E[L] 5, c 0.5: (1.5)·5·(10 − 4·0.5) + (2·5)²·0.5·1.5 = 60 + 75 = 135
    assert clustered_variance(2.0, 10.0, 5.0, 0.5) == pytest.approx(135.0, **TIGHT)
    assert clustered_variance(2.0, 10.0, 5.0, 0.0) == pytest.approx(50.0, **TIGHT)      # E[L]·σ_d²: no clustering


def test_lead_time_demand_by_hand():
    # history 2,2,0,0,0,0,0,0,3,3; E[L] = 1, blocks of 5 days. Scored days τ = 2…9 (⌊E[L]⌋ + 1 on), each
    # weighted by D_τ, window = the day before: τ = 8 (D 3, W 0), τ = 9 (D 3, W 3): a = 9/6 = 1.5 against
    # d̄·E[L] = 1 → c = 0.5, μ = 1.5.
    # σ_d² = (4 + 4 + 9 + 9 − 10·1²)/9 = 16/9; V = 1.5·(16/9 − 0.5) + 1·0.5·1.5 = 23/12 + 3/4 = 8/3.
    # Jackknife of V (c held): without days 0-4 the rest is 0,0,0,3,3: d̄ 1.2, σ² (18 − 7.2)/4 = 2.7,
    # V = 1.5·(2.7 − 0.72) + 1.44·0.75 = 4.05; without days 5-9: 2,2,0,0,0: d̄ 0.8, σ² 1.2, V = 1.5·0.88 + 0.48
    # = 1.8. Var = (1/2)·2·1.125² = 1.265625 → ν = 2·(8/3)²/1.265625 = 11.24, capped at 2 × 4 demand days = 8.
    # Jackknife of a: the first block holds no scored demand → 0; floor (E[L](1 + c))²σ_d²/days = 2.25·(16/9)/10
    # = 0.4. σ = √(8/3·8/6 + 0.4) = √(32/9 + 0.4) = 1.988858
    r = lead_time_demand(np.array([2, 2, 0, 0, 0, 0, 0, 0, 3, 3.0]), 1.0, 0.0, block_days=5)
    assert (r.mean, r.clustering, r.variance) == (pytest.approx(1.5), pytest.approx(0.5), pytest.approx(8 / 3))
    assert (r.dof, r.mean_var) == (pytest.approx(8.0), pytest.approx(0.4))
    assert r.sd == pytest.approx(math.sqrt(32 / 9 + 0.4), **TIGHT)
    # σ_L = 0.5 adds (d̄(1 + c)·σ_L)² = 0.75² = 0.5625
    assert lead_time_demand(np.array([2, 2, 0, 0, 0, 0, 0, 0, 3, 3.0]), 1.0, 0.5, block_days=5).sd == \
        pytest.approx(math.sqrt(32 / 9 + 0.4 + 0.5625), **TIGHT)
    # another level (a forecast twice the history's mean): μ doubles, the demand part of the variance stays
    mean, sd = r.at(2.0, 0.5)
    assert mean == pytest.approx(3.0) and sd == pytest.approx(math.sqrt(32 / 9 + 0.4 + 1.5 ** 2), **TIGHT)


def test_lead_time_demand_floors_anti_clustering_and_matches_the_formula_when_steady():
    # one unit every other day: the day before a demand is always empty (a = 0 < d̄·E[L]): c floored at 0
    alternate = np.tile([1.0, 0.0], 60)
    r = lead_time_demand(alternate, 1.0, 0.0)
    assert r.clustering == 0.0 and r.mean == pytest.approx(0.5)
    assert r.variance == pytest.approx(1.0 * alternate.var(ddof=1), **TIGHT)       # E[L]·σ_d²
    # the same demand every day: no spread at all
    steady = lead_time_demand(np.full(120, 3.0), 4.0, 0.0)
    assert (steady.mean, steady.sd, steady.clustering) == (pytest.approx(12.0), 0.0, 0.0)


def test_lead_time_demand_rows_match_single_series_and_spells_raise_it():
    rng = np.random.default_rng(3)
    h = rng.poisson(0.7, (3, 200)).astype(float)
    r = lead_time_demand(h, [2.5, 4.0, 7.2], [0.5, 0.0, 1.0])
    for i, (lt, ls) in enumerate([(2.5, 0.5), (4.0, 0.0), (7.2, 1.0)]):
        one = lead_time_demand(h[i], lt, ls)
        assert (r.mean[i], r.sd[i], r.dof[i]) == (pytest.approx(one.mean, **TIGHT), pytest.approx(one.sd, **TIGHT),
                                                  pytest.approx(one.dof, **TIGHT))
        assert one.mean >= h[i].mean() * lt - 1e-12
    # demand in two-week spells (busy 20 % of the time) against the same days shuffled
    busy = np.repeat(rng.random(52) < 0.2, 14)
    spells = np.where(busy & (rng.random(728) < 0.5), rng.integers(1, 6, 728), 0).astype(float)
    both = lead_time_demand(np.vstack([spells, rng.permutation(spells)]), 7.0, 0.0)
    assert both.clustering[0] > 1.0 and both.clustering[1] < 0.3
    assert both.sd[0] > 1.5 * both.sd[1]
    with pytest.raises(Invalid):
        lead_time_demand(np.ones(5), 4.0, 0.0)


def test_daily_moments():
    m = daily_demand_moments([0, 2, 0, 4])
    # mean 6/4 = 1.5; Σ(x − x̄)² = 2.25 + 0.25 + 2.25 + 6.25 = 11 → /3 → sd 1.914854; E[D³] = (8 + 64)/4 = 18
    assert (m.mean, m.sd, m.m3) == (1.5, pytest.approx(math.sqrt(11 / 3), **TIGHT), 18.0)


# ----------------------------------------------------------------------------------- (R, S)
def test_order_up_to_cycle_service():
    r = order_up_to_levels(10, 4, 9, 2, 7, cycle_service=0.95)
    # protection R + L = 16: μ = 160; σ = √(16·16 + 100·4) = √656 = 25.612497
    # SS = 1.6448536·25.612497 = 42.128809; S = 202.128809
    assert r.mean_protection_demand == pytest.approx(160.0, **TIGHT)
    assert r.sigma_rl == pytest.approx(math.sqrt(656), **TIGHT)
    assert r.order_up_to == pytest.approx(202.128809, abs=1e-5)


def test_order_up_to_fill_rate_solves_its_equation():
    r = order_up_to_levels(10, 4, 9, 2, 7, fill_rate=0.95)
    late = normal_loss_at(r.order_up_to, 160, math.sqrt(656)) - normal_loss_at(r.order_up_to, 90, math.sqrt(544))
    assert late == pytest.approx(10 * 7 * 0.05, abs=1e-9)                  # d̄·R·(1 − β) = 3.5


def test_order_up_to_gamma_fill_rate_solves_its_equation():
    r = order_up_to_levels(10, 4, 9, 2, 7, fill_rate=0.95, gamma=True)
    late = gamma_loss(r.order_up_to, 160, math.sqrt(656)) - gamma_loss(r.order_up_to, 90, math.sqrt(544))
    assert r.gamma and late == pytest.approx(3.5, abs=1e-9)
    # arrays: a row without demand needs nothing; a certain D_L (no demand spread, certain lead time) is short of
    # its excess only
    rows = order_up_to_levels([10, 0, 2], [4, 0, 0], [9, 9, 3], [2, 2, 0], 7, fill_rate=0.95, gamma=True)
    assert rows.order_up_to[1] == 0 and list(rows.gamma) == [True, False, False]


def test_order_up_to_with_no_demand_expected_is_zero():
    # the target d̄·R·(1 − β) is 0, which no finite S meets exactly: nothing to protect
    assert order_up_to_levels(0.0, 1.5, 5.0, 1.0, 7.0, fill_rate=0.95, gamma=True).order_up_to == 0
    assert order_up_to_levels(0.0, 1.5, 5.0, 1.0, 7.0, fill_rate=0.95).order_up_to == 0


def test_order_up_to_solves_its_equation_for_very_steady_demand():
    # 100 a day, σ_d 0.5, a fixed lead time of 5, R = 7: the shortage allowed, d̄·R·(1 − β) = 35, is ~20 σ_RL,
    # so the root lies below μ_RL − 12σ_RL (the bracket once stopped there and S stayed too high)
    d, sd, lead, review, beta = 100.0, 0.5, 5.0, 7.0, 0.95
    s_level = order_up_to_levels(d, sd, lead, 0.0, review, fill_rate=beta, gamma=True).order_up_to
    sig_rl, sig_l = sd * math.sqrt(review + lead), sd * math.sqrt(lead)
    shortage = sig_rl * normal_loss((s_level - d * (review + lead)) / sig_rl) - \
        sig_l * normal_loss((s_level - d * lead) / sig_l)
    assert shortage == pytest.approx(d * review * (1 - beta), rel=1e-6)


def _simulated_fill_rate(s_level, share, shape, scale, lead, review, cycles=100_000, seed=3):
    """Order up to S every R days, lead time L, backorders: the units of each review's R days served from stock.
    Day by day, a day's demand is served from what is left of S after the days before it."""
    rng = np.random.default_rng(seed)
    days = lead + review
    demand = (rng.random((cycles, days)) < share) * rng.gamma(shape, scale, (cycles, days))
    before = np.cumsum(demand, axis=1) - demand
    served = np.minimum(demand, np.maximum(s_level - before, 0))[:, lead:]
    return served.sum() / demand[:, lead:].sum()


@pytest.mark.parametrize("beta", [0.90, 0.95, 0.98])
def test_order_up_to_reaches_its_fill_rate_on_intermittent_demand_with_the_gamma(beta):
    # A sale on 30 % of days, of gamma(2, 3) units: d̄ = 1.8, σ_d² = 0.3·(18 + 36) − 1.8² = 12.96
    share, shape, scale, lead, review = 0.3, 2, 3, 5, 7
    d, sd = 1.8, math.sqrt(12.96)
    with_gamma = order_up_to_levels(d, sd, lead, 0, review, fill_rate=beta, gamma=True).order_up_to
    with_normal = order_up_to_levels(d, sd, lead, 0, review, fill_rate=beta).order_up_to
    assert abs(_simulated_fill_rate(with_gamma, share, shape, scale, lead, review) - beta) <= 0.01
    # the normal's S is lower and falls short: rare demand is right-skewed
    assert _simulated_fill_rate(with_normal, share, shape, scale, lead, review) < beta - 0.015


# ---------------------------------------------------------------------------------- quantities
def test_eoq_and_rounding():
    # √(2·3650·50/5) = √73000 = 270.185122
    assert eoq(3650, 50, 5) == pytest.approx(math.sqrt(73000), **TIGHT)
    # packs of 12: 270.185/12 = 22.52 → 23 packs = 276
    assert round_order_quantity(270.185122, 0, 12) == 276
    assert round_order_quantity(270.185122, 300, 12) == 300                  # MOQ 300 = 25 packs
    assert round_order_quantity(270.185122, 290, 12) == 300                  # 290/12 = 24.2 → 25 packs
    assert round_order_quantity(0.4, 0, 6) == 6                              # at least one pack
    assert round_order_quantity(15, 0, 10) == 20                             # 1.5 packs rounds up, not to even
    assert pull_purchase_quantity(7, 10, 4) == 12                           # max(7, 10) = 10 → 3 packs of 4
    with pytest.raises(Invalid):
        round_order_quantity(10, 0, 0)
    with pytest.raises(Invalid):
        eoq(100, 50, 0)


def test_base_order_quantity_is_the_eoq_only_where_both_costs_are_known():
    # 10 a day at 20 each, 25 an order, 25 %/year: D = 3650, H = 5, √(2·3650·25/5) = √36500 = 191.0497
    q = base_order_quantity([10, 10, 10, 10, 0], [20, 20, 0, 20, 20], [25, np.nan, 25, 0, 25], 0.25)
    assert q[0] == pytest.approx(math.sqrt(36500), **TIGHT)
    assert list(q[1:4]) == [280, 280, 280]          # no cost of an order, no unit cost, a zero cost: 4 weeks
    assert q[4] == 0                                 # no demand: nothing (rounding makes it one pack)
    # a dearer holding halves Q when it quadruples: √(36500/4)
    assert base_order_quantity(10, 20, 25, 1.0) == pytest.approx(math.sqrt(36500) / 2, **TIGHT)
    with pytest.raises(Invalid) as err:
        base_order_quantity(10, 20, 25, 0.0)
    assert err.value.code == "holding_rate_invalid"


def test_the_explained_policy_says_when_an_order_covers_weeks_for_want_of_costs():
    r = plan_policy(PolicyInput(10, 4, 9, 2, "smooth", "A", order_cover_weeks=4, pack_multiple=12))
    cover = next(s for s in r.steps if s.name == "order_quantity_cover")
    assert cover.value == 280 and cover.formula == "d̄·7·4 = 10·7·4" and "no cost of an order" in cover.note[0]
    assert r.eoq is None and r.order_quantity == 276                         # 280/12 = 23.3 → 23 packs
    costs = plan_policy(PolicyInput(**BASE, order_cover_weeks=4))           # the costs win when both are given
    assert costs.eoq == pytest.approx(math.sqrt(73000), **TIGHT)


# --------------------------------------------------------------------------------- ABC, push/pull
def test_abc_on_consumption_value():
    # total 100, sorted 50, 30, 10, 5, 3, 2, 0: cumulative share before each: 0, .5, .8, .9, .95, .98
    # → A while < 80 %: 50, 30; B while < 95 %: 10, 5; C: 3, 2 and the zero
    out = abc_classes([10, 50, 0, 3, 30, 5, 2])
    assert list(out) == ["B", "A", "C", "C", "A", "B", "C"]
    assert list(abc_classes([0, 0])) == ["C", "C"]


def test_push_pull_rule():
    assert push_pull("C", "smooth")[0] == "push"
    assert push_pull("A", "intermittent")[0] == "push"
    assert push_pull("C", "intermittent")[0] == "pull"
    mode, en, fr = push_pull("A", "lumpy")
    assert mode == "pull" and "lumpy" in en and "sporadique" in fr
    mode, en, fr = push_pull("C", "lumpy", critical=True)
    assert mode == "push" and en.startswith("Critical") and fr.startswith("Référence critique")
    modes, codes = push_pull_modes(["A", "C", "C"], ["smooth", "intermittent", "lumpy"], [False, False, True])
    assert list(modes) == ["push", "pull", "push"] and list(codes) == ["frequent", "rare_cheap", "critical"]
    with pytest.raises(Invalid):
        push_pull("D", "smooth")


# ---------------------------------------------------------------------------------- explained plan
BASE = dict(demand_mean=10, demand_sd=4, lead_time_mean=9, lead_time_sd=2, variability_class="smooth",
            abc_class="A", ordering_cost=50, holding_cost_per_unit_year=5, pack_multiple=12)


def test_plan_policy_shows_every_number():
    r = plan_policy(PolicyInput(**BASE))
    assert r.mode == "push" and r.service_kind == "fill_rate" and r.service_target == 0.98   # class A default
    assert r.eoq == pytest.approx(math.sqrt(73000), **TIGHT) and r.order_quantity == 276
    # the lead time varies (σ_L = 2): X is right-skewed, so a gamma (see distribution_for_class)
    assert r.distribution == "gamma" and r.undershoot == pytest.approx(5.8)
    expected = reorder_points(10, 4, 9, 2, 276, fill_rate=0.98, gamma=True).reorder_point
    assert r.reorder_point == pytest.approx(expected, **TIGHT)
    names = [s.name for s in r.steps]
    for needed in ("mode", "fill_rate_target", "eoq", "order_quantity", "mean_lead_time_demand", "sigma_dl",
                   "undershoot", "sigma_x", "safety_factor", "safety_stock", "reorder_point"):
        assert needed in names
    sigma_step = next(s for s in r.steps if s.name == "sigma_dl")
    assert "√(9·4² + 10²·2²)" in sigma_step.formula and sigma_step.source[0].startswith("lead time: measured")
    assert sigma_step.source[1].startswith("délai : mesuré")
    assert r.overrides == ()


def test_plan_policy_takes_the_undershoot_on_the_history_mean():
    # a forecast of 2.5 a day on a history of mean 10 (σ_d 4): E[U] = (16 + 100)/20 = 5.8, shown as such
    r = plan_policy(PolicyInput(**{**BASE, "demand_mean": 2.5, "order_quantity": 100, "pack_multiple": 1},
                                demand_history_mean=10.0))
    assert r.undershoot == pytest.approx(5.8, **TIGHT)
    expected = reorder_points(2.5, 4, 9, 2, 100, fill_rate=0.98, gamma=True, d_hist_mean=10.0).reorder_point
    assert r.reorder_point == pytest.approx(expected, **TIGHT)
    step = next(s for s in r.steps if s.name == "undershoot")
    assert "(4² + 10²)/(2·10)" in step.formula and "history" in step.note[0] and "historique" in step.note[1]


def test_smooth_with_a_fixed_lead_time_stays_normal():
    r = plan_policy(PolicyInput(**{**BASE, "lead_time_sd": 0}))
    assert r.distribution == "normal"
    assert r.reorder_point == pytest.approx(reorder_points(10, 4, 9, 0, 276, fill_rate=0.98).reorder_point, **TIGHT)


def test_critical_gets_higher_target_and_stays_push():
    r = plan_policy(PolicyInput(**{**BASE, "variability_class": "lumpy", "abc_class": "C", "critical": True}))
    assert r.mode == "push" and r.service_target == 0.995 and r.distribution == "gamma"
    assert r.reorder_point is not None


def test_pull_item_has_no_stock_figures():
    r = plan_policy(PolicyInput(**{**BASE, "variability_class": "lumpy", "abc_class": "B"}))
    assert r.mode == "pull" and r.reorder_point is None and r.safety_stock is None and r.order_quantity is None
    assert r.steps[-1].name == "stocking" and "sporadique" in r.reason_fr


def test_overrides_are_applied_last_and_reported():
    computed = plan_policy(PolicyInput(**BASE))
    r = plan_policy(PolicyInput(**BASE, overrides={"safety_stock": 30, "order_quantity": 240}))
    assert r.safety_stock == 30 and r.order_quantity == 240
    assert r.reorder_point == pytest.approx(90 + 5.8 + 30, **TIGHT)         # covered demand + forced SS
    assert [(o.name, o.value) for o in r.overrides] == [("order_quantity", 240), ("safety_stock", 30)]
    assert r.overrides[1].computed == pytest.approx(computed.safety_stock, **TIGHT)
    assert {s.source[0] for s in r.steps[-3:]} == {"buyer override"}
    forced = plan_policy(PolicyInput(**BASE, overrides={"reorder_point": 120, "mode": "pull"}))
    assert forced.mode == "pull" and forced.reason_en.startswith("Buyer override: pull (rule said push: ")
    assert forced.reason_fr.startswith("Choix de l'acheteur : flux tiré (la règle disait flux poussé : ")  # no codes
    lumpy = {**BASE, "variability_class": "lumpy"}                         # the rule says pull
    forced_push = plan_policy(PolicyInput(**lumpy, overrides={"reorder_point": 120, "mode": "push"}))
    covered = forced_push.mean_lead_time_demand + forced_push.undershoot
    assert forced_push.mode == "push" and forced_push.reorder_point == 120
    assert forced_push.safety_stock == pytest.approx(120 - covered, **TIGHT)   # implied by the forced s
    assert plan_policy(PolicyInput(**lumpy, overrides={"reorder_point": 120})).reorder_point is None   # still pull
    with pytest.raises(Invalid):
        plan_policy(PolicyInput(**BASE, overrides={"colour": "red"}))


def test_plan_uses_the_predictive_lead_time_sd_when_n_is_given():
    r = plan_policy(PolicyInput(**BASE, lead_time_n=20))
    # σ_L·√((1 + 1/20)·19/17) = 2·1.0832952 = 2.1665904
    step = next(s for s in r.steps if s.name == "lead_time_sd_predictive")
    assert step.value == pytest.approx(2 * math.sqrt(1.05 * 19 / 17), **TIGHT)
    expected = reorder_points(10, 4, 9, step.value, 276, fill_rate=0.98, gamma=True).reorder_point
    assert r.reorder_point == pytest.approx(expected, **TIGHT)
    assert r.reorder_point > plan_policy(PolicyInput(**BASE)).reorder_point
    assert "lead_time_sd_predictive" not in [s.name for s in plan_policy(PolicyInput(**BASE)).steps]
    with pytest.raises(Invalid):
        plan_policy(PolicyInput(**BASE, lead_time_n=0))


def test_periodic_review_plan():
    # A certain lead time and smooth demand: normal. R + L = 16, σ = √(16·16) = 16, S = 160 + 1.6448536·16
    certain = plan_policy(PolicyInput(**{**BASE, "lead_time_sd": 0, "review_period_days": 7},
                                      cycle_service_target=0.95))
    assert certain.distribution == "normal"
    assert certain.order_up_to == pytest.approx(186.317658, abs=1e-5) and certain.reorder_point is None
    assert certain.order_quantity is None and certain.undershoot == 0
    # σ_L = 2: right-skewed, a gamma of mean 160 and sd √656 whose 95th percentile S is (as for (s, Q))
    r = plan_policy(PolicyInput(**{**BASE, "review_period_days": 7}, cycle_service_target=0.95))
    assert r.distribution == "gamma" and r.order_up_to > 202.128809           # the normal's S, above
    assert gamma_sf(r.order_up_to / (656 / 160), (160 / math.sqrt(656)) ** 2) == pytest.approx(0.05, abs=1e-9)


def test_an_override_that_does_not_exist_with_the_review_type_is_kept_and_not_used():
    # Saved when the supplier was reviewed daily; the supplier is now ordered from weekly.
    r = plan_policy(PolicyInput(**{**BASE, "review_period_days": 7}, overrides={"reorder_point": 50,
                                                                               "order_quantity": 30}))
    assert r.reorder_point is None and r.order_quantity is None and r.overrides == ()
    unused = [s for s in r.steps if "not used" in s.note[0]]
    assert [s.name for s in unused] == ["order_quantity", "reorder_point"]
    forced = plan_policy(PolicyInput(**{**BASE, "review_period_days": 7}, overrides={"order_up_to": 80}))
    assert forced.order_up_to == 80 and forced.safety_stock == pytest.approx(80 - 160)


def test_a_forced_service_target_plans_as_that_target_given_as_input():
    forced = plan_policy(PolicyInput(**BASE, overrides={"fill_rate_target": 0.9}))
    given = plan_policy(PolicyInput(**BASE, fill_rate_target=0.9))
    assert forced.reorder_point == pytest.approx(given.reorder_point, **TIGHT) and forced.service_target == 0.9
    assert forced.overrides[0].name == "fill_rate_target" and forced.overrides[0].computed == 0.98   # class A
    step = next(s for s in forced.steps if s.name == "fill_rate_target")
    assert step.source == ("buyer override", "forçage de l'acheteur")
    # The default in %, as the buyer types a target (the step's value stays a share).
    assert step.note == ("forced by the buyer (default: a fill rate of 98%)",
                         "forcé par l'acheteur (par défaut : un taux de satisfaction de 98\u202f%)")
    csl = plan_policy(PolicyInput(**BASE, overrides={"cycle_service_target": 0.95}))
    as_input = plan_policy(PolicyInput(**BASE, cycle_service_target=0.95))
    assert csl.service_kind == "cycle_service" and csl.reorder_point == pytest.approx(as_input.reorder_point, **TIGHT)
    for wrong in ({"fill_rate_target": 1.0}, {"fill_rate_target": 0.9, "cycle_service_target": 0.9}):
        with pytest.raises(Invalid):
            plan_policy(PolicyInput(**BASE, overrides=wrong))


def test_a_forced_lead_time_or_demand_plans_as_if_measured_so():
    longer = plan_policy(PolicyInput(**BASE, overrides={"lead_time_mean": 18}))
    as_measured = plan_policy(PolicyInput(**{**BASE, "lead_time_mean": 18}))
    assert longer.reorder_point == pytest.approx(as_measured.reorder_point, **TIGHT)
    assert longer.overrides[0].name == "lead_time_mean" and longer.overrides[0].computed == 9
    # twice the demand is twice as many orders of the same kind: a day's variance doubles, σ_d = 4·√2
    busier = plan_policy(PolicyInput(**BASE, overrides={"demand_mean": 20}))
    same = plan_policy(PolicyInput(**{**BASE, "demand_mean": 20, "demand_sd": 4 * math.sqrt(2)}))
    assert busier.reorder_point == pytest.approx(same.reorder_point, **TIGHT) and busier.eoq == pytest.approx(same.eoq)
    # Lead-time demand measured on the history (100 where d̄·E[L] = 90) keeps its ratio: 100/90 · 10 · 18 = 200;
    # its sd (30 where the formula gives √(9·16 + 100·4) = √544) scales with the formula's: 30/√544 · √(18·16 + 400)
    measured = dict(lead_time_demand_mean=100.0, lead_time_demand_sd=30.0)
    r = plan_policy(PolicyInput(**BASE, **measured, overrides={"lead_time_mean": 18}))
    assert r.mean_lead_time_demand == pytest.approx(200, **TIGHT)
    assert r.sigma_dl == pytest.approx(30 / math.sqrt(544) * math.sqrt(18 * 16 + 400), **TIGHT)
    assert any(s.name == "lead_time_mean" and s.source[0] == "buyer override" for s in r.steps)
    with pytest.raises(Invalid):
        plan_policy(PolicyInput(**BASE, overrides={"lead_time_mean": 0}))


def test_a_forced_demand_scales_the_history_the_undershoot_is_measured_on():
    """The app gives the history's d̄ and E[D³] with the forecast: forcing the demand moves them with σ_d. Mixing
    σ_d scaled eleven times with the history's own d̄ made the undershoot (σ_d² + d̄²)/(2·d̄) 120 times larger:
    a battery forced from 0.18 to 2 a day got a reorder point of 1,850. Twice the forecast (10 → 20), k = 2: the
    cumulants of the history double — κ1 = 8 → 16, κ2 = 16 → 32, κ3 = 900 − 3·16·8 − 8³ = 4 → 8 — so
    E[D³] = κ3 + 3κ2κ1 + κ1³ = 8 + 1,536 + 4,096 = 5,640."""
    history = dict(demand_history_mean=8.0, demand_m3=900.0)
    busier = plan_policy(PolicyInput(**BASE, **history, overrides={"demand_mean": 20}))
    same = plan_policy(PolicyInput(**{**BASE, "demand_mean": 20, "demand_sd": 4 * math.sqrt(2)},
                                   demand_history_mean=16.0, demand_m3=5640.0))
    assert busier.undershoot == pytest.approx((32 + 16 ** 2) / (2 * 16), **TIGHT)         # (σ_d² + d̄²)/(2d̄) = 9
    assert busier.undershoot == pytest.approx(same.undershoot, **TIGHT)
    assert busier.reorder_point == pytest.approx(same.reorder_point, **TIGHT)
    idle = plan_policy(PolicyInput(**BASE, **history, overrides={"demand_mean": 0}))
    assert idle.undershoot == 0 and idle.safety_stock >= 0 and idle.reorder_point == 0


def test_plan_needs_a_way_to_size_orders():
    with pytest.raises(Invalid) as err:
        plan_policy(PolicyInput(10, 4, 9, 2, "smooth", "A"))
    assert err.value.code == "order_quantity_unknown"


# ------------------------------------------------------------------------------------------ promise
def test_promise_dates():
    today = date(2026, 3, 2)
    pull = promise_date("pull", today=today, order_date=today, lead_time_p50=6, lead_time_p90=9.5, handling_days=1.2)
    assert pull.date == date(2026, 3, 13) and pull.days == 11                # ⌈9.5 + 1.2⌉ = 11 days
    p50 = promise_date("pull", today=today, lead_time_p50=6, lead_time_p90=9.5, handling_days=1.2, quantile="p50")
    assert p50.date == date(2026, 3, 10)                                     # ⌈6 + 1.2⌉ = 8 days
    stock = promise_date("push", today=today, in_stock=True, handling_days=0.4)
    assert stock.date == date(2026, 3, 3) and stock.basis == "in_stock"      # ⌈0.4⌉ = 1 day
    coming = promise_date("push", today=today, next_arrival=date(2026, 3, 5), handling_days=1)
    assert coming.date == date(2026, 3, 6) and coming.basis == "next_arrival"
    with pytest.raises(Invalid):
        promise_date("pull", today=today, handling_days=1)                  # no lead time known


def test_promise_explanations_say_durations_as_people_do():
    today = date(2026, 3, 2)
    stock = promise_date("push", today=today, in_stock=True, handling_days=0.198932)
    assert stock.explanation_en == "In stock: 5 h of handling; promised in 1 day."    # 0.198932 × 24 = 4.77 h
    assert stock.explanation_fr == "En stock : 5 h de préparation ; promis dans 1 jour."
    pull = promise_date("pull", today=today, lead_time_p50=6, lead_time_p90=9.41, handling_days=1.25)
    assert pull.explanation_en.endswith("p90 lead time 9.5 days + 1.3 days of handling.")   # rounded up, as the date
    assert pull.explanation_fr.endswith("délai p90 de 9,5 jours + 1,3 jours de préparation.")
    assert promise_date("push", today=today, in_stock=True, handling_days=2).explanation_en.endswith("in 2 days.")
    # never a duration that reads shorter than the promise it explains
    assert promise_date("push", today=today, in_stock=True, handling_days=1.04).explanation_en == \
        "In stock: 1.1 days of handling; promised in 2 days."
    assert promise_date("push", today=today, in_stock=True, handling_days=0.99).explanation_en == \
        "In stock: 1 day of handling; promised in 1 day."                       # 23.76 h: not '24 h'
    assert promise_date("push", today=today, in_stock=True, handling_days=0).explanation_fr == \
        "En stock : 0 h de préparation ; promis aujourd'hui."


@settings(max_examples=40, deadline=None)
@given(st.floats(0.5, 0.999), st.floats(0.1, 500), st.floats(0.1, 200))
def test_fill_rate_k_property(beta, q, sigma):
    k = k_for_fill_rate(beta, q, sigma)
    assert normal_loss(k) - normal_loss(k + q / sigma) == pytest.approx(q * (1 - beta) / sigma, rel=1e-7, abs=1e-12)


def test_a_forced_value_says_the_computed_one_as_people_read_it():
    """The page read 'forced by the buyer (computed: 45.79315121182883)' and 'calculé : 45.79315121182883'."""
    r = plan_policy(PolicyInput(**BASE, overrides={"reorder_point": 40, "mode": "pull"}))
    computed = next(o.computed for o in r.overrides if o.name == "reorder_point")
    note = next(s.note for s in r.steps if s.name == "reorder_point" and s.source[0] == "buyer override")
    assert note == (f"forced by the buyer (computed: {computed:.4g})",
                    f"forcé par l'acheteur (calculé : {computed:.4g})".replace(".", ","))
    assert next(s.note for s in r.steps if s.name == "mode" and s.source[0] == "buyer override")[0] == \
        "forced by the buyer (computed: push)"


# --------------------------------------------------------------------------- the steps in a buyer's words
def _step(result, name, source=None):
    return next(s for s in result.steps if s.name == name and (source is None or s.source[0] == source))


def test_a_negative_safety_stock_says_why_in_words():
    """A buyer's review (SPK-0144): 0.73 a day, Q = 156 (about 7 months of demand), β = 0.90 → SS −15.6, s = 0,
    shown with no word of why. Normal X (smooth, fixed lead time): σ_DL = √(4·1²) = 2, E[U] = (1 + 0.73²)/(2·0.73)
    = 1.049966, Var U = E[U]²/3 → σ_X = 2.090. G(k) − G(k + Q/σ_X) = Q(1 − β)/σ_X = 15.6/2.090 = 7.46: far below 0,
    G(k) ≈ −k and G(k + Q/σ_X) ≈ 0, so k·σ_X = SS ≈ −Q(1 − β) = −15.6; s = max(0, 2.92 + 1.05 − 15.6) = 0.
    156 / 0.73 = 213.7 days = 7.0 months of demand."""
    r = plan_policy(PolicyInput(demand_mean=0.73, demand_sd=1, lead_time_mean=4, lead_time_sd=0,
                                variability_class="smooth", abc_class="C", order_quantity=156, pack_multiple=1))
    assert r.distribution == "normal" and r.service_target == 0.9
    assert r.safety_stock == pytest.approx(-15.6, abs=1e-6) and r.reorder_point == 0
    assert _step(r, "safety_stock").note == (
        "Negative: one order covers about 7 months of demand, so 90% of demand is served even if the shelf is empty "
        "for part of each cycle (up to Q(1 − β) = 15.6 units per cycle may go unserved). Force a safety stock or a "
        "higher target if that is not acceptable.",
        "Négatif : une commande couvre environ 7 mois de demande, donc 90\u202f% de la demande est servie même si le "
        "rayon est vide une partie de chaque cycle (jusqu'à Q(1 − β) = 15,6 unités par cycle peuvent manquer). "
        "Forcez un stock de sécurité ou une cible plus haute si ce n'est pas acceptable.")
    s_note = _step(r, "reorder_point").note
    assert s_note[0].endswith("; the sum is below 0, so s is 0: order when nothing is left nor on order")
    assert s_note[1].endswith(" ; la somme est sous 0, donc s vaut 0 : commander quand il ne reste rien, ni en stock "
                              "ni en commande")
    # Four weeks of cover (Q = 20 at 0.73 a day: 27.4 days), and a cycle service level under one half.
    weeks = plan_policy(PolicyInput(0.73, 1, 4, 0, "smooth", "C", order_quantity=20, pack_multiple=1))
    assert weeks.safety_stock < 0 and "one order covers about 4 weeks of demand" in _step(weeks, "safety_stock").note[0]
    assert "up to Q(1 − β) = 2 units per cycle" in _step(weeks, "safety_stock").note[0]     # 20·0.1
    low = plan_policy(PolicyInput(**BASE, cycle_service_target=0.4))
    assert low.safety_stock < 0 and _step(low, "safety_stock").note[0] == (
        "Negative: a cycle service level of 40% accepts a stock-out in 60% of the cycles, so the reorder point is "
        "below the mean demand it covers. Force a safety stock or a higher target if that is not acceptable.")
    # None where the safety stock is not negative.
    plain = plan_policy(PolicyInput(**BASE))
    assert plain.safety_stock > 0 and _step(plain, "safety_stock").note == ("", "")
    assert "below 0" not in _step(plain, "reorder_point").note[0]


def test_a_negative_order_up_to_safety_stock_says_why_in_words():
    # Reviewed every 30 days at 1 a day, β = 0.9: up to d̄·R·(1 − β) = 1·30·0.1 = 3 units a period may go unserved.
    r = plan_policy(PolicyInput(1, 0.5, 2, 0, "smooth", "C", review_period_days=30))
    assert r.safety_stock < 0
    assert _step(r, "safety_stock").note == (
        "Negative: each order covers the 30 days to the next review, so 90% of demand is served even if the shelf is "
        "empty for part of each period (up to d̄·R·(1 − β) = 3 units per period may go unserved). Force a safety stock "
        "or a higher target if that is not acceptable.",
        "Négatif : chaque commande couvre les 30 jours jusqu'à la revue suivante, donc 90\u202f% de la demande est "
        "servie même si le rayon est vide une partie de chaque période (jusqu'à d̄·R·(1 − β) = 3 unités par période "
        "peuvent manquer). Forcez un stock de sécurité ou une cible plus haute si ce n'est pas acceptable.")


def test_the_historys_mean_is_named_apart_from_the_forecasts():
    """Both were called d̄: 2.5 (the forecast) in one step, 10 (the history) in the undershoot's."""
    r = plan_policy(PolicyInput(**{**BASE, "demand_mean": 2.5, "order_quantity": 100, "pack_multiple": 1},
                                demand_history_mean=10.0, demand_m3=300.0))
    under = _step(r, "undershoot")
    assert under.formula == "E[U] = (σ_d² + d̄_h²)/(2·d̄_h) = (4² + 10²)/(2·10)"
    assert under.note == ("daily review: the position goes below s by a day's demand; d̄_h = 10: d̄ of the history, "
                          "on which σ_d is measured (d̄ = 2.5 is the forecast)",
                          "revue quotidienne : la position passe sous s d'une journée de demande ; d̄_h = 10 : d̄ de "
                          "l'historique, sur lequel σ_d est mesuré (d̄ = 2,5 est la prévision)")
    assert _step(r, "sigma_x").formula.endswith("Var U = E[D³]/(3·d̄_h) − E[U]²")
    # Forced to twice the forecast (2.5 → 5, k = 2): the history's d̄ becomes 20, a figure it never had: said so.
    forced = plan_policy(PolicyInput(**{**BASE, "demand_mean": 2.5, "order_quantity": 100, "pack_multiple": 1},
                                     demand_history_mean=10.0, overrides={"demand_mean": 5}))
    assert _step(forced, "undershoot").note[0].endswith(
        "d̄_h = 20: the history's d̄ scaled to the forced demand (d̄ = 5)")
    assert _step(forced, "undershoot").note[1].endswith(
        "d̄_h = 20 : d̄ de l'historique mis à l'échelle de la demande forcée (d̄ = 5)")
    # Without a history's mean, there is one d̄ and it keeps its name.
    plain = _step(plan_policy(PolicyInput(**BASE)), "undershoot")
    assert plain.formula == "E[U] = (σ_d² + d̄²)/(2·d̄) = (4² + 10²)/(2·10)" and "d̄_h" not in plain.note[0]


def test_the_clustering_c_is_shown_with_its_value():
    # Lead-time demand measured at 108 where d̄·E[L] = 10·9 = 90: c = 108/90 − 1 = 0.2.
    r = plan_policy(PolicyInput(**BASE, lead_time_demand_mean=108.0, lead_time_demand_sd=30.0))
    mean = _step(r, "mean_lead_time_demand")
    assert mean.formula == "d̄·E[L]·(1 + c) = 10·9·(1 + 0.2)" and mean.formula_fr == "d̄·E[L]·(1 + c) = 10·9·(1 + 0,2)"
    assert mean.note[0].startswith("c = 0.2: ") and mean.note[1].startswith("c = 0,2 : ")
    assert _step(r, "sigma_dl").formula.endswith(", c = 0.2")


@pytest.mark.parametrize("extra", [
    dict(demand_mean=0.1785, demand_history_mean=0.3819, demand_m3=2.0, lead_time_mean=5.396, lead_time_sd=1.37),
    dict(lead_time_demand_mean=97.5, lead_time_demand_sd=31.25, lead_time_mean=9.75),
    dict(review_period_days=7.5, demand_var_rl=160.3, demand_var_l=90.1, lead_time_mean=7.34),
    dict(demand_mean=0.73, order_quantity=156.5, pack_multiple=1.5, moq=2.5, ordering_cost=None),
    dict(holding_cost_per_unit_year=None, holding_rate=0.25, unit_cost=2.78, ordering_cost=30.5),
    dict(ordering_cost=None, order_cover_weeks=2.5),
    dict(lead_time_n=4, lead_time_sd=1.25),
    dict(overrides={"demand_mean": 10.7, "lead_time_mean": 12.5, "order_quantity": 13.5, "safety_stock": 2.5}),
    dict(overrides={"reorder_point": 40.5, "cycle_service_target": 0.955}),
])
def test_french_step_texts_write_numbers_with_a_decimal_comma(extra):
    """'0.1785·5.396', 'CV 0.13', '14.84 jours' appeared with points in French; the English keeps them."""
    r = plan_policy(PolicyInput(**{**BASE, **extra}))
    french = [t for s in r.steps for t in (s.formula_fr, s.source[1], s.note[1])]
    assert [t for t in french if re.search(r"\d\.\d", t)] == []
    english = " ".join(s.formula + s.note[0] for s in r.steps)
    assert re.search(r"\d\.\d", english)
    assert all(s.formula_fr.replace(",", ".").replace(". ", ", ") == s.formula for s in r.steps
               if ", " not in s.formula)


def test_a_pool_based_lead_time_says_so_in_the_steps_source():
    r = plan_policy(PolicyInput(**BASE, lead_time_source="supplier_pool"))
    source = _step(r, "sigma_dl").source
    assert source == ("lead time: measured on the supplier's other products (none of this one received yet); "
                      "demand: forecast",
                      "délai : mesuré sur les autres produits du fournisseur (aucune réception de celui-ci) ; "
                      "demande : prévision")


def test_a_promise_without_a_purchase_order_says_if_ordered_today():
    """« Commandé au fournisseur le 2026-11-28 » was said where no purchase order exists."""
    today = date(2026, 11, 28)
    pull = promise_date("pull", today=today, lead_time_p50=6, lead_time_p90=8, handling_days=1)
    assert pull.explanation_en == ("If ordered from the supplier today (28 Nov): p90 lead time 8 days + 1 day of "
                                   "handling.")
    assert pull.explanation_fr == ("Si commandé au fournisseur aujourd'hui (28 nov.) : délai p90 de 8 jours + 1 jour "
                                   "de préparation.")
    assert pull.date == date(2026, 12, 7)
    later = promise_date("pull", today=today, order_date=date(2027, 1, 4), lead_time_p90=8, handling_days=1)
    assert later.explanation_en.startswith("If ordered from the supplier on 4 Jan 2027: ")
    assert later.explanation_fr.startswith("Si commandé au fournisseur le 4 janv. 2027 : ")
    placed = promise_date("pull", today=today, order_date=date(2026, 11, 20), lead_time_p90=8, handling_days=1)
    assert placed.explanation_en.startswith("Ordered from the supplier on 20 Nov: ")
    coming = promise_date("push", today=today, next_arrival=date(2026, 12, 1), handling_days=1)
    assert coming.explanation_en == "Out of stock, delivery expected 1 Dec: + 1 day of handling."
    assert coming.explanation_fr == "En rupture, livraison attendue le 1er déc. : + 1 jour de préparation."


def test_a_product_with_no_demand_yet_says_so_not_that_its_demand_is_infrequent():
    """Day one: every product read "Infrequent demand and class C…" with no demand at all behind it."""
    quiet = {**BASE, "demand_mean": 0, "demand_sd": 0, "variability_class": "intermittent", "abc_class": "C"}
    none = plan_policy(PolicyInput(**quiet, demand_history_mean=0))
    assert none.mode == "pull" and none.reason_en.startswith("No customer demand in the history yet")
    assert none.reason_fr.startswith("Aucune demande client dans l'historique")
    rare = plan_policy(PolicyInput(**{**quiet, "demand_mean": 0.05, "demand_sd": 0.3}, demand_history_mean=0.05))
    assert rare.mode == "pull" and rare.reason_en.startswith("Infrequent demand")
    critical = plan_policy(PolicyInput(**quiet, demand_history_mean=0, critical=True))
    assert critical.mode == "push" and critical.reason_en.startswith("Critical reference")
