"""A database holding demo data at the first migration upgrades to the latest without losing anything.

On the suite's kind of database (a SQLite file, or a fresh PostgreSQL database made for the test and dropped
after it). The demo writes through today's services, which match the latest schema, so the 0001 database
is made the way an old installation's would have to be brought back to it:

1. migrate to the latest revision, play a short demo (a month, 40 products) and a few scans through the
   scan service (a look-up, a refusal, a transfer, a count held for a supervisor then accepted), so every
   table an old installation could have filled has rows;
2. downgrade to 0001 — what an installation at 0001 holds: the 0001 tables with their 0001 columns;
3. record, per table, the row count and a digest of every row (all its 0001 columns), and check the ledger;
4. upgrade to the latest revision and compare: same tables, same rows, same values; the columns added
   since have their defaults; the ledger check is clean; the models match the schema; and a new scan can
   still be applied on the upgraded data.

The downgrade drops what 0001 cannot hold (short quantities, scan decisions, the audit log): these are the
columns and tables the upgrade then adds back, empty or at their defaults, which step 4 checks. One value is
changed by design: a supplier's review period of 7, the old default that nothing used, becomes none (0005).
"""
from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timezone

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from server import create_app
from server.config import ROOT
from server.extensions import db
from server.models import Barcode, Base, Location, StockLevel, User
from server.models.base import utcnow
from tests.system.support import fresh_database

FIRST = "0001"
DAYS, PRODUCTS = 30, 40
DEMO_UNTIL = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)  # the same demo on every run


def head_revision() -> str:
    from alembic.config import Config
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


def version() -> str:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def snapshot() -> dict[str, dict]:
    """Per table: its columns, its row count, and a digest of all its rows (ordered by id)."""
    out = {}
    with db.engine.connect() as conn:
        found = inspect(conn)
        for table in found.get_table_names():
            if table == "alembic_version":
                continue
            columns = sorted(c["name"] for c in found.get_columns(table))
            kept = [c for c in columns if c not in CHANGED_BY_DESIGN.get(table, ())]
            out[table] = {"columns": columns, **_rows(conn, table, columns),
                          "kept_digest": _rows(conn, table, kept)["digest"]}
    return out


def _rows(conn, table: str, columns: list[str]) -> dict:
    listed = ", ".join(columns)
    digest, count = hashlib.sha256(), 0
    for row in conn.execute(text(f"SELECT {listed} FROM {table} ORDER BY id")):
        digest.update(repr(tuple(row)).encode())
        count += 1
    return {"count": count, "digest": digest.hexdigest()}


def scan(code: str, action: str, context: dict, user_id: int):
    from server.services import scans
    from server.services.scans.common import Scan
    return scans.apply(Scan(str(uuid.uuid4()), code, utcnow(), action, context, user_id, "upgrade-test"))


def some_scans() -> dict[str, int]:
    """A few scans on the demo's data, through the service every device uses; returns outcomes seen."""
    from server.services import scans
    operator = db.session.scalar(select(User.id).where(User.role == "operator"))
    supervisor = db.session.scalar(select(User.id).where(User.role == "supervisor"))
    # A bin holding an untracked item (no lot), and its barcode.
    level = db.session.scalars(select(StockLevel).join(Location, Location.id == StockLevel.location_id)
                               .where(Location.kind == "bin", StockLevel.lot == "", StockLevel.qty >= 2)
                               .order_by(StockLevel.id)).first()
    assert level is not None, "the demo left no stock in any bin"
    bin_code = db.session.get(Location, level.location_id).code
    barcode = db.session.scalar(select(Barcode.code).where(Barcode.product_id == level.product_id,
                                                           Barcode.pack_qty == 1).order_by(Barcode.id))
    other_bin = db.session.scalar(select(Location.code).where(Location.kind == "bin", Location.code != bin_code)
                                  .order_by(Location.id))
    expected = level.qty
    outcomes = [
        scan(barcode, "lookup", {}, operator),
        scan("0000000000000", "lookup", {}, operator),              # bad check digit: refused
        scan(barcode, "transfer", {"from": bin_code, "to": other_bin, "qty": 1}, operator),
    ]
    held = scan(barcode, "count", {"bin": bin_code, "qty": int(expected) + 500}, operator)
    outcomes.append(held)
    assert held[1]["outcome"] == "pending", held
    outcomes.append(scans.decide(held[1]["client_event_id"], accept=True, note="recounted", user_id=supervisor))
    db.session.remove()
    seen: dict[str, int] = {}
    for _, body in outcomes:
        seen[body["outcome"]] = seen.get(body["outcome"], 0) + 1
    return seen


