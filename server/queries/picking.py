"""The pick list: what to take from which bin, in walking order, first expiry first within a product."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import bindparam, func, select

from server.models import Location, Movement, MovementKind, SalesOrder, StockLevel


_M = Movement.__table__


def _sum_by_line(kind: MovementKind):
    return (select(_M.c.so_line_id, func.sum(_M.c.qty))
            .where(_M.c.so_line_id.in_(bindparam("lines", expanding=True)), _M.c.kind == int(kind))
            .group_by(_M.c.so_line_id))


# Read on every pick scan: built once, on the table.
_PICKED = _sum_by_line(MovementKind.PICK)
_PUT_BACK = _sum_by_line(MovementKind.PUT_BACK)
_SHIPPED = _sum_by_line(MovementKind.SHIPMENT)


def _on_lines(s, statement, line_ids) -> dict[int, Decimal]:
    """One of the sums above (_PICKED, _PUT_BACK, _SHIPPED) for these lines: 0 for a line without any."""
    return defaultdict(Decimal, dict(s.execute(statement, {"lines": list(line_ids)}).all()))


def picked_on_lines(s, line_ids) -> dict[int, Decimal]:
    return _on_lines(s, _PICKED, line_ids)


def picked_by_line(s, order: SalesOrder) -> dict[int, Decimal]:
    return picked_on_lines(s, [ln.id for ln in order.lines])


def put_back_by_line(s, order: SalesOrder) -> dict[int, Decimal]:
    """Picked, then taken back from dispatch to stock when the order was cancelled."""
    return _on_lines(s, _PUT_BACK, [ln.id for ln in order.lines])


def shipped_by_line(s, order: SalesOrder) -> dict[int, Decimal]:
    """Gone to the customer: all of a line's shipments (several when the order shipped in part)."""
    return _on_lines(s, _SHIPPED, [ln.id for ln in order.lines])


def pick_list(s, order: SalesOrder) -> list[dict]:
    picked = picked_by_line(s, order)
    stops = []
    for line in order.lines:
        left = line.qty_ordered - picked[line.id] - line.qty_short
        if left > 0:
            stops += _allocate(s, line, left)
    return sorted(stops, key=lambda stop: (stop["walk_order"] is None, stop["walk_order"] or 0, stop["bin"] or ""))


def _allocate(s, line, left: Decimal) -> list[dict]:
    levels = s.execute(
        select(Location.code, Location.walk_order, StockLevel.lot, StockLevel.expiry, StockLevel.qty)
        .join(Location, Location.id == StockLevel.location_id)
        .where(StockLevel.product_id == line.product_id, StockLevel.qty > 0, Location.kind == "bin")).all()
    levels.sort(key=lambda lv: (lv.expiry or date.max, lv.walk_order, lv.code, lv.lot))
    stops = []
    for level in levels:
        if left <= 0:
            break
        take = min(left, level.qty)
        stops.append(_stop(line, level.code, level.walk_order, level.lot or None, level.expiry, take))
        left -= take
    if left > 0:  # nothing on the shelves for the rest: the picker should know before walking
        stops.append(_stop(line, None, None, None, None, left))
    return stops


def _stop(line, bin_code, walk_order, lot, expiry, qty) -> dict:
    return {"line_id": line.id, "sku": line.product.sku, "name": line.product.name, "bin": bin_code,
            "walk_order": walk_order, "lot": lot, "expiry": expiry, "qty": qty}
