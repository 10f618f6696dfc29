"""On the shelves and at dispatch: pick an order bin by bin, then ship it by its label."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from server.domain.errors import Conflict, Invalid
from server.domain.movements import fmt_qty, fr_qty
from server.domain.words import en_word, fr_word
from server.models import Location, SalesOrder, ScanEvent, StockLevel
from server.queries.picking import pick_list
from server.services import order_rows, sales
from server.services.locks import lock_products, order_status_locked
from server.services.scans.common import (Outcome, PendingDecision, Scan, applied, area, brief, fefo_lot,
                                          first_expiry_first, levels_at, looked_up, scanned_bin, scanned_item,
                                          scanned_units, shelf)


def _order(s, scan: Scan, parsed, *, rows: bool = False):
    """The order the label or the context names, refused when it is shipped or cancelled: as an ORM object
    (a label, shipping) or, for a pick, as rows (order_rows)."""
    number = parsed.reference if parsed.kind == "sales_order" else scan.context.get("order")
    if not number:
        raise Invalid("order_required", "Scan the order's label first.", "Scannez d'abord l'étiquette de la commande.",
                      field="context.order")
    order = order_rows.sales_order(s, str(number)) if rows else sales.get_order(str(number), s)
    # picks and the shipment take turns; an ORM order's lines are read again under the lock (a shipment counts them)
    locked = order_status_locked(s, SalesOrder, order.id) if rows else sales.lock_with_lines(s, order)
    sales.refuse_if_ended(order, locked, field="context.order")
    return order


def pick(s, scan: Scan, parsed) -> Outcome:
    if parsed.kind == "sales_order":
        order = _order(s, scan, parsed)
        return looked_up({"order": order.number, "lines": pick_list(s, order)},
                         f"Picking {order.number}: go to the first bin.",
                         f"Préparation de {order.number} : allez au premier emplacement.")
    if parsed.kind == "location":
        where = scanned_bin(s, scan, parsed)
        return looked_up({"bin": where.code}, f"Bin {where.code}: scan the item.",
                         f"Emplacement {where.code} : scannez l'article.")
    order = _order(s, scan, parsed, rows=True)
    source = shelf(s, scan)
    item = scanned_item(s, scan, parsed)
    lock_products(s, [item.product.id])  # what was picked is read under the lock, and kept up to date
    now_picked = order_rows.with_lines(s, order).done()
    line = sales.line_for_product(order, item.product.id, now_picked)
    qty = scanned_units(scan, item)
    sales.check_left_to_pick(line, qty, now_picked)  # before the bin: a line done is no reason to look elsewhere
    levels = _levels_in_bin(s, item.product, source)
    named = item.lot or str(scan.context.get("lot") or "")
    parts = [(named, qty)] if named or qty > sales.to_pick(line, now_picked) else _lots_to_take(s, item, source,
                                                                                                 qty, levels)
    dispatch = area(s, scan, "dispatch", "dispatch")
    if len(parts) > 1:     # judged whole, so a refusal tells what the order may take, not what its last part may
        sales.check_not_reserved_for_others(s, line, qty)
    for i, (lot, part) in enumerate(parts):
        stamp = scan.stamp if i == 0 else scan.stamp.derived(line.id, lot)
        sales.book_pick(s, order, line, part, source, dispatch, stamp, lot=lot, picked=now_picked)
        now_picked[line.id] += part
    picked, left = now_picked[line.id], sales.to_pick(line, now_picked)
    lots = ["" if len(parts) == 1 else " — " + ", ".join(f"{lot} × {say(part)}" for lot, part in parts)
            for say in (fmt_qty, fr_qty)]
    return applied({"order": order.number, "product": brief(item.product), "qty": qty, "lot": parts[0][0] or None,
                    "lots": [{"lot": lot or None, "qty": part} for lot, part in parts],
                    "line": {"line_id": line.id, "ordered": line.qty_ordered, "picked": picked, "left": left}},
                   f"{fmt_qty(qty)} × {item.product.name} picked ({fmt_qty(picked)}/{fmt_qty(line.qty_ordered)})"
                   f"{lots[0]}.",
                   f"{fr_qty(qty)} × {item.product.name} {fr_word(qty, 'prélevé', 'prélevés')} "
                   f"({fr_qty(picked)}/{fr_qty(line.qty_ordered)}){lots[1]}.")


def _refuse_if_already_held(s, number: str) -> None:
    """One shipment of an order waits for a supervisor at a time: a second scan of its label (the order still listed
    to ship) would be a second card, whose decision then fails once the first has shipped everything."""
    held = s.scalars(select(ScanEvent.response).where(ScanEvent.outcome == "pending", ScanEvent.action == "ship",
                                                      ScanEvent.error_code == "not_all_picked"))
    if any(((answer or {}).get("error") or {}).get("details", {}).get("order") == number for answer in held):
        raise Conflict("shipment_waiting", f"{number}: its shipment already waits for a supervisor's decision.",
                       f"{number} : son expédition attend déjà la décision d'un responsable.", field="code",
                       details={"order": number})


def _lots_to_take(s, item, source: Location, qty: Decimal, levels: list) -> list[tuple[str, Decimal]]:
    """A plain barcode says nothing of the lot: one lot if one holds the quantity (first expiry first among
    them), else first expiry first across the bin's lots (a carton of 12 from lots of 8 and 6 is 8 + 4)."""
    if len(levels) < 2 or any(lv.qty >= qty for lv in levels) or sum(lv.qty for lv in levels) < qty:
        return [(fefo_lot(s, item.product.id, source.id, qty, levels), qty)]
    parts, left = [], qty
    for level in sorted(levels, key=first_expiry_first):
        take = min(left, level.qty)
        parts.append((level.lot, take))
        left -= take
        if left <= 0:
            break
    return parts


