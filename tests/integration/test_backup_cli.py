"""``flask backup`` and ``flask restore`` in process, on the suite's database (SQLite or PostgreSQL).

The round trip under load, into a fresh database, is tests/system/test_backup.py.
"""
from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone
from decimal import Decimal

from server.extensions import db
from server.models import Location, Product
from server.services import ledger
from server.services.stamp import Stamp
from tests.conftest import fingerprint


def seed() -> None:
    db.session.add_all([Product(sku="P1", name="Pad"), Location(code="A")])
    db.session.commit()
    ledger.adjust(Stamp(str(uuid.uuid4()), datetime.now(timezone.utc)), sku="P1", location="A", qty=Decimal(4),
                  reason="open")


def test_backup_writes_the_file_and_only_it(app, ctx, tmp_path):
    seed()
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "tendu.backup")])
    assert result.exit_code == 0, result.output
    assert "backup: done" in result.output  # plain progress lines: the runner's stderr is no terminal
    assert [p.name for p in tmp_path.iterdir()] == ["tendu.backup"]
    assert (tmp_path / "tendu.backup").stat().st_size > 1000


def test_restore_into_a_database_with_data_is_refused_and_changes_nothing(app, ctx, tmp_path):
    seed()
    backup = tmp_path / "tendu.backup"
    assert app.test_cli_runner().invoke(args=["backup", str(backup)]).exit_code == 0
    before = fingerprint()
    result = app.test_cli_runner().invoke(args=["restore", str(backup)])
    assert result.exit_code == 1
    assert "not empty" in result.output and "pas vide" in result.output
    assert "movements" in result.output  # names a table that has rows
    assert fingerprint() == before


def test_backup_into_a_missing_directory_is_refused(app, ctx, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "nowhere" / "tendu.backup")])
    assert result.exit_code == 1 and "No directory" in result.output
    assert list(tmp_path.iterdir()) == []


def test_backup_onto_an_existing_file_is_refused_unless_forced(app, ctx, tmp_path):
    """The file may be the last good backup: a mistyped or repeated command must not replace it silently."""
    seed()
    target = tmp_path / "tendu.backup"
    target.write_bytes(b"the last good backup")
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 1 and "exists already" in result.output and "--force" in result.output
    assert target.read_bytes() == b"the last good backup"
    assert [p.name for p in tmp_path.iterdir()] == ["tendu.backup"]  # no temporary file left either
    result = app.test_cli_runner().invoke(args=["backup", "--force", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 1000


def test_sqlite_backup_is_one_snapshot_and_ends_while_writers_go_on(tmp_path, monkeypatch):
    """SQLite's backup restarts from page one whenever another connection writes between two steps, unless
    the source keeps one read transaction open: under steady writes it would then never end."""
    import os
    import sqlite3
    import threading

    from server import create_app
    from server.services import backup as copies

    source = tmp_path / "busy.db"
    con = sqlite3.connect(source, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)")
    con.executemany("INSERT INTO t (v) VALUES (?)", [(os.urandom(1000),) for _ in range(8000)])
    con.close()
    stop, writes = threading.Event(), []

    def writer():
        w = sqlite3.connect(source, isolation_level=None, timeout=30)
        while not stop.is_set():
            w.execute("INSERT INTO t (v) VALUES (?)", (os.urandom(1000),))
            writes.append(1)
        w.close()
    steps = []

    def progress(done, total):
        steps.append(done)
        assert len(steps) < 500, "the backup keeps restarting"
        time.sleep(0.002)  # let the writer in between steps
    monkeypatch.setattr(copies, "PAGES_PER_STEP", 100)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{source}"})
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        with app.app_context():
            copies.backup(tmp_path / "copy.db", on_progress=progress)
    finally:
        stop.set()
        thread.join()
    assert writes and len(steps) <= 100, len(steps)  # ~2,200 pages / 100 a step, no restart
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert 8000 <= copy.execute("SELECT COUNT(*) FROM t").fetchone()[0] < 8000 + len(writes)
