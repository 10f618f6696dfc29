"""Lead-time statistics, stages and supplier reliability against hand-worked examples."""
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.errors import Invalid
from server.domain.leadtime import (
    MADN_SCALE, QUANTILE_METHOD, SOURCE_DECLARED, SOURCE_MEASURED, SOURCE_POOL, SOURCE_SHRUNK, LineOutcome,
    credibility_weight, describe_durations, estimate_lead_time, stage_breakdown, stage_durations,
    supplier_reliability,
)

TIGHT = dict(rel=1e-9, abs=1e-9)


# ------------------------------------------------------------------------------------- describe
def test_describe_seven_durations():
    s = describe_durations([2, 3, 3, 4, 5, 7, 12])
    assert s.n == 7
    assert s.mean == pytest.approx(36 / 7, **TIGHT)            # 36 / 7 = 5.142857
    # Σx² = 4+9+9+16+25+49+144 = 256; Σ(x−x̄)² = 256 − 36²/7 = 70.857143; /6 = 11.809524; √ = 3.436499
    assert s.sd == pytest.approx(3.4364987, abs=1e-6)
    assert s.median == 4.0                                     # 4th of 7 sorted values
    # |x − 4| = 2,1,1,0,1,3,8 → sorted 0,1,1,1,2,3,8 → median 1
    assert s.mad == 1.0
    assert s.madn == pytest.approx(1.4826, **TIGHT)
    # type 7: h = (n−1)·p = 6·0.9 = 5.4 → x[5] + 0.4·(x[6] − x[5]) = 7 + 0.4·5 = 9
    assert s.p90 == pytest.approx(9.0, **TIGHT)
    assert s.p50 == 4.0
    assert (s.min, s.max) == (2.0, 12.0)
    assert "type 7" in s.quantile_method and QUANTILE_METHOD == "linear"


def test_describe_small_samples():
    one = describe_durations([6.5])
    assert (one.n, one.mean, one.sd, one.median, one.p90, one.madn) == (1, 6.5, None, 6.5, 6.5, 0.0)
    none = describe_durations([])
    assert none.n == 0 and none.mean is None and none.p90 is None


def test_p90_of_ten_values_interpolates():
    # 1..10: h = 9·0.9 = 8.1 → x[8] + 0.1·(x[9] − x[8]) = 9 + 0.1 = 9.1 (type 6 would give 9.9)
    assert describe_durations(range(1, 11)).p90 == pytest.approx(9.1, **TIGHT)


def test_madn_ignores_one_lost_delivery():
    s = describe_durations([5, 5, 6, 6, 7, 7, 90])
    # median 6; |x − 6| = 1,1,0,0,1,1,84 → MAD 1 → MADn 1.4826, while sd is blown up by the 90
    assert s.madn == pytest.approx(MADN_SCALE, **TIGHT)
    assert s.sd > 30


@pytest.mark.parametrize("bad, code", [([3, -1], "duration_negative"), ([3, float("nan")], "duration_not_finite")])
def test_describe_refuses_bad_durations(bad, code):
    with pytest.raises(Invalid) as err:
        describe_durations(bad)
    assert err.value.code == code


# ------------------------------------------------------------------------------------- estimate
def test_declared_when_nothing_measured():
    e = estimate_lead_time([], [], declared_days=10)
    assert e.source == SOURCE_DECLARED and e.n == 0 and e.weight == 0.0
    assert e.mean == 10 and e.p50 == 10
    assert e.sd == pytest.approx(2.5, **TIGHT)                 # DECLARED_CV 0.25 · 10
    assert e.p90 == pytest.approx(10 + 1.2815516 * 2.5, abs=1e-6)   # = 13.203879
    assert "declared" in e.note_en and "annoncé" in e.note_fr


