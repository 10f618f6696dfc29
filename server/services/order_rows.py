"""Orders as a scan reads them: the header, then the lines with what each has had so far, as plain rows.

A scan builds no ORM object: at a few hundred scans a second the unit of work's bookkeeping (loading the
order, its lines and their products, flushing the changes) was most of a scan's time, spent while holding
SQLite's one write lock. Two Core statements built once read what a scan needs; ``assign`` writes a change
back with one UPDATE. The ``book_*`` functions of purchasing and sales take either these rows or the ORM
objects, as they only read the columns both have and change them through ``assign``.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Table, bindparam, func, select, update

from server.domain.errors import NotFound
from server.models import (Customer, Movement, MovementKind, Product, PurchaseOrder, PurchaseOrderEvent,
                           PurchaseOrderLine, SalesOrder, SalesOrderEvent, SalesOrderLine, Supplier)


@dataclass
class LineRow:
    table: Table
    id: int
    product_id: int
    sku: str
    name: str
    qty_ordered: Decimal
    done: Decimal                     # received (purchase) or picked (sales), from the ledger
    unit_cost: Decimal = Decimal(0)   # purchase lines
    qty_reserved: Decimal = Decimal(0)  # sales lines
    qty_short: Decimal = Decimal(0)   # sales lines


@dataclass
class OrderRow:
    table: Table
    id: int
    number: str
    status: str
    partner: str                      # the supplier's or the customer's code
    # (kind, line id, first occurred_at) of the order's events, read with the header: what the lifecycle
    # rules need (purchasing.event_summary), kept true as the scan adds events.
    summary: list[tuple[str, int | None, object]] = field(default_factory=list)
    lines: list[LineRow] = field(default_factory=list)

    def add_to_summary(self, kind: str, line_id: int | None, at) -> None:
        for i, (k, line, first) in enumerate(self.summary):
            if (k, line) == (kind, line_id):
                self.summary[i] = (k, line, min(first, at))
                return
        self.summary.append((kind, line_id, at))

    def done(self) -> dict[int, Decimal]:
        """Received or picked so far, per line id (0 for a line not in the order)."""
        return defaultdict(Decimal, {ln.id: ln.done for ln in self.lines})


_M = Movement.__table__
_P = Product.__table__


def _header(orders: Table, partners: Table, partner_key, events: Table):
    """One row per (event kind, line) of the order, the header repeated; one row with no event if it has none."""
    return (select(orders.c.id, orders.c.number, orders.c.status, partners.c.code, events.c.kind, events.c.line_id,
                   func.min(events.c.occurred_at))
            .join_from(orders, partners, partner_key == partners.c.id)
            .outerjoin(events, events.c.order_id == orders.c.id)
            .where(orders.c.number == bindparam("number"))
            .group_by(orders.c.id, orders.c.number, orders.c.status, partners.c.code, events.c.kind, events.c.line_id))


def _lines(lines: Table, link, kind: MovementKind, *extra):
    done = (select(func.coalesce(func.sum(_M.c.qty), 0)).where(link == lines.c.id, _M.c.kind == int(kind))
            .scalar_subquery())
    return (select(lines.c.id, lines.c.product_id, _P.c.sku, _P.c.name, lines.c.qty_ordered, done, *extra)
            .join_from(lines, _P, _P.c.id == lines.c.product_id)
            .where(lines.c.order_id == bindparam("order_id")).order_by(lines.c.id))


_PO, _POL, _SO, _SOL = (m.__table__ for m in (PurchaseOrder, PurchaseOrderLine, SalesOrder, SalesOrderLine))
_PO_HEADER = _header(_PO, Supplier.__table__, _PO.c.supplier_id, PurchaseOrderEvent.__table__)
_SO_HEADER = _header(_SO, Customer.__table__, _SO.c.customer_id, SalesOrderEvent.__table__)
_PO_LINES = _lines(_POL, _M.c.po_line_id, MovementKind.RECEIPT, _POL.c.unit_cost)
_SO_LINES = _lines(_SOL, _M.c.so_line_id, MovementKind.PICK, _SOL.c.qty_reserved, _SOL.c.qty_short)


def purchase_order(s, number: str) -> OrderRow:
    """The purchase order's header and event summary (its lines: ``with_lines``, once the products are locked)."""
    rows = s.execute(_PO_HEADER, {"number": number}).all()
    if not rows:
        raise NotFound("unknown_purchase_order", f"No purchase order {number}.",
                       f"Aucune commande fournisseur {number}.", field="order", details={"number": number})
    return _order(_PO, rows)


def sales_order(s, number: str) -> OrderRow:
    rows = s.execute(_SO_HEADER, {"number": number}).all()
    if not rows:
        raise NotFound("unknown_sales_order", f"No sales order {number}.", f"Aucune commande client {number}.",
                       field="order", details={"number": number})
    return _order(_SO, rows)


def _order(table: Table, rows) -> OrderRow:
    summary = [(kind, line, at) for *_, kind, line, at in rows if kind is not None]
    return OrderRow(table, *rows[0][:4], summary=summary)


def with_lines(s, order: OrderRow) -> OrderRow:
    """Read the order's lines and what each has had so far. On PostgreSQL, call it under the products' lock,
    so the totals cannot move before the scan books against them."""
    if order.table is _PO:
        order.lines = [LineRow(_POL, *row[:6], unit_cost=row[6])
                       for row in s.execute(_PO_LINES, {"order_id": order.id})]
    else:
        order.lines = [LineRow(_SOL, *row[:6], qty_reserved=row[6], qty_short=row[7])
                       for row in s.execute(_SO_LINES, {"order_id": order.id})]
    return order


_UPDATES: dict = {}


def assign(s, obj, **values) -> None:
    """Change columns of an order or a line, whichever way it was read: an ORM object through the session's
    unit of work, a row of this module with one Core UPDATE of the columns that changed."""
    if isinstance(obj, (OrderRow, LineRow)):
        changed = tuple(sorted(k for k, v in values.items() if getattr(obj, k) != v))
        if changed:
            key = (obj.table.name, changed)
            if key not in _UPDATES:
                _UPDATES[key] = (update(obj.table).where(obj.table.c.id == bindparam("row_id"))
                                 .values({k: bindparam(f"v_{k}", type_=obj.table.c[k].type) for k in changed}))
            s.execute(_UPDATES[key], {"row_id": obj.id, **{f"v_{k}": values[k] for k in changed}})
    for key, value in values.items():
        setattr(obj, key, value)
