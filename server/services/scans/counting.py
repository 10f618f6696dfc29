"""Cycle counts by bin, transfers between bins, and plain look-ups."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import case, func, or_, select

from server.domain.errors import Conflict, Invalid
from server.domain.movements import check_quantity, fmt_qty, fr_qty
from server.domain.words import en_word, fr_word
from server.models import Movement, MovementKind, StockLevel
from server.models.base import utcnow
from server.queries import lookup as lookups
from server.services import ledger
from server.services.locks import lock_products
from server.services.scans.common import (Outcome, PendingDecision, Scan, applied, brief, context_number, fefo_lot,
                                          levels_at, looked_up, place, scanned_bin, scanned_item, scanned_units,
                                          shelf)


def count(s, scan: Scan, parsed) -> Outcome:
    if parsed.kind == "location":
        where = scanned_bin(s, scan, parsed)
        return looked_up({"bin": where.code}, f"Counting {where.code}: scan each item and enter its count.",
                         f"Inventaire de {where.code} : scannez chaque article et saisissez sa quantité.")
    where = shelf(s, scan)  # a count is of a storage bin, never of the dock or dispatch
    item = scanned_item(s, scan, parsed)
    counted = context_number(scan, "qty", required=True) * item.units
    if counted < 0:
        raise Invalid("quantity_negative", "A count cannot be negative.", "Un comptage ne peut être négatif.",
                      field="context.qty")
    if counted:  # an empty bin counts 0; anything else follows the quantity rules
        check_quantity(counted, field="context.qty", of=item.product)
    lot = item.lot or str(scan.context.get("lot") or "")
    lock_products(s, [item.product.id])
    if not lot:
        lot = _lot_counted(s, item.product, where)
    expected = s.scalar(select(StockLevel.qty).where(StockLevel.product_id == item.product.id,
                                                     StockLevel.location_id == where.id,
                                                     StockLevel.lot == lot)) or Decimal(0)
    variance = counted - expected
    if "variance" in scan.held:
        # Accepted later: what the count found missing or extra then, whatever moved in the bin since (picks made
        # after the count are real; counting against today's level would put them back).
        variance = Decimal(scan.held["variance"])
        counted = expected + variance
    body = {"product": brief(item.product), "bin": where.code, "lot": lot or None, "expected": expected,
            "counted": counted, "variance": variance}
    named = f"{item.product.name} (lot {lot})" if lot else item.product.name
    if variance == 0:
        return applied(body, f"{named}: {fmt_qty(counted)}, as expected.",
                       f"{named} : {fr_qty(counted)}, comme prévu.")
    _hold_large_variance(scan, item.product, expected, variance, _corrected_today(s, item.product.id, where.id, lot))
    ledger.append(s, ledger.MovementRequest(
        stamp=scan.stamp, kind=MovementKind.COUNT, product_id=item.product.id, qty=abs(variance),
        to_location_id=where.id if variance > 0 else None, from_location_id=None if variance > 0 else where.id,
        lot=lot, expiry=item.expiry, reason="cycle count"))
    return applied(body, f"{named}: {fmt_qty(counted)} counted, {fmt_qty(expected)} expected "
                   f"({_signed(fmt_qty, variance)}); stock corrected.",
                   f"{named} : {fr_qty(counted)} {fr_word(counted, 'compté', 'comptés')}, {fr_qty(expected)} "
                   f"{fr_word(expected, 'attendu', 'attendus')} (écart {_signed(fr_qty, variance)}) ; stock corrigé.")


def _signed(written, variance: Decimal) -> str:
    """+2 or −3, with a real minus sign (a hyphen reads as a dash)."""
    return f"+{written(variance)}" if variance > 0 else f"\u2212{written(-variance)}"


def _lot_counted(s, product, where) -> str:
    """The lot a count without one is of: none where the product is not kept by lot here; the bin's only lot where
    it holds one lot and nothing else of the product (the answer names it). Between several lots the count cannot
    say which it found (it would add stock next to the lots, or call an emptied bin 'as expected'): refused."""
    levels = levels_at(s, product.id, where.id)
    lots = sorted(level.lot for level in levels if level.lot)
    if len(lots) == 1 and len(levels) == 1:
        return lots[0]
    if lots:
        raise Conflict("lot_required", f"{product.name} is kept by lot in {where.code} ({', '.join(lots)}): "
                       "count each lot on its own (choose the lot counted, or scan its label).",
                       f"{product.name} est suivi par lot en {where.code} ({', '.join(lots)}) : comptez "
                       "chaque lot à part (choisissez le lot compté, ou scannez son étiquette).",
                       field="context.lot", details={"lots": lots})
    return ""


def _corrected_today(s, product_id: int, location_id: int, lot: str) -> Decimal:
    """What counts have already added (+) or taken (−) at this place in the last day."""
    signed = case((Movement.to_location_id == location_id, Movement.qty), else_=-Movement.qty)
    return s.scalar(select(func.coalesce(func.sum(signed), 0)).where(
        Movement.product_id == product_id, Movement.kind == int(MovementKind.COUNT), Movement.lot == lot,
        or_(Movement.to_location_id == location_id, Movement.from_location_id == location_id),
        Movement.recorded_at >= utcnow() - timedelta(days=1))) or Decimal(0)


def _hold_large_variance(scan: Scan, product, expected: Decimal, variance: Decimal, earlier: Decimal) -> None:
    """Held when this count, with the day's earlier counts at the same place, moves the stock by more than the
    share of what was there before them: ten counts of −10 % each cannot empty a bin without a supervisor."""
    share = Decimal(str(current_app.config["TENDU_COUNT_VARIANCE_SHARE"]))
    if scan.forced or abs(variance + earlier) <= max(Decimal(1), (expected - earlier) * share):
        return
    counted = expected + variance
    raise PendingDecision("count_variance",
                          f"Counted {fmt_qty(counted)} where {fmt_qty(expected)} "
                          f"{en_word(expected, 'was', 'were')} expected ({_signed(fmt_qty, variance)}): "
                          "a supervisor must confirm it.",
                          f"{fr_qty(counted)} {fr_word(counted, 'compté', 'comptés')} pour {fr_qty(expected)} "
                          f"{fr_word(expected, 'attendu', 'attendus')} (écart {_signed(fr_qty, variance)}) : "
                          "un responsable doit le confirmer.",
                          details={"expected": fmt_qty(expected), "variance": fmt_qty(variance)}, product=product)


def transfer(s, scan: Scan, parsed) -> Outcome:
    source = place(s, scan, "from", "Scan the bin to take from first.", "Scannez d'abord l'emplacement d'origine.")
    target = place(s, scan, "to", "Scan the destination bin first.", "Scannez d'abord l'emplacement de destination.")
    item = scanned_item(s, scan, parsed)
    qty = scanned_units(scan, item)
    lot = item.lot or str(scan.context.get("lot") or "") or fefo_lot(s, item.product.id, source.id, qty)
    lock_products(s, [item.product.id])
    ledger.append(s, ledger.MovementRequest(stamp=scan.stamp, kind=MovementKind.TRANSFER, product_id=item.product.id,
                                            qty=qty, from_location_id=source.id, to_location_id=target.id, lot=lot))
    return applied({"product": brief(item.product), "qty": qty, "lot": lot or None, "from": source.code,
                    "to": target.code},
                   f"{fmt_qty(qty)} × {item.product.name} moved from {source.code} to {target.code}.",
                   f"{fr_qty(qty)} × {item.product.name} {fr_word(qty, 'déplacé', 'déplacés')} de {source.code} "
                   f"vers {target.code}.")


def lookup(s, scan: Scan, parsed) -> Outcome:
    found = lookups.resolve(parsed)
    name = (found.get("product") or found.get("location") or found.get("order") or {})
    label = name.get("name") or name.get("number") or parsed.value
    return looked_up(found, str(label), str(label))
