"""SQLite's WAL is folded into the database every CHECKPOINT_EVERY writes of a process, not after each one.

A checkpoint syncs the database file: run after every write it costs more than the write itself. (A test
on the WAL file's size did exactly that once the file had grown, since SQLite rewinds it without shrinking.)
"""
from __future__ import annotations

import pytest
from sqlalchemy import text

from server import database
from server.database import write_transaction
from server.extensions import db


@pytest.fixture
def folds(app, monkeypatch):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only: PostgreSQL checkpoints on its own")
    calls = []
    monkeypatch.setattr(database, "_fold_wal", lambda engine: calls.append(engine))
    monkeypatch.setitem(database._writes, "count", 0)
    return calls


def _writes(app, n: int) -> None:
    with app.app_context():
        for i in range(n):
            with write_transaction() as s:
                s.execute(text("INSERT INTO suppliers (code, name, declared_lead_time_days, review_period_days, active) VALUES (:c, 'x', 7, 7, 1)"), {"c": f"W{i}"})


def test_checkpoints_every_n_writes_not_each(app, folds):
    _writes(app, 2 * database.CHECKPOINT_EVERY + 5)
    assert len(folds) == 2


def test_no_checkpoint_before_the_threshold(app, folds):
    _writes(app, database.CHECKPOINT_EVERY - 1)
    assert folds == []


def test_a_real_checkpoint_empties_the_wal(app, monkeypatch):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
    monkeypatch.setitem(database._writes, "count", 0)
    _writes(app, database.CHECKPOINT_EVERY)  # the last write folds the WAL
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            busy, log, done = raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            raw.close()
    assert busy == 0 and log == done  # nothing was left behind for this one to do but what it just did