def _levels_in_bin(s, product, source: Location) -> list:
    """The product's stock levels in the scanned bin; refused when there is none."""
    levels = levels_at(s, product.id, source.id)
    if levels:
        return levels
    elsewhere = s.scalars(select(Location.code).join(StockLevel, StockLevel.location_id == Location.id)
                          .where(StockLevel.product_id == product.id, StockLevel.qty > 0, Location.kind == "bin")
                          .group_by(Location.id, Location.code).order_by(func.min(Location.walk_order))
                          .limit(3)).all()  # (a bin once, however many lots it holds)
    where_en = f" It is in {', '.join(elsewhere)}." if elsewhere else " There is none in stock."
    where_fr = f" Il se trouve en {', '.join(elsewhere)}." if elsewhere else " Il n'y en a plus en stock."
    raise Conflict("not_in_bin", f"{product.name} is not in {source.code}.{where_en}",
                   f"{product.name} n'est pas en {source.code}.{where_fr}", field="context.bin",
                   details={"bin": source.code, "found_in": elsewhere})


def ship(s, scan: Scan, parsed) -> Outcome:
    if parsed.kind != "sales_order":
        raise Conflict("scan_order_label", "To ship, scan the order's label.",
                       "Pour expédier, scannez l'étiquette de la commande.", field="code")
    order = _order(s, scan, parsed)
    left = sales.left_to_pick(s, order)
    # A shipment leaving lines behind is a supervisor's call: the rest kept for later (a back-order) or recorded
    # short. (Nothing picked at all is refused by book_ship: there is nothing to ship.)
    if left and not scan.forced and sales.picked_not_shipped(s, order):
        _refuse_if_already_held(s, order.number)
        en, fr, details = sales.not_all_picked(
            order, left, "A supervisor must confirm shipping without them (kept for later, or recorded short).",
            "Un responsable doit confirmer l'expédition sans eux (gardés en reliquat, ou déclarés manquants).")
        raise PendingDecision("not_all_picked", en, fr, details=details)
    back_order = bool(left) and scan.rest == "back_order"
    shipping = sales.picked_not_shipped(s, order)
    sales.book_ship(s, order, area(s, scan, "dispatch", "dispatch"), scan.stamp, back_order=back_order,
                    short_rest="shipped without them: a supervisor's decision" if left else None)
    shipped = sum(shipping.values(), Decimal(0))
    rest = sum((qty for _, qty in left), Decimal(0))
    if not left:
        tail = (").", ").")
    elif back_order:
        tail = (f", {fmt_qty(rest)} kept on back-order).", f", {fr_qty(rest)} en reliquat).")
    else:
        tail = (f", {fmt_qty(rest)} short).", f", {fr_qty(rest)} {fr_word(rest, 'manquant', 'manquants')}).")
    return applied({"order": order.number, "status": order.status, "units": shipped, "back_order": rest if back_order
                    else Decimal(0)},
                   f"{order.number} shipped ({fmt_qty(shipped)} {en_word(shipped, 'unit', 'units')}{tail[0]}",
                   f"{order.number} expédiée ({fr_qty(shipped)} {fr_word(shipped, 'unité', 'unités')}{tail[1]}")
