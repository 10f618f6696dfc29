"""``flask ledger rebuild``: rewrites wrong, lost and ghost stock levels from the ledger, in one transaction."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import delete, insert, select, update

from server.extensions import db
from server.models import Location, Movement, MovementKind, Product, StockLevel
from server.progress import Progress
from server.services import ledger
from server.services.stamp import Stamp

EXPIRY = date(2030, 1, 31)


def stamp() -> Stamp:
    return Stamp(str(uuid.uuid4()), datetime.now(timezone.utc))


def seed() -> None:
    db.session.add_all([Product(sku="P1", name="Brake fluid", unit="l"), Location(code="A"), Location(code="B")])
    db.session.commit()
    ledger.adjust(stamp(), sku="P1", location="A", qty=Decimal(10), reason="open", lot="L1", expiry=EXPIRY)
    ledger.transfer(stamp(), sku="P1", from_location="A", to_location="B", qty=Decimal("2.5"), lot="L1",
                    kind=MovementKind.PUT_AWAY)


def levels() -> dict:
    rows = db.session.execute(select(Location.code, StockLevel.lot, StockLevel.qty, StockLevel.expiry)
                              .join(Location, Location.id == StockLevel.location_id)).all()
    db.session.rollback()  # read the next state afresh
    return {(code, lot): (qty, expiry) for code, lot, qty, expiry in rows}


def corrupt() -> None:
    """A wrong quantity at A, B's level lost, and a ghost lot at B the ledger never saw."""
    place = {code: id_ for code, id_ in db.session.execute(select(Location.code, Location.id))}
    product = db.session.scalar(select(Product.id))
    db.session.execute(update(StockLevel).where(StockLevel.location_id == place["A"]).values(qty=Decimal(8)))
    db.session.execute(delete(StockLevel).where(StockLevel.location_id == place["B"]))
    db.session.add(StockLevel(product_id=product, location_id=place["B"], lot="GHOST", qty=Decimal(3)))
    db.session.commit()


def test_rebuild_rewrites_every_wrong_level_then_the_check_is_clean(app, ctx):
    seed()
    good = levels()
    corrupt()
    assert app.test_cli_runner().invoke(args=["ledger", "check"]).exit_code == 1
    result = app.test_cli_runner().invoke(args=["ledger", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "3 stock levels corrected" in result.output
    assert "corrected: product" in result.output and "lot GHOST" in result.output
    after = levels()
    assert after[("A", "L1")] == good[("A", "L1")] == (Decimal("7.500"), EXPIRY)
    assert after[("B", "L1")] == (Decimal("2.500"), EXPIRY)  # re-created, with the lot's expiry
    assert after[("B", "GHOST")][0] == 0
    check = app.test_cli_runner().invoke(args=["ledger", "check"])
    assert check.exit_code == 0 and "clean" in check.output, check.output
    again = app.test_cli_runner().invoke(args=["ledger", "rebuild"])
    assert again.exit_code == 0 and "nothing to correct" in again.output


def test_interrupted_rebuild_changes_nothing(app, ctx, monkeypatch):
    seed()
    corrupt()
    before = levels()
    calls = []

    def interrupt_after_a_write(self, done, total=None):
        # Reached once the ledger is read; with batches of one, its corrections are already written by then.
        calls.append(done)
        raise KeyboardInterrupt
    monkeypatch.setattr("server.services.stock_rebuild.FIX_BATCH", 1)
    monkeypatch.setattr(Progress, "update", interrupt_after_a_write)
    result = app.test_cli_runner().invoke(args=["ledger", "rebuild"])
    assert calls and result.exit_code == 130, result.output
    assert "interrupted" in result.output
    assert levels() == before


def test_rebuild_refuses_a_ledger_that_goes_negative(app, ctx):
    seed()
    product = db.session.scalar(select(Product.id))
    place = db.session.scalar(select(Location.id).where(Location.code == "B"))
    now = datetime.now(timezone.utc)
    # Written behind the services' back (they refuse it): more taken out of B than ever went in.
    db.session.execute(insert(Movement).values(client_event_id=str(uuid.uuid4()), kind=int(MovementKind.ADJUSTMENT),
                                               product_id=product, qty=Decimal(5), from_location_id=place, lot="L1",
                                               occurred_at=now, recorded_at=now))
    db.session.commit()
    corrupt()
    before = levels()
    result = app.test_cli_runner().invoke(args=["ledger", "rebuild"])
    assert result.exit_code == 1
    assert "negative" in result.output and "négative" in result.output
    assert levels() == before
