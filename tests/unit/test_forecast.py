"""Forecasting methods, the automatic selection and the accuracy measures.

Every method is checked on a short series worked by hand (the arithmetic is next to the numbers),
then on NaN layouts, then against statsforecast when it is installed (an optional test oracle).
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain import accuracy, forecast
from server.domain.errors import Invalid

SPARSE = [0.0, 2.0, 0.0, 0.0, 4.0]   # demands of 2 and 4 in periods 1 and 4


# --- each method by hand -------------------------------------------------------------------------

def test_ses_starts_at_the_first_value():
    # alpha 0.1 on 3, 0, 6: level 3 (first value); after 3: 0.1·3 + 0.9·3 = 3;
    # after 0: 0.9·3 = 2.7; after 6: 0.6 + 0.9·2.7 = 3.03.
    fit = forecast.ses([3.0, 0.0, 6.0], fitted=True)
    assert fit.level[0] == pytest.approx(3.03, abs=1e-12)
    np.testing.assert_allclose(fit.fitted[0], [np.nan, 3.0, 2.7], atol=1e-12)
    np.testing.assert_allclose(fit.path(3), [[3.03, 3.03, 3.03]], atol=1e-12)


def test_ses_with_another_alpha():
    # alpha 0.5 on 3, 0, 6: 3 → 3 → 1.5 → 0.5·6 + 0.5·1.5 = 3.75.
    assert forecast.ses([3.0, 0.0, 6.0], alpha=0.5).level[0] == pytest.approx(3.75, abs=1e-12)


def test_croston_smooths_sizes_and_intervals():
    # Sizes 2, 4 → Z: 2 → 2 → 0.1·4 + 0.9·2 = 2.2.
    # Intervals: first counted from the first period: position 1 + 1 = 2; then 4 − 1 = 3.
    #   P: 2 → 2 → 0.1·3 + 0.9·2 = 2.1.   Forecast Z / P = 2.2 / 2.1 = 1.047619…
    fit = forecast.croston(SPARSE, fitted=True)
    assert fit.level[0] == pytest.approx(2.2 / 2.1, abs=1e-12)
    # Fitted: nothing before period 0; 0 until a demand is seen; then 2/2 = 1 until period 4.
    np.testing.assert_allclose(fit.fitted[0], [np.nan, 0.0, 1.0, 1.0, 1.0], atol=1e-12)


def test_sba_is_croston_times_one_minus_half_alpha():
    # 0.95 · 2.2 / 2.1 = 2.09 / 2.1 = 0.995238…
    assert forecast.sba(SPARSE).level[0] == pytest.approx(2.09 / 2.1, abs=1e-12)
    # alpha 0.2: Z 2 → 2 → 0.8 + 1.6 = 2.4; P 2 → 2 → 0.6 + 1.6 = 2.2; × 0.9 → 2.16 / 2.2.
    assert forecast.sba(SPARSE, alpha=0.2).level[0] == pytest.approx(2.16 / 2.2, abs=1e-12)


def test_tsb_probability_and_size():
    # Demand indicator 0,1,0,0,1; P starts at the first indicator (0):
    #   0 → 0.1 → 0.09 → 0.081 → 0.1 + 0.9·0.081 = 0.1729.
    # Size from the first demand: 2 → 2 → 0.1·4 + 0.9·2 = 2.2.   Forecast 0.1729 · 2.2 = 0.38038.
    fit = forecast.tsb(SPARSE, fitted=True)
    assert fit.level[0] == pytest.approx(0.38038, abs=1e-12)
    # Fitted P·Z before each period: none, 0·(no size) = 0, 0.1·2, 0.09·2, 0.081·2.
    np.testing.assert_allclose(fit.fitted[0], [np.nan, 0.0, 0.2, 0.18, 0.162], atol=1e-12)


def test_tsb_decays_when_demand_stops_and_croston_does_not():
    # Two more empty periods: P 0.1729 → 0.15561 → 0.140049; forecast 0.140049 · 2.2 = 0.3081078.
    stopped = SPARSE + [0.0, 0.0]
    assert forecast.tsb(stopped).level[0] == pytest.approx(0.3081078, abs=1e-12)
    assert forecast.croston(stopped).level[0] == pytest.approx(2.2 / 2.1, abs=1e-12)


def test_naive_and_seasonal_naive():
    fit = forecast.naive(SPARSE, fitted=True)
    assert fit.level[0] == 4.0
    np.testing.assert_array_equal(fit.fitted[0], [np.nan, 0.0, 2.0, 0.0, 0.0])
    # Season of 2 on 1..5: the last season is (4, 5), repeated; its mean per period is 4.5.
    seasonal = forecast.seasonal_naive([1.0, 2, 3, 4, 5], season_length=2)
    np.testing.assert_array_equal(seasonal.path(5), [[4, 5, 4, 5, 4]])
    assert seasonal.level[0] == 4.5
    assert np.isnan(forecast.seasonal_naive([1.0, 2], season_length=3).level[0])


def test_adida_rounds_the_interval_half_to_even():
    # Demands at positions 1 and 4: intervals 2 and 3, mean 2.5, rounded half to even → blocks of 2.
    # Block sums (0+2, 0+0, 4+0) = 2, 0, 4. SSE(α) = (0−2)² + (4 − (2−2α))² = 4 + (2+2α)² grows
    # with α, so the golden section ends at α = 0.1: level 2 → 2 → 1.8 → 0.4 + 0.9·1.8 = 2.02,
    # spread over 2 periods: 1.01. (Rounding half up would give blocks of 3 and 0.8.)
    assert forecast.adida(SPARSE + [0.0]).level[0] == pytest.approx(1.01, abs=1e-9)
    assert forecast.mean_demand_interval(SPARSE + [0.0])[0] == 2.5


def test_imapa_averages_the_block_widths():
    # 0, 4, 0, 4: intervals 2, 2 → widths 1 and 2.
    # Width 1: SSE(α) = 16 + 16α² + 16(1 − α + α²)², whose derivative 32α + 32(1−α+α²)(2α−1) is
    #   increasing and still −0.512 at α = 0.3: the search ends at α = 0.3.
    #   Level 0 → 0 → 1.2 → 0.84 → 1.2 + 0.7·0.84 = 1.788.
    # Width 2: blocks 4, 4: flat error, the search stops at once; forecast 4, per period 2.
    # IMAPA = (1.788 + 2) / 2 = 1.894; ADIDA uses the widest block alone: 2.
    assert forecast.imapa([0.0, 4, 0, 4]).level[0] == pytest.approx(1.894, abs=1e-9)
    assert forecast.adida([0.0, 4, 0, 4]).level[0] == pytest.approx(2.0, abs=1e-12)


def test_golden_section_on_a_flat_error_stops_in_the_middle():
    constant = np.full((6, 2), 3.0)   # time-major: 2 series of 6 equal values, SSE 0 for every α
    np.testing.assert_array_equal(forecast.ses_optimal_alpha(constant), [0.2, 0.2])


def test_no_demand_forecasts_zero_and_nothing_observed_forecasts_nan():
    rows = np.array([[0.0, 0.0, 0.0], [np.nan, np.nan, np.nan]])
    for method in (forecast.naive, forecast.ses, forecast.croston, forecast.sba, forecast.tsb,
                   forecast.adida, forecast.imapa, forecast.zero):
        level = method(rows).level
        assert level[0] == 0.0, method.__name__
        assert np.isnan(level[1]), method.__name__


# --- NaN layouts ----------------------------------------------------------------------------------

def test_late_start_early_end_and_holes_forecast_the_observed_values():
    # 3, 0, 6 → 3.03 (see above) whatever NaN surrounds or splits it.
    rows = np.array([[np.nan, np.nan, 3, 0, 6], [3, 0, 6, np.nan, np.nan], [3, np.nan, 0, np.nan, 6]])
    fit = forecast.ses(rows, fitted=True)
    np.testing.assert_allclose(fit.level, [3.03, 3.03, 3.03], atol=1e-12)
    # Fitted values stay in the caller's columns, NaN where nothing was observed.
    np.testing.assert_allclose(fit.fitted, [[np.nan, np.nan, np.nan, 3, 2.7],
                                            [np.nan, 3, 2.7, np.nan, np.nan],
                                            [np.nan, np.nan, 3, np.nan, 2.7]], atol=1e-12)


def test_croston_counts_the_first_interval_from_the_launch():
    # Launched one period late: the first interval is still 2 (from the first observed period).
    late = [np.nan] + SPARSE
    assert forecast.croston(late).level[0] == pytest.approx(2.2 / 2.1, abs=1e-12)


_CELL = st.sampled_from([np.nan, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 7.0])
_METHODS = [forecast.naive, forecast.ses, forecast.croston, forecast.sba, forecast.tsb,
            forecast.adida, forecast.imapa, forecast.zero]


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 12).flatmap(lambda t: st.lists(st.lists(_CELL, min_size=t, max_size=t),
                                                     min_size=1, max_size=6)))
def test_a_batch_forecasts_each_row_as_its_observed_values_alone(rows):
    batch = np.array(rows)
    for method in _METHODS:
        together = method(batch).level
        for i, row in enumerate(batch):
            alone = method(row[~np.isnan(row)]).level[0] if (~np.isnan(row)).any() else np.nan
            np.testing.assert_allclose(together[i], alone, rtol=1e-12, atol=1e-12,
                                       err_msg=f"{method.__name__} row {row}")


# --- validation -------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, code", [
    (lambda: forecast.ses([1.0, -2.0]), "negative_demand"),
    (lambda: forecast.ses([1.0, np.inf]), "infinite_demand"),
    (lambda: forecast.ses([[]]), "invalid_shape"),
    (lambda: forecast.ses([1.0], alpha=0.0), "invalid_smoothing"),
    (lambda: forecast.tsb([1.0], alpha_p=1.5), "invalid_smoothing"),
    (lambda: forecast.seasonal_naive([1.0], season_length=0), "invalid_season_length"),
    (lambda: forecast.ses([1.0]).path(-1), "invalid_horizon"),
    (lambda: forecast.select_forecast([1.0, 2.0], 0), "invalid_horizon"),
    (lambda: forecast.select_forecast([1.0, 2.0], 1, candidates=("ses", "prophet")), "unknown_method"),
    (lambda: forecast.select_forecast([1.0, 2.0], 1, candidates=("ses",), anchor="imapa"),
     "unknown_method"),
    (lambda: forecast.select_forecast([1.0, 2.0], 1, bias_weight=-1.0), "invalid_bias_weight"),
    (lambda: forecast.select_forecast([1.0, 2.0], 1, bias_weight=np.nan), "invalid_bias_weight"),
    (lambda: forecast.select_forecast([1.0, 2.0], 1, anchor_weight=1.5), "invalid_anchor_weight"),
])
def test_invalid_input_is_refused(call, code):
    with pytest.raises(Invalid) as refused:
        call()
    assert refused.value.code == code


# --- automatic selection ------------------------------------------------------------------------------

def test_rolling_origins_stay_inside_the_history():
    assert forecast.rolling_origins(39, 12, 4).tolist() == [27, 30, 33, 36]
    assert forecast.rolling_origins(5, 12, 4).tolist() == [1, 2, 3, 4]   # span cut to 4
    assert forecast.rolling_origins(10, 2, 4).tolist() == [8, 9]         # duplicates merged


def test_selection_picks_the_candidate_that_erred_least():
    # Plain mean squared error (bias weight 0). Origins 2 and 3 (span 2, h 1). Series A = 1,1,1,1: naive forecasts 1 and 1 for 1 and 1
    # (errors 0), zero errs by −1 twice → naive. Series B = 0,5,0,0: naive forecasts 5 then 0 for
    # 0 and 0 (SSE 25), zero is exact → zero. Series C never had demand: a tie, first candidate.
    y = np.array([[1.0, 1, 1, 1], [0, 5, 0, 0], [0, 0, 0, 0]])
    chosen = forecast.select_forecast(y, 1, candidates=("naive", "zero"), anchor=None, span=2,
                                      n_origins=2, bias_weight=0.0)
    assert chosen.methods.tolist() == ["naive", "zero", "naive"]
    np.testing.assert_allclose(chosen.rmse, [[0, 1], [np.sqrt(12.5), 0], [0, 0]])
    np.testing.assert_allclose(chosen.bias, [[0, -1], [2.5, 0], [0, 0]])
    np.testing.assert_array_equal(chosen.level, [1.0, 0.0, 0.0])
    # Anchored on naive: the chosen level averaged with naive's (B: (0 + 0) / 2; A: (1 + 1) / 2).
    anchored = forecast.select_forecast(y, 1, candidates=("naive", "zero"), anchor="naive", span=2,
                                        n_origins=2, bias_weight=0.0)
    np.testing.assert_array_equal(anchored.level, [1.0, 0.0, 0.0])
    y[1, 3] = 8.0   # naive's level on B is now 8: half of it with zero chosen... B's errors change
    anchored = forecast.select_forecast(y, 1, candidates=("naive", "zero"), anchor="naive", span=2,
                                        n_origins=2, bias_weight=0.0)
    # B = 0,5,0,8: naive errs 5 − 0 = 5 then 0 − 8 = −8 (SSE 89); zero errs 0 and −8 (SSE 64).
    assert anchored.methods[1] == "zero"
    assert anchored.level[1] == (0.0 + 8.0) / 2


def test_selection_weighs_the_mean_error():
    # B = 0,5,0,8, origins 2 and 3, h 1. Naive errs +5 then −8: MSE (25 + 64)/2 = 44.5, ME −1.5;
    # zero errs 0 then −8: MSE 32, ME −4. Bias weight 0: 32 < 44.5 → zero. Bias weight 2:
    # naive 44.5 + 2·1.5² = 49, zero 32 + 2·4² = 64 → naive. The break-even weight is
    # (44.5 − 32)/(16 − 2.25) = 0.909…: 0.9 still picks zero, 0.95 naive.
    y = np.array([[0.0, 5, 0, 8]])
    pick = lambda weight: forecast.select_forecast(y, 1, candidates=("naive", "zero"), anchor=None,
                                                   span=2, n_origins=2, bias_weight=weight)
    assert [pick(w).methods[0] for w in (0.0, 0.9, 0.95, 2.0)] == ["zero", "zero", "naive", "naive"]
    chosen = pick(2.0)
    np.testing.assert_allclose(chosen.rmse[0], [np.sqrt(44.5), np.sqrt(32)])
    np.testing.assert_allclose(chosen.bias[0], [-1.5, -4.0])
    assert chosen.level[0] == 8.0


def test_selection_anchor_weight():
    # Same series: zero chosen (bias weight 0), level 0; naive (the anchor) forecasts 8.
    # Anchor weight w gives (1 − w)·0 + w·8; the default 0.5 is the plain average.
    y = np.array([[0.0, 5, 0, 8]])
    levels = [forecast.select_forecast(y, 1, candidates=("naive", "zero"), anchor="naive", span=2,
                                       n_origins=2, bias_weight=0.0, **kw).level[0]
              for kw in ({"anchor_weight": 0.0}, {"anchor_weight": 0.25}, {}, {"anchor_weight": 1.0})]
    assert levels == [0.0, 2.0, 4.0, 8.0]


def test_default_selection_candidates():
    # The default: the four methods of the previous selection first (ties go to SES), then zero and
    # the faster SES and TSB; criterion MSE + 2·ME²; half of IMAPA in every forecast.
    assert forecast.DEFAULT_CANDIDATES == ("ses", "tsb", "adida", "imapa", "zero", "ses_0.2",
                                           "tsb_0.2")
    assert forecast.DEFAULT_BIAS_WEIGHT == 2.0
    # A product whose demand stopped at the first origin: every method but zero over-forecasts
    # the zeros that followed, so zero is chosen and the forecast is half of IMAPA's.
    y = np.array([[3.0, 0, 4, 0, 5, 2, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0]])
    chosen = forecast.select_forecast(y, 4)
    assert chosen.methods[0] == "zero"
    assert chosen.level[0] == forecast.imapa(y, tol=1e-4).level[0] / 2


def test_selection_scores_only_periods_inside_the_history():
    # h 3, origins 2 and 3 of 4 periods: windows [2, 4) and [3, 4) → 2 + 1 = 3 scored points;
    # a series observed only in its last period has nothing before any origin: not scored.
    y = np.array([[1.0, 2, 3, 4], [np.nan, np.nan, np.nan, 3]])
    chosen = forecast.select_forecast(y, 3, span=2, n_origins=2)
    assert chosen.n_scored.tolist() == [3, 0]
    assert chosen.choice[1] == 0 and np.isnan(chosen.rmse[1]).all()


def test_selection_origins_follow_each_series_end():
    # The same history ending two periods earlier (trailing NaN) gets the same choice and level.
    rng = np.random.default_rng(3)
    base = rng.poisson(0.6, size=(30, 24)).astype(float)
    shifted = np.hstack([base, np.full((30, 2), np.nan)])
    a, b = forecast.select_forecast(base, 6), forecast.select_forecast(shifted, 6)
    np.testing.assert_array_equal(a.choice, b.choice)
    np.testing.assert_allclose(a.level, b.level, rtol=1e-12)


def test_selection_levels_are_the_methods_own_forecasts():
    rng = np.random.default_rng(7)
    y = rng.poisson(0.4, size=(50, 30)).astype(float)
    chosen = forecast.select_forecast(y, 6, tol=1e-12)
    np.testing.assert_allclose(chosen.levels[:, 0], forecast.ses(y).level, rtol=1e-12)
    np.testing.assert_allclose(chosen.levels[:, 1], forecast.tsb(y).level, rtol=1e-12)
    np.testing.assert_allclose(chosen.levels[:, 2], forecast.adida(y).level, rtol=1e-12)
    np.testing.assert_allclose(chosen.levels[:, 3], forecast.imapa(y).level, rtol=1e-12)
    np.testing.assert_array_equal(chosen.levels[:, 4], 0.0)
    np.testing.assert_allclose(chosen.levels[:, 5], forecast.ses(y, 0.2).level, rtol=1e-12)
    np.testing.assert_allclose(chosen.levels[:, 6], forecast.tsb(y, 0.2, 0.2).level, rtol=1e-12)
    picked = chosen.levels[np.arange(50), chosen.choice]
    np.testing.assert_allclose(chosen.level, (picked + chosen.levels[:, 3]) / 2)


def test_coarse_alpha_search_changes_forecasts_very_little():
    rng = np.random.default_rng(11)
    y = rng.poisson(rng.uniform(0.1, 3, size=(200, 1)), size=(200, 40)).astype(float)
    exact, coarse = forecast.imapa(y).level, forecast.imapa(y, tol=1e-4).level
    np.testing.assert_allclose(coarse, exact, rtol=2e-3, atol=1e-9)


# --- accuracy measures by hand ----------------------------------------------------------------------

def test_mase_and_rmsse():
    insample, actual, predicted = [1.0, 3, 2, 4], [2.0, 4], [3.0, 3]
    # |lag-1 differences| 2, 1, 2 → mean 5/3; |errors| 1, 1 → mean 1; MASE = 3/5.
    assert accuracy.mase(actual, predicted, insample)[0] == pytest.approx(0.6)
    # Lag 2: |2 − 1|, |4 − 3| → scale 1 → MASE 1.
    assert accuracy.mase(actual, predicted, insample, season_length=2)[0] == pytest.approx(1.0)
    # Squared lag-1 differences 4, 1, 4 → mean 3; squared errors mean 1 → √(1/3).
    assert accuracy.rmsse(actual, predicted, insample)[0] == pytest.approx(np.sqrt(1 / 3))
    # Missing in-sample values are ignored: 1, NaN, 2, 4 → only |4 − 2| = 2 → MASE 1/2.
    assert accuracy.mase(actual, predicted, [1.0, np.nan, 2, 4])[0] == pytest.approx(0.5)


def test_unscalable_series_are_dropped_by_finite_mean():
    values = accuracy.mase([[1.0], [1.0]], [[0.0], [0.0]], [[2.0, 2.0], [1.0, 2.0]])
    assert np.isinf(values[0]) and values[1] == 1.0      # constant history: scale 0
    assert accuracy.finite_mean(values) == (1.0, 1)


def test_bias_and_wql():
    # Σ(f − a) = (3 − 2) + (3 − 4) = 0; and 2 units over for 2 units asked: +100 %.
    assert accuracy.bias([[2.0, 4]], [[3.0, 3]]) == 0.0
    assert accuracy.bias([[1.0, 1]], [[2.0, 2]]) == 1.0
    # Point WQL: Σ|error| / Σ|actual| = 2 / 6.
    assert accuracy.wql([[2.0, 4]], [[3.0, 3]]) == pytest.approx(1 / 3)
    # Quantiles 0.1 and 0.9 at 8 and 12 for an actual of 10: pinball 0.1·2 = 0.2 and 0.1·2 = 0.2;
    # 2·0.2/10 = 0.04 at each level.
    assert accuracy.wql([[10.0]], [[[8.0, 12.0]]], quantiles=[0.1, 0.9]) == pytest.approx(0.04)
    # A missing actual is left out of both sums.
    assert accuracy.wql([[2.0, np.nan]], [[3.0, 9.0]]) == pytest.approx(0.5)


# --- statsforecast as an oracle ---------------------------------------------------------------------

def _oracle_panel():
    """Seeded intermittent series of varied lengths, some launched late or delisted early."""
    rng = np.random.default_rng(2024)
    panel = np.full((120, 40), np.nan)
    for i in range(120):
        p = rng.uniform(0.05, 0.9)
        values = np.where(rng.random(40) < p, rng.poisson(rng.uniform(1, 6), 40) + 1, 0)
        first, last = int(rng.integers(0, 20)) if i % 3 == 0 else 0, 40 - int(rng.integers(0, 10))
        panel[i, first:last] = values[first:last]
    panel[0, :] = 0.0                 # never any demand
    panel[1, :-1], panel[1, -1] = 0.0, 5.0   # a single demand, at the very end
    return panel


def _statsforecast_models():
    models = pytest.importorskip(
        "statsforecast.models", exc_type=ImportError,
        reason="statsforecast not installed: the oracle tests need `pip install statsforecast` "
               "(test-only; Tendu's code does not use it)")
    return {
        "naive": (models.Naive(), forecast.naive, True),
        "ses": (models.SimpleExponentialSmoothing(alpha=0.1), forecast.ses, True),
        "croston": (models.CrostonClassic(), forecast.croston, True),
        "sba": (models.CrostonSBA(), forecast.sba, True),
        "tsb": (models.TSB(alpha_d=0.1, alpha_p=0.1), forecast.tsb, True),
        "adida": (models.ADIDA(), forecast.adida, False),
        "imapa": (models.IMAPA(), forecast.imapa, False),
    }


@pytest.mark.parametrize("name", ["naive", "ses", "croston", "sba", "tsb", "adida", "imapa"])
def test_statsforecast_agrees(name):
    oracle, mine, with_fitted = _statsforecast_models()[name]
    panel = _oracle_panel()
    fit = mine(panel, fitted=True) if with_fitted else mine(panel)
    for i, row in enumerate(panel):
        observed = ~np.isnan(row)
        expected = oracle.forecast(y=row[observed], h=3, fitted=with_fitted)
        np.testing.assert_allclose(fit.path(3)[i], expected["mean"], rtol=0, atol=1e-9,
                                   err_msg=f"{name} row {i}")
        if with_fitted:
            np.testing.assert_allclose(fit.fitted[i][observed], expected["fitted"], rtol=0,
                                       atol=1e-9, err_msg=f"{name} fitted row {i}")
            assert np.isnan(fit.fitted[i][~observed]).all()


def test_statsforecast_seasonal_naive_agrees():
    _statsforecast_models()   # skips when statsforecast is missing
    from statsforecast import models
    panel = _oracle_panel()[:, :30]
    path = forecast.seasonal_naive(panel, 12).path(15)
    for i, row in enumerate(panel):
        row = row[~np.isnan(row)]
        if row.size >= 12:
            expected = models.SeasonalNaive(season_length=12).forecast(y=row, h=15)["mean"]
            np.testing.assert_allclose(path[i], expected, atol=1e-12)
