"""Command line: ``flask --app wsgi <command>``. Users, demo data, ledger check and rebuild, backup,
restore, whole export. Long jobs show their progress on stderr; results go to stdout."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from server.domain.errors import DomainError
from server.domain.words import en_word, fr_word
from server.progress import Progress
from server.services.imports import IMPORTERS

INTERRUPTED = 130  # the shell's code for a job ended by Ctrl-C (128 + SIGINT)
SHOWN = 1000  # corrections (ledger rebuild) or refused rows (import) listed one by one, at most

users = AppGroup("users", help="Manage users.")
ledger = AppGroup("ledger", help="Ledger maintenance.")


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["operator", "supervisor", "admin"]), required=True)
@click.option("--password", help="Read from standard input when omitted.")
def create_user(username, role, password):
    """Create a user; the password comes from --password or standard input."""
    from server.services.auth import create_user as create
    if password is None:
        password = (click.prompt("Password", hide_input=True, confirmation_prompt=True)
                    if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n"))
    try:
        user = create(username, role, password)
    except DomainError as exc:
        raise click.ClickException(exc.en) from None
    click.echo(f"created {user.role} {user.username}")


def _refused(exc: DomainError) -> click.ClickException:
    return click.ClickException(f"{exc.en}\n{exc.fr}")


def _interrupted(what: str) -> None:
    click.echo(f"{what}: interrupted, nothing was written. / interrompu, rien n'a été écrit.", err=True)
    sys.exit(INTERRUPTED)


def _check_ledger() -> None:
    """Print each difference between the ledger and the cached levels; exit 1 if there is any."""
    from server.queries.ledger_check import differences
    try:
        with Progress("ledger check", unit="groups") as bar:
            found = differences(on_progress=bar)
    except KeyboardInterrupt:
        _interrupted("ledger check")
    for diff in found:
        click.echo(str(diff))
    if found:
        click.echo(f"{len(found)} {en_word(len(found), 'difference', 'differences')} between the ledger and the "
                   "stock levels (flask ledger rebuild rewrites the levels from the ledger).", err=True)
        sys.exit(1)
    click.echo("ledger check: clean")


@ledger.command("check")
def check():
    """Rebuild stock levels from the ledger; print each difference and exit 1 if there is any."""
    _check_ledger()


@ledger.command("rebuild")
def rebuild():
    """Rewrite the cached stock levels from the ledger, in one transaction (Ctrl-C changes nothing)."""
    from server.services.stock_rebuild import rebuild_stock_levels
    shown = []

    def note(diff):
        if len(shown) < SHOWN:
            shown.append(diff)
    try:
        with Progress("ledger rebuild", unit="groups") as bar:
            fixed = rebuild_stock_levels(on_progress=bar, on_fix=note)
    except KeyboardInterrupt:
        _interrupted("ledger rebuild")
    except DomainError as exc:
        raise _refused(exc) from None
    for diff in shown:
        click.echo(f"corrected: {diff}")
    if fixed > len(shown):
        click.echo(f"… and {fixed - len(shown)} more.")
    click.echo(f"ledger rebuild: {fixed} stock {en_word(fixed, 'level', 'levels')} corrected" if fixed
               else "ledger rebuild: nothing to correct")


def _copy(what: str, job, path: Path, **options) -> None:
    """Run a backup or a restore with its progress; refusals and tool failures end the command cleanly."""
    from server.services import backup as copies
    try:
        with Progress(what, unit=copies.unit()) as bar:
            job(path, on_progress=bar, **options)
    except KeyboardInterrupt:
        _interrupted(what)
    except DomainError as exc:
        raise _refused(exc) from None
    except copies.ToolFailed as exc:
        raise click.ClickException(str(exc)) from None


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists (refused otherwise).")
def backup(path, force):
    """Copy the database to PATH while Tendu serves: a SQLite file, or a pg_dump custom archive on PostgreSQL."""
    from server.services import backup as copies
    _copy("backup", copies.backup, path, overwrite=force)
    click.echo(f"backup: written to {path}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(path):
    """Bring a backup made by `flask backup` into this database, which must be empty; then check the ledger."""
    from server.services import backup as copies
    _copy("restore", copies.restore, path)
    click.echo(f"restore: {path} restored")
    _check_ledger()


@click.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True,
              help="CSV as the HTTP exports, or JSON Lines (one object a line).")
def export(directory, fmt):
    """Every table (master data, ledger, orders, events, scans, users, audit log) into DIRECTORY, one file each."""
    from server.services.full_export import export_all
    try:
        with Progress("export", unit="rows") as bar:
            counts = export_all(directory, fmt, on_progress=bar)
    except KeyboardInterrupt:
        _interrupted("export")
    except DomainError as exc:
        raise _refused(exc) from None
    for name, rows in counts.items():
        click.echo(f"  {name:<22} {rows:>12,} rows")
    click.echo(f"export: {len(counts)} tables written to {directory}")


@click.command("import")
@click.argument("kind", type=click.Choice(list(IMPORTERS)))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--partial", is_flag=True, help="Import the good rows even if some are refused.")
@click.option("--dry-run", is_flag=True, help="Check the file and say what it would do; write nothing.")
def import_csv(kind, path, partial, dry_run):
    """Import a CSV file as the HTTP import does: every row checked, then all applied in one transaction."""
    from server.services import imports
    try:
        with Progress(f"import {kind}", unit="rows") as bar:
            report = imports.run(kind, path.read_bytes(), partial=partial, user_id=None, on_progress=bar,
                                 dry_run=dry_run)
    except KeyboardInterrupt:
        _interrupted(f"import {kind}")
    except DomainError as exc:
        raise _refused(exc) from None
    for refusal in report.refused[:SHOWN]:
        click.echo(f"line {refusal.line}: {refusal.error.en} / {refusal.error.fr}")
    for warning in report.warnings[:SHOWN]:
        click.echo(f"line {warning.line}, warning: {warning.en} / {warning.fr}")
    if report.dry_run and (partial or not report.refused):
        click.echo(f"import (dry run, nothing written): {report.imported} {en_word(report.imported, 'row', 'rows')} "
                   f"would be imported, {report.unchanged} unchanged, {len(report.refused)} refused")
        return
    if not report.applied:
        n = len(report.refused)
        click.echo(f"import: {n} {en_word(n, 'row', 'rows')} refused, nothing imported. / "
                   f"{n} {fr_word(n, 'ligne refusée', 'lignes refusées')}, rien n'a été importé.", err=True)
        sys.exit(1)
    click.echo(f"import: {report.imported} {en_word(report.imported, 'row', 'rows')} imported, "
               f"{report.unchanged} unchanged, {len(report.refused)} refused")


@click.command("demo")
@click.option("--seed", default=7, show_default=True, help="Same seed, same data.")
@click.option("--days", default=365, show_default=True, help="How much history to simulate.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database has data.")
def demo(seed, days, if_empty):
    """Fill an empty database with a believable small distributor (a year of history)."""
    from server.services.demo import DemoNotEmpty, generate
    try:
        with Progress("demo", unit="days") as bar:
            report = generate(seed=seed, days=days, echo=click.echo, on_progress=bar)
    except KeyboardInterrupt:
        click.echo("demo: interrupted; the database is empty again. / "
                   "interrompue ; la base est de nouveau vide.", err=True)
        sys.exit(INTERRUPTED)
    except DemoNotEmpty as exc:
        if if_empty:
            click.echo("demo: the database has data already; nothing added.")
            return
        raise click.ClickException(str(exc)) from None
    for line in report:
        click.echo(line)


def register(app) -> None:
    app.cli.add_command(users)
    app.cli.add_command(ledger)
    app.cli.add_command(demo)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(export)
    app.cli.add_command(import_csv)
