"""At the dock: receive cartons against a purchase order, then put them away into bins."""
from __future__ import annotations

from decimal import Decimal

from flask import current_app

from server.domain.errors import Conflict, Invalid
from server.domain.movements import fmt_qty, fr_qty
from server.domain.words import fr_word
from server.models import PurchaseOrderLine
from server.services import ledger, order_rows, purchasing
from server.services.locks import lock_products
from server.services.order_rows import LineRow, OrderRow
from server.services.scans.common import (Outcome, PendingDecision, Scan, applied, area, brief, context_day, fefo_lot,
                                          levels_at, looked_up, scanned_bin, scanned_item, scanned_units, shelf)



def reception_state(order: OrderRow, received: dict | None = None) -> dict:
    """The running totals the operator watches: ordered and received per line."""
    received = order.done() if received is None else received
    return {"order": {"number": order.number, "status": order.status, "supplier": order.partner},
            "lines": [{"line_id": ln.id, "sku": ln.sku, "name": ln.name, "ordered": ln.qty_ordered,
                       "received": received[ln.id]} for ln in order.lines]}


def _closed(order: OrderRow, *, field: str) -> Conflict:
    return Conflict("order_closed", f"{order.number} is {order.status}: nothing more can be received on it.",
                    f"{order.number} est close : plus rien ne peut y être reçu.", field=field,
                    details={"status": order.status})


def receive(s, scan: Scan, parsed) -> Outcome:
    if parsed.kind == "purchase_order":
        order = order_rows.with_lines(s, order_rows.purchase_order(s, parsed.reference))
        if order.status in purchasing.FINISHED:  # said at the label, not at the first item
            raise _closed(order, field="code")
        arrived = _arrival(s, scan, order)
        note = (" Arrival recorded.", " Arrivée enregistrée.") if arrived else ("", "")
        return looked_up({**reception_state(order), "arrived": arrived},
                         f"Receiving {order.number}: scan the items.{note[0]}",
                         f"Réception de {order.number} : scannez les articles.{note[1]}")
    number = scan.context.get("order")
    if not number:
        raise Invalid("order_required", "Scan the purchase order's label first.",
                      "Scannez d'abord l'étiquette de la commande fournisseur.", field="context.order")
    order = order_rows.purchase_order(s, str(number))
    item = scanned_item(s, scan, parsed)
    if order.status in purchasing.FINISHED and not scan.forced:
        ended = min((at for kind, line, at in order.summary if kind in purchasing.FINISHED), default=None)
        if ended is not None and scan.occurred_at < ended:   # scanned offline before the close, synced after
            raise PendingDecision("received_before_close",
                                  f"{order.number} was {order.status} after this was scanned: a supervisor decides.",
                                  f"{order.number} a été close après ce scan : un responsable décide.",
                                  details={"order": order.number}, product=item.product, qty=scanned_units(scan, item))
        raise _closed(order, field="context.order")
    qty = scanned_units(scan, item)
    expiry = item.expiry or context_day(scan, "expiry")  # the label's, else the one typed (it was dropped)
    lock_products(s, [item.product.id])  # what was received is read under the lock, and kept up to date
    received = order_rows.with_lines(s, order).done()
    line = _line_to_fill(s, scan, order, item.product, qty, received)
    lot = item.lot or str(scan.context.get("lot") or "")
    dock = area(s, scan, "dock", "dock")
    for index, (part_line, part) in enumerate(_spread(order, line, qty, received)):
        stamp = scan.stamp if index == 0 else scan.stamp.derived("line", part_line.id)  # (replays agree)
        purchasing.book_receipt(s, order, part_line, part, dock, stamp, lot=lot, expiry=expiry, locked=True,
                                after_close=scan.forced and order.status in purchasing.FINISHED)
        received[part_line.id] += part
    state = reception_state(order, received)
    mine = [ln for ln in state["lines"] if ln["sku"] == item.product.sku]
    name = item.product.name
    got, ordered = sum(ln['received'] for ln in mine), sum(ln['ordered'] for ln in mine)
    return applied({**state, "product": brief(item.product), "qty": qty, "lot": lot or None, "expiry": expiry,
                    "line_id": line.id},
                   f"{fmt_qty(qty)} × {name} received on {order.number} ({fmt_qty(got)}/{fmt_qty(ordered)}).",
                   f"{fr_qty(qty)} × {name} {fr_word(qty, 'reçu', 'reçus')} sur {order.number} "
                   f"({fr_qty(got)}/{fr_qty(ordered)}).")


