"""``flask ledger check``: clean after real work, exit 1 with the difference after a corruption."""
from datetime import datetime, timezone
from decimal import Decimal
import uuid

from sqlalchemy import select, update

from server.extensions import db
from server.models import Location, MovementKind, Product, StockLevel
from server.services import ledger
from server.services.stamp import Stamp


def now():
    return datetime.now(timezone.utc)


def seed():
    db.session.add_all([Product(sku="P1", name="Brake fluid", unit="l"), Location(code="A"), Location(code="B")])
    db.session.commit()
    ledger.adjust(Stamp(str(uuid.uuid4()), now()), sku="P1", location="A", qty=Decimal(10), reason="open", lot="L1")
    ledger.transfer(Stamp(str(uuid.uuid4()), now()), sku="P1", from_location="A", to_location="B",
                    qty=Decimal("2.5"), lot="L1", kind=MovementKind.PUT_AWAY)


def test_check_is_clean_after_real_movements(app, ctx):
    seed()
    result = app.test_cli_runner().invoke(args=["ledger", "check"])
    assert result.exit_code == 0, result.output
    assert "clean" in result.output


def test_corrupted_level_is_reported_and_exits_1(app, ctx):
    seed()
    db.session.execute(update(StockLevel).where(StockLevel.qty == Decimal("7.5")).values(qty=Decimal(8)))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["ledger", "check"])
    assert result.exit_code == 1
    assert "ledger says 7.5" in result.output and "cached level says 8" in result.output


def test_level_without_any_movement_is_reported(app, ctx):
    seed()
    product = db.session.scalar(select(Product.id))
    place = db.session.scalar(select(Location.id).where(Location.code == "B"))
    db.session.add(StockLevel(product_id=product, location_id=place, lot="GHOST", qty=Decimal(3)))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["ledger", "check"])
    assert result.exit_code == 1 and "lot GHOST" in result.output
