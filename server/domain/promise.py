"""The date to promise a customer (DESIGN §5)."""
from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .classify import PULL, PUSH
from .days import EVERY_DAY as _EVERY_DAY  # (aliased: policy re-exports this module's public names, not this one)
from .days import day_text, weekday_text, working_day_on_or_after
from .errors import Invalid
from .movements import fmt_qty, fr_qty
from .words import en_word, fr_word


@dataclass(frozen=True)
class Promise:
    date: date
    basis: str            # "lead_time" (pull, or push out of stock) | "in_stock" | "next_arrival"
    days: int             # calendar days from the start (today, or the order date) to ``date``
    explanation_en: str
    explanation_fr: str


@dataclass(frozen=True)
class Arrival:
    """What one open purchase order still brings of a product, and the day its supplier promised it (None: none)."""
    order: str
    qty: Decimal
    promised: date | None


@dataclass(frozen=True)
class Incoming:
    """What the open purchase orders bring of what an order line lacks (see ``incoming``)."""
    missing: Decimal                                # what the line lacks beyond what is reserved for it
    coming: Decimal                                 # of it, what the deliveries below bring (at most ``missing``)
    counted: tuple[tuple[Arrival, date], ...]       # the deliveries the line counts on, with their expected days
    ahead: Decimal = Decimal(0)                     # units of these deliveries that go to earlier orders first
    taken: tuple[str, ...] = ()                     # orders whose whole delivery goes to earlier orders

    @property
    def covered(self) -> bool:
        return bool(self.counted) and self.coming >= self.missing


def expected_day(promised: date, today: date, working_days: Collection[int] = _EVERY_DAY) -> date:
    """The day a delivery is expected: the day its supplier promised, or, once that day is past and the goods are not
    in (late), the next working day. Nothing tells when a late delivery will come: the supplier's measured lateness
    is that of the deliveries that did come, mostly on time, so it says little of one already days late. The next
    working day is the earliest it can be counted on without calling it on time; the promise is read afresh each day,
    says the order is late, and moves on while the goods do not come."""
    if promised >= today:
        return promised
    return working_day_on_or_after(today + timedelta(days=1), working_days)


def incoming(missing: Decimal, arrivals: Sequence[Arrival], *, today: date, ahead: Decimal = Decimal(0),
             working_days: Collection[int] = _EVERY_DAY) -> Incoming:
    """Which deliveries bring what an order line lacks: the open purchase orders in the order they are expected, the
    first ``ahead`` units going to the orders placed before it. A purchase order with no promised day is left out:
    nothing says when it comes (the supplier's lead time, counted from today, is then the promise)."""
    dated = sorted(((a, expected_day(a.promised, today, working_days)) for a in arrivals
                    if a.promised is not None and a.qty > 0), key=lambda pair: (pair[1], pair[0].order))
    left_ahead, got, counted, taken = Decimal(ahead), Decimal(0), [], []
    for arrival, day in dated:
        if got >= missing:
            break
        theirs = min(left_ahead, arrival.qty)
        left_ahead -= theirs
        if arrival.qty > theirs:
            counted.append((arrival, day))
            got += arrival.qty - theirs
        else:
            taken.append(arrival.order)
    return Incoming(Decimal(missing), min(got, Decimal(missing)), tuple(counted), Decimal(ahead) - left_ahead,
                    tuple(taken))


