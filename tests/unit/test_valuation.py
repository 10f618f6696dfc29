"""Weighted average cost and stock health figures against hand-worked examples."""
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.errors import Invalid
from server.domain.valuation import (
    EMPTY, Movement, average_stock_value, coverage_days, days_since, dormant, fold_wac, stockout_counts,
    stockouts, turnover, value_at, wac_arrays,
)

TIGHT = dict(rel=1e-12, abs=1e-12)


def test_wac_sequence_by_hand():
    states = fold_wac([
        Movement(10, 5.0),    # 10 @ 5: WAC 5, value 50
        Movement(10, 8.0),    # (50 + 80) / 20 = 6.5, value 130
        Movement(-5),         # COGS 5·6.5 = 32.5; 15 left, value 97.5
        Movement(5, 4.0),     # (97.5 + 20) / 20 = 5.875, value 117.5
        Movement(-20),        # COGS += 20·5.875 = 117.5 → 150; 0 left
        Movement(-2),         # sold before received: −2, COGS += 2·5.875 = 11.75 → 161.75, value −11.75
        Movement(4, 6.0),     # stock was ≤ 0: WAC = 6 (the missing units are settled at this price); 2 left, 12
    ])
    got = [(s.qty, s.wac, s.value, s.cogs) for s in states]
    assert got == [
        (10, 5.0, 50.0, 0.0), (20, 6.5, 130.0, 0.0), (15, 6.5, 97.5, 32.5), (20, 5.875, 117.5, 32.5),
        (0, 5.875, 0.0, 150.0), (-2, 5.875, -11.75, 161.75), (2, 6.0, 12.0, 161.75),
    ]


def test_return_comes_back_at_current_wac():
    states = fold_wac([Movement(10, 5.0), Movement(10, 8.0), Movement(-4), Movement(2)])
    # return of 2 at WAC 6.5: (16·6.5 + 2·6.5)/18 = 6.5, value 18·6.5 = 117
    assert (states[-1].qty, states[-1].wac, states[-1].value) == (18, 6.5, 117.0)


def test_bad_movements_are_refused():
    with pytest.raises(Invalid) as err:
        fold_wac([Movement(5)])                         # no cost known yet
    assert err.value.code == "unit_cost_unknown"
    with pytest.raises(Invalid):
        fold_wac([Movement(0, 1.0)])
    with pytest.raises(Invalid):
        fold_wac([Movement(3, -1.0)])


def test_outflow_before_any_cost_has_no_value():
    s = fold_wac([Movement(-3)])[-1]
    assert (s.qty, s.wac, s.value, s.cogs) == (-3, None, 0.0, 0.0)


def test_value_at_a_past_date_sorts_by_time():
    moves = [Movement(10, 8.0, date(2026, 1, 20)), Movement(10, 5.0, date(2026, 1, 5)),
             Movement(-5, None, date(2026, 2, 1))]
    assert value_at(moves, date(2026, 1, 1)) == EMPTY
    mid = value_at(moves, date(2026, 1, 10))
    assert (mid.qty, mid.wac, mid.value) == (10, 5.0, 50.0)
    end = value_at(moves, date(2026, 2, 1))             # same day included
    assert (end.qty, end.wac, end.value, end.cogs) == (15, 6.5, 97.5, 32.5)
    with pytest.raises(Invalid):
        value_at([Movement(1, 1.0)], date(2026, 1, 1))


def test_wac_arrays_match_the_fold():
    out = wac_arrays([10, 10, -5, 5], [5, 8, np.nan, 4])
    np.testing.assert_allclose(out["wac"], [5, 6.5, 6.5, 5.875])
    np.testing.assert_allclose(out["value"], [50, 130, 97.5, 117.5])
    np.testing.assert_allclose(out["cogs"], [0, 0, 32.5, 32.5])


