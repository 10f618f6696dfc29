"""The company's calendar: its time zone (``TENDU_TIMEZONE``) decides which day a moment belongs to and when "today"
starts. The ledger keeps UTC moments; only days are the company's."""
from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from flask import current_app

from server.domain.days import day_start, local_day
from server.models.base import utcnow


@cache
def _zone_named(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone() -> ZoneInfo:
    return _zone_named(current_app.config.get("TENDU_TIMEZONE") or "UTC")


def today() -> date:
    return local_day(utcnow(), zone())


def day_of(moment: datetime) -> date:
    return local_day(moment, zone())


def start_of(day: date) -> datetime:
    """The company's midnight opening ``day``, in UTC."""
    return day_start(day, zone())
