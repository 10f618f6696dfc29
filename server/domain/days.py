"""The days and times a warehouse can mean: from 2000-01-01 to 2099-12-31, whichever way they come in (a JSON body,
a scan's typed expiry, a CSV cell). Outside them a value is a typo or a device whose clock was reset, and the extreme
ones (year 1 at +14:00) cannot even be converted to UTC."""
from __future__ import annotations

from collections.abc import Collection, Iterable
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


# The company's working weekdays, numbered as date.weekday() does (Monday 0). No supplier delivers and the warehouse
# does not ship on the others, so no date promised or expected may fall on one.
WEEKDAYS_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS_FR = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")   # a courtesy: none of them is an English one
DAY_NAMES_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_NAMES_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
EVERY_DAY = frozenset(range(7))


def parse_working_days(text: str) -> frozenset[int]:
    """Working weekdays as written in a setting: ranges and lists of three-letter days, English or French
    ("mon-fri", "mon-sat", "mon,tue,wed,thu,fri", "lun-ven"); a range may run past Sunday ("sun-thu").
    ValueError for anything else, and for no day at all."""
    days: set[int] = set()
    for part in text.strip().lower().split(","):
        ends = [_weekday(name) for name in part.split("-")]
        if len(ends) > 2:
            raise ValueError(f"{part.strip()!r} is not a day or a range of days")
        first, last = ends[0], ends[-1]
        days.update((first + k) % 7 for k in range((last - first) % 7 + 1))
    return frozenset(days)


def _weekday(name: str) -> int:
    name = name.strip()
    for names in (WEEKDAYS_EN, WEEKDAYS_FR):
        if name in names:
            return names.index(name)
    raise ValueError(f"{name!r} is not a day")


def working_day_on_or_after(day: date, working: Collection[int]) -> date:
    """The first working day on or after ``day``."""
    for _ in range(7):
        if day.weekday() in working:
            return day
        day += timedelta(days=1)
    raise ValueError("no working day in the week")


def weekday_text(day: date, today: date | None = None) -> tuple[str, str]:
    """A day with its weekday name (en, fr): "Sunday 6 Dec", "dimanche 6 déc."."""
    en, fr = day_text(day, today)
    return f"{DAY_NAMES_EN[day.weekday()]} {en}", f"{DAY_NAMES_FR[day.weekday()]} {fr}"


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
