"""What a scan reads of its order comes from indexes alone (SQLite's plan says so), so a scan does not cost
more for an order that has already had hundreds of scans."""
import pytest

from server.extensions import db
from server.services import order_rows

STATEMENTS = {
    "purchase order header and events": (order_rows._PO_HEADER, {"number": "PO-1"}),
    "sales order header and events": (order_rows._SO_HEADER, {"number": "SO-1"}),
    "purchase lines and received": (order_rows._PO_LINES, {"order_id": 1}),
    "sales lines and picked": (order_rows._SO_LINES, {"order_id": 1}),
}


def _plan(statement, params) -> list[str]:
    compiled = statement.compile(db.engine)
    values = compiled.construct_params(params)
    ordered = [values[name] for name in compiled.positiontup]
    with db.engine.connect() as conn:
        return [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled.string}", tuple(ordered))]


@pytest.mark.parametrize("name", STATEMENTS)
def test_an_orders_movements_and_events_are_read_from_covering_indexes(ctx, name):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan is checked on SQLite (PostgreSQL plans by its statistics)")
    plan = _plan(*STATEMENTS[name])
    touched = [step for step in plan if " movements " in f"{step} " or "_events " in f"{step} "]
    assert touched, plan
    assert all("COVERING INDEX" in step for step in touched), plan


def test_the_indexes_exist_on_every_database(ctx):
    from sqlalchemy import inspect
    names = {table: {ix["name"] for ix in inspect(db.engine).get_indexes(table)}
             for table in ("movements", "purchase_order_events", "sales_order_events")}
    assert {"ix_movements_po_line_id_kind_qty", "ix_movements_so_line_id_kind_qty"} <= names["movements"]
    assert "ix_purchase_order_events_summary" in names["purchase_order_events"]
    assert "ix_sales_order_events_summary" in names["sales_order_events"]
    assert "ix_movements_po_line_id" not in names["movements"]  # replaced, not kept beside
