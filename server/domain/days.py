"""The days and times a warehouse can mean: from 2000-01-01 to 2099-12-31, whichever way they come in (a JSON body,
a scan's typed expiry, a CSV cell). Outside them a value is a typo or a device whose clock was reset, and the extreme
ones (year 1 at +14:00) cannot even be converted to UTC."""
from __future__ import annotations

from datetime import date, datetime, timezone

EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)   # included
LATEST = datetime(2100, 1, 1, tzinfo=timezone.utc)     # excluded
FIRST_DAY, LAST_DAY = EARLIEST.date(), date(2099, 12, 31)
OUT_OF_RANGE_EN = "Between 2000-01-01 and 2099-12-31."
OUT_OF_RANGE_FR = "Entre le 01/01/2000 et le 31/12/2099."


def day_in_range(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY
