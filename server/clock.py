"""The company's calendar: its time zone (``TENDU_TIMEZONE``) decides which day a moment belongs to and when "today"
starts; its working days (``TENDU_WORKING_DAYS``) which days it can promise. The ledger keeps UTC moments; only days
are the company's."""
from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from flask import current_app

from server.domain.days import day_start, local_day, parse_working_days
from server.models.base import utcnow


@cache
def _zone_named(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone() -> ZoneInfo:
    return _zone_named(current_app.config.get("TENDU_TIMEZONE") or "UTC")


@cache
def _working_days_in(text: str) -> frozenset[int]:
    return parse_working_days(text)


def working_days() -> frozenset[int]:
    """The company's working weekdays (Monday 0)."""
    return _working_days_in(current_app.config.get("TENDU_WORKING_DAYS") or "mon-fri")


def today() -> date:
    return local_day(utcnow(), zone())


def day_of(moment: datetime) -> date:
    return local_day(moment, zone())


def start_of(day: date) -> datetime:
    """The company's midnight opening ``day``, in UTC."""
    return day_start(day, zone())
