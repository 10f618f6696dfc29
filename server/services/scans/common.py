"""What every scan handler needs: the scan itself, its outcome, the item a code names, quantities."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import bindparam, select

from server.domain.barcodes import ParseResult, scanned_text
from server.domain.barcodes.gtin import as_printed
from server.domain.days import day_in_range
from server.domain.errors import Conflict, DomainError, Invalid, NotFound
from server.domain.movements import check_number, check_quantity
from server.models import StockLevel
from server.queries.lookup import PRODUCT_BY_CODE, product_by_sku
from server.services import master, sales
from server.services.stamp import Stamp


class Ready:
    """What a scan names that the write lock need not cover, read before taking it: the item and the places.

    On SQLite every write waits for the one write lock, so what is read while holding it costs every device
    in the warehouse. Products and locations change rarely: read a moment before the lock, they are what the
    same scan sent a moment earlier would have found. A refusal is kept and raised where the handler asks for
    the value, so the operator still gets the first error in the usual order (the order's, then the item's).
    """

    def __init__(self):
        self._got: dict = {}

    def read(self, key, load) -> None:
        try:
            self._got[key] = load()
        except DomainError as refusal:
            self._got[key] = refusal

    def put(self, key, value) -> None:
        """What was read already for ``key`` (by another way)."""
        self._got[key] = value

    def refusal(self, key) -> DomainError | None:
        """The refusal read before the lock for ``key``, if that is what was read."""
        got = self._got.get(key)
        return got if isinstance(got, DomainError) else None

    def get(self, key, load):
        """The value read before the lock, or ``load()`` now if there was none."""
        if key not in self._got:
            return load()
        got = self._got.pop(key)
        if isinstance(got, DomainError):
            raise got
        return got


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
    held: dict = field(default_factory=dict)  # what the scan was held with (a count's variance at the time)
    rest: str = "short"  # a shipment accepted with lines not picked: what they become ("short" or "back_order")
    ready: Ready = field(default_factory=Ready, repr=False, compare=False)

    @property
    def stamp(self) -> Stamp:
        return Stamp(self.client_event_id, self.occurred_at, self.user_id, self.device)


@dataclass
class Outcome:
    status: int   # 201 applied, 200 looked up
    body: dict


class PendingDecision(DomainError):
    """Possible, but not to be booked without a supervisor (over-receipt, unexpected item, big variance).
    ``shown``: what the operator's screen shows of the scan held (the product and the quantity)."""
    code = "needs_decision"
    status = 202

    def __init__(self, code: str, en: str, fr: str, *, product=None, qty=None, details: dict | None = None):
        super().__init__(code, en, fr, details=details)
        self.shown = {"product": brief(product)} if product is not None else {}
        if qty is not None:
            self.shown["qty"] = qty


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


def scanned_item(s, scan: Scan, parsed: ParseResult) -> ItemScan:
    """The item the scan names (read before the lock when it could be, see Ready)."""
    return scan.ready.get("item", lambda: item_of(s, parsed, skus=reads_skus(scan)))


def _unknown(parsed: ParseResult) -> NotFound:
    """An item code nobody linked: shown as printed (an EAN-8, UPC-A or EAN-13, not its 14-digit form); free text
    may be a supplier's own code worth linking, or a mis-scan."""
    if parsed.kind != "text":
        shown = as_printed(parsed.value) if parsed.kind == "gtin" else parsed.value
        en, fr = (f"{shown} is not known here: ask a supervisor to link it.",
                  f"{shown} n'est pas connu ici : demandez à un responsable de l'associer.")
    else:
        en, fr = (f"“{parsed.value}” is no code known here: if it is printed on the item, ask a supervisor to link "
                  "it; otherwise scan the item's barcode.",
                  f"« {parsed.value} » n'est pas un code connu ici : s'il est imprimé sur l'article, demandez à un "
                  "responsable de l'associer ; sinon scannez le code-barres de l'article.")
    return NotFound("unknown_code", en, fr, field="code", details={"parse": parsed.to_dict()})


def reads_skus(scan: Scan) -> bool:
    """A SKU typed where a label would not scan names its product when picking or receiving against an order: the
    product must then be on that order (a pick of another is refused, a receipt of another held for a supervisor), so
    a typo cannot book the wrong item in silence. Elsewhere (a put-away, a count) nothing would catch it."""
    return scan.action in ("pick", "receive") and bool(scan.context.get("order"))