def promise_date(mode: str, *, today: date, handling_days: float, order_date: date | None = None,
                 in_stock: bool = False, lead_time_p50: float | None = None, lead_time_p90: float | None = None,
                 quantile: str = "p90", next_arrival: date | None = None, coming: Incoming | None = None,
                 working_days: Collection[int] = _EVERY_DAY) -> Promise:
    """The date to promise a customer (DESIGN §5).

    Push item in stock: today + handling time. Push item out of stock with a delivery expected: that
    arrival + handling. Pull item (or push with nothing coming): order date + the supplier's measured lead
    time (p90 by default: nine promises in ten are kept; p50 on request) + handling. Fractions of a day are
    rounded up: a promise is a whole date and must be kept. ``handling_days`` is the internal time measured
    from reception to shipment. A date that is not one of the ``working_days`` (weekdays, Monday 0) moves to the
    next one that is: the warehouse does not ship on a day it is closed. Durations stay in calendar days.
    ``coming``: what the open purchase orders bring of what is missing (``incoming``). They are the promise only when
    they bring all of it; else the supplier's lead time is, and the explanation says what is on order.
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
    if mode == PUSH and coming is not None and coming.covered:
        several = len(coming.counted) > 1
        texts = [_arrival_text(arrival, day, today) for arrival, day in coming.counted]
        en = f"Out of stock, {'deliveries' if several else 'delivery'} expected " + _listed([t[0] for t in texts])
        fr = f"En rupture, {'livraisons attendues' if several else 'livraison attendue'} " + _listed(
            [t[1] for t in texts], "et")
        return _on_working_day(coming.counted[-1][1] + timedelta(days=math.ceil(handling_days)), "next_arrival",
                               today, today, working_days, f"{en}: + {handling_en} of handling.",
                               f"{fr} : + {handling_fr} de préparation.")
    if mode == PUSH and next_arrival is not None:
        start = expected_day(next_arrival, today, working_days)  # (a late one is not said to come today)
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
    before_en, before_fr = _short_text(coming, today) if coming is not None else ("", "")
    if before_en:  # (« …; the rest, if ordered… »: the sentence goes on in lower case)
        rest_en, rest_fr = ("the rest, ", "le reste, ") if coming.counted else ("", "")
        when_en = f"{before_en}; {rest_en}{when_en[0].lower()}{when_en[1:]}"
        when_fr = f"{before_fr} ; {rest_fr}{when_fr[0].lower()}{when_fr[1:]}"
    return _on_working_day(start + timedelta(days=days), "lead_time", start, today, working_days,
                           f"{when_en}: {quantile} lead time {lead_en} + {handling_en} of handling.",
                           f"{when_fr} : délai {quantile} de {lead_fr} + {handling_fr} de préparation.")


def _arrival_text(arrival: Arrival, day: date, today: date, *, order_first: bool = False) -> tuple[str, str]:
    """One delivery counted on (en, fr): "4 Dec (PO-7)", or when late "29 Nov at the earliest (PO-7 late, was due
    25 Nov)"; ``order_first``: "PO-7, expected 4 Dec", "PO-7 late, was due 25 Nov, expected 29 Nov at the earliest"."""
    day_en, day_fr = day_text(day, today)
    late = arrival.promised is not None and arrival.promised < today
    if late:
        due_en, due_fr = day_text(arrival.promised, today)
        order_en = f"{arrival.order} late, was due {due_en}"
        order_fr = f"{arrival.order} en retard, attendue le {due_fr}"
        day_en, day_fr = f"{day_en} at the earliest", f"au plus tôt le {day_fr}"
    else:
        order_en, order_fr, day_fr = arrival.order, arrival.order, f"le {day_fr}"
    if order_first:
        return f"{order_en}, expected {day_en}", f"{order_fr}, {'espérée' if late else 'attendue'} {day_fr}"
    return f"{day_en} ({order_en})", f"{day_fr} ({order_fr})"


def _short_text(coming: Incoming, today: date) -> tuple[str, str]:
    """What is on order when it does not bring all that is missing (en, fr); nothing when nothing is on order."""
    if coming.counted:
        got, missing = coming.coming, coming.missing
        texts = [_arrival_text(arrival, day, today, order_first=True) for arrival, day in coming.counted]
        en = (f"{fmt_qty(got)} of the {fmt_qty(missing)} missing {en_word(got, 'is', 'are')} on order ("
              + "; ".join(t[0] for t in texts) + ")")
        fr = (f"{fr_qty(got)} des {fr_qty(missing)} {fr_word(missing, 'manquant', 'manquants')} "
              f"{fr_word(got, 'est', 'sont')} en commande (" + " ; ".join(t[1] for t in texts) + ")")
        if coming.ahead > 0:
            en += f", beyond {fmt_qty(coming.ahead)} for earlier orders"
            fr += f", au-delà de {fr_qty(coming.ahead)} pour des commandes antérieures"
        return en, fr
    if coming.taken:
        orders = ", ".join(coming.taken)
        return (f"What is on order ({orders}) goes to earlier orders",
                f"Ce qui est en commande ({orders}) va à des commandes antérieures")
    return "", ""


def _listed(items: list[str], word: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


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
