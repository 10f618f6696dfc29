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
