"""Every table as CSV, streamed: rows are fetched by chunks (a server-side cursor on PostgreSQL), never all at once.

Products and stock come out in the columns the imports read back. Text that a spreadsheet would run as
a formula (``=``, ``+``, ``-``, ``@`` first) is prefixed with ``'``; the importer removes it again.
``csv_chunks`` writes one of two dialects: ``rfc4180`` (the default: UTF-8, ``,``, decimal points) for programs,
``excel-fr`` for French Excel, which opens a ``.csv`` by double click only in its own convention (see ``DIALECTS``).
Users and the audit log are in the whole export (``flask export``) only, not in the supervisors' HTTP API;
API tokens and password hashes are never exported.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Callable, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from server.extensions import db
from server.models import (AuditEntry, Barcode, Customer, Location, Movement, MovementKind, Product,
                           PurchaseOrder, PurchaseOrderEvent, PurchaseOrderLine, SalesOrder, SalesOrderEvent,
                           SalesOrderLine, ScanEvent, StockLevel, Supplier, User)
from server.services.csv_table import FORMULA_START

CHUNK = 1000


@dataclass(frozen=True)
class Export:
    columns: tuple[str, ...]
    statement: Callable  # () → a select whose columns are ``columns``, in order
    rows: Callable[[list], Iterable] = lambda chunk: chunk  # a chunk of result rows → rows of cells


def _products():
    return (select(Product.id, Product.sku, Product.name, Product.unit, Product.unit_cost, Supplier.code,
                   Product.moq, Product.pack_multiple, Product.critical, Product.active)
            .outerjoin(Supplier, Supplier.id == Product.supplier_id).order_by(Product.sku))


def _with_barcodes(chunk):
    """``CODE|CODE*PACK`` per product: one query per chunk of products, not one per product."""
    codes: dict[int, list[str]] = {}
    for product_id, code, pack in db.session.execute(
            select(Barcode.product_id, Barcode.code, Barcode.pack_qty)
            .where(Barcode.product_id.in_([r[0] for r in chunk])).order_by(Barcode.id)):
        codes.setdefault(product_id, []).append(code if pack == 1 else f"{code}*{cell(pack)}")
    return [(*row[1:], "|".join(codes.get(row[0], []))) for row in chunk]


def _locations():
    parent = aliased(Location)
    return (select(Location.code, Location.name, Location.kind, parent.code, Location.walk_order, Location.active)
            .outerjoin(parent, parent.id == Location.parent_id).order_by(Location.code))


def _stock():
    return (select(Product.sku, Product.name, Location.code, StockLevel.lot, StockLevel.expiry, StockLevel.qty)
            .join(Product, Product.id == StockLevel.product_id).join(Location, Location.id == StockLevel.location_id)
            .where(StockLevel.qty != 0).order_by(Product.sku, Location.code, StockLevel.lot))


def _movements():
    source, target, who = aliased(Location), aliased(Location), aliased(User)
    return (select(Movement.id, Movement.client_event_id, Movement.kind, Product.sku, Movement.qty, source.code,
                   target.code, Movement.lot, Movement.expiry, Movement.unit_cost, Movement.reason,
                   Movement.reverses_id, Movement.po_line_id, Movement.so_line_id, Movement.occurred_at,
                   Movement.recorded_at, who.username, Movement.device)
            .join(Product, Product.id == Movement.product_id)
            .outerjoin(source, source.id == Movement.from_location_id)
            .outerjoin(target, target.id == Movement.to_location_id)
            .outerjoin(who, who.id == Movement.user_id).order_by(Movement.id))


def _kind_names(chunk):
    return [(r[0], r[1], MovementKind(r[2]).name.lower(), *r[2:]) for r in chunk]


def _order_lines(order, line, partner, partner_column, *order_columns, line_columns):
    return lambda: (select(order.number, partner.code, order.status, *order_columns, line.id, Product.sku,
                           *line_columns)
                    .join(partner, partner.id == partner_column)
                    .outerjoin(line, line.order_id == order.id)
                    .outerjoin(Product, Product.id == line.product_id).order_by(order.id, line.id))


def _order_events(event, order):
    who = aliased(User)
    return lambda: (select(event.id, order.number, event.kind, event.line_id, event.occurred_at, event.recorded_at,
                           event.out_of_order, event.note, who.username, event.device)
                    .join(order, order.id == event.order_id).outerjoin(who, who.id == event.user_id)
                    .order_by(event.id))


def _scans():
    who = aliased(User)
    return (select(ScanEvent.id, ScanEvent.client_event_id, ScanEvent.occurred_at, ScanEvent.recorded_at,
                   who.username, ScanEvent.device, ScanEvent.action, ScanEvent.raw_code, ScanEvent.context,
                   ScanEvent.outcome, ScanEvent.error_code, ScanEvent.status)
            .outerjoin(who, who.id == ScanEvent.user_id).order_by(ScanEvent.id))


EVENT_COLUMNS = ("id", "order", "event", "line_id", "occurred_at", "recorded_at", "out_of_order", "note", "user",
                 "device")
EXPORTS = {
    "products": Export(("sku", "name", "unit", "unit_cost", "supplier", "moq", "pack_multiple", "critical", "active",
                        "barcodes"), _products, _with_barcodes),
    "locations": Export(("code", "name", "kind", "parent", "walk_order", "active"), _locations),
    "suppliers": Export(("code", "name", "email", "declared_lead_time_days", "review_period_days", "ordering_cost",
                         "active"),
                        lambda: select(Supplier.code, Supplier.name, Supplier.email, Supplier.declared_lead_time_days,
                                       Supplier.review_period_days, Supplier.ordering_cost, Supplier.active)
                        .order_by(Supplier.code)),
    "customers": Export(("code", "name", "email", "active"), lambda: select(
        Customer.code, Customer.name, Customer.email, Customer.active).order_by(Customer.code)),
    "stock": Export(("sku", "name", "location", "lot", "expiry", "qty"), _stock),
    "movements": Export(("id", "client_event_id", "kind", "kind_code", "sku", "qty", "from_location", "to_location",
                         "lot", "expiry", "unit_cost", "reason", "reverses_id", "po_line_id", "so_line_id",
                         "occurred_at", "recorded_at", "user", "device"), _movements, _kind_names),
    "purchase-orders": Export(
        ("number", "supplier", "status", "promised_date", "created_at", "line_id", "sku", "qty_ordered", "unit_cost"),
        _order_lines(PurchaseOrder, PurchaseOrderLine, Supplier, PurchaseOrder.supplier_id, PurchaseOrder.promised_date,
                     PurchaseOrder.created_at,
                     line_columns=(PurchaseOrderLine.qty_ordered, PurchaseOrderLine.unit_cost))),
    "sales-orders": Export(
        ("number", "customer", "status", "ordered_at", "requested_date", "line_id", "sku", "qty_ordered", "unit_price",
         "qty_reserved", "qty_short"),
        _order_lines(SalesOrder, SalesOrderLine, Customer, SalesOrder.customer_id, SalesOrder.ordered_at,
                     SalesOrder.requested_date, line_columns=(SalesOrderLine.qty_ordered, SalesOrderLine.unit_price,
                                                              SalesOrderLine.qty_reserved, SalesOrderLine.qty_short))),
    "purchase-order-events": Export(EVENT_COLUMNS, _order_events(PurchaseOrderEvent, PurchaseOrder)),
    "sales-order-events": Export(EVENT_COLUMNS, _order_events(SalesOrderEvent, SalesOrder)),
    "scans": Export(("id", "client_event_id", "occurred_at", "recorded_at", "user", "device", "action", "raw_code",
                     "context", "outcome", "error_code", "status"), _scans),
}


def _audit():
    who = aliased(User)
    return (select(AuditEntry.id, AuditEntry.at, who.username, AuditEntry.role, AuditEntry.method, AuditEntry.path,
                   AuditEntry.status, AuditEntry.address, AuditEntry.body)
            .outerjoin(who, who.id == AuditEntry.user_id).order_by(AuditEntry.id))


# In the whole export only (see the module's docstring).
WHOLE_EXPORT_ONLY = {
    "users": Export(("username", "role", "active", "created_at"),
                    lambda: select(User.username, User.role, User.active, User.created_at).order_by(User.id)),
    "audit-log": Export(("id", "at", "user", "role", "method", "path", "status", "address", "body"), _audit),
}
ALL_EXPORTS = {**EXPORTS, **WHOLE_EXPORT_ONLY}
# The table whose row count is (about) each export's: a cheap total for progress bars. Orders give one row
# per line, plus one per order without lines.
COUNTED = {"products": Product, "locations": Location, "suppliers": Supplier, "customers": Customer,
           "stock": StockLevel, "movements": Movement, "purchase-orders": PurchaseOrderLine,
           "sales-orders": SalesOrderLine, "purchase-order-events": PurchaseOrderEvent,
           "sales-order-events": SalesOrderEvent, "scans": ScanEvent, "users": User, "audit-log": AuditEntry}


def estimated_rows(name: str) -> int:
    return db.session.scalar(select(func.count()).select_from(COUNTED[name])) or 0


_AFTER_SEMICOLON = re.compile(";(?=[" + re.escape("".join(FORMULA_START)) + "])")


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, str):
        # A spreadsheet set to split on ';' (French Excel opening a .csv) starts a new cell after each one: a
        # formula there is guarded too.
        value = _AFTER_SEMICOLON.sub(";'", value)
        return "'" + value if value[:1] in FORMULA_START else value
    return str(value)


# What Excel turns into a number or a date when it opens a CSV, whatever the column: "03165143007129" becomes
# 3,16514E+12 (a GTIN's leading 0 lost, and saved back as displayed), "00123" 123, "2024-03" a month, "1/2" a date.
_EXCEL_WOULD_CONVERT = re.compile(r"[0-9][0-9 .,/:%+\-eE]*")


def excel_fr_cell(value) -> str:
    """A cell as French Excel opens it. Numbers (quantities, costs, prices, days) take a decimal comma: Excel
    reads "12.5" as text, or as a date (12 May). Codes stay text as ``="03165143007129"``: a leading apostrophe is
    no text marker in a CSV (Excel would show it, and save it back), while this formula shows the code as it is and
    Excel saves its value, the bare code, in a CSV. It is safe as the formula guard's one exception: only our own
    ``="…"`` around digits and punctuation, never a user's text (one starting with ``=`` is guarded by ``cell``).
    The import takes both ``="…"`` and the bare code (server/services/csv_table.py). Dates stay ISO: Excel reads
    them as dates and saves them as 31/12/2025, which the import reads."""
    text = cell(value)
    if isinstance(value, (Decimal, float)):
        return text.replace(".", ",")
    if isinstance(value, str) and _EXCEL_WOULD_CONVERT.fullmatch(text):
        return f'="{text}"'
    return text


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    bom: str
    cell: Callable[[object], str]


# Both CRLF. Excel (French) reads a CSV as UTF-8 only with a BOM, and splits it on ';' only.
DIALECTS = {"rfc4180": Dialect(",", "", cell), "excel-fr": Dialect(";", "\ufeff", excel_fr_cell)}


def json_cell(value):
    """A cell for JSON: exact decimals as strings, dates in ISO 8601; no spreadsheet formula guard."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def row_chunks(name: str):
    """The rows of one export (of ``ALL_EXPORTS``) by chunks of about ``CHUNK``, as Python values."""
    export = ALL_EXPORTS[name]
    result = db.session.execute(export.statement().execution_options(yield_per=CHUNK))
    for chunk in result.partitions():
        yield export.rows(chunk)


def csv_chunks(name: str, dialect: str = "rfc4180"):
    """The header, then the rows by chunks of about ``CHUNK``, as CSV text in one of ``DIALECTS``."""
    style = DIALECTS[dialect]
    out = io.StringIO()
    out.write(style.bom)
    writer = csv.writer(out, delimiter=style.delimiter, lineterminator="\r\n")
    writer.writerow(ALL_EXPORTS[name].columns)
    for rows in row_chunks(name):
        writer.writerows([style.cell(v) for v in row] for row in rows)
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()
