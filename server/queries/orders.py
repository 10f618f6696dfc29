"""Orders as people read them: lines with their running quantities, and the events."""
from __future__ import annotations

from decimal import Decimal

from server.domain.barcodes import make_label
from server.extensions import db
from server.models import Customer, Supplier
from server.queries.picking import picked_by_line
from server.services import purchasing, sales


def _events(order) -> list:
    return list(order.events)


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
    return {"number": order.number, "status": order.status, "ordered_at": order.ordered_at,
            "customer": db.session.get(Customer, order.customer_id).code,
            "label": make_label("sales_order", order.number), "events": _events(order),
            "lines": [{"line_id": ln.id, "sku": ln.product.sku, "name": ln.product.name, "ordered": ln.qty_ordered,
                       "reserved": ln.qty_reserved, "picked": picked[ln.id], "short": ln.qty_short,
                       "left": ln.qty_ordered - picked[ln.id] - ln.qty_short, "unit_price": ln.unit_price}
                      for ln in order.lines]}
