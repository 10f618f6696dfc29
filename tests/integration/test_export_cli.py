"""``flask export DIR``: every table, one file each, as many rows as the database holds; refuses a full DIR."""
from __future__ import annotations

import csv
import json
import uuid
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import (AuditEntry, Barcode, Customer, Location, Movement, Product, PurchaseOrder,
                           PurchaseOrderEvent, PurchaseOrderLine, SalesOrder, SalesOrderEvent, SalesOrderLine,
                           ScanEvent, StockLevel, Supplier, User)
from server.queries.exports import ALL_EXPORTS
from server.services import ledger, purchasing, sales
from server.services.stamp import Stamp


def stamp() -> Stamp:
    return Stamp(str(uuid.uuid4()), datetime.now(timezone.utc))


@pytest.fixture
def business(app, ctx, tokens):
    """A little of everything: master data, stock, a received purchase order, a sales order, a scan, an audit entry."""
    db.session.add_all([Supplier(code="ACME", name="Acme"), Customer(code="C1", name="=Garage"),
                        Location(code="DOCK", kind="dock"), Location(code="DISPATCH", kind="dispatch"),
                        Location(code="A-01", kind="bin"),
                        Product(sku="P1", name="Brake fluid", unit="l", barcodes=[Barcode(code="04006381333931")]),
                        Product(sku="P2", name="Disc")])
    db.session.commit()
    ledger.adjust(stamp(), sku="P1", location="A-01", qty=Decimal("12.5"), reason="open", lot="L1")
    ledger.adjust(stamp(), sku="P2", location="A-01", qty=Decimal(3), reason="open")
    order = purchasing.create_order(supplier="ACME", lines=[{"sku": "P1", "qty": 10}, {"sku": "P2", "qty": 4}])
    purchasing.record_event(stamp(), number=order.number, kind="ordered")
    purchasing.receive(stamp(), number=order.number, line_id=order.lines[0].id, qty=Decimal(10), dock="DOCK")
    sales.create_order(stamp(), customer="C1", lines=[{"sku": "P2", "qty": 2}])
    admin = db.session.scalar(select(User.id).where(User.role == "admin"))
    db.session.add_all([
        ScanEvent(client_event_id=str(uuid.uuid4()), raw_code="4006381333931", action="lookup", outcome="looked_up",
                  status=200, occurred_at=datetime.now(timezone.utc)),
        AuditEntry(user_id=admin, role="admin", method="POST", path="/api/v1/products", status=201,
                   body={"sku": "P3"})])
    db.session.commit()


def expected_rows() -> dict[str, int]:
    """Counted in SQL, independently of the exports' own estimates."""
    def count(model, *where):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    def orders(order, line):
        bare = count(order, ~select(line.id).where(line.order_id == order.id).exists())
        return count(line) + bare
    return {
        "products": count(Product), "locations": count(Location), "suppliers": count(Supplier),
        "customers": count(Customer), "stock": count(StockLevel, StockLevel.qty != 0), "movements": count(Movement),
        "purchase-orders": orders(PurchaseOrder, PurchaseOrderLine), "sales-orders": orders(SalesOrder, SalesOrderLine),
        "purchase-order-events": count(PurchaseOrderEvent), "sales-order-events": count(SalesOrderEvent),
        "scans": count(ScanEvent), "users": count(User), "audit-log": count(AuditEntry)}


def test_csv_export_writes_every_table_with_every_row(app, business, tmp_path):
    expected = expected_rows()
    assert set(expected) == set(ALL_EXPORTS) and all(expected.values()), expected
    result = app.test_cli_runner().invoke(args=["export", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    manifest = json.loads((out / "manifest.json").read_text())
    assert {name: t["rows"] for name, t in manifest["tables"].items()} == expected
    for name, rows in expected.items():
        with open(out / f"{name}.csv", newline="", encoding="utf-8") as f:
            header, *data = list(csv.reader(f))
        assert tuple(header) == ALL_EXPORTS[name].columns
        assert len(data) == rows, name
    customers = (out / "customers.csv").read_text(encoding="utf-8")
    assert "'=Garage" in customers  # same spreadsheet guard as the HTTP export
    assert "password" not in (out / "users.csv").read_text() and "pbkdf2" not in (out / "users.csv").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary directory left
    assert "export: done" in result.output


def test_json_export_is_json_lines_with_exact_values(app, business, tmp_path):
    expected = expected_rows()
    result = app.test_cli_runner().invoke(args=["export", str(tmp_path / "out"), "--format", "json"])
    assert result.exit_code == 0, result.output
    for name, rows in expected.items():
        lines = (tmp_path / "out" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == rows, name
        assert all(set(json.loads(line)) == set(ALL_EXPORTS[name].columns) for line in lines)
    stock = [json.loads(line) for line in (tmp_path / "out" / "stock.jsonl").read_text().splitlines()]
    assert {"sku": "P1", "lot": "L1", "qty": "12.5"}.items() <= next(r for r in stock if r["lot"] == "L1").items()
    assert json.loads((tmp_path / "out" / "customers.jsonl").read_text().splitlines()[0])["name"] == "=Garage"


def test_export_refuses_a_directory_with_files_and_leaves_it_alone(app, business, tmp_path):
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine")
    result = app.test_cli_runner().invoke(args=["export", str(full)])
    assert result.exit_code == 1
    assert "not an empty directory" in result.output and "pas un dossier vide" in result.output
    assert [p.name for p in full.iterdir()] == ["keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]


def test_http_export_still_streams_the_same_tables(client, business, tokens):
    res = client.get("/api/v1/exports/movements.csv", headers=tokens["supervisor"])
    assert res.status_code == 200
    assert res.data.decode().splitlines()[0].startswith("id,client_event_id,kind,kind_code,sku")
    assert client.get("/api/v1/exports/users.csv", headers=tokens["supervisor"]).status_code == 404