def _arrival(s, scan: Scan, order: OrderRow) -> bool:
    """The delivery's arrival at the dock, timed by the first scan of its order's label there: a placed order
    with no arrival and nothing received yet gets its 'arrived' event (the scan's id, so a replay adds nothing).
    Without it, transport and reception cannot be told apart in the measured lead time. An arrival typed before,
    or a label scanned again once receiving has begun, records nothing."""
    kinds = {kind for kind, _, _ in order.summary}
    if "ordered" not in kinds or kinds & {"arrived", "received"}:
        return False
    try:
        purchasing.append_event(s, order, "arrived", scan.stamp)
    except Conflict:       # checked before anything is written: a step typed for later than this scan stands
        return False
    return True


def _spread(order: OrderRow, first: LineRow, qty: Decimal, received: dict) -> list[tuple[LineRow, Decimal]]:
    """The units of one scan over the product's lines from ``first`` on: each filled up to what it ordered, the
    last one taking what is left (a product on two lines of 10 receives its 11th unit on the second)."""
    lines = [ln for ln in order.lines if ln.product_id == first.product_id]
    lines = lines[lines.index(first):] if first in lines else [first]
    parts, left = [], qty
    for ln in lines:
        take = left if ln is lines[-1] else min(left, max(Decimal(0), ln.qty_ordered - received[ln.id]))
        if take > 0:
            parts.append((ln, take))
            left -= take
        if left == 0:
            break
    return parts or [(first, qty)]


def _line_to_fill(s, scan: Scan, order: OrderRow, product, qty: Decimal, received: dict) -> LineRow:
    lines = [ln for ln in order.lines if ln.product_id == product.id]
    if not lines:
        _refuse_mis_scan(scan, order, product, qty, Decimal(0), Decimal(0))   # held or accepted alike
        if not scan.forced:
            raise PendingDecision("unexpected_product",
                                  f"{product.name} is not on {order.number}: set it aside for a supervisor.",
                                  f"{product.name} n'est pas sur {order.number} : mettez-le de côté pour un responsable.",
                                  details={"order": order.number, "sku": product.sku}, product=product, qty=qty)
        s.add(PurchaseOrderLine(order_id=order.id, product_id=product.id, qty_ordered=qty,
                                unit_cost=product.unit_cost))
        s.flush()
        return next(ln for ln in order_rows.with_lines(s, order).lines if ln.product_id == product.id)
    line = next((ln for ln in lines if received[ln.id] < ln.qty_ordered), lines[-1])
    tolerance = Decimal(str(current_app.config["TENDU_OVER_RECEIPT_TOLERANCE"]))
    # Judged on the product's lines together: a product on two lines of 10 is not over-received at 11.
    ordered = sum((ln.qty_ordered for ln in lines), Decimal(0))
    total = sum((received[ln.id] for ln in lines), Decimal(0)) + qty
    _refuse_mis_scan(scan, order, product, qty, ordered, total - qty)   # even held and accepted since
    if total > ordered * (1 + tolerance) and not scan.forced:
        raise PendingDecision("over_receipt",
                              f"That makes {fmt_qty(total)} received for {fmt_qty(ordered)} ordered: "
                              "a supervisor must accept it.",
                              f"Cela fait {fr_qty(total)} reçus pour {fr_qty(ordered)} commandés : "
                              "un responsable doit l'accepter.",
                              details={"ordered": fmt_qty(ordered), "received": fmt_qty(total)},
                              product=product, qty=qty)
    return line


