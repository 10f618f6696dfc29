"""The stock overview: every active product's position beside its value and its health, for the desk.

Nothing is counted anew here. The position (on hand, reserved, on order) is ``planning.positions``, as the
replenishment list counts it; value and health (days of cover, stock-outs, dormant, turnover) are the KPI fold of
``valuation``, as the valuation page and the dashboard count them. Filters, sort and pages are applied to those rows,
so a figure on this screen is the figure of the screens it sits beside.

The health is measured over the year to today, or from the ledger's first day when it is younger: a warehouse that
started with Tendu 90 days ago did not spend the 275 days before out of stock, nor ship nothing then (its cover
would read four times too long).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from server.extensions import db
from server.models import Product, Supplier
from server.queries import valuation
from server.queries.paging import search
from server.queries.planning import positions

# The quick filters a supervisor asks for; the OpenAPI document lists them (api/analytics.py).
ONLY = {
    "out_of_stock": lambda row: row["out_of_stock_now"],
    "dormant": lambda row: row["dormant"],
    "on_order": lambda row: row["on_order"] > 0,
    "over_reserved": lambda row: row["available"] < 0,
    "critical": lambda row: row["critical"],
}
TEXT_COLUMNS = ("sku", "name", "supplier")
NUMBER_COLUMNS = ("on_hand", "reserved", "available", "on_order", "in_dispatch", "wac", "value", "coverage_days",
                  "turnover", "days_since_outflow", "stockouts", "stockout_days")
SORTABLE = TEXT_COLUMNS + NUMBER_COLUMNS


def overview(today: date, *, q: str | None = None, supplier_id: int | None = None, only: str | None = None,
             sort: str = "-value") -> dict:
    """The rows matching the search and the filters, sorted (``-column``: descending), and their period."""
    stmt = search(Product, q, True, Product.sku, Product.name)
    if supplier_id is not None:
        stmt = stmt.where(Product.supplier_id == supplier_id)
    products = list(db.session.scalars(stmt))
    ids = [p.id for p in products]
    since, until = valuation.ledger_period(today)   # (as /analytics/kpis by default)
    health = {row["sku"]: row for row in valuation.product_kpis(since, until, product_ids=ids)}
    state = positions(ids)
    suppliers = {s.id: s for s in db.session.scalars(select(Supplier))}
    rows = [_row(p, suppliers.get(p.supplier_id), state[p.id], health[p.sku]) for p in products]
    if only:
        rows = [row for row in rows if ONLY[only](row)]
    return {"since": since, "until": until, "rows": sorted_rows(rows, sort),
            "value": sum(row["value"] for row in rows)}


def _row(product: Product, supplier: Supplier | None, position: dict, kpis: dict) -> dict:
    return {"sku": product.sku, "name": product.name, "unit": product.unit, "critical": product.critical,
            "supplier": supplier.code if supplier else None, "supplier_name": supplier.name if supplier else None,
            "on_hand": position["on_hand"], "reserved": position["reserved"],
            "available": position["on_hand"] - position["reserved"], "on_order": position["on_order"],
            "in_dispatch": position["in_dispatch"],
            **{key: kpis[key] for key in ("wac", "value", "turnover", "coverage_days", "days_since_outflow",
                                          "dormant", "stockouts", "stockout_days", "out_of_stock_now")}}


def sorted_rows(rows: list[dict], sort: str) -> list[dict]:
    """By ``sort`` (a column, ``-`` first for descending), then by SKU; a figure that cannot be told (no cover
    when nothing is shipped) comes last either way."""
    column = sort.lstrip("-")
    descending = sort.startswith("-")
    by_sku = sorted(rows, key=lambda row: row["sku"].casefold())

    def key(row):
        return row[column].casefold() if column in TEXT_COLUMNS else row[column]
    # (a stable sort: equal figures keep the SKU order, in either direction)
    return (sorted((row for row in by_sku if row[column] is not None), key=key, reverse=descending)
            + [row for row in by_sku if row[column] is None])
