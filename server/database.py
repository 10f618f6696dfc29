"""Engine set-up per database, and the write transaction every service uses.

SQLite: WAL (readers never wait for the writer), foreign keys on, a busy timeout, and write transactions
that begin IMMEDIATE, so concurrent writers queue for the lock at BEGIN instead of failing with
"database is locked" when a read transaction tries to upgrade. PostgreSQL needs none of this: stock rows
are changed with atomic ``qty = qty ± :delta`` statements that take the row lock.
"""
from __future__ import annotations

import fcntl
import logging
import os
import queue
import sqlite3
import threading
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

log = logging.getLogger("tendu.database")
# What the session's BEGIN sends to SQLite: a write transaction sends BEGIN IMMEDIATE itself, see write_transaction.
_begin_sql: ContextVar[str | None] = ContextVar("tendu_sqlite_begin", default="BEGIN")
_local = threading.local()
# SQLite's own automatic checkpoint runs inside the COMMIT of whichever writer crosses 1000 pages of WAL;
# it is switched off, and each process has a PASSIVE checkpoint run every CHECKPOINT_EVERY write
# transactions, on a thread of its own (_checkpoint). (Not by the WAL file's size: the file keeps its size when
# SQLite rewinds it, so a size test would checkpoint — and fsync — after every write once it had grown.)
CHECKPOINT_EVERY = 200
WAL_SIZE_LIMIT = 64 * 1024 * 1024  # what a rewound WAL file is truncated to
# Under sustained writing that PASSIVE checkpoint never quite catches up (the other process appends while it
# copies), and SQLite starts the WAL over only once one has: the file grows without end (bench/load.py: 1.8 GB
# after 40 s of scans), and a read that misses the WAL searches one more index per 4096 frames. So when a fold
# leaves more than REWIND_FRAMES in the WAL, the rest is folded with the writers' queue held, waiting at most
# REWIND_WAIT_MS for readers of older snapshots: the next writer then starts the WAL from its beginning.
REWIND_FRAMES = 4 * 4096
REWIND_WAIT_MS = 50
BUSY_TIMEOUT_MS = 30000


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
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA wal_autocheckpoint=0")  # see _checkpoint
        cursor.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        sql = _begin_sql.get()
        if sql:
            conn.exec_driver_sql(sql)


def _sqlite_file(engine: Engine) -> str | None:
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    return path if path and path != ":memory:" and not path.startswith("file:") else None


def _writer_queue(path: str) -> int:
    """This thread's descriptor on the database's writer lock file (one per thread and process: flock
    excludes across open file descriptions, so threads of a worker queue like separate workers do)."""
    fds = _local.__dict__.setdefault("fds", {})
    key = (os.getpid(), path)
    if key not in fds:
        fds[key] = os.open(path + "-writers.lock", os.O_RDWR | os.O_CREAT, 0o644)
    return fds[key]


_writes = {"count": 0, "lock": threading.Lock()}
# The folds run on one background thread per process (started by the first, so after gunicorn's fork): a fold
# takes 10-80 ms of I/O (it syncs the database file), and run inside the request that crossed CHECKPOINT_EVERY
# it held up every request queued behind that one in its worker (bench/README.md, session 11: the scans'
# p99 went from ~1.8 to ~3 x p50). SQLite releases the interpreter lock while it folds.
_folder: dict = {"pid": None, "jobs": None, "pending": set()}


def _checkpoint(engine: Engine, path: str) -> None:
    """Have the WAL folded into the database every CHECKPOINT_EVERY writes of this process, outside the writer
    queue and outside any request; started over when that left it long (REWIND_FRAMES)."""
    with _writes["lock"]:
        _writes["count"] += 1
        if _writes["count"] < CHECKPOINT_EVERY:
            return
        _writes["count"] = 0
        if _folder["pid"] != os.getpid():
            _folder.update(pid=os.getpid(), jobs=queue.Queue(), pending=set())
            threading.Thread(target=_fold_when_asked, args=(_folder["jobs"],), name="tendu-wal-fold",
                             daemon=True).start()
        if path in _folder["pending"]:  # one fold waiting to start covers every write before it
            return
        _folder["pending"].add(path)
        jobs = _folder["jobs"]
    jobs.put((engine, path))


