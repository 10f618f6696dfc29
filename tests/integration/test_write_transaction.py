"""What a write transaction does while every other writer waits, and how the session runs Core statements.

On SQLite a write holds the writers' queue (``<database>-writers.lock``) from BEGIN IMMEDIATE to COMMIT and
no longer: the pooled connection is taken before and given back after, so the pool's work never makes the
next writer wait. The session runs Core statements on its connection directly, in the same transaction.
"""
from __future__ import annotations

import fcntl
import os

import pytest
from sqlalchemy import event, func, insert, select, text

from server.database import write_transaction
from server.extensions import db
from server.models import Supplier

SUPPLIERS = Supplier.__table__


def _queue_held(path: str) -> bool:
    """Is the writers' queue held? (flock conflicts between open file descriptions, even in one thread.)"""
    fd = os.open(path + "-writers.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _supplier(code: str) -> dict:
    return {"code": code, "name": "x", "search_key": f"{code.lower()} x", "declared_lead_time_days": 7,
            "review_period_days": 7, "active": True}


@pytest.fixture
def sqlite_file(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite" or not db.engine.url.database:
            pytest.skip("the writers' queue is SQLite's, on a file")
        return db.engine.url.database


def test_the_queue_covers_begin_to_commit_and_not_the_pool(app, sqlite_file):
    seen = []
    with app.app_context():
        engine = db.engine

        def pool(name):
            return lambda *_: seen.append((name, _queue_held(sqlite_file)))

        def statement(_conn, _cursor, sql, *_):
            seen.append((sql.split()[0], _queue_held(sqlite_file)))

        listeners = [(engine.pool, "checkout", pool("checkout")), (engine.pool, "checkin", pool("checkin")),
                     (engine, "before_cursor_execute", statement)]
        for target, name, fn in listeners:
            event.listen(target, name, fn)
        try:
            db.session.commit()  # start from a session holding no connection
            seen.clear()
            with write_transaction() as s:
                s.execute(insert(SUPPLIERS), _supplier("Q1"))
        finally:
            for target, name, fn in listeners:
                event.remove(target, name, fn)
        assert db.session.scalar(select(func.count()).where(SUPPLIERS.c.code == "Q1")) == 1
    assert seen == [("checkout", False), ("BEGIN", True), ("INSERT", True), ("COMMIT", True), ("checkin", False)]


def test_a_write_after_a_read_ends_the_read_and_keeps_its_connection(app, sqlite_file):
    seen = []
    with app.app_context():
        engine = db.engine
        listeners = [(engine.pool, "checkout", lambda *_: seen.append("checkout")),
                     (engine.pool, "checkin", lambda *_: seen.append("checkin")),
                     (engine, "before_cursor_execute", lambda _c, _k, sql, *_: seen.append(sql.split()[0]))]
        for target, name, fn in listeners:
            event.listen(target, name, fn)
        try:
            db.session.commit()
            seen.clear()
            db.session.execute(select(SUPPLIERS.c.id).where(SUPPLIERS.c.code == "nobody")).first()  # a read
            with write_transaction() as s:
                s.execute(insert(SUPPLIERS), _supplier("Q6"))
        finally:
            for target, name, fn in listeners:
                event.remove(target, name, fn)
    # The read's snapshot ends before the write's IMMEDIATE lock; one connection for both.
    assert seen == ["checkout", "BEGIN", "SELECT", "COMMIT", "BEGIN", "INSERT", "COMMIT", "checkin"]


def test_a_failed_write_leaves_nothing_and_frees_the_queue(app, sqlite_file):
    with app.app_context():
        with pytest.raises(RuntimeError):
            with write_transaction() as s:
                s.execute(insert(SUPPLIERS), _supplier("Q2"))
                assert _queue_held(sqlite_file)
                raise RuntimeError("the handler refused")
        assert not _queue_held(sqlite_file)
        assert db.session.scalar(select(func.count()).where(SUPPLIERS.c.code == "Q2")) == 0
        with write_transaction() as s:  # the next write is not blocked by a transaction left open
            s.execute(insert(SUPPLIERS), _supplier("Q3"))
        assert db.session.scalar(select(func.count()).where(SUPPLIERS.c.code == "Q3")) == 1


def test_orm_objects_added_in_a_write_are_flushed_before_its_commit(app):
    with app.app_context():
        with write_transaction() as s:
            s.add(Supplier(**_supplier("Q4")))
        db.session.expunge_all()
        assert db.session.scalar(select(Supplier).where(Supplier.code == "Q4")).name == "x"


def test_core_statements_run_in_the_session_transaction_and_orm_ones_as_before(app):
    orm_statements = []
    with app.app_context():
        session = db.session()
        listener = lambda state: orm_statements.append(state.statement)  # noqa: E731
        event.listen(session, "do_orm_execute", listener)
        try:
            session.execute(insert(SUPPLIERS), _supplier("Q5"))
            assert session.in_transaction()
            assert session.execute(select(SUPPLIERS.c.name).where(SUPPLIERS.c.code == "Q5")).scalar_one() == "x"
            session.rollback()
            assert session.execute(text("SELECT count(*) FROM suppliers WHERE code = 'Q5'")).scalar_one() == 0
            assert orm_statements == []  # Core statements skip the ORM's execution machinery
            found = session.execute(select(Supplier).where(Supplier.code == "nobody")).scalars().all()
            assert found == [] and len(orm_statements) == 1  # ORM statements still go through it
            options = session.execute(text("SELECT 1"), execution_options={"tendu_probe": True})
            assert options.scalar_one() == 1 and len(orm_statements) == 2  # and so do calls with options
        finally:
            event.remove(session, "do_orm_execute", listener)
            session.rollback()
