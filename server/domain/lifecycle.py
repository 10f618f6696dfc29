"""The order of things: which lifecycle events may follow which.

Events are recorded as they are typed or scanned, which is not always the order they happened in: a
delivery can arrive at the dock before anybody types the supplier's confirmation. That is *possible*
and only flagged. What cannot have happened (goods received before they were shipped, an order shipped
before it was placed) is refused.
"""
from __future__ import annotations

from datetime import datetime

from .errors import Conflict

# Physical chains: each step happens no earlier than the one before it.
PO_CHAIN = ("need_detected", "ordered", "shipped", "arrived", "received", "put_away")
SO_CHAIN = ("ordered", "picked", "packed", "shipped")
# Paperwork that can be typed any time after the order is placed.
PO_PAPERWORK = {"confirmed": "ordered"}
# Steps that happen once per order; the others may repeat (partial receptions, several picks).
PO_ONCE = {"need_detected", "ordered"}
SO_ONCE = {"ordered"}
# How an order ends before its chain is done (nothing more will come, or the customer withdrew): not a step,
# so no order is checked against it.
ENDINGS = {"closed", "cancelled"}


def _rank(kind: str, chain: tuple[str, ...], paperwork: dict) -> int:
    return chain.index(paperwork.get(kind, kind))


def check_event(kind: str, at: datetime, recorded: list[tuple[str, datetime]], *, purchase: bool = True) -> bool:
    """Refuse an impossible event; return True when it is possible but out of the usual order.

    Steps may repeat (partial deliveries are received and put away twice), so the rule is on first
    occurrences: the first of a step cannot happen before the first of any step the chain puts before it.
    """
    chain, paperwork, once = (PO_CHAIN, PO_PAPERWORK, PO_ONCE) if purchase else (SO_CHAIN, {}, SO_ONCE)
    rank = _rank(kind, chain, paperwork)
    recorded = [(k, when) for k, when in recorded if k not in ENDINGS]
    if kind in once and any(k == kind for k, _ in recorded):
        raise Conflict("event_already_recorded", f"'{kind}' is already recorded for this order.",
                       f"« {kind} » est déjà enregistré pour cette commande.", field="kind")
    first: dict[str, datetime] = {}
    for other, other_at in [*recorded, (kind, at)]:
        first[other] = min(first.get(other, other_at), other_at)
    if kind in paperwork:
        _require_order(kind, paperwork[kind], first)
    else:
        for other, other_at in first.items():
            if other == kind or other in paperwork:
                continue
            other_rank = _rank(other, chain, paperwork)
            if other_rank < rank and other_at > first[kind]:
                _impossible(kind, first[kind], "before", other, other_at)
            if other_rank > rank and other_at < first[kind]:
                _impossible(kind, first[kind], "after", other, other_at)
    # Possible, but recorded after a later step: flag it so lead-time reports can say so.
    return any(_rank(other, chain, paperwork) > rank for other, _ in recorded)


def _require_order(kind: str, needed: str, first: dict[str, datetime]) -> None:
    if needed in first and first[needed] > first[kind]:
        _impossible(kind, first[kind], "before", needed, first[needed])


def _impossible(kind: str, at: datetime, relation: str, other: str, other_at: datetime):
    fr_relation = "précéder" if relation == "before" else "suivre"
    raise Conflict("impossible_sequence",
                   f"'{kind}' at {at:%Y-%m-%d %H:%M} cannot come {relation} '{other}' at {other_at:%Y-%m-%d %H:%M}.",
                   f"« {kind} » le {at:%d/%m/%Y %H:%M} ne peut pas {fr_relation} « {other} » du "
                   f"{other_at:%d/%m/%Y %H:%M}.",
                   field="occurred_at", details={"conflicts_with": other})


def stage_reached(recorded_kinds: set[str], *, purchase: bool = True) -> str | None:
    """The furthest step of the physical chain recorded so far."""
    chain = PO_CHAIN if purchase else SO_CHAIN
    reached = [k for k in chain if k in recorded_kinds]
    return reached[-1] if reached else None
