"""SQLite's WAL is folded into the database every CHECKPOINT_EVERY writes of a process, not after each one,
and started over when a fold could not finish while others were writing and reading.

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
    monkeypatch.setattr(database, "_fold_wal", lambda engine: calls.append(engine) or 0)
    monkeypatch.setitem(database._writes, "count", 0)
    return calls


def _writes(app, n: int, prefix: str = "W") -> None:
    """n write transactions, then until the folds they asked for have run (on the process's fold thread)."""
    with app.app_context():
        for i in range(n):
            with write_transaction() as s:
                s.execute(text("INSERT INTO suppliers (code, name, search_key, declared_lead_time_days, "
                               "review_period_days, active) VALUES (:c, 'x', 'x', 7, 7, 1)"), {"c": f"{prefix}{i}"})
    database.wait_for_folds()


def test_checkpoints_every_n_writes_not_each(app, folds):
    _writes(app, 2 * database.CHECKPOINT_EVERY + 5)
    assert len(folds) == 2


def test_no_checkpoint_before_the_threshold(app, folds):
    _writes(app, database.CHECKPOINT_EVERY - 1)
    assert folds == []


def test_no_write_waits_for_a_fold(app, monkeypatch):
    """A fold syncs the database file (10-80 ms): it runs on the process's own thread, so the write that asked
    for it, and the requests behind that one, go on meanwhile."""
    import threading
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
    started, release, released = threading.Event(), threading.Event(), []

    def slow_fold(engine):  # ends when the writes below are done (or gives up after 3 s: it held them up)
        started.set()
        released.append(release.wait(3))
        return 0
    monkeypatch.setattr(database, "_fold_wal", slow_fold)
    monkeypatch.setitem(database._writes, "count", database.CHECKPOINT_EVERY - 1)
    with app.app_context():
        for i in range(3):  # the first asks for the fold; all three are done while it has not finished
            with write_transaction() as s:
                s.execute(text("INSERT INTO suppliers (code, name, search_key, declared_lead_time_days, active) "
                               "VALUES (:c, 'x', 'x', 7, 1)"), {"c": f"S{i}"})
        assert started.wait(10) and not release.is_set()
        assert db.session.execute(text("SELECT count(*) FROM suppliers WHERE code LIKE 'S_'")).scalar() == 3
    release.set()
    database.wait_for_folds()
    assert released == [True]


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


def _wal_frames(app) -> int:
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            return raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]
        finally:
            raw.close()


def test_a_wal_the_fold_could_not_finish_is_started_over(app, monkeypatch, tmp_path):
    """A reader on an old snapshot keeps the fold from finishing (as the other worker's reads do under load);
    once it is gone, the rest is folded and the next write starts the WAL from its beginning."""
    import sqlite3
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        path = db.engine.url.database
    monkeypatch.setattr(database, "CHECKPOINT_EVERY", 20)
    monkeypatch.setattr(database, "REWIND_FRAMES", 1)
    monkeypatch.setitem(database._writes, "count", 0)
    _writes(app, 1, "A")
    reader = sqlite3.connect(path, isolation_level=None, check_same_thread=False)  # left on the fold thread
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM suppliers").fetchone()  # holds the snapshot of that moment
    fold = database._fold_wal

    folded = []

    def fold_then_reader_leaves(engine):
        folded.append(fold(engine))  # cannot fold past the reader's snapshot
        reader.execute("COMMIT")
        return folded[-1]
    monkeypatch.setattr(database, "_fold_wal", fold_then_reader_leaves)
    _writes(app, 19, "B")  # the 20th write of the process folds
    monkeypatch.setattr(database, "CHECKPOINT_EVERY", 10_000)
    _writes(app, 1, "C")
    after = _wal_frames(app)  # (this fold also finishes the job; measured after the write that matters)
    reader.close()
    assert folded and folded[0] >= 20  # twenty writes' frames were in the WAL
    assert after < 10  # one write's frames: the WAL was started over, not appended to


def test_a_fold_that_fails_does_not_fail_the_write_it_follows(app, monkeypatch, caplog):
    import sqlite3

    def broken(engine):
        raise sqlite3.OperationalError("disk I/O error")
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
    monkeypatch.setattr(database, "_fold_wal", broken)
    monkeypatch.setitem(database._writes, "count", database.CHECKPOINT_EVERY - 1)
    with caplog.at_level("WARNING", logger="tendu.database"):
        _writes(app, 1, "F")  # this write folds, and the fold fails
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM suppliers WHERE code = 'F0'")).scalar() == 1
    assert "WAL checkpoint failed" in caplog.text


def test_a_rewind_that_fails_lets_the_next_writer_in(app, monkeypatch):
    import threading

    from sqlalchemy.exc import OperationalError
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")

    def no_connection():
        raise OperationalError("connect", {}, Exception("unable to open database file"))

    def fold_then_break(engine):  # the fold leaves a long WAL, and the rewind will find no connection
        monkeypatch.setattr(engine, "raw_connection", no_connection)
        return database.REWIND_FRAMES
    monkeypatch.setattr(database, "_fold_wal", fold_then_break)
    monkeypatch.setitem(database._writes, "count", database.CHECKPOINT_EVERY - 1)
    _writes(app, 1, "R")  # folds, then the rewind fails with the writers' queue held
    monkeypatch.undo()
    other = threading.Thread(target=_writes, args=(app, 1, "T"), daemon=True)  # its own place in the queue
    other.start()
    other.join(timeout=10)
    assert not other.is_alive(), "the writers' queue was left locked"


def test_a_fold_asked_for_a_database_removed_since_does_not_make_it_again(tmp_path, monkeypatch):
    """A test's database (or one a process removes) may go while its fold waits behind another."""
    import os
    import threading

    from sqlalchemy import create_engine

    def engine_at(path):
        engine = create_engine(f"sqlite:///{path}", **database.engine_options(f"sqlite:///{path}"))
        database.configure(engine)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
        return engine
    busy, gone = engine_at(tmp_path / "busy.db"), engine_at(tmp_path / "gone.db")
    started, release = threading.Event(), threading.Event()
    real = database._fold_wal

    def fold(engine):
        if engine is busy:  # a fold that takes a while (it syncs the file)
            started.set()
            release.wait(5)
        return real(engine)
    monkeypatch.setattr(database, "_fold_wal", fold)
    for engine, name in ((busy, "busy.db"), (gone, "gone.db")):
        monkeypatch.setitem(database._writes, "count", database.CHECKPOINT_EVERY - 1)
        database._checkpoint(engine, str(tmp_path / name))
        assert started.wait(5)
    gone.dispose()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(tmp_path / f"gone.db{suffix}"):
            os.remove(tmp_path / f"gone.db{suffix}")
    release.set()
    database.wait_for_folds()
    busy.dispose()
    assert not (tmp_path / "gone.db").exists()