# A receipt this far beyond its order is a mis-scan (a GS1 count misread, a quantity mistyped: 999999 on a line of
# 48), refused rather than held for a supervisor's one-click accept: more than MIS_SCAN_FACTOR × what is left to
# receive of the product on the order *and* more than MIS_SCAN_MARGIN units beyond it, so that a carton more on a
# line (nearly) complete, or a supplier's generous delivery, is still only held for a supervisor.
MIS_SCAN_FACTOR = 10
MIS_SCAN_MARGIN = Decimal(100)


def _refuse_mis_scan(scan: Scan, order: OrderRow, product, qty: Decimal, ordered: Decimal, received: Decimal) -> None:
    left = max(Decimal(0), ordered - received)
    if qty <= MIS_SCAN_FACTOR * left or qty - left <= MIS_SCAN_MARGIN:
        return
    where_en, where_fr = ((f"on {order.number}, where {fmt_qty(left)} are left to receive",
                           f"sur {order.number}, où il en reste {fr_qty(left)} à recevoir") if ordered else
                          (f"not on {order.number}", f"hors de {order.number}"))
    raise Conflict("implausible_quantity",
                   f"{fmt_qty(qty)} × {product.name} {where_en}: this looks like a mis-scan (a count misread or a "
                   "quantity mistyped). Check the label and scan again.",
                   f"{fr_qty(qty)} × {product.name} {where_fr} : cela ressemble à une erreur de lecture (quantité mal "
                   "lue ou mal saisie). Vérifiez l'étiquette et scannez à nouveau.",
                   field="context.qty" if scan.context.get("qty") not in (None, "") else "code",
                   details={"qty": fmt_qty(qty), "left": fmt_qty(left), "ordered": fmt_qty(ordered)})


def put_away(s, scan: Scan, parsed) -> Outcome:
    if parsed.kind == "location":
        where = scanned_bin(s, scan, parsed)
        return looked_up({"bin": where.code}, f"Bin {where.code}: scan the items to put here.",
                         f"Emplacement {where.code} : scannez les articles à y ranger.")
    target = shelf(s, scan)
    source = area(s, scan, "dock", "from")
    item = scanned_item(s, scan, parsed)
    qty = scanned_units(scan, item)
    lock_products(s, [item.product.id])  # the dock's lots are read under the lock, as they are then moved
    lot = item.lot or str(scan.context.get("lot") or "") or _plain_code_lot(s, item.product.id, source.id, qty)
    _credit_lines(s, scan, item.product.id, qty, source, target, lot)
    return applied({"product": brief(item.product), "qty": qty, "lot": lot or None, "bin": target.code},
                   f"{fmt_qty(qty)} × {item.product.name} put away in {target.code}.",
                   f"{fr_qty(qty)} × {item.product.name} {fr_word(qty, 'rangé', 'rangés')} en {target.code}.")


def _plain_code_lot(s, product_id: int, dock_id: int, qty: Decimal) -> str:
    """The lot a code without one takes off the dock: the unlotted units when they are enough (a label without a
    lot is on them, and a lot taken instead would later be missing under its own label), else first expiry first."""
    levels = levels_at(s, product_id, dock_id)
    if any(lv.lot == "" and lv.qty >= qty for lv in levels):
        return ""
    return fefo_lot(s, product_id, dock_id, qty, levels)


def _credit_lines(s, scan: Scan, product_id: int, qty: Decimal, source, target, lot: str) -> None:
    """One movement per PO line the goods came with (oldest first), so each line's put-away time is known."""
    parts, left = [], qty
    for line, waiting in purchasing.awaiting_put_away(s, product_id, lot):
        if left <= 0:
            break
        parts.append((line, min(left, waiting)))
        left -= parts[-1][1]
    if left > 0:
        parts.append((None, left))
    if len(parts) > 1:  # (one movement's own refusal already gives the scan's numbers)
        ledger.require_on_hand(s, product_id, source.id, lot, qty)
    for index, (line, part) in enumerate(parts):
        stamp = scan.stamp if index == 0 else scan.stamp.derived(*(("line", line.id) if line else ("rest",)))
        purchasing.book_put_away(s, line, product_id, part, source, target, stamp, lot=lot)