def demo_database_at_first_revision() -> dict[str, int]:
    """Step 1 and 2: the demo and a few scans at the latest revision, then down to 0001. Returns the scans' outcomes."""
    from server.services.demo import generate
    upgrade()
    generate(seed=11, days=DAYS, products=PRODUCTS, echo=lambda *_: None, now=DEMO_UNTIL)
    outcomes = some_scans()
    assert {"looked_up", "refused", "applied"} <= set(outcomes), outcomes
    downgrade(revision=FIRST)
    assert version() == FIRST
    return outcomes


# Values a migration changes on purpose, checked on their own (``assert_additions_at_defaults``).
CHANGED_BY_DESIGN = {"suppliers": {"review_period_days"}}


def assert_nothing_lost(before: dict[str, dict], after: dict[str, dict]) -> None:
    """Every table of ``before`` is in ``after`` with the same rows (all of its old columns compared, but those
    changed by design)."""
    assert set(before) <= set(after), f"tables lost: {set(before) - set(after)}"
    with db.engine.connect() as conn:
        for table, was in before.items():
            assert set(was["columns"]) <= set(after[table]["columns"]), f"{table}: columns lost"
            kept = [c for c in was["columns"] if c not in CHANGED_BY_DESIGN.get(table, ())]
            now = _rows(conn, table, kept)
            assert now == {"count": was["count"], "digest": was["kept_digest"]}, \
                f"{table}: rows changed by the upgrade ({was['count']} before, {now['count']} after)"


def assert_additions_at_defaults(before: dict[str, dict], after: dict[str, dict]) -> None:
    """What the upgrade added: new tables empty, new columns at their defaults, models and schema agreeing."""
    assert all(after[t]["count"] == 0 for t in set(after) - set(before)), after
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM sales_order_lines WHERE qty_short <> 0")).scalar() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM scan_events"
                                 " WHERE decided_by_id IS NOT NULL OR decided_at IS NOT NULL")).scalar() == 0
        # at 0001 every supplier held the unused default 7: reviewed daily now, as they were planned before
        assert conn.execute(text("SELECT COUNT(*) FROM suppliers WHERE review_period_days IS NOT NULL")).scalar() == 0
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == [], diff


def test_a_demo_database_at_the_first_migration_upgrades_to_the_latest_without_loss(tmp_path):
    from server.queries.ledger_check import differences

    with fresh_database(tmp_path) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}})
        with app.app_context():
            try:
                outcomes = demo_database_at_first_revision()
                before = snapshot()
                # Every 0001 table holds rows but the token table (the demo signs nobody in).
                assert sorted(t for t, s in before.items() if s["count"] == 0) == ["api_tokens"], before
                assert differences() == [], "the ledger was inconsistent before the upgrade"
                print(f"at {FIRST}: scans {outcomes}; rows {({t: v['count'] for t, v in before.items()})}")

                upgrade()
                assert version() == head_revision() != FIRST
                after = snapshot()
                assert_nothing_lost(before, after)
                assert_additions_at_defaults(before, after)
                assert differences() == [], "the ledger check is not clean after the upgrade"

                # The upgraded database is usable: more scans, and the ledger still agrees.
                assert "applied" in some_scans()
                assert differences() == []
            finally:
                db.session.remove()
                db.engine.dispose()
