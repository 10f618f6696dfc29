"""Demand series helpers and the Syntetos–Boylan classes, checked on series worked by hand."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.demand import (ERRATIC, INTERMITTENT, LUMPY, NO_DEMAND, SMOOTH, aggregate,
                                  bucket_demand, classify, mask_unobserved, period_index)
from server.domain.errors import Invalid


# --- classification -----------------------------------------------------------------------------

def test_the_four_classes():
    rows = [
        [2, 2, 2, 2],   # ADI 4/4 = 1;  sizes 2,2,2,2: CV² 0                        → smooth
        [1, 7, 1, 7],   # ADI 1; mean 4, var ((3²)·4)/4 = 9, CV² 9/16 = 0.5625       → erratic
        [0, 2, 0, 2],   # ADI 4/2 = 2; sizes 2,2: CV² 0                             → intermittent
        [0, 1, 0, 7],   # ADI 2; sizes 1,7: mean 4, var 9, CV² 0.5625               → lumpy
    ]
    profile = classify(np.array(rows, dtype=float))
    assert profile.category.tolist() == [SMOOTH, ERRATIC, INTERMITTENT, LUMPY]
    assert profile.names() == ["smooth", "erratic", "intermittent", "lumpy"]
    assert profile.adi.tolist() == [1.0, 1.0, 2.0, 2.0]
    assert profile.cv2.tolist() == [0.0, 0.5625, 0.0, 0.5625]
    assert profile.n_demands.tolist() == [4, 4, 2, 2]


def test_adi_boundary_is_exclusive():
    # 33 periods, 25 with demand: ADI = 33/25 = 1.32, not < 1.32 → intermittent side.
    at_cutoff = [1.0] * 25 + [0.0] * 8
    # 32 periods, 25 with demand: ADI = 1.28 → smooth side.
    below = [1.0] * 25 + [0.0] * 7
    profile = classify([at_cutoff, below + [np.nan]])
    assert profile.adi[0] == 1.32
    assert profile.category.tolist() == [INTERMITTENT, SMOOTH]


def test_cv2_boundary_is_exclusive():
    # Sizes 17 and 3: mean 10, E[z²] = (289 + 9)/2 = 149, var = 149 − 100 = 49, CV² = 0.49 → erratic.
    # Sizes 16 and 4: mean 10, E[z²] = (256 + 16)/2 = 136, var 36, CV² = 0.36 → smooth.
    profile = classify([[17, 3], [16, 4]])
    assert profile.cv2.tolist() == [0.49, 0.36]
    assert profile.category.tolist() == [ERRATIC, SMOOTH]


def test_no_demand_and_a_single_demand():
    profile = classify([
        [0, 0, 0, 0],                   # nothing asked: no class
        [np.nan] * 4,                   # nothing observed: no class either
        [0, 0, 5, 0],                   # one demand: ADI 4/1 = 4, CV² 0 (one size) → intermittent
        [5, np.nan, np.nan, np.nan],    # one observed period, with demand: ADI 1/1 → smooth
    ])
    assert profile.category.tolist() == [NO_DEMAND, NO_DEMAND, INTERMITTENT, SMOOTH]
    assert profile.adi[:2].tolist() == [np.inf, np.inf]
    assert np.isnan(profile.cv2[:2]).all()
    assert profile.adi[2:].tolist() == [4.0, 1.0]
    assert profile.cv2[2:].tolist() == [0.0, 0.0]
    assert profile.n_observed.tolist() == [4, 0, 4, 1]


def test_unobserved_periods_are_not_zero_demand():
    # Launched in period 2: ADI = 2 observed / 2 demands = 1 → smooth; read as zeros it would be 2.
    profile = classify([[np.nan, np.nan, 2, 2], [0, 0, 2, 2]])
    assert profile.adi.tolist() == [1.0, 2.0]
    assert profile.category.tolist() == [SMOOTH, INTERMITTENT]


def test_a_product_that_stopped_selling_drifts_to_intermittent():
    # Demand every period for 10 periods, then 10 silent ones: ADI = 20/10 = 2.
    profile = classify([[3.0] * 10 + [0.0] * 10])
    assert profile.adi[0] == 2.0
    assert profile.category[0] == INTERMITTENT


def test_a_one_dimensional_series_is_one_product():
    profile = classify([0, 1, 0, 7])
    assert profile.category.tolist() == [LUMPY]


@pytest.mark.parametrize("bad, code", [([[1, -1]], "negative_demand"), ([[1, np.inf]], "infinite_demand")])
def test_bad_values_are_refused(bad, code):
    with pytest.raises(Invalid) as refused:
        classify(bad)
    assert refused.value.code == code


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([0.0, 0.0, 1.0, 2.0, 5.0, np.nan]), min_size=1, max_size=20),
       st.randoms(use_true_random=False), st.floats(0.25, 8.0))
def test_class_ignores_the_order_of_periods_and_the_unit(series, rnd, scale):
    # ADI and CV² are statistics of a bag of periods and are scale-free: shuffling the periods or
    # counting in dozens does not change the class.
    shuffled = list(series)
    rnd.shuffle(shuffled)
    base, other = classify([series]), classify([[v * scale for v in shuffled]])
    assert other.category[0] == base.category[0] or np.isclose(base.cv2[0], 0.49) \
        or np.isclose(base.adi[0], 1.32)
    assert other.adi[0] == base.adi[0]
    np.testing.assert_allclose(other.cv2, base.cv2, rtol=1e-9, atol=1e-12)


# --- bucketing ------------------------------------------------------------------------------------

def test_bucket_demand_sums_lines_per_product_and_period():
    # Product 0 asks 2 then 3 in period 1 (5 in all); product 1 asks 4 in period 2.
    grid = bucket_demand([0, 0, 1], [1, 1, 2], [2, 3, 4], n_products=2, n_periods=3)
    assert grid.tolist() == [[0, 5, 0], [0, 0, 4]]


def test_bucket_demand_refuses_events_outside_the_grid():
    with pytest.raises(Invalid) as refused:
        bucket_demand([0, 2], [0, 0], [1, 1], n_products=2, n_periods=3)
    assert refused.value.code == "event_outside_grid"
    with pytest.raises(Invalid):
        bucket_demand([0], [3], [1], n_products=1, n_periods=3)
    with pytest.raises(Invalid):
        bucket_demand([0], [0], [-1], n_products=1, n_periods=3)


def test_period_index_by_day_and_by_month():
    dates = np.array(["2024-01-31", "2024-02-01", "2024-03-15"], dtype="datetime64[D]")
    assert period_index(dates, "2024-01-01", "day").tolist() == [30, 31, 74]
    assert period_index(dates, "2024-01-01", "month").tolist() == [0, 1, 2]
    with pytest.raises(Invalid):
        period_index(dates, "2024-01-01", "fortnight")


def test_aggregate_keeps_the_last_block_complete():
    # Width 2 on 5 periods: blocks (2,3) and (4,5) → 5 and 9; period 1 is the incomplete oldest block.
    assert aggregate(np.array([[1.0, 2, 3, 4, 5]]), 2).tolist() == [[5.0, 9.0]]
    # A block touching an unobserved period is unobserved.
    blocks = aggregate(np.array([[np.nan, 2.0, 3, 4]]), 2)
    assert np.isnan(blocks[0, 0]) and blocks[0, 1] == 7.0
    with pytest.raises(Invalid):
        aggregate(np.ones((1, 4)), 0)


def test_mask_unobserved_hides_before_launch_and_after_delisting():
    masked = mask_unobserved(np.ones((2, 4)), first_period=[1, 0], last_period=[3, 2])
    assert np.isnan(masked).tolist() == [[True, False, False, False], [False, False, False, True]]
