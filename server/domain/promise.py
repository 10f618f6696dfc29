"""The date to promise a customer (DESIGN §5)."""
from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from .classify import PULL, PUSH
from .days import EVERY_DAY as _EVERY_DAY  # (aliased: policy re-exports this module's public names, not this one)
from .days import day_text, weekday_text, working_day_on_or_after
from .errors import Invalid


@dataclass(frozen=True)
class Promise:
    date: date
    basis: str            # "lead_time" (pull, or push out of stock) | "in_stock" | "next_arrival"
    days: int             # calendar days from the start (today, or the order date) to ``date``
    explanation_en: str
    explanation_fr: str


def promise_date(mode: str, *, today: date, handling_days: float, order_date: date | None = None,
                 in_stock: bool = False, lead_time_p50: float | None = None, lead_time_p90: float | None = None,
                 quantile: str = "p90", next_arrival: date | None = None,
                 working_days: Collection[int] = _EVERY_DAY) -> Promise:
    """The date to promise a customer (DESIGN §5).

    Push item in stock: today + handling time. Push item out of stock with a delivery expected: that
    arrival + handling. Pull item (or push with nothing coming): order date + the supplier's measured lead
    time (p90 by default: nine promises in ten are kept; p50 on request) + handling. Fractions of a day are
    rounded up: a promise is a whole date and must be kept. ``handling_days`` is the internal time measured
    from reception to shipment. A date that is not one of the ``working_days`` (weekdays, Monday 0) moves to the
    next one that is: the warehouse does not ship on a day it is closed. Durations stay in calendar days.
    """
    if mode not in (PUSH, PULL):
        raise Invalid("mode_invalid", "The mode must be push or pull.", "Le mode doit être push ou pull.", field="mode")
    if quantile not in ("p50", "p90"):
        raise Invalid("quantile_invalid", "The lead-time quantile must be p50 or p90.",
                      "Le quantile du délai doit être p50 ou p90.", field="quantile")
    if not (math.isfinite(handling_days) and handling_days >= 0):
        raise Invalid("handling_days_invalid", "The handling time must be zero or more days.",
                      "Le temps de préparation doit être d'au moins zéro jour.", field="handling_days")
    handling_en, handling_fr = _span(handling_days)
    if mode == PUSH and in_stock:
        days = math.ceil(handling_days)
        due = today + timedelta(days=days)
        en, fr = f"In stock: {handling_en} of handling", f"En stock : {handling_fr} de préparation"
        if due.weekday() in working_days:  # (else the day moved to is said instead)
            when_en, when_fr = (f"in {_days(days)}", f"dans {_days(days, 'fr')}") if days else ("today", "aujourd'hui")
            en, fr = f"{en}; promised {when_en}", f"{fr} ; promis {when_fr}"
        return _on_working_day(due, "in_stock", today, today, working_days, f"{en}.", f"{fr}.")
    if mode == PUSH and next_arrival is not None:
        start = max(next_arrival, today)
        days = math.ceil(handling_days)
        day_en, day_fr = day_text(start, today)
        return _on_working_day(start + timedelta(days=days), "next_arrival", today, today, working_days,
                               f"Out of stock, delivery expected {day_en}: + {handling_en} of handling.",
                               f"En rupture, livraison attendue le {day_fr} : + {handling_fr} de préparation.")
    lead = lead_time_p90 if quantile == "p90" else lead_time_p50
    if lead is None or not (math.isfinite(lead) and lead >= 0):
        raise Invalid("lead_time_missing", f"The supplier's {quantile} lead time is needed to promise this item.",
                      f"Le délai {quantile} du fournisseur est nécessaire pour promettre cet article.",
                      field="lead_time")
    start = order_date or today
    days = math.ceil(lead + handling_days)
    lead_en, lead_fr = _span(lead)
    # No purchase order is behind this promise (an order placed would be its next arrival): it holds if the supplier
    # is ordered from on the start day, and says so; an order date in the past is an order placed then.
    day_en, day_fr = day_text(start, today)
    if start == today:
        when_en = f"If ordered from the supplier today ({day_en})"
        when_fr = f"Si commandé au fournisseur aujourd'hui ({day_fr})"
    elif start > today:
        when_en, when_fr = f"If ordered from the supplier on {day_en}", f"Si commandé au fournisseur le {day_fr}"
    else:
        when_en, when_fr = f"Ordered from the supplier on {day_en}", f"Commandé au fournisseur le {day_fr}"
    return _on_working_day(start + timedelta(days=days), "lead_time", start, today, working_days,
                           f"{when_en}: {quantile} lead time {lead_en} + {handling_en} of handling.",
                           f"{when_fr} : délai {quantile} de {lead_fr} + {handling_fr} de préparation.")


def _on_working_day(due: date, basis: str, start: date, today: date, working_days: Collection[int],
                    en: str, fr: str) -> Promise:
    """The promise for ``due``, or for the next working day after it, saying which day was skipped and why."""
    day = working_day_on_or_after(due, working_days)
    if day != due:
        (due_en, due_fr), (day_en, day_fr) = weekday_text(due, today), weekday_text(day, today)
        en += f" {due_en} is not a working day: promised {day_en}."
        # (« 7 déc. » ends the sentence with its own full stop)
        fr += f" Le {due_fr} n'est pas un jour ouvré : promis le {day_fr}" + ("" if day_fr.endswith(".") else ".")
    return Promise(day, basis, (day - start).days, en, fr)


def _span(days: float) -> tuple[str, str]:
    """A measured duration as people say it (en, fr): hours under a day, else days to one decimal; rounded up,
    as the promise is (1.04 days is '1.1 days', never '1 day' under a promise of 2)."""
    hours = math.ceil(days * 24 - 1e-9)
    if hours < 24:
        return f"{hours} h", f"{hours} h"
    text = f"{math.ceil(days * 10 - 1e-9) / 10:.1f}".removesuffix(".0")
    return _days(text), _days(text.replace(".", ","), "fr")


def _days(n, lang: str = "en") -> str:
    one = str(n) in ("1", "0")
    return f"{n} {'jour' if one else 'jours'}" if lang == "fr" else f"{n} {'day' if one else 'days'}"
