"""What every scan handler needs: the scan itself, its outcome, the item a code names, quantities."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from server.domain.barcodes import ParseResult
from server.domain.errors import Conflict, DomainError, Invalid, NotFound
from server.domain.movements import check_quantity
from server.models import StockLevel
from server.queries.lookup import PRODUCT_BY_CODE, PRODUCT_BY_SKU
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
    product: object          # a row (queries.lookup.PRODUCT_BY_CODE): pack_qty, id, sku, name, unit, active, …
    units: Decimal           # units one scan of this code stands for (pack × GS1 count)
    lot: str | None
    expiry: date | None


def item_of(s, parsed: ParseResult) -> ItemScan:
    """The product a code names, with the pack quantity and GS1 count applied."""
    if parsed.kind in ("gtin", "gs1") and (parsed.gtin or parsed.content_gtin):
        product = s.execute(PRODUCT_BY_CODE, {"code": parsed.gtin or parsed.content_gtin}).first()
    elif parsed.kind == "text":
        product = s.execute(PRODUCT_BY_CODE, {"code": parsed.value}).first()
    elif parsed.kind == "product_ref":
        product = s.execute(PRODUCT_BY_SKU, {"sku": parsed.reference}).first()
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
    return ItemScan(product, Decimal(product.pack_qty) * count, parsed.lot, parsed.expiry)


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


def brief(product) -> dict:
    return {"sku": product.sku, "name": product.name, "unit": product.unit}
