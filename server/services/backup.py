"""Copies of the database: an online backup while Tendu serves, and a restore into an empty database.

Nothing is ever half-written: the backup file appears whole or not at all (``files.replaced_on_success``),
and a restore is one transaction, so an interrupted one leaves the database as it was.
Both take ``on_progress(done, total)``; the command line passes a ``server.progress.Progress``.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections import deque
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url

from server.domain.errors import Conflict, Invalid, NotFound
from server.extensions import db
from server.progress import OnProgress, ignore
from server.services.files import replaced_on_success

PAGES_PER_STEP = 1024  # SQLite backup: 4 MiB a step with 4 KiB pages; the progress is reported per step
UNITS = {"sqlite": "pages", "postgresql": "tables"}  # what a backup or restore counts


class ToolFailed(Exception):
    """pg_dump or pg_restore ended with an error; the message ends with what it wrote on stderr."""


def unit() -> str:
    return UNITS.get(db.engine.dialect.name, "")


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise Invalid("backup_unsupported_url", f"Cannot copy the SQLite database {database!r}: give a file path.",
                      f"Impossible de copier la base SQLite {database!r} : indiquez un chemin de fichier.")
    return Path(database)


# --- PostgreSQL tools ----------------------------------------------------------------------------
def _libpq(engine: Engine) -> tuple[str, dict]:
    """A libpq connection string for pg_dump/pg_restore, and their environment (the password goes there,
    not on a command line that ``ps`` shows)."""
    from psycopg.conninfo import make_conninfo
    url = make_url(engine.url)
    params = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database,
              **{k: v for k, v in url.query.items() if isinstance(v, str)}}
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return make_conninfo(**{k: str(v) for k, v in params.items() if v is not None}), env


def _run_tool(args: list[str], env: dict, marker: str, total: int, on_progress: OnProgress) -> None:
    """Run pg_dump/pg_restore --verbose; each stderr line containing ``marker`` is one table done."""
    tool = shutil.which(args[0])
    if tool is None:
        raise ToolFailed(f"{args[0]} is not on PATH / {args[0]} est introuvable dans le PATH")
    proc = subprocess.Popen([tool, *args[1:]], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, errors="replace")
    tail, done = deque(maxlen=20), 0
    try:
        for line in proc.stderr:
            tail.append(line.rstrip())
            if marker in line:
                done += 1
                on_progress(done, total)
        proc.wait()
    except BaseException:
        # Ctrl-C reaches the tool too (same process group); an error of ours must stop it as well.
        proc.kill()
        proc.wait()
        raise
    if proc.returncode != 0:
        errors = [line for line in tail if "error" in line.lower()] or list(tail)
        raise ToolFailed(f"{args[0]} failed (exit {proc.returncode}):\n" + "\n".join(errors[-8:]))
    on_progress(done, done)


# --- backup --------------------------------------------------------------------------------------
def backup(target: Path, on_progress: OnProgress = ignore, *, overwrite: bool = False) -> None:
    """A consistent copy of the database while Tendu keeps serving: a SQLite file, or a pg_dump custom archive.
    An existing file at ``target`` is replaced only with ``overwrite`` (it may be the last good backup)."""
    engine = db.engine
    target = Path(target)
    if not target.parent.resolve().is_dir():
        raise NotFound("backup_no_directory", f"No directory {target.parent}.", f"Pas de dossier {target.parent}.")
    if engine.dialect.name == "sqlite" and target.resolve() == _sqlite_path(engine).resolve():
        raise Invalid("backup_onto_itself", "The backup path is the database itself.",
                      "Le chemin de la sauvegarde est la base elle-même.")
    if target.exists() and not overwrite:
        raise Conflict("backup_exists", f"{target} exists already: nothing was written (--force replaces it).",
                       f"{target} existe déjà : rien n'a été écrit (--force le remplace).")
    if engine.dialect.name == "sqlite":
        _sqlite_backup(_sqlite_path(engine), target, on_progress)
    else:
        with engine.connect() as conn:
            tables = conn.scalar(text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"))
        conninfo, env = _libpq(engine)
        with replaced_on_success(target) as tmp:
            # pg_dump reads every table in one snapshot; writers are not held up.
            _run_tool(["pg_dump", "--format=custom", "--verbose", f"--file={tmp}", f"--dbname={conninfo}"],
                      env, "dumping contents of table", tables, on_progress)


def _sqlite_backup(source: Path, target: Path, on_progress: OnProgress) -> None:
    if not source.is_file():
        raise NotFound("backup_no_database", f"No database at {source}.", f"Pas de base en {source}.")
    src = sqlite3.connect(source, timeout=30, isolation_level=None)
    try:
        # One read transaction across every step: the copy is this snapshot, and (WAL) writers go on. Without
        # it each step takes a new snapshot, and a write between steps restarts the copy from page one.
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()
        with replaced_on_success(target) as tmp:
            dst = sqlite3.connect(tmp, isolation_level=None)
            try:
                src.backup(dst, pages=PAGES_PER_STEP,
                           progress=lambda _status, remaining, total: on_progress(total - remaining, total))
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            finally:
                dst.close()
    finally:
        src.close()


# --- restore -------------------------------------------------------------------------------------
def tables_with_data(engine: Engine) -> list[str]:
    """Tables holding at least one row (Alembic's version stamp aside: a freshly migrated database is empty)."""
    quote = engine.dialect.identifier_preparer.quote
    with engine.connect() as conn:
        names = [n for n in inspect(conn).get_table_names() if n != "alembic_version"]
        return [n for n in names if conn.execute(text(f"SELECT 1 FROM {quote(n)} LIMIT 1")).first()]


def restore(source: Path, on_progress: OnProgress = ignore) -> None:
    """Bring a backup into this database, which must be empty (no table with rows)."""
    engine = db.engine
    source = Path(source)
    if not source.is_file():
        raise NotFound("restore_no_file", f"No backup file at {source}.", f"Pas de sauvegarde en {source}.")
    full = tables_with_data(engine)
    if full:
        raise Conflict("restore_target_not_empty",
                       f"The target database is not empty ({', '.join(full[:5])} have rows): restore goes into "
                       "an empty database only; nothing was changed.",
                       f"La base cible n'est pas vide ({', '.join(full[:5])} ont des lignes) : la restauration "
                       "se fait dans une base vide uniquement ; rien n'a été modifié.")
    db.session.remove()
    engine.dispose()  # no pooled connection keeps the empty database's pages or locks
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_restore(source, _sqlite_path(engine), on_progress)
        else:
            _pg_restore(engine, source, on_progress)
    finally:
        engine.dispose()


def _sqlite_restore(source: Path, target: Path, on_progress: OnProgress) -> None:
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        try:
            src.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError:
            raise Invalid("restore_not_sqlite", f"{source} is not a SQLite backup.",
                          f"{source} n'est pas une sauvegarde SQLite.") from None
        dst = sqlite3.connect(target, timeout=30, isolation_level=None)
        try:
            # The destination is written in one transaction, committed at the last step: stopped before,
            # SQLite rolls it back and the database stays empty.
            src.backup(dst, pages=PAGES_PER_STEP,
                       progress=lambda _status, remaining, total: on_progress(total - remaining, total))
        finally:
            dst.close()
    finally:
        src.close()


def _pg_restore(engine: Engine, source: Path, on_progress: OnProgress) -> None:
    listing = subprocess.run([shutil.which("pg_restore") or "pg_restore", "--list", str(source)],
                             capture_output=True, text=True, errors="replace", check=False)
    if listing.returncode != 0:
        raise Invalid("restore_not_pg_dump", f"{source} is not a pg_dump archive: {listing.stderr.strip()}",
                      f"{source} n'est pas une archive pg_dump : {listing.stderr.strip()}")
    tables = sum(1 for line in listing.stdout.splitlines() if " TABLE DATA " in line)
    conninfo, env = _libpq(engine)
    # One transaction: stopped or failed, nothing stays. --clean drops the empty tables a migration made.
    _run_tool(["pg_restore", "--no-owner", "--single-transaction", "--exit-on-error", "--clean", "--if-exists",
               "--verbose", f"--dbname={conninfo}", str(source)], env, "processing data for table", tables,
              on_progress)
