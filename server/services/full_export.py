"""The whole database as files for accountants and migrations: one file per table (CSV or JSON Lines) and a
manifest, from one snapshot, streamed, in a directory that appears only once complete."""
from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import inspect, text

from server.domain.errors import Conflict, Invalid, NotFound
from server.extensions import db
from server.progress import OnProgress, ignore
from server.queries import exports


def export_all(directory: Path, fmt: str = "csv", on_progress: OnProgress = ignore) -> dict[str, int]:
    """Every table into ``directory`` (one file each, CSV or JSON Lines, plus manifest.json), from one
    snapshot of the database. Returns the rows written per table."""
    if fmt not in ("csv", "json"):
        raise Invalid("export_format", "The format is csv or json.", "Le format est csv ou json.")
    directory = Path(directory).resolve()
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise Conflict("export_target_exists", f"{directory} exists and is not an empty directory.",
                       f"{directory} existe et n'est pas un dossier vide.")
    if not directory.parent.is_dir():
        raise NotFound("export_no_directory", f"No directory {directory.parent}.",
                       f"Pas de dossier {directory.parent}.")
    session = db.session
    session.rollback()
    if session.get_bind().dialect.name == "postgresql":  # every table from the same instant
        session.connection(execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True})
    # Private to its owner (0700, from mkdtemp) until someone decides to share the business's books.
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".part", dir=directory.parent))
    try:
        expected = sum(exports.estimated_rows(name) for name in exports.ALL_EXPORTS)
        counts, done = {}, 0
        for name in exports.ALL_EXPORTS:
            path = tmp / f"{name}.{'csv' if fmt == 'csv' else 'jsonl'}"
            counts[name] = 0
            with open(path, "w", encoding="utf-8", newline="") as out:
                write = _csv_writer(out, name) if fmt == "csv" else _jsonl_writer(out, name)
                for rows in exports.row_chunks(name):
                    counts[name] += write(rows)
                    done += len(rows)
                    on_progress(done, expected)
                out.flush()
                os.fsync(out.fileno())
        _manifest(tmp, fmt, counts)
        os.rename(tmp, directory)  # atomic; replaces the directory if it exists (then it is empty)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        session.rollback()
    return counts


def _csv_writer(out, name: str):
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(exports.ALL_EXPORTS[name].columns)

    def write(rows) -> int:
        writer.writerows([exports.cell(v) for v in row] for row in rows)
        return len(rows)
    return write


def _jsonl_writer(out, name: str):
    columns = exports.ALL_EXPORTS[name].columns

    def write(rows) -> int:
        out.writelines(json.dumps(dict(zip(columns, map(exports.json_cell, row))), ensure_ascii=False) + "\n"
                       for row in rows)
        return len(rows)
    return write


def _manifest(directory: Path, fmt: str, counts: dict[str, int]) -> None:
    session = db.session
    revision = (session.scalar(text("SELECT version_num FROM alembic_version"))
                if inspect(session.connection()).has_table("alembic_version") else None)
    tables = {name: {"file": f"{name}.{'csv' if fmt == 'csv' else 'jsonl'}", "rows": n,
                     "columns": list(exports.ALL_EXPORTS[name].columns)} for name, n in counts.items()}
    (directory / "manifest.json").write_text(json.dumps(
        {"format": fmt, "exported_at": datetime.now(timezone.utc).isoformat(), "schema_revision": revision,
         "tables": tables}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
