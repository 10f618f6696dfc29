"""`flask import KIND FILE`: the HTTP import from a terminal, with progress; a refused file writes nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from server.extensions import db
from server.models import Product


def _products(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Product))


def test_imports_products_and_reports_progress(app, ctx, tmp_path):
    path = tmp_path / "products.csv"
    path.write_text("sku,name,unit\n" + "".join(f"IMP-{n},Part {n},pce\n" for n in range(250)), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import", "products", str(path)])
    assert result.exit_code == 0, result.output
    assert "250 rows imported" in result.output
    assert "import products: done, 250" in result.output  # the progress line, plain when not a terminal
    assert _products(app) == 250


def test_a_refused_row_imports_nothing_and_exits_1(app, ctx, tmp_path):
    path = tmp_path / "products.csv"
    path.write_text("sku,name\nGOOD-1,Good\n,No sku\nGOOD-2,Good too\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import", "products", str(path)])
    assert result.exit_code == 1
    assert "line 3:" in result.output and "nothing imported" in result.output
    assert _products(app) == 0
    partial = app.test_cli_runner().invoke(args=["import", "products", str(path), "--partial"])
    assert partial.exit_code == 0 and "2 rows imported" in partial.output and _products(app) == 2


def test_imports_suppliers_then_customers_from_their_exports_columns(app, ctx, tmp_path):
    from server.models import Customer, Supplier
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text("code;name;email;declared_lead_time_days;review_period_days;ordering_cost;active\n"
                         "ACME;Acme;;3,5;7;12,5;oui\nBOLT;Bolt;;;;;\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import", "suppliers", str(suppliers)])
    assert result.exit_code == 0 and "2 rows imported" in result.output, result.output
    customers = tmp_path / "customers.csv"
    customers.write_text("code,name,email,active\nGARAGE,Garage,,\ngarage,Twin,,\n", encoding="utf-8")
    refused = app.test_cli_runner().invoke(args=["import", "customers", str(customers)])
    assert refused.exit_code == 1 and "line 3: code: customer GARAGE is on an earlier line already." in refused.output
    with app.app_context():
        acme = db.session.scalar(select(Supplier).where(Supplier.code == "ACME"))
        assert (acme.declared_lead_time_days, acme.review_period_days, float(acme.ordering_cost)) == (3.5, 7, 12.5)
        assert db.session.scalar(select(func.count()).select_from(Customer)) == 0
