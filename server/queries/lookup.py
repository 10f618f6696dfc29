"""What a scanned code names, with the stock that matters to the person holding the scanner."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from server.domain.barcodes import ParseResult
from server.domain.errors import NotFound
from server.extensions import db
from server.models import (Barcode, Location, Movement, MovementKind, Product, PurchaseOrder, PurchaseOrderLine,
                           SalesOrder, SalesOrderLine, StockLevel, Supplier)

OPEN_PO = ("draft", "need_detected", "ordered", "shipped", "arrived", "received")
CLOSED_SO = ("shipped", "cancelled")


def resolve(result: ParseResult) -> dict:
    """The product, location or document a parsed code names; NotFound ``unknown_code`` otherwise."""
    found = None
    if result.kind in ("gtin", "gs1") and result.gtin:
        found = _by_barcode(result.gtin, result)
    elif result.kind == "text":
        found = _by_barcode(result.value, result)
    elif result.kind == "product_ref":
        product = db.session.scalar(select(Product).where(Product.sku == result.reference))
        found = product and {"kind": "product", "product": product_view(product), "pack_qty": 1, "quantity": 1,
                             "stock": availability(product.id)}
    elif result.kind == "location":
        found = _location(result.reference)
    elif result.kind == "purchase_order":
        found = _purchase_order(result.reference)
    elif result.kind == "sales_order":
        found = _sales_order(result.reference)
    if not found:
        raise NotFound("unknown_code", f"{result.value} is not known here.",
                       f"{result.value} n'est pas connu ici.", field="code", details={"parse": result.to_dict()})
    return {**found, "parse": result.to_dict()}


def product_view(p: Product) -> dict:
    return {"sku": p.sku, "name": p.name, "unit": p.unit, "active": p.active, "critical": p.critical}


def _by_barcode(code: str, result: ParseResult) -> dict | None:
    barcode = db.session.scalar(select(Barcode).where(Barcode.code == code))
    if barcode is None:
        return None
    count = Decimal(result.count) if result.count else Decimal(1)  # AI 30: units in this carton
    return {"kind": "product", "product": product_view(barcode.product), "pack_qty": barcode.pack_qty,
            "quantity": barcode.pack_qty * count, "lot": result.lot, "expiry": result.expiry,
            "stock": availability(barcode.product_id)}


def availability(product_id: int) -> dict:
    """On hand by location and lot, reserved, available, and what is on order with its expected date."""
    levels = db.session.execute(
        select(Location.code, Location.kind, StockLevel.lot, StockLevel.expiry, StockLevel.qty)
        .join(Location, Location.id == StockLevel.location_id)
        .where(StockLevel.product_id == product_id, StockLevel.qty > 0)
        .order_by(Location.walk_order, Location.code, StockLevel.expiry, StockLevel.lot)).all()
    on_hand = sum((row.qty for row in levels), Decimal(0))
    reserved = db.session.scalar(
        select(func.coalesce(func.sum(SalesOrderLine.qty_reserved), 0))
        .join(SalesOrder).where(SalesOrderLine.product_id == product_id, SalesOrder.status.not_in(CLOSED_SO)))
    on_order, expected = _on_order(product_id)
    return {"on_hand": on_hand, "reserved": reserved, "available": on_hand - reserved, "on_order": on_order,
            "expected_date": expected,
            "by_location": [{"location": r.code, "kind": r.kind, "lot": r.lot or None, "expiry": r.expiry,
                             "qty": r.qty} for r in levels]}


def _on_order(product_id: int) -> tuple[Decimal, object]:
    received = (select(Movement.po_line_id, func.sum(Movement.qty).label("qty"))
                .where(Movement.kind == int(MovementKind.RECEIPT), Movement.product_id == product_id)
                .group_by(Movement.po_line_id).subquery())
    rows = db.session.execute(
        select(PurchaseOrderLine.qty_ordered, received.c.qty, PurchaseOrder.promised_date)
        .join(PurchaseOrder).outerjoin(received, received.c.po_line_id == PurchaseOrderLine.id)
        .where(PurchaseOrderLine.product_id == product_id, PurchaseOrder.status.in_(OPEN_PO))).all()
    outstanding = [(ordered - (got or 0), promised) for ordered, got, promised in rows if ordered > (got or 0)]
    dates = [promised for _, promised in outstanding if promised]
    return sum((qty for qty, _ in outstanding), Decimal(0)), min(dates) if dates else None


def _location(code: str) -> dict | None:
    place = db.session.scalar(select(Location).where(Location.code == code))
    if place is None:
        return None
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
    return {"kind": "purchase_order", "order": {"number": order.number, "status": order.status,
                                                "supplier": supplier.code, "promised_date": order.promised_date}}


def _sales_order(number: str) -> dict | None:
    order = db.session.scalar(select(SalesOrder).where(SalesOrder.number == number))
    if order is None:
        return None
    return {"kind": "sales_order", "order": {"number": order.number, "status": order.status,
                                             "ordered_at": order.ordered_at}}