def item_of(s, parsed: ParseResult, *, skus: bool = False) -> ItemScan:
    """The product a code names, with the pack quantity and GS1 count applied; with ``skus``, free text may also be
    a product's SKU (``reads_skus``)."""
    if parsed.kind in ("gtin", "gs1") and (parsed.gtin or parsed.content_gtin):
        product = s.execute(PRODUCT_BY_CODE, {"code": parsed.gtin or parsed.content_gtin}).first()
        if product is None and parsed.kind == "gtin":
            product = _linked_as_text(s, parsed)
    elif parsed.kind == "text":
        product = s.execute(PRODUCT_BY_CODE, {"code": parsed.value}).first() or (
            product_by_sku(s, parsed.value) if skus else None)
    elif parsed.kind == "product_ref":
        product = product_by_sku(s, parsed.reference)
    else:
        raise Conflict("not_an_item", f"This is a {parsed.kind.replace('_', ' ')} label, not an item: scan the item.",
                       f"Ceci est une étiquette ({parsed.kind}), pas un article : scannez l'article.", field="code")
    if product is None:
        raise _unknown(parsed)
    if not product.active:
        raise Conflict("inactive_product", f"{product.sku} is no longer active.", f"{product.sku} n'est plus actif.",
                       field="code")
    count = Decimal(parsed.count or parsed.content_count or 1)
    # A best-before date (AI 15) is the only date on many food and chemical labels: it orders the lots too.
    return ItemScan(product, Decimal(product.pack_qty) * count, parsed.lot, parsed.expiry or parsed.best_before)


def _linked_as_text(s, parsed: ParseResult):
    """A GTIN no product has may be a company's own code with a right check digit by chance (1 in 10), linked as
    the digits scanned: the product row, or None."""
    text = scanned_text(parsed)
    if not text or text == parsed.gtin:
        return None
    return s.execute(PRODUCT_BY_CODE, {"code": text}).first()


def context_number(scan: Scan, key: str, *, required: bool = False, default=None) -> Decimal | None:
    raw = scan.context.get(key)
    if raw is None or raw == "":
        if required:
            raise Invalid(f"{key}_required", f"Enter the {key} first.", f"Saisissez d'abord la quantité ({key}).",
                          field=f"context.{key}")
        return default
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise Invalid("invalid_quantity", f"{str(raw)[:40]!r} is not a number.",
                      f"{str(raw)[:40]!r} n'est pas un nombre.", field=f"context.{key}") from None
    return check_number(value, field=f"context.{key}")  # before the arithmetic that follows


def context_day(scan: Scan, key: str) -> date | None:
    """A day typed on the device (an expiry where the label carries none), as YYYY-MM-DD."""
    raw = scan.context.get(key)
    if raw is None or raw == "":
        return None
    try:
        day = date.fromisoformat(str(raw))
    except ValueError:
        day = None
    if day is None or not day_in_range(day):
        raise Invalid(f"invalid_{key}", f"{str(raw)[:40]!r} is not a day (YYYY-MM-DD).",
                      f"{str(raw)[:40]!r} n'est pas une date (AAAA-MM-JJ).", field=f"context.{key}")
    return day


def scanned_units(scan: Scan, item: ItemScan) -> Decimal:
    """How many units this scan moves: what the code stands for, times the typed multiplier if any."""
    return check_quantity(item.units * context_number(scan, "qty", default=Decimal(1)), field="context.qty",
                          of=item.product)


def place(s, scan: Scan, key: str, en_hint: str, fr_hint: str):
    """The location the context names (a row: id, code, kind, name)."""
    code = scan.context.get(key)
    if not code:
        raise Invalid(f"{key}_required", en_hint, fr_hint, field=f"context.{key}")
    return scan.ready.get(key, lambda: master.place(s, str(code)))


def shelf(s, scan: Scan):
    """The bin the context names, which must be a storage bin: goods are put away to one and picked from one
    (a pick off the dock would leave its purchase order line never put away)."""
    where = place(s, scan, "bin", "Scan the bin's label first.", "Scannez d'abord l'étiquette de l'emplacement.")
    if where.kind != "bin":
        raise _not_a_bin(where, "context.bin")
    return where


def scanned_bin(s, scan: Scan, parsed: ParseResult):
    """The bin a scanned location names where a bin is what is scanned before the items (put-away, pick, count): a
    storage bin, or the device would take the dock or dispatch for one and every item scanned next be refused."""
    where = scan.ready.get("scanned", lambda: master.place_or_none(s, parsed.reference))
    if where is None:
        raise NotFound("unknown_location", f"No location {parsed.reference!r}.",
                       f"Aucun emplacement « {parsed.reference} ».", field="code", details={"key": parsed.reference})
    if where.kind != "bin":
        raise _not_a_bin(where, "code")
    return where


