"""What a scanned code names, with the stock that matters to the person holding the scanner."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import bindparam, func, literal, select, type_coerce, union_all

from server.domain.barcodes import (BarcodeError, ParseResult, azerty_text_reading, own_code_reading, parse,
                                    refusals, scanned_text)
from server.domain.barcodes.gtin import as_printed
from server.domain.errors import NotFound
from server.extensions import db
from server.models import (Barcode, Location, Movement, MovementKind, Product, PurchaseOrder, PurchaseOrderLine,
                           SalesOrder, SalesOrderLine, StockLevel, Supplier)
from server.services import master, sales

# What is left on an order's lines is on order whatever step the order has reached: a put-away can start while
# the rest of the delivery is still being received (the order's status is the furthest step of any line).
OPEN_PO = ("draft", "need_detected", "ordered", "shipped", "arrived", "received", "put_away")
CLOSED_SO = sales.ENDED


def read_scan(session, code: str, *, skus: bool = False) -> ParseResult:
    """``parse``, and a company's own code where the parser cannot know it is one (with ``skus``, a look-up's, a
    product's SKU typed by hand among them: "21032207", whose check digit fails as an EAN-8's):

    - all digits refused for their check digit, scanned without an AIM prefix (a keyboard-wedge scanner, typing):
      read as text when this exact text is a code linked to a product or a location's code; otherwise refused,
      the refusal saying it is no code known here either (never a guess);
    - scanned through an AZERTY layout by a scanner set to QWERTY (``&ààéà"à'`` for the bin "10020304"): when the
      scan reads as text or is refused, and is none of the company's codes as typed, its AZERTY repair read as
      text is kept if it is one (one more query, only for such scans; warning "azerty_repaired")."""
    try:
        result = parse(code)
    except BarcodeError as refusal:
        reading = own_code_reading(code, refusal)
        if reading is not None:
            if is_own_code(session, reading.value) or (skus and product_by_sku(session, reading.value)):
                return reading
            raise refusals.bad_check_digit_nor_known(refusal, reading.value) from None
        repaired = _azerty_own_code(session, code, None)
        if repaired is None:
            raise
        return repaired
    if result.kind == "text":
        return _azerty_own_code(session, code, result.value) or result
    return result


def is_own_code(session, text: str) -> bool:
    """Whether this exact text is a code linked to a product or a location's code."""
    return (session.execute(PRODUCT_BY_CODE, {"code": text}).first() is not None
            or master.place_or_none(session, text) is not None)


def _azerty_own_code(session, code: str, as_typed: str | None) -> ParseResult | None:
    """The scan's AZERTY repair as text (``azerty_text_reading``) when it is one of the company's codes and the
    scan as typed (``as_typed``, its text) is none: one query for both."""
    reading = azerty_text_reading(code)
    if reading is None:
        return None
    texts = [text for text in (as_typed, reading.value) if text]
    rows = session.execute(_CODES_AMONG, {"codes": texts, "upper": [text.upper() for text in texts]}).all()
    known = _known(rows)
    if as_typed is not None and known(as_typed):
        return None
    return reading if known(reading.value) else None


def _known(rows):
    """Whether a text is a code linked to a product or a location's code (``is_own_code``), among ``rows``
    (source, code) of ``_CODES_AMONG``: a location's code in any case when only one location answers it."""
    linked = {code for source, code in rows if source == "barcode"}
    places = [code for source, code in rows if source == "location"]

    def known(text: str) -> bool:
        return (text in linked or text in places
                or len([code for code in places if code.upper() == text.upper()]) == 1)
    return known


def look_up(code: str) -> dict:
    """What a scanned code names (``resolve`` of ``read_scan``)."""
    return resolve(read_scan(db.session, code, skus=True))


def resolve(result: ParseResult) -> dict:
    """The product, location or document a parsed code names; NotFound ``unknown_code`` otherwise.

    A GTIN no product has, or free text, may be the company's own code: a code linked as text, else a location's
    code (a bin "10020304" without its Tendu label); free text may also be a SKU typed by hand."""
    found = None
    if result.kind in ("gtin", "gs1") and result.gtin:
        found = _by_barcode(result.gtin, result)
        if not found and result.kind == "gtin":
            found = _own_code(scanned_text(result), result) or _typed(scanned_text(result))
    elif result.kind == "text":
        found = _own_code(result.value, result) or _typed(result.value)
    elif result.kind == "product_ref":
        found = _by_sku(result.reference)
    elif result.kind == "location":
        found = _location(result.reference)
    elif result.kind == "purchase_order":
        found = _purchase_order(result.reference)
    elif result.kind == "sales_order":
        found = _sales_order(result.reference)
    if not found:
        shown = as_printed(result.value) if result.kind == "gtin" else result.value  # (not its 14-digit form)
        raise NotFound("unknown_code", f"{shown} is not known here.",
                       f"{shown} n'est pas connu ici.", field="code", details={"parse": result.to_dict()})
    return {**found, "parse": result.to_dict()}


def product_by_sku(session, sku: str):
    """The product row (pack_qty 1) with this SKU. A product's label carries its SKU in capitals (a scanner with Caps
    Lock on reads the same product): a SKU not found as written is looked for in any case."""
    return session.execute(PRODUCT_BY_SKU, {"sku": sku}).first() or master.only_one(
        session.execute(_PRODUCT_BY_SKU_ANY_CASE, {"sku": sku.upper()}).all())


def _typed(text: str | None) -> dict | None:
    """What an operator typed where the label would not scan: a SKU (in any case when only one product has it),
    else an order's number, looked for after the codes a scan may carry. Look-ups only: nothing is booked on it."""
    if not text:
        return None
    return _by_sku(text) or _purchase_order(text.upper()) or _sales_order(text.upper())  # (numbers are capitals)


def _by_sku(sku: str) -> dict | None:
    row = product_by_sku(db.session, sku)
    product = row and db.session.get(Product, row.id)
    return product and {"kind": "product", "product": product_view(product), "pack_qty": 1, "quantity": 1,
                        "stock": availability(product.id)}


def product_view(p: Product) -> dict:
    return {"sku": p.sku, "name": p.name, "unit": p.unit, "active": p.active, "critical": p.critical}


# The look-up by barcode is the scanner's most frequent request: its statements are built once, in plain
# Core over the tables (no ORM entities to load, nothing to rebuild per request).
_B, _P = Barcode.__table__, Product.__table__
_L, _SL = Location.__table__, StockLevel.__table__
_SO, _SOL = SalesOrder.__table__, SalesOrderLine.__table__
_PO, _POL, _M = PurchaseOrder.__table__, PurchaseOrderLine.__table__, Movement.__table__


def _fixed(values: tuple) -> list:
    """A constant IN list as one bound parameter per value: the statement is compiled once, whereas a plain list
    is an "expanding" parameter whose SQL is rewritten on every execution (~30 µs a look-up)."""
    return [literal(value) for value in values]


# What a scanned code names: the pack it stands for and the product (the scan services use it too).
_PRODUCT = (_P.c.id, _P.c.sku, _P.c.name, _P.c.unit, _P.c.active, _P.c.critical, _P.c.unit_cost)
PRODUCT_BY_CODE = (select(_B.c.pack_qty, *_PRODUCT).select_from(_B.join(_P, _P.c.id == _B.c.product_id))
                   .where(_B.c.code == bindparam("code")))
PRODUCT_BY_SKU = select(literal(1).label("pack_qty"), *_PRODUCT).where(_P.c.sku == bindparam("sku"))
_PRODUCT_BY_SKU_ANY_CASE = (select(literal(1).label("pack_qty"), *_PRODUCT)
                            .where(func.upper(_P.c.sku) == bindparam("sku")).limit(2))
# Which of a few texts are a code linked to a product, or a location's code in any case (read_scan's AZERTY try).
_CODES_AMONG = union_all(
    select(literal("barcode").label("source"), _B.c.code).where(_B.c.code.in_(bindparam("codes", expanding=True))),
    select(literal("location").label("source"), _L.c.code)
    .where(func.upper(_L.c.code).in_(bindparam("upper", expanding=True))))
_LEVELS = (select(_L.c.code, _L.c.kind, _SL.c.lot, _SL.c.expiry, _SL.c.qty)
           .select_from(_SL.join(_L, _L.c.id == _SL.c.location_id))
           .where(_SL.c.product_id == bindparam("product_id"), _SL.c.qty > 0)
           .order_by(_L.c.walk_order, _L.c.code, _SL.c.expiry, _SL.c.lot))
_RESERVED = (select(func.coalesce(func.sum(_SOL.c.qty_reserved), 0))
             .select_from(_SOL.join(_SO, _SO.c.id == _SOL.c.order_id))
             .where(_SOL.c.product_id == bindparam("product_id"), _SO.c.status.not_in(_fixed(CLOSED_SO))))
_RECEIVED = (select(_M.c.po_line_id, func.sum(_M.c.qty).label("qty"))
             .where(_M.c.kind == int(MovementKind.RECEIPT), _M.c.product_id == bindparam("product_id"))
             .group_by(_M.c.po_line_id).subquery())
_LEFT = type_coerce(_POL.c.qty_ordered - func.coalesce(_RECEIVED.c.qty, 0), _POL.c.qty_ordered.type)  # a quantity
_OPEN_LINES = (select(_LEFT.label("left"), _PO.c.promised_date)
               .select_from(_POL.join(_PO, _PO.c.id == _POL.c.order_id)
                            .outerjoin(_RECEIVED, _RECEIVED.c.po_line_id == _POL.c.id))
               .where(_POL.c.product_id == bindparam("product_id"), _PO.c.status.in_(_fixed(OPEN_PO)), _LEFT > 0)
               .subquery())
# Reserved, still on order, and the first promised date of what is on order: one round trip.
_TOTALS = select(_RESERVED.scalar_subquery(),
                 select(func.coalesce(func.sum(_OPEN_LINES.c.left), 0)).scalar_subquery(),
                 select(func.min(_OPEN_LINES.c.promised_date)).scalar_subquery())


def _own_code(text: str | None, result: ParseResult) -> dict | None:
    """A code linked to a product as this text, else the location with this code."""
    if not text:
        return None
    linked = None if text == result.gtin else _by_barcode(text, result)  # (a GTIN-14 as typed: already looked for)
    return linked or _location(text)


def _by_barcode(code: str, result: ParseResult) -> dict | None:
    row = db.session.execute(PRODUCT_BY_CODE, {"code": code}).first()
    if row is None:
        return None
    count = Decimal(result.count) if result.count else Decimal(1)  # AI 30: units in this carton
    return {"kind": "product", "product": product_view(row), "pack_qty": row.pack_qty,
            "quantity": row.pack_qty * count, "lot": result.lot, "expiry": result.expiry,
            "stock": availability(row.id)}


def availability(product_id: int) -> dict:
    """On hand by location and lot, reserved, available, and what is on order with its expected date.

    Goods picked wait in dispatch for their order: on hand, but no longer reserved (the pick consumed the
    reservation) and no one else's either, so not available (44 read available where 34 could be promised)."""
    params = {"product_id": product_id}
    levels = db.session.execute(_LEVELS, params).all()
    on_hand = sum((row.qty for row in levels), Decimal(0))
    in_dispatch = sum((row.qty for row in levels if row.kind == "dispatch"), Decimal(0))
    reserved, on_order, expected = db.session.execute(_TOTALS, params).one()
    return {"on_hand": on_hand, "reserved": reserved, "in_dispatch": in_dispatch,
            "available": on_hand - in_dispatch - reserved, "on_order": on_order,
            "expected_date": expected,
            "by_location": [{"location": r.code, "kind": r.kind, "lot": r.lot or None, "expiry": r.expiry,
                             "qty": r.qty} for r in levels]}


def _location(code: str) -> dict | None:
    row = master.place_or_none(db.session, code)
    if row is None:
        return None
    place = db.session.get(Location, row.id)
    rows = db.session.execute(
        select(Product.sku, Product.name, StockLevel.lot, StockLevel.expiry, StockLevel.qty)
        .join(Product, Product.id == StockLevel.product_id)
        .where(StockLevel.location_id == place.id, StockLevel.qty > 0).order_by(Product.sku, StockLevel.lot)).all()
    return {"kind": "location", "location": {"code": place.code, "name": place.name, "kind": place.kind},
            "contents": [{"sku": r.sku, "name": r.name, "lot": r.lot or None, "expiry": r.expiry, "qty": r.qty}
                         for r in rows]}


def _purchase_order(number: str) -> dict | None:
    order = db.session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == number))
    if order is None:
        return None
    supplier = db.session.get(Supplier, order.supplier_id)
    from server.services.purchasing import received_by_line
    received = received_by_line(db.session, order)
    # (the status is the furthest step of any line: the lines tell what is still to come)
    return {"kind": "purchase_order", "order": {"number": order.number, "status": order.status,
                                                "supplier": supplier.code, "promised_date": order.promised_date},
            "lines": [{"sku": ln.product.sku, "name": ln.product.name, "ordered": ln.qty_ordered,
                       "received": received[ln.id]} for ln in order.lines]}


def _sales_order(number: str) -> dict | None:
    order = db.session.scalar(select(SalesOrder).where(SalesOrder.number == number))
    if order is None:
        return None
    from server.queries.picking import picked_by_line, shipped_by_line
    picked, shipped = picked_by_line(db.session, order), shipped_by_line(db.session, order)
    # An order may ship in part (a back-order): "left" is what the customer still waits for, not what is to pick.
    return {"kind": "sales_order", "order": {"number": order.number, "status": order.status,
                                             "ordered_at": order.ordered_at},
            "lines": [{"sku": ln.product.sku, "name": ln.product.name, "ordered": ln.qty_ordered,
                       "picked": picked[ln.id], "short": ln.qty_short, "shipped": shipped[ln.id],
                       "left": max(Decimal(0), ln.qty_ordered - shipped[ln.id] - ln.qty_short)}
                      for ln in order.lines]}