def test_a_product_never_received_is_planned_on_its_suppliers_measured_pool_not_its_promise():
    # pool 10 × (8, 10, 12), 30 lines: mean 10, var (10·4 + 10·4)/29 = 80/29, p50 10, p90 at h = 0.9·29 + 1 = 27.1:
    # the 27th and 28th values are 12. Declared 7: not used (30 lines outweigh a promise).
    e = estimate_lead_time([], [8, 10, 12] * 10, declared_days=7)
    assert e.source == SOURCE_POOL and e.n == 0 and e.weight == 0.0
    assert (e.mean, e.p50, e.p90) == (10, 10, 12) and e.sd == pytest.approx((80 / 29) ** 0.5, **TIGHT)
    assert e.declared_days == 7
    assert e.note_en == ("No reception of this product yet: its supplier's 30 measured receptions (weight n/(n+5) = 0 "
                         "for its own); it declares 7 days.")
    assert e.note_fr == ("Aucune réception de ce produit : les 30 réceptions mesurées de son fournisseur (poids "
                         "n/(n+5) = 0 pour les siennes) ; il annonce 7 jours.")


def test_a_supplier_measured_a_few_times_is_weighed_against_its_promise():
    """One test order of three lines, received minutes after it was placed, planned every product of its supplier
    on 0 days where it declares 5: a few lines of the pool are blended with the promise, m/(m+5)."""
    # pool 8, 10, 12: mean 10, var 4, p50 10, p90 11.6; promise 7, sd 0.25·7 = 1.75, p90 7 + 1.2815516·1.75.
    # w = 3/8: mean = p50 = 3/8·10 + 5/8·7 = 8.125; p90 = 3/8·11.6 + 5/8·9.2427153 = 10.1266971;
    # variance weight (m − 1)/(m − 1 + 5) = 2/7: 2/7·4 + 5/7·3.0625 = 3.3303571.
    e = estimate_lead_time([], [8, 10, 12], declared_days=7)
    assert e.source == SOURCE_POOL and e.n == 0 and e.weight == 0.0
    assert e.mean == pytest.approx(8.125, **TIGHT) and e.p50 == pytest.approx(8.125, **TIGHT)
    assert e.p90 == pytest.approx(3 / 8 * 11.6 + 5 / 8 * (7 + 1.2815515655446004 * 1.75), **TIGHT)
    assert e.sd == pytest.approx((2 / 7 * 4 + 5 / 7 * 1.75 ** 2) ** 0.5, **TIGHT)
    assert e.note_en == ("No reception of this product yet: its supplier's 3 measured receptions (weight n/(n+5) = 0 "
                         "for its own), weighted 38% against the 7 days it declares (weight m/(m+5) for its m deliveries).")
    assert e.note_fr.endswith(", pondérées à 38\u202f% face aux 7 jours qu'il annonce (poids m/(m+5) pour ses m "
                              "livraisons).")
    same_day = estimate_lead_time([], [0.01, 0.01, 0.01], declared_days=5)
    assert same_day.mean == pytest.approx(3 / 8 * 0.01 + 5 / 8 * 5, **TIGHT)      # 3.13 days, not 0
    # three lines of ONE delivery are one observation of the supplier: w = 1/6, not 3/8
    one_delivery = estimate_lead_time([], [0.01, 0.01, 0.01], declared_days=5, pool_deliveries=1)
    assert one_delivery.mean == pytest.approx(1 / 6 * 0.01 + 5 / 6 * 5, **TIGHT)        # 4.17 days
    # a product of it received once leans on that blend, not on the three lines alone
    once = estimate_lead_time([0.01], [0.01] * 4, declared_days=5)
    assert once.mean == pytest.approx(1 / 6 * 0.01 + 5 / 6 * (4 / 9 * 0.01 + 5 / 9 * 5), **TIGHT)


