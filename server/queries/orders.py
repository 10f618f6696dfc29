"""Orders as people read them: lines with their running quantities, and the events."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import exists, func, select

from server.domain.barcodes import make_label
from server.domain.errors import Invalid
from server.domain.lifecycle import PO_CHAIN, SO_CHAIN
from server.extensions import db
from server.models import Customer, Movement, MovementKind, PurchaseOrder, PurchaseOrderLine, SalesOrder, Supplier
from server.models.base import utcnow
from server.queries import promises
from server.queries.paging import Page, paginate
from server.queries.picking import picked_by_line
from server.services import purchasing, sales


# The statuses an order can be in, in the order of its life: a PO is a 'draft' until its first step, then an order
# is named after its furthest step, and ends 'closed' (POs only) or 'cancelled'.
STATUSES = {PurchaseOrder: ("draft", *PO_CHAIN, *purchasing.FINISHED), SalesOrder: (*SO_CHAIN, "cancelled")}


def listing(model, *where, status: str | None, q: str | None, page: int, per_page: int) -> Page:
    """Orders of one kind, newest first; an unknown status is refused, not answered with an empty list."""
    stmt = select(model).where(*where).order_by(model.id.desc())
    if status:
        stmt = stmt.where(model.status == _known_status(model, status))
    if q:
        stmt = stmt.where(model.number.ilike(f"%{q}%"))
    return paginate(stmt, page, per_page)


def _known_status(model, status: str) -> str:
    allowed = STATUSES[model]
    if status not in allowed:
        raise Invalid("unknown_status", f"No order is in status {status!r}: choose one of {', '.join(allowed)}.",
                      f"Aucune commande n'a l'état « {status} » : choisissez parmi {', '.join(allowed)}.",
                      field="status", details={"allowed": list(allowed)})
    return status


def _events(order) -> list:
    return list(order.events)


def received_on_line():
    """Units received so far on the purchase-order line of the enclosing query (a correlated subquery)."""
    return (select(func.coalesce(func.sum(Movement.qty), 0))
            .where(Movement.po_line_id == PurchaseOrderLine.id, Movement.kind == int(MovementKind.RECEIPT))
            .scalar_subquery())


def overdue(promised_before: date):
    """Placed purchase orders promised before a day with at least one line not yet fully received. The order's
    status cannot tell: it is the furthest step of any line, so a first carton received marks it 'received'."""
    waiting = exists().where(PurchaseOrderLine.order_id == PurchaseOrder.id,
                             PurchaseOrderLine.qty_ordered > received_on_line())
    return (PurchaseOrder.promised_date < promised_before) & PurchaseOrder.status.in_(PO_CHAIN[1:]) & waiting


def purchase_order(number: str) -> dict:
    order = purchasing.get_order(number)
    received = purchasing.received_by_line(db.session, order)
    return {"number": order.number, "status": order.status, "promised_date": order.promised_date,
            "supplier": db.session.get(Supplier, order.supplier_id).code,
            "label": make_label("purchase_order", order.number), "events": _events(order),
            "lines": [{"line_id": ln.id, "sku": ln.product.sku, "name": ln.product.name, "ordered": ln.qty_ordered,
                       "received": received[ln.id], "left": max(Decimal(0), ln.qty_ordered - received[ln.id]),
                       "unit_cost": ln.unit_cost} for ln in order.lines]}


def sales_order(number: str) -> dict:
    order = sales.get_order(number)
    picked = picked_by_line(db.session, order)
    today = utcnow().date()
    handling = None if order.status in ("shipped", "cancelled") else promises.handling_days(today)

    def promise(line):  # (nothing to promise once the order is closed)
        left = line.qty_ordered - picked[line.id] - line.qty_short
        return None if handling is None else promises.line_promise(line.product, left, line.qty_reserved, today,
                                                                   handling)
    return {"number": order.number, "status": order.status, "ordered_at": order.ordered_at,
            "customer": db.session.get(Customer, order.customer_id).code,
            "label": make_label("sales_order", order.number), "events": _events(order),
            "lines": [{"line_id": ln.id, "sku": ln.product.sku, "name": ln.product.name, "ordered": ln.qty_ordered,
                       "reserved": ln.qty_reserved, "picked": picked[ln.id], "short": ln.qty_short,
                       "left": ln.qty_ordered - picked[ln.id] - ln.qty_short, "unit_price": ln.unit_price,
                       "promise": promise(ln)}
                      for ln in order.lines]}