def _not_a_bin(where, field: str) -> Conflict:
    return Conflict("not_a_bin", f"{where.code} is not a bin.", f"{where.code} n'est pas un emplacement de stockage.",
                    field=field)


def area(s, scan: Scan, kind: str, key: str):
    """The dock or dispatch area the context names under ``key``, or the only one there is."""
    return scan.ready.get(key, lambda: sales.area_of(s, kind, scan.context.get(key)))


# What each action may name besides the item: context key → area kind (None: any location, given by code).
PLACES = {"receive": {"dock": "dock"}, "put_away": {"bin": None, "from": "dock"},
          "pick": {"bin": None, "dispatch": "dispatch"}, "ship": {"dispatch": "dispatch"}, "count": {"bin": None},
          "transfer": {"from": None, "to": None}}
ITEM_KINDS = ("gtin", "gs1", "text", "product_ref")
ITEM_ACTIONS = ("receive", "put_away", "pick", "count", "transfer")  # a look-up reads the item its own way
BIN_ACTIONS = ("put_away", "pick", "count")  # a location scanned there is the bin the next items go to or come from


def prepare(s, scan: Scan, parsed: ParseResult) -> ParseResult:
    """Read before the write lock what the scan names (see Ready). Returns the scan's reading: a code that names no
    item but a location (a bin "10020304" without its Tendu label) reads as that location, as its label would."""
    if scan.action in ITEM_ACTIONS and parsed.kind in ITEM_KINDS:
        scan.ready.read("item", lambda: item_of(s, parsed, skus=reads_skus(scan)))
        where = _place_instead(s, scan, parsed)
        if where is not None:
            parsed = replace(parsed, kind="location", value=scanned_text(parsed), reference=where.code, gtin=None)
            # (not an item: the location's refusal)
            scan.ready.read("item", lambda: item_of(s, parsed, skus=reads_skus(scan)))
            scan.ready.put("scanned", where)
    elif scan.action in BIN_ACTIONS and parsed.kind == "location":  # (a Tendu label)
        scan.ready.read("scanned", lambda: master.place_or_none(s, parsed.reference))
    for key, kind in PLACES.get(scan.action, {}).items():
        code = scan.context.get(key)
        if kind is not None:
            scan.ready.read(key, lambda kind=kind, code=code: sales.area_of(s, kind, code))
        elif code:
            scan.ready.read(key, lambda code=code: master.place(s, str(code)))
    return parsed


def _place_instead(s, scan: Scan, parsed: ParseResult):
    """The location a scan names when it names no item: its text (or the digits of a GTIN nobody has) is a
    location's code. Only looked for once the item was not found, so a known item costs nothing more."""
    refusal = scan.ready.refusal("item")
    if refusal is None or refusal.code != "unknown_code" or parsed.kind not in ("gtin", "text"):
        return None
    text = scanned_text(parsed)
    return master.place_or_none(s, text) if text else None


_SL = StockLevel.__table__
_LEVELS_AT = select(_SL.c.lot, _SL.c.qty, _SL.c.expiry).where(
    _SL.c.product_id == bindparam("p"), _SL.c.location_id == bindparam("loc"), _SL.c.qty > 0)


def levels_at(s, product_id: int, location_id: int) -> list:
    """The product's non-empty stock levels (lot, qty, expiry) at one location."""
    return s.execute(_LEVELS_AT, {"p": product_id, "loc": location_id}).all()


def first_expiry_first(level) -> tuple:
    """Sort key of stock levels: the earliest expiry first, lots without one last."""
    return level.expiry is None, level.expiry or date.max, level.lot


def fefo_lot(s, product_id: int, location_id: int, qty: Decimal, levels: list | None = None) -> str:
    """The lot to take: first expiry first, among lots that hold enough; '' when the product has no lots."""
    if levels is None:
        levels = levels_at(s, product_id, location_id)
    enough = sorted((lv for lv in levels if lv.qty >= qty), key=first_expiry_first)
    if enough:
        return enough[0].lot
    return levels[0].lot if len(levels) == 1 else ""


def brief(product) -> dict:
    return {"sku": product.sku, "name": product.name, "unit": product.unit}