def test_no_jump_between_a_product_never_received_and_one_received_once():
    """LENTOR: measured far slower than its 7 days. Its first reception moves a product 1/6 of the way from the
    pool (n/(n+5)); before it, the product sat on the pool, not on the promise (a jump of several days)."""
    pool = [12, 12, 13, 13, 14] * 6                          # mean 12.8; p90 at h = 27.1 of 30: 14
    none = estimate_lead_time([], pool, declared_days=7)
    once = estimate_lead_time([12], pool + [12], declared_days=7)
    assert none.mean == pytest.approx(12.8, **TIGHT) and none.p90 == pytest.approx(14, **TIGHT)
    # pool with the 12: mean 396/31; 1/6·12 + 5/6·396/31
    assert once.mean == pytest.approx(12 / 6 + 5 / 6 * 396 / 31, **TIGHT)
    assert abs(once.mean - none.mean) < 0.3 and none.p90 > 7 + 1.2815516 * 1.75 + 3


def test_declared_only_without_a_measured_pool():
    # One line of the supplier is no pool (as for a product's few receptions, which then shrink toward the promise).
    e = estimate_lead_time([], [12], declared_days=7)
    assert e.source == SOURCE_DECLARED and e.mean == 7 and e.sd == pytest.approx(1.75, **TIGHT)
    assert e.note_fr == ("Aucune réception mesurée pour ce produit et une seule pour son fournisseur : délai annoncé "
                         "par le fournisseur, 7 jours, dispersion supposée (CV 0,25).")
    assert estimate_lead_time([], [], declared_days=7.5).note_fr.startswith(
        "Aucune réception mesurée pour ce produit ni pour son fournisseur : délai annoncé par le fournisseur, "
        "7,5 jours")


def test_shrunk_to_supplier_pool():
    # product 4, 6: n 2, mean 5, var 2, p50 5, p90 4 + 0.9·2 = 5.8
    # pool 4..14 step 2: mean 9, var 70/5 = 14, p50 (h=2.5) 8 + 0.5·2 = 9, p90 (h=4.5) 12 + 0.5·2 = 13
    e = estimate_lead_time([4, 6], [4, 6, 8, 10, 12, 14])
    assert e.source == SOURCE_SHRUNK
    assert e.weight == pytest.approx(2 / 7, **TIGHT)           # n/(n+k) = 2/(2+5)
    assert e.mean == pytest.approx(55 / 7, **TIGHT)            # 2/7·5 + 5/7·9 = 7.857143
    assert e.p50 == pytest.approx(55 / 7, **TIGHT)
    assert e.p90 == pytest.approx(76.6 / 7, **TIGHT)           # 2/7·5.8 + 5/7·13 = 10.942857
    # variance weight (n−1)/(n−1+k) = 1/6: 1/6·2 + 5/6·14 = 12 → sd √12 = 3.464102
    assert e.sd == pytest.approx(12 ** 0.5, **TIGHT)


def test_single_reception_takes_its_spread_from_the_pool():
    e = estimate_lead_time([7], [4, 6, 8, 10, 12, 14])
    assert e.weight == pytest.approx(1 / 6, **TIGHT)           # 1/(1+5)
    assert e.mean == pytest.approx(7 / 6 + 5 / 6 * 9, **TIGHT)  # 8.666667
    assert e.sd == pytest.approx(14 ** 0.5, **TIGHT)            # variance weight 0/(0+5) = 0 → pool's


def test_measured_without_pool_and_with_enough_receptions():
    alone = estimate_lead_time([5, 7], [])
    assert alone.source == SOURCE_MEASURED and alone.mean == 6 and alone.sd == pytest.approx(2 ** 0.5, **TIGHT)
    many = estimate_lead_time([5, 7] * 15, [20, 30, 40])       # n = 30 = FULL_CREDIBILITY_N
    assert many.source == SOURCE_MEASURED and many.weight == 1.0 and many.mean == 6


def test_pool_only_without_declared_figure():
    e = estimate_lead_time([], [8, 10, 12])
    assert e.source == SOURCE_POOL and e.weight == 0.0 and e.mean == 10 and e.sd == 2


def test_nothing_known_is_refused():
    with pytest.raises(Invalid) as err:
        estimate_lead_time([], [])
    assert err.value.code == "lead_time_unknown"


