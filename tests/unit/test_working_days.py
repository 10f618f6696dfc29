"""Working days: the setting's text, the first working day on or after a day, and promises moved to it. Dates by hand:
Friday 4 Dec 2026, Saturday 5, Sunday 6, Monday 7."""
from datetime import date

import pytest

from server.domain.days import EVERY_DAY, parse_working_days, working_day_on_or_after
from server.domain.promise import promise_date

FRI, SAT, SUN, MON = date(2026, 12, 4), date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 7)
MON_FRI, MON_SAT = frozenset(range(5)), frozenset(range(6))


@pytest.mark.parametrize("text, days", [
    ("mon-fri", MON_FRI), ("mon-sat", MON_SAT), ("mon,tue,wed,thu,fri", MON_FRI), ("lun-ven", MON_FRI),
    ("lun-sam", MON_SAT), (" Mon - Fri ", MON_FRI), ("mon-wed,fri", {0, 1, 2, 4}), ("sun-thu", {6, 0, 1, 2, 3}),
    ("mon-sun", EVERY_DAY), ("sat", {5})])
def test_working_days_are_written_as_ranges_and_lists(text, days):
    assert parse_working_days(text) == days


@pytest.mark.parametrize("wrong", ["", "mon-", "monday-friday", "mon-wed-fri", "1-5", "mon;fri", "mon,,fri"])
def test_anything_else_is_not_working_days(wrong):
    with pytest.raises(ValueError):
        parse_working_days(wrong)


def test_the_first_working_day_on_or_after_a_day():
    assert working_day_on_or_after(FRI, MON_FRI) == FRI
    assert working_day_on_or_after(SAT, MON_FRI) == MON and working_day_on_or_after(SUN, MON_FRI) == MON
    assert working_day_on_or_after(SAT, MON_SAT) == SAT and working_day_on_or_after(SUN, MON_SAT) == MON
    assert working_day_on_or_after(SUN, EVERY_DAY) == SUN
    assert working_day_on_or_after(date(2027, 12, 31), MON_FRI) == date(2027, 12, 31)      # a Friday
    assert working_day_on_or_after(date(2028, 1, 1), MON_FRI) == date(2028, 1, 3)          # across the year


def test_a_friday_and_two_days_is_promised_on_monday():
    pull = promise_date("pull", today=FRI, lead_time_p50=1, lead_time_p90=1, handling_days=1, working_days=MON_FRI)
    assert (pull.date, pull.days) == (MON, 3)                   # Sunday 6 moved on; days count to the date promised
    assert pull.explanation_en == ("If ordered from the supplier today (4 Dec): p90 lead time 1 day + 1 day of "
                                   "handling. Sunday 6 Dec is not a working day: promised Monday 7 Dec.")
    assert pull.explanation_fr == ("Si commandé au fournisseur aujourd'hui (4 déc.) : délai p90 de 1 jour + 1 jour de "
                                   "préparation. Le dimanche 6 déc. n'est pas un jour ouvré : promis le lundi 7 déc.")
    # a Saturday kept where Saturdays are worked; a Sunday never is with mon-sat
    assert promise_date("push", today=FRI, in_stock=True, handling_days=1, working_days=MON_SAT).date == SAT
    assert promise_date("push", today=SAT, in_stock=True, handling_days=1, working_days=MON_SAT).date == MON
    # no calendar given: every day is a working day, as before
    assert promise_date("pull", today=FRI, lead_time_p90=1, handling_days=1).date == SUN


def test_a_promise_from_stock_moved_says_the_day_it_moved_to_rather_than_in_how_many_days():
    kept = promise_date("push", today=FRI, in_stock=True, handling_days=1, working_days=MON_SAT)
    assert kept.explanation_en == "In stock: 1 day of handling; promised in 1 day."
    moved = promise_date("push", today=FRI, in_stock=True, handling_days=1, working_days=MON_FRI)
    assert (moved.date, moved.days) == (MON, 3)
    assert moved.explanation_en == ("In stock: 1 day of handling. Saturday 5 Dec is not a working day: promised "
                                    "Monday 7 Dec.")
    assert moved.explanation_fr == ("En stock : 1 jour de préparation. Le samedi 5 déc. n'est pas un jour ouvré : "
                                    "promis le lundi 7 déc.")
    today = promise_date("push", today=SUN, in_stock=True, handling_days=0, working_days=MON_FRI)
    assert (today.date, today.days) == (MON, 1) and today.explanation_en.startswith("In stock: 0 h of handling. Sunday")


def test_a_delivery_expected_on_a_friday_is_shipped_on_monday():
    coming = promise_date("push", today=date(2026, 12, 1), next_arrival=FRI, handling_days=1, working_days=MON_FRI)
    assert (coming.date, coming.days) == (MON, 6)               # days from today, as before
    assert coming.explanation_en == ("Out of stock, delivery expected 4 Dec: + 1 day of handling. Saturday 5 Dec is "
                                     "not a working day: promised Monday 7 Dec.")


def test_a_month_without_a_full_stop_still_ends_the_french_sentence_once():
    may = promise_date("push", today=date(2027, 5, 7), in_stock=True, handling_days=1, working_days=MON_FRI)
    assert may.explanation_fr.endswith("promis le lundi 10 mai.")
    year = promise_date("pull", today=date(2027, 12, 31), lead_time_p90=1, handling_days=0, working_days=MON_FRI)
    assert year.explanation_en.endswith("Saturday 1 Jan 2028 is not a working day: promised Monday 3 Jan 2028.")
