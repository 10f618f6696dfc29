"""Migrations upgrade a database that holds data, not only an empty one (SQLite copies tables to alter them)."""
from datetime import datetime, timezone

from flask_migrate import upgrade
from sqlalchemy import text

from server import create_app
from server.extensions import db

NOW = datetime(2026, 1, 5, 8, tzinfo=timezone.utc).isoformat()
ROWS = [
    "INSERT INTO products (id, sku, name, unit, unit_cost, active, critical, moq, pack_multiple, policy_overrides,"
    " created_at, updated_at) VALUES (1, 'P1', 'Pad', 'pce', 0, 1, 0, 0, 1000, '{}', :now, :now)",
    "INSERT INTO locations (id, code, name, kind, walk_order, active) VALUES (1, 'A', '', 'bin', 0, 1)",
    "INSERT INTO customers (id, code, name, active) VALUES (1, 'C', 'Garage', 1), (2, 'C2', 'ÉQUERRE & Cœur', 1)",
    "INSERT INTO sales_orders (id, number, customer_id, status, ordered_at, created_at)"
    " VALUES (1, 'SO-000001', 1, 'ordered', :now, :now)",
    "INSERT INTO sales_order_lines (id, order_id, product_id, qty_ordered, unit_price, qty_reserved)"
    " VALUES (1, 1, 1, 2000, 0, 2000)",
    "INSERT INTO movements (id, client_event_id, kind, product_id, qty, to_location_id, lot, so_line_id,"
    " occurred_at, recorded_at) VALUES (1, 'c1', 5, 1, 5000, 1, '', 1, :now, :now)",
    "INSERT INTO stock_levels (id, product_id, location_id, lot, qty) VALUES (1, 1, 1, '', 5000)",
    "INSERT INTO suppliers (id, code, name, declared_lead_time_days, review_period_days, active)"
    " VALUES (1, 'S', 'Acme', 7, 7, 1), (2, 'F', 'Fortnightly', 7, 14, 1)",
]


def test_upgrade_from_the_first_migration_keeps_every_row(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}", "SQLALCHEMY_ENGINE_OPTIONS": {}})
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            for sql in ROWS:
                conn.execute(text(sql), {"now": NOW})
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() != "0001"
            assert conn.execute(text("SELECT qty_short FROM sales_order_lines")).scalar() == 0
            assert conn.execute(text("SELECT COUNT(*) FROM movements WHERE so_line_id = 1")).scalar() == 1
            # the default 7 was used by nothing: cleared, the plan stays continuous; a period chosen is kept (0005)
            periods = dict(conn.execute(text("SELECT code, review_period_days FROM suppliers")).all())
            assert periods == {"S": None, "F": 14}
            # existing rows are given their search key, folded (0008)
            keys = dict(conn.execute(text("SELECT code, search_key FROM customers")).all())
            assert keys == {"C": "c garage", "C2": "c2 equerre & coeur"}
            assert conn.execute(text("SELECT search_key FROM products")).scalar() == "p1 pad"
            assert conn.execute(text("SELECT search_key FROM suppliers WHERE code = 'F'")).scalar() == "f fortnightly"
        result = app.test_cli_runner().invoke(args=["ledger", "check"])
        assert result.exit_code == 0, result.output
        db.session.remove()