def test_credibility_weight():
    assert credibility_weight(0) == 0.0
    assert credibility_weight(5) == 0.5                        # 5/(5+5)
    assert credibility_weight(20) == 0.8                       # 20/(20+5)


# ---------------------------------------------------------------------------------------- stages
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


def test_stage_breakdown_full_line():
    b = stage_breakdown(need_detected=T0, ordered=T0 + timedelta(hours=12), shipped=T0 + timedelta(days=4),
                        arrived=T0 + timedelta(days=6), available=T0 + timedelta(days=6, hours=6))
    assert b.order_delay == pytest.approx(0.5, **TIGHT)        # 12 h
    assert b.supplier_delay == pytest.approx(3.5, **TIGHT)     # 4 d − 12 h
    assert b.transport_delay == pytest.approx(2.0, **TIGHT)
    assert b.reception_delay == pytest.approx(0.25, **TIGHT)   # 6 h
    assert b.total == pytest.approx(6.25, **TIGHT)             # end points: 6 d 6 h


def test_stage_breakdown_missing_middle_event_keeps_total():
    b = stage_breakdown(need_detected=T0, ordered=T0 + timedelta(hours=12), shipped=None,
                        arrived=T0 + timedelta(days=6), available=T0 + timedelta(days=6, hours=6))
    assert b.supplier_delay is None and b.transport_delay is None
    assert b.order_delay == pytest.approx(0.5, **TIGHT) and b.total == pytest.approx(6.25, **TIGHT)
    # An order typed by hand has no need detected: its total runs from the order, order taking unknown.
    typed = stage_breakdown(ordered=T0, available=T0 + timedelta(days=3))
    assert typed.total == pytest.approx(3, **TIGHT) and typed.order_delay is None
    assert stage_breakdown(shipped=T0, available=T0 + timedelta(days=3)).total is None   # no start


def test_stage_breakdown_refuses_events_out_of_order():
    with pytest.raises(Invalid) as err:
        stage_breakdown(need_detected=T0, ordered=T0 + timedelta(days=2), shipped=T0 + timedelta(days=1))
    assert err.value.code == "events_out_of_order"


def test_stage_durations_vectorised():
    nat = np.datetime64("NaT")
    d = lambda s: np.datetime64(s)  # noqa: E731
    out = stage_durations(
        [d("2026-03-02T08:00"), d("2026-03-02T08:00")], [d("2026-03-02T20:00"), nat],
        [d("2026-03-06T08:00"), nat], [d("2026-03-08T08:00"), d("2026-03-05T08:00")],
        [d("2026-03-08T14:00"), d("2026-03-05T20:00")])
    np.testing.assert_allclose(out["total"], [6.25, 3.5])
    np.testing.assert_allclose(out["order_delay"], [0.5, np.nan])
    np.testing.assert_allclose(out["reception_delay"], [0.25, 0.5])
    typed = stage_durations([nat], [d("2026-03-02T08:00")], [nat], [nat], [d("2026-03-05T08:00")])
    np.testing.assert_allclose(typed["total"], [3.0])              # from the order, as stage_breakdown


