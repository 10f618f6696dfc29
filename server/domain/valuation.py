"""Stock valuation at weighted average cost, and stock health figures (DESIGN §5).

Perpetual WAC: every inflow re-averages the unit cost, every outflow leaves at the current average.
  inflow q at cost c:  WAC ← (Q·WAC + q·c) / (Q + q);  Q ← Q + q
  outflow q:           COGS += q·WAC;  Q ← Q − q       (WAC unchanged)
Value = Q·WAC after every movement (recomputed, not accumulated, so rounding never drifts).
Negative stock (an outflow recorded before its receipt, e.g. an offline scan) is allowed: the next inflow
then sets WAC to its own cost, since the units already gone are settled at that price.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Sequence

import numpy as np

from .errors import Invalid


# -------------------------------------------------------------------------------------------- WAC
@dataclass(frozen=True)
class Movement:
    qty: float                          # signed: + into stock, − out of stock
    unit_cost: float | None = None      # inflows; None = at the current WAC (e.g. a customer return)
    at: date | datetime | None = None


@dataclass(frozen=True)
class ValuationState:
    qty: float
    wac: float | None                   # None until a cost is known
    value: float
    cogs: float                         # cumulative cost of the units that went out
    at: date | datetime | None = None


EMPTY = ValuationState(0.0, None, 0.0, 0.0)


def _check_movement(m: Movement, index: int) -> None:
    if not (math.isfinite(m.qty) and m.qty != 0):
        raise Invalid("movement_qty_invalid", f"Movement {index}: the quantity must be a non-zero number.",
                      f"Mouvement {index} : la quantité doit être un nombre non nul.", field="qty")
    if m.unit_cost is not None and not (math.isfinite(m.unit_cost) and m.unit_cost >= 0):
        raise Invalid("unit_cost_invalid", f"Movement {index}: the unit cost must be zero or more.",
                      f"Mouvement {index} : le coût unitaire doit être positif ou nul.", field="unit_cost")


def apply_movement(state: ValuationState, m: Movement, index: int = 0) -> ValuationState:
    """The state after one movement."""
    _check_movement(m, index)
    qty, wac, cogs = state.qty, state.wac, state.cogs
    if m.qty > 0:
        cost = m.unit_cost if m.unit_cost is not None else wac
        if cost is None:
            raise Invalid("unit_cost_unknown", f"Movement {index}: an inflow needs a unit cost while none is known.",
                          f"Mouvement {index} : une entrée a besoin d'un coût unitaire tant qu'aucun n'est connu.",
                          field="unit_cost")
        wac = cost if qty <= 0 or wac is None else (qty * wac + m.qty * cost) / (qty + m.qty)
        qty += m.qty
    else:
        cogs += -m.qty * (wac or 0.0)
        qty += m.qty
    return ValuationState(qty, wac, qty * wac if wac is not None else 0.0, cogs, m.at)


def _in_time_order(movements: Sequence[Movement]) -> list[Movement]:
    timed = [m.at is not None for m in movements]
    if any(timed) and not all(timed):
        raise Invalid("movement_time_missing", "Either every movement has a time or none has.",
                      "Soit tous les mouvements ont une heure, soit aucun.", field="at")
    return sorted(movements, key=lambda m: m.at) if all(timed) and movements else list(movements)


def fold_wac(movements: Iterable[Movement]) -> list[ValuationState]:
    """Running state after each movement (sorted by time when times are given; ties keep their order)."""
    state, out = EMPTY, []
    for i, m in enumerate(_in_time_order(list(movements))):
        state = apply_movement(state, m, i)
        out.append(state)
    return out


def value_at(movements: Iterable[Movement], when) -> ValuationState:
    """The state after every movement at or before ``when`` (movements need times)."""
    moves = list(movements)
    if any(m.at is None for m in moves):
        raise Invalid("movement_time_missing", "Valuing at a date needs the time of every movement.",
                      "Valoriser à une date demande l'heure de chaque mouvement.", field="at")
    past = [m for m in moves if m.at <= when]
    states = fold_wac(past)
    return states[-1] if states else EMPTY


def wac_arrays(qty, unit_cost) -> dict[str, np.ndarray]:
    """``fold_wac`` on arrays (NaN cost = at current WAC): running qty, wac (NaN until known), value, cogs."""
    qty = np.asarray(qty, dtype=float)
    cost = np.broadcast_to(np.asarray(unit_cost, dtype=float), qty.shape)
    out = {name: np.empty(qty.shape) for name in ("qty", "wac", "value", "cogs")}
    state = EMPTY
    for i, (q, c) in enumerate(zip(qty.tolist(), cost.tolist())):
        state = apply_movement(state, Movement(q, None if math.isnan(c) else c), i)
        out["qty"][i], out["value"][i], out["cogs"][i] = state.qty, state.value, state.cogs
        out["wac"][i] = np.nan if state.wac is None else state.wac
    return out


# --------------------------------------------------------------------------------- stock health
def _scalar_or_array(x: np.ndarray):
    return float(x) if np.ndim(x) == 0 else x


def turnover(cogs, average_stock_value):
    """Stock turns over a period: COGS / average stock value (NaN where there was no stock)."""
    cogs, avg = np.asarray(cogs, dtype=float), np.asarray(average_stock_value, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _scalar_or_array(np.where(avg > 0, cogs / np.where(avg > 0, avg, 1.0), np.nan))


def average_stock_value(daily_values):
    """Mean of a daily stock value series (last axis = days)."""
    return _scalar_or_array(np.asarray(daily_values, dtype=float).mean(axis=-1))


def coverage_days(on_hand, daily_usage):
    """Days of cover: on hand / average daily usage; 0 without stock, inf with stock and no usage."""
    q, u = np.broadcast_arrays(np.asarray(on_hand, dtype=float), np.asarray(daily_usage, dtype=float))
    if np.any(u < 0):
        raise Invalid("usage_negative", "Daily usage cannot be negative.", "La consommation ne peut être négative.",
                      field="daily_usage")
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(q <= 0, 0.0, np.where(u > 0, q / np.where(u > 0, u, 1.0), np.inf))
    return _scalar_or_array(cover)


def days_since(last_dates, as_of) -> np.ndarray:
    """Whole days from each date (datetime64 or date; NaT/None = never) to ``as_of``; NaN for never."""
    last = np.asarray([np.datetime64("NaT") if d is None else d for d in np.atleast_1d(last_dates)],
                      dtype="datetime64[D]")
    delta = (np.datetime64(as_of, "D") - last).astype("timedelta64[D]")
    out = delta.astype(float)
    out[np.isnat(delta)] = np.nan
    return out


def dormant(days_since_last_outflow, on_hand, threshold_days: float):
    """Stock on hand that has not moved out for at least ``threshold_days`` (or never): True/False."""
    d, q = np.broadcast_arrays(np.asarray(days_since_last_outflow, dtype=float), np.asarray(on_hand, dtype=float))
    mask = (q > 0) & (np.isnan(d) | (d >= threshold_days))
    return bool(mask) if mask.ndim == 0 else mask


@dataclass(frozen=True)
class StockoutSummary:
    count: int                        # runs of consecutive days with nothing on hand
    durations: tuple[int, ...]        # length of each run, in days, in order
    total_days: int
    longest: int
    mean_duration: float | None
    open_at_end: bool                 # the last run is still going: its duration is a lower bound


def _runs(out: np.ndarray):
    """Starts and ends (exclusive) of True runs along the last axis."""
    padded = np.concatenate([np.zeros(out.shape[:-1] + (1,), bool), out, np.zeros(out.shape[:-1] + (1,), bool)],
                            axis=-1)
    change = np.diff(padded.astype(np.int8), axis=-1)
    return change == 1, change == -1


def stockouts(daily_on_hand, stocked_from: int | None = 0) -> StockoutSummary:
    """Stock-outs of one reference from its end-of-day on-hand series (≤ 0 counts as out), from the day it was first
    stocked (``stocked_from``, an index into the series; None: never stocked). A reference not stocked yet has not run
    out: a product created today, or waiting for its first delivery, is not a year or a week of stock-outs."""
    out = np.asarray(daily_on_hand, dtype=float) <= 0
    if out.ndim != 1:
        raise Invalid("series_not_1d", "One daily series is expected; use stockout_counts for many.",
                      "Une seule série journalière est attendue ; stockout_counts en traite plusieurs.")
    out = out[len(out):] if stocked_from is None else out[max(0, stocked_from):]
    starts, ends = _runs(out)
    durations = tuple(int(d) for d in np.flatnonzero(ends) - np.flatnonzero(starts))
    return StockoutSummary(len(durations), durations, sum(durations), max(durations, default=0),
                           sum(durations) / len(durations) if durations else None,
                           bool(out.size and out[-1]))


def stockout_counts(daily_on_hand) -> dict[str, np.ndarray]:
    """Vectorised for (references, days): count, total_days, longest run and open_at_end per reference."""
    out = np.atleast_2d(np.asarray(daily_on_hand, dtype=float) <= 0)
    starts, _ = _runs(out)
    count = starts.sum(axis=-1)
    # Length of the run ending at each day: cumulative count reset at every in-stock day.
    idx = np.arange(out.shape[-1])
    last_reset = np.maximum.accumulate(np.where(out, -1, idx), axis=-1)
    run_length = np.where(out, idx - last_reset, 0)
    return {"count": count, "total_days": out.sum(axis=-1), "longest": run_length.max(axis=-1, initial=0),
            "open_at_end": out[..., -1] if out.shape[-1] else np.zeros(out.shape[0], bool)}