def wait_for_folds() -> None:
    """Until every fold asked for so far has run (tests; a process that is about to remove its database)."""
    with _writes["lock"]:
        jobs = _folder["jobs"] if _folder["pid"] == os.getpid() else None
    if jobs is not None:
        jobs.join()


def _fold_when_asked(jobs: queue.Queue) -> None:
    while True:
        engine, path = jobs.get()
        with _writes["lock"]:
            _folder["pending"].discard(path)
        try:
            if not os.path.exists(path):  # removed since (a test's database): connecting would make it again
                continue
            if _fold_wal(engine) >= REWIND_FRAMES:
                _rewind_wal(engine, path)
        except (sqlite3.Error, DBAPIError):  # the writes are committed: a fold that failed is tried again later
            log.warning("WAL checkpoint failed", exc_info=True)
        except Exception:  # noqa: BLE001 - the thread must outlive any one fold
            log.exception("WAL checkpoint failed")
        finally:
            jobs.task_done()


def _fold_wal(engine: Engine) -> int:
    """A PASSIVE checkpoint; returns the frames in the WAL."""
    raw = engine.raw_connection()
    try:
        return raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]
    finally:
        raw.close()


def _rewind_wal(engine: Engine, path: str) -> None:
    """Fold what is left with no writer running, so the next writer starts the WAL over (RESTART waits for the
    readers of older snapshots, briefly: if one stays, the next fold tries again)."""
    raw = engine.raw_connection()  # before the queue: writers waiting in it may hold every pooled connection
    try:
        conn = raw.driver_connection
        with _writers_turn(path):
            conn.execute(f"PRAGMA busy_timeout={REWIND_WAIT_MS}")
            try:
                conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
            finally:
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        raw.close()


@contextmanager
def _writers_turn(path: str | None):
    """Wait in the SQLite database's writers' queue (see write_transaction); no queue without a file."""
    if path is None:
        yield
        return
    queue = _writer_queue(path)
    fcntl.flock(queue, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(queue, fcntl.LOCK_UN)


@contextmanager
def write_transaction():
    """One unit of work on the request's session: commit on success, roll back on any error. Never nested.

    On SQLite, writers first queue on an ``flock`` of ``<database>-writers.lock``: they wait in the kernel
    and wake as soon as the previous writer is done, instead of polling SQLite's lock with the busy
    handler's sleeps (up to 100 ms each), which under load wastes the lock and stretches the tail. The
    lock goes with the process if it dies. SQLite's IMMEDIATE lock stays the real arbiter.

    Every other writer waits while one holds the queue, so only SQLite's BEGIN IMMEDIATE, the work and the
    COMMIT happen there: the session takes its pooled connection before (the one the request has read with,
    if any) and gives it back after, with the pool's reset: that was ~0.1 ms of a scan's ~1.4 ms there.
    """
    from server.extensions import db
    session = db.session()
    engine = session.get_bind()
    path = _sqlite_file(engine)
    if path is None:  # PostgreSQL, or SQLite in memory (one connection, no queue)
        if session.in_transaction():
            session.commit()  # what the request read so far (authentication, say): the write starts afresh
        token = _begin_sql.set("BEGIN IMMEDIATE")  # (PostgreSQL has no listener: its BEGIN is the driver's)
        try:
            session.connection()
        finally:
            _begin_sql.reset(token)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        return
    token = _begin_sql.set(None)
    try:
        connection = session.connection()  # the request's connection if it has read already, no SQL
    finally:
        _begin_sql.reset(token)
    if connection.connection.driver_connection.in_transaction:
        # A read (authentication, say) left a deferred transaction open: end it, so the write starts
        # with its own IMMEDIATE lock rather than upgrading a stale snapshot.
        connection.exec_driver_sql("COMMIT")
    with _writers_turn(path):
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield session
            session.flush()
            connection.exec_driver_sql("COMMIT")
        except BaseException:
            session.rollback()
            raise
    session.commit()  # SQLite has nothing left to commit: this ends the session's transaction
    try:
        _checkpoint(engine, path)
    except Exception:  # noqa: BLE001 - the write is committed: its answer must not become an error
        log.exception("WAL checkpoint could not be asked for")


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