# ------------------------------------------------------------------------------------ reliability
def test_otif_is_joint_not_the_product_of_shares():
    lines = [
        LineOutcome(10, promised_at=10, first_received_at=9, first_receipt_qty=10, received_qty=10),   # OTIF
        LineOutcome(10, promised_at=10, first_received_at=12, first_receipt_qty=10, received_qty=10),  # late
        LineOutcome(20, promised_at=10, first_received_at=10, first_receipt_qty=15, received_qty=20),  # short 1st
        LineOutcome(5, promised_at=10, first_received_at=13, first_receipt_qty=3, received_qty=3),     # both
        LineOutcome(8, promised_at=20),                      # not received, still in time → pending
        LineOutcome(4, promised_at=11),                      # not received, 4 days over → failure
    ]
    r = supplier_reliability(lines, as_of=15)
    assert (r.lines, r.pending_lines, r.overdue_lines, r.otif_lines) == (5, 1, 1, 1)
    assert r.otif == pytest.approx(0.2, **TIGHT)               # 1 / 5
    assert r.on_time == pytest.approx(0.4, **TIGHT)            # lines 1 and 3
    assert r.in_full == pytest.approx(0.4, **TIGHT)            # lines 1 and 2; 0.4 · 0.4 = 0.16 ≠ 0.2
    # ordered 10+10+20+5+4 = 49; received 10+10+20+3+0 = 43 → 0.877551
    assert r.fill_rate == pytest.approx(43 / 49, **TIGHT)
    # days late of received lines: −1, 2, 0, 3 → sorted −1, 0, 2, 3
    assert r.days_late == (-1, 2, 0, 3)
    lt = r.lateness
    assert lt.mean == pytest.approx(1.0, **TIGHT)              # 4 / 4
    assert lt.p50 == pytest.approx(1.0, **TIGHT)               # h = 1.5 → 0 + 0.5·2
    assert lt.p90 == pytest.approx(2.7, **TIGHT)               # h = 2.7 → 2 + 0.7·1
    assert lt.max == 3 and lt.late_share == 0.5
    assert lt.mean_days_late_when_late == pytest.approx(2.5, **TIGHT)   # (2 + 3) / 2


def test_window_tolerances_and_over_delivery():
    lines = [LineOutcome(10, promised_at=10, first_received_at=4, first_receipt_qty=12, received_qty=12),
             LineOutcome(10, promised_at=10, first_received_at=11, first_receipt_qty=10, received_qty=10)]
    r = supplier_reliability(lines, early_days=2, late_days=1)
    # line 1: 6 days early, outside [−2, +1]; line 2: 1 day late, inside
    assert r.on_time == 0.5 and r.otif == 0.5
    assert r.fill_rate == 1.0                                  # 12 received counts as 10


def test_reliability_with_dates():
    d = datetime(2026, 3, 10, tzinfo=timezone.utc)
    r = supplier_reliability([LineOutcome(1, d, d + timedelta(hours=36), 1, 1)])
    assert r.days_late == (1.5,) and r.otif == 0.0


def test_reliability_refuses_zero_order():
    with pytest.raises(Invalid):
        supplier_reliability([LineOutcome(0, promised_at=1)])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 200, allow_nan=False), min_size=2, max_size=40))
def test_stats_properties(xs):
    s = describe_durations(xs)
    assert s.min <= s.median <= s.p90 <= s.max
    assert s.madn == pytest.approx(MADN_SCALE * s.mad)


def test_a_few_receptions_with_no_pool_lean_on_the_promise_not_on_certainty():
    # Declared 7 days (sd 1.75 assumed); one reception in exactly 7 days.
    e = estimate_lead_time([7], [7], declared_days=7)
    assert e.source == SOURCE_SHRUNK and e.weight == pytest.approx(1 / 6, **TIGHT)
    assert e.mean == pytest.approx(7, **TIGHT)
    assert e.sd == pytest.approx(1.75, **TIGHT)                 # variance weight 0: the promise's spread
    assert e.p90 == pytest.approx(7 / 6 + 5 / 6 * (7 + 1.2815515655446004 * 1.75), **TIGHT) and e.p90 > e.p50
    # Three receptions of 9, 10, 11, no pool given, against a promise of 7: w = 3/8, variance weight 2/7.
    three = estimate_lead_time([9, 10, 11], [], declared_days=7)
    assert three.mean == pytest.approx(3 / 8 * 10 + 5 / 8 * 7, **TIGHT)
    assert three.sd == pytest.approx((2 / 7 * 1 + 5 / 7 * 1.75 ** 2) ** 0.5, **TIGHT)
    # No promise either: one reception's spread is assumed, not zero.
    alone = estimate_lead_time([8], [])
    assert alone.source == SOURCE_MEASURED and alone.sd == pytest.approx(8 * 0.25, **TIGHT)
