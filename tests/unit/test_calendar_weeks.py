"""Calendar weeks of a daily series (server/domain/days.py), worked by hand: Monday to Sunday, named by the Monday."""
from datetime import date

from server.domain.days import calendar_weeks


def test_a_series_starting_on_a_thursday_has_a_partial_first_week_named_by_its_monday():
    # Thu 26 Nov 2026 … Sat 5 Dec: Thu–Sun (1+2+3+4) in the week of Mon 23 Nov, Mon–Sat (5+…+10) in the next.
    weeks = calendar_weeks(range(1, 11), date(2026, 11, 26))
    assert weeks == [(date(2026, 11, 23), 10.0, 4), (date(2026, 11, 30), 45.0, 6)]


def test_a_series_from_a_monday_has_whole_weeks_only():
    weeks = calendar_weeks([1] * 14, date(2026, 11, 30))
    assert weeks == [(date(2026, 11, 30), 7.0, 7), (date(2026, 12, 7), 7.0, 7)]


def test_weeks_cross_the_new_year_as_iso_weeks_do():
    # Wed 30 Dec 2026 … Tue 5 Jan 2027: the week of Mon 28 Dec holds Wed–Sun (5 days, 1 Jan included), the next two.
    weeks = calendar_weeks([1, 1, 1, 1, 1, 2, 2], date(2026, 12, 30))
    assert weeks == [(date(2026, 12, 28), 5.0, 5), (date(2027, 1, 4), 4.0, 2)]
    assert all(monday.isocalendar().weekday == 1 for monday, _, _ in weeks)


def test_an_empty_series_has_no_weeks():
    assert calendar_weeks([], date(2026, 11, 26)) == []