def test_turnover_and_cover():
    # COGS 1,200 over the period; daily stock values 300, 500, 400 → average 400 → 3 turns
    avg = average_stock_value([300, 500, 400])
    assert avg == 400.0
    assert turnover(1200, avg) == pytest.approx(3.0, **TIGHT)
    assert np.isnan(turnover(100, 0))
    np.testing.assert_allclose(turnover([1200, 50], [400, 100]), [3.0, 0.5])
    # 10 on hand at 2 a day = 5 days; nothing on hand = 0; stock but no usage = infinite
    np.testing.assert_array_equal(coverage_days([10, 0, 5], [2, 1, 0]), [5.0, 0.0, np.inf])
    assert coverage_days(9, 4) == 2.25


def test_dormant_stock():
    # 2026-01-01 → 2026-03-01: 31 (January) + 28 (February) = 59 days
    since = days_since([date(2026, 1, 1), None, date(2026, 2, 20)], date(2026, 3, 1))
    np.testing.assert_array_equal(since[[0, 2]], [59, 9])
    assert np.isnan(since[1])
    # 59 ≥ 30 dormant; never moved out and in stock: dormant; 9 days: active; no stock: never dormant
    np.testing.assert_array_equal(dormant(since, [5, 3, 4], 30), [True, True, False])
    assert dormant(40.0, 0, 30) is False and dormant(40.0, 2, 30) is True


def test_stockout_runs():
    s = stockouts([3, 0, 0, 2, 0, 1, 0, 0, 0])
    # runs: days 1–2 (2 days), day 4 (1), days 6–8 (3, still out at the end)
    assert s.count == 3 and s.durations == (2, 1, 3)
    assert s.total_days == 6 and s.longest == 3 and s.mean_duration == 2.0 and s.open_at_end
    none = stockouts([1, 2, 3])
    assert (none.count, none.durations, none.longest, none.mean_duration, none.open_at_end) == (0, (), 0, None, False)
    assert stockouts([-1, 0]).durations == (2,)                  # backordered counts as out


def test_no_stock_out_before_a_reference_was_first_stocked():
    # Created 10 days ago (day 0), first stocked 3 days after (day 3), never out since: no stock-out.
    fresh = stockouts([0, 0, 0, 4, 4, 3, 3, 3, 2, 2], stocked_from=3)
    assert (fresh.count, fresh.total_days, fresh.open_at_end) == (0, 0, False)
    # Then out on its last two days: one run of 2, still going.
    assert stockouts([0, 0, 0, 4, 4, 3, 3, 3, 0, 0], stocked_from=3).durations == (2,)
    # Created today, nothing received (never stocked): nothing to count; stocked before the period: as before.
    assert stockouts([0], stocked_from=None).count == 0
    assert stockouts([0, 0, 2, 0], stocked_from=-40).durations == stockouts([0, 0, 2, 0]).durations == (2, 1)


def test_stockout_counts_vectorised():
    out = stockout_counts([[3, 0, 0, 2, 0, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1, 1, 1, 1]])
    np.testing.assert_array_equal(out["count"], [3, 0, 1])
    np.testing.assert_array_equal(out["total_days"], [6, 0, 2])
    np.testing.assert_array_equal(out["longest"], [3, 0, 2])
    np.testing.assert_array_equal(out["open_at_end"], [True, False, False])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(-2, 3), min_size=1, max_size=60))
def test_vectorised_stockouts_agree_with_the_single_series(series):
    one = stockouts(series)
    many = stockout_counts([series])
    assert (many["count"][0], many["total_days"][0], many["longest"][0]) == (one.count, one.total_days, one.longest)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 50), st.floats(0, 100, allow_nan=False), st.booleans()),
                min_size=1, max_size=30))
def test_value_is_quantity_times_wac_and_value_is_conserved(rows):
    moves = [Movement(q, c) if inflow else Movement(-q) for q, c, inflow in rows]
    if moves[0].qty < 0:
        moves.insert(0, Movement(1, 1.0))
    states = fold_wac(moves)
    inflow_value = sum(m.qty * m.unit_cost for m in moves if m.qty > 0)
    for s in states:
        assert s.value == pytest.approx(s.qty * (s.wac or 0.0), abs=1e-9)
    last = states[-1]
    if all(s.qty >= 0 for s in states):      # what came in is either still here or went out as COGS
        assert last.value + last.cogs == pytest.approx(inflow_value, rel=1e-9, abs=1e-6)
