"""The days and times a warehouse can mean: from 2000-01-01 to 2099-12-31, whichever way they come in (a JSON body,
a scan's typed expiry, a CSV cell). Outside them a value is a typo or a device whose clock was reset, and the extreme
ones (year 1 at +14:00) cannot even be converted to UTC."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone, tzinfo

EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)   # included
LATEST = datetime(2100, 1, 1, tzinfo=timezone.utc)     # excluded
FIRST_DAY, LAST_DAY = EARLIEST.date(), date(2099, 12, 31)
OUT_OF_RANGE_EN = "Between 2000-01-01 and 2099-12-31."
OUT_OF_RANGE_FR = "Entre le 01/01/2000 et le 31/12/2099."


def day_in_range(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


# A warehouse's day runs from its own midnight, not UTC's: a shipment at 00:10 in Paris is the new day's.
def local_day(moment: datetime, zone: tzinfo) -> date:
    """The company's day a moment (with its zone) falls on."""
    return moment.astimezone(zone).date()


def day_start(day: date, zone: tzinfo) -> datetime:
    """The company's midnight opening ``day``, in UTC (23:00 the day before in Paris in winter)."""
    return datetime.combine(day, time(0), zone).astimezone(timezone.utc)


MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_FR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def day_text(day: date, today: date | None = None) -> tuple[str, str]:
    """A day as people write it in a sentence (en, fr): "28 Nov", "28 nov." ("1er" in French, as it is said), the
    year added when it is not ``today``'s: "3 Jan 2027", "3 janv. 2027"."""
    year = f" {day.year}" if today is not None and day.year != today.year else ""
    fr_day = "1er" if day.day == 1 else str(day.day)
    return f"{day.day} {MONTHS_EN[day.month - 1]}{year}", f"{fr_day} {MONTHS_FR[day.month - 1]}{year}"


def calendar_weeks(daily: Iterable[float], first_day: date) -> list[tuple[date, float, int]]:
    """Daily quantities, the first on ``first_day``, summed by calendar week (ISO: Monday to Sunday), in order: (the
    week's Monday, its total, how many of its 7 days the series covers). A series that starts after a Monday or ends
    before a Sunday has a partial first or last week: its days are said, not padded nor dropped."""
    weeks: dict[date, tuple[float, int]] = {}
    for offset, qty in enumerate(daily):
        day = first_day + timedelta(days=offset)
        monday = day - timedelta(days=day.weekday())
        total, days = weeks.get(monday, (0.0, 0))
        weeks[monday] = (total + float(qty), days + 1)
    return [(monday, total, days) for monday, (total, days) in weeks.items()]
