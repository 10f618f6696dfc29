"""Which open purchase orders a customer promise may count on, worked by hand."""
from datetime import date
from decimal import Decimal as D

from server.domain.promise import Arrival, expected_day, incoming, promise_date

MON_FRI = frozenset(range(5))
FRI = date(2026, 11, 27)           # a Friday; Saturday 28, Sunday 29, Monday 30 Nov
LATE = Arrival("PO-1", D(2), date(2026, 11, 25))


def test_a_late_delivery_is_expected_on_the_next_working_day_not_today():
    assert expected_day(FRI, FRI, MON_FRI) == FRI                              # due today: not late
    assert expected_day(date(2026, 12, 2), FRI, MON_FRI) == date(2026, 12, 2)   # due later: as promised
    assert expected_day(date(2026, 11, 25), FRI, MON_FRI) == date(2026, 11, 30)  # late: Monday, not Saturday
    assert expected_day(date(2026, 11, 25), FRI) == date(2026, 11, 28)          # open every day: tomorrow


def test_deliveries_count_in_arrival_order_after_what_earlier_orders_wait_for():
    later = Arrival("PO-2", D(5), date(2026, 12, 3))
    undated = Arrival("PO-0", D(50), None)     # nothing says when: left out
    # 3 missing; PO-1 brings 2 (late: Monday 30), PO-2 5 on 3 Dec; 1 goes to an earlier order first.
    got = incoming(D(3), [later, undated, LATE], today=FRI, ahead=D(1), working_days=MON_FRI)
    assert got.covered and got.coming == 3 and got.ahead == 1
    assert got.counted == ((LATE, date(2026, 11, 30)), (later, date(2026, 12, 3)))   # 2 − 1 = 1, then 2 of PO-2's 5
    short = incoming(D(3), [LATE, undated], today=FRI, working_days=MON_FRI)
    assert not short.covered and short.coming == 2
    taken = incoming(D(1), [LATE], today=FRI, ahead=D(2))
    assert not taken.covered and taken.coming == 0 and taken.counted == () and taken.taken == ("PO-1",)
    assert incoming(D(2), [LATE], today=FRI).covered                           # exactly enough is enough


def test_a_delivery_too_small_promises_the_lead_time_and_says_what_is_coming():
    coming = incoming(D(3), [LATE], today=FRI, working_days=MON_FRI)
    p = promise_date("push", today=FRI, handling_days=0.2, lead_time_p50=5, lead_time_p90=7, coming=coming,
                     working_days=MON_FRI)
    assert (p.basis, p.date) == ("lead_time", date(2026, 12, 7))   # 27 Nov + ⌈7 + 0.2⌉ = Sat 5 Dec → Mon 7 Dec
    assert p.explanation_en == (
        "2 of the 3 missing are on order (PO-1 late, was due 25 Nov, expected 30 Nov at the earliest); the rest, if "
        "ordered from the supplier today (27 Nov): p90 lead time 7 days + 5 h of handling. Saturday 5 Dec is not a "
        "working day: promised Monday 7 Dec.")
    assert p.explanation_fr.startswith(
        "2 des 3 manquants sont en commande (PO-1 en retard, attendue le 25 nov., espérée au plus tôt le 30 nov.) ; "
        "le reste, si commandé au fournisseur aujourd'hui (27 nov.) : délai p90 de 7 jours")


def test_a_late_delivery_that_brings_enough_is_promised_from_when_it_can_come():
    p = promise_date("push", today=FRI, handling_days=0.2, coming=incoming(D(2), [LATE], today=FRI,
                                                                            working_days=MON_FRI),
                     working_days=MON_FRI)
    assert (p.basis, p.date, p.days) == ("next_arrival", date(2026, 12, 1), 4)   # Monday 30 + ⌈0.2⌉
    assert p.explanation_en == ("Out of stock, delivery expected 30 Nov at the earliest (PO-1 late, was due 25 Nov): "
                                "+ 5 h of handling.")
    assert p.explanation_fr == ("En rupture, livraison attendue au plus tôt le 30 nov. (PO-1 en retard, attendue le "
                                "25 nov.) : + 5 h de préparation.")
    # A bare expected day in the past is not "today" either.
    assert promise_date("push", today=FRI, handling_days=0, next_arrival=date(2026, 11, 25),
                        working_days=MON_FRI).date == date(2026, 11, 30)
