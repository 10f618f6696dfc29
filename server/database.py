"""Engine set-up per database, and the write transaction every service uses.

SQLite: WAL (readers never wait for the writer), foreign keys on, a busy timeout, and write transactions
that begin IMMEDIATE, so concurrent writers queue for the lock at BEGIN instead of failing with
"database is locked" when a read transaction tries to upgrade. PostgreSQL needs none of this: stock rows
are changed with atomic ``qty = qty ± :delta`` statements that take the row lock.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

_immediate: ContextVar[bool] = ContextVar("tendu_sqlite_immediate", default=False)


def engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30, "check_same_thread": False}}
    return {"pool_pre_ping": True}


def configure(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")


@contextmanager
def write_transaction():
    """One unit of work on the request's session: commit on success, roll back on any error. Never nested."""
    from server.extensions import db
    session = db.session()
    if session.in_transaction():
        # A read (authentication, say) left a deferred transaction open: end it, so the write starts
        # with its own IMMEDIATE lock rather than upgrading a stale snapshot.
        session.commit()
    token = _immediate.set(True)
    try:
        session.connection()  # BEGIN (IMMEDIATE on SQLite) happens here
    finally:
        _immediate.reset(token)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


# PostgreSQL's "deadlock detected" and "could not serialize": the transaction was rolled back whole and
# may simply be run again.
RETRYABLE = {"40P01", "40001"}


def retrying(work, attempts: int = 3):
    """Run ``work()`` (which opens its own write transaction) again after a deadlock or serialisation abort."""
    from sqlalchemy.exc import OperationalError
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) not in RETRYABLE or attempt == attempts - 1:
                raise
