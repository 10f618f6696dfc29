"""What every scan handler needs: the scan itself, its outcome, the item a code names, quantities."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import bindparam, select

from server.domain.barcodes import ParseResult
from server.domain.errors import Conflict, DomainError, Invalid, NotFound
from server.domain.movements import check_quantity
from server.models import Barcode, Product, StockLevel
from server.services import master
from server.services.stamp import Stamp


@dataclass
class Scan:
    client_event_id: str
    code: str
    occurred_at: object
    action: str
    context: dict = field(default_factory=dict)
    user_id: int | None = None
    device: str | None = None
    forced: bool = False  # a supervisor accepted what the rules would have held back

    @property
    def stamp(self) -> Stamp:
        return Stamp(self.client_event_id, self.occurred_at, self.user_id, self.device)


@dataclass
class Outcome:
    status: int   # 201 applied, 200 looked up
    body: dict


class PendingDecision(DomainError):
    """Possible, but not to be booked without a supervisor (over-receipt, unexpected item, big variance)."""
    code = "needs_decision"
    status = 202


def say(en: str, fr: str) -> dict:
    return {"en": en, "fr": fr}


def applied(body: dict, en: str, fr: str) -> Outcome:
    return Outcome(201, {"outcome": "applied", **body, "message": say(en, fr)})


def looked_up(body: dict, en: str, fr: str) -> Outcome:
    return Outcome(200, {"outcome": "looked_up", **body, "message": say(en, fr)})


@dataclass
class ItemScan:
    product: object          # a row: id, sku, name, unit, active, unit_cost
    units: Decimal           # units one scan of this code stands for (pack × GS1 count)
    lot: str | None
    expiry: date | None


def item_of(s, parsed: ParseResult) -> ItemScan:
    """The product a code names, with the pack quantity and GS1 count applied."""
    barcode, product = None, None
    if parsed.kind in ("gtin", "gs1") and (parsed.gtin or parsed.content_gtin):
        barcode, product = _barcode(s, parsed.gtin or parsed.content_gtin)
    elif parsed.kind == "text":
        barcode, product = _barcode(s, parsed.value)
    elif parsed.kind == "product_ref":
        product = s.execute(_PRODUCT_BY_SKU, {"sku": parsed.reference}).first()
    else:
        raise Conflict("not_an_item", f"This is a {parsed.kind.replace('_', ' ')} label, not an item: scan the item.",
                       f"Ceci est une étiquette ({parsed.kind}), pas un article : scannez l'article.", field="code")
    if product is None:
        raise NotFound("unknown_code", f"{parsed.value} is not known here: ask a supervisor to link it.",
                       f"{parsed.value} n'est pas connu ici : demandez à un responsable de l'associer.",
                       field="code", details={"parse": parsed.to_dict()})
    if not product.active:
        raise Conflict("inactive_product", f"{product.sku} is no longer active.", f"{product.sku} n'est plus actif.",
                       field="code")
    count = Decimal(parsed.count or parsed.content_count or 1)
    pack = barcode.pack_qty if barcode is not None else Decimal(1)
    return ItemScan(product, pack * count, parsed.lot, parsed.expiry)


# Every item scan resolves its code: Core statements built once, rows rather than ORM objects.
_B, _P = Barcode.__table__, Product.__table__
_ITEM_COLUMNS = (_P.c.id, _P.c.sku, _P.c.name, _P.c.unit, _P.c.active, _P.c.unit_cost)
_PRODUCT_BY_SKU = select(*_ITEM_COLUMNS).where(_P.c.sku == bindparam("sku"))
_PRODUCT_BY_CODE = (select(_B.c.pack_qty, *_ITEM_COLUMNS).select_from(_B.join(_P, _P.c.id == _B.c.product_id))
                    .where(_B.c.code == bindparam("code")))


def _barcode(s, code: str):
    """(the barcode's pack quantity holder, the product) in one query; (None, None) for an unknown code."""
    row = s.execute(_PRODUCT_BY_CODE, {"code": code}).first()
    return (row, row) if row else (None, None)


def context_number(scan: Scan, key: str, *, required: bool = False, default=None) -> Decimal | None:
    raw = scan.context.get(key)
    if raw is None or raw == "":
        if required:
            raise Invalid(f"{key}_required", f"Enter the {key} first.", f"Saisissez d'abord la quantité ({key}).",
                          field=f"context.{key}")
        return default
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        raise Invalid("invalid_quantity", f"{raw!r} is not a number.", f"{raw!r} n'est pas un nombre.",
                      field=f"context.{key}") from None


def scanned_units(scan: Scan, item: ItemScan) -> Decimal:
    """How many units this scan moves: what the code stands for, times the typed multiplier if any."""
    return check_quantity(item.units * context_number(scan, "qty", default=Decimal(1)), field="context.qty")


def place(s, scan: Scan, key: str, en_hint: str, fr_hint: str):
    """The location the context names (a row: id, code, kind, name)."""
    code = scan.context.get(key)
    if not code:
        raise Invalid(f"{key}_required", en_hint, fr_hint, field=f"context.{key}")
    return master.place(s, str(code))


def levels_at(s, product_id: int, location_id: int) -> list:
    """The product's non-empty stock levels (lot, qty, expiry) at one location."""
    return s.execute(select(StockLevel.lot, StockLevel.qty, StockLevel.expiry)
                     .where(StockLevel.product_id == product_id, StockLevel.location_id == location_id,
                            StockLevel.qty > 0)).all()


def fefo_lot(s, product_id: int, location_id: int, qty: Decimal, levels: list | None = None) -> str:
    """The lot to take: first expiry first, among lots that hold enough; '' when the product has no lots."""
    if levels is None:
        levels = levels_at(s, product_id, location_id)
    enough = sorted((lv for lv in levels if lv.qty >= qty),
                    key=lambda lv: (lv.expiry is None, lv.expiry or date.max, lv.lot))
    if enough:
        return enough[0].lot
    return levels[0].lot if len(levels) == 1 else ""


def brief(product: Product) -> dict:
    return {"sku": product.sku, "name": product.name, "unit": product.unit}
