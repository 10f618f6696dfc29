"""Command line: ``flask --app wsgi <command>``. Users, demo data, ledger check."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from server.domain.errors import DomainError

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


@ledger.command("check")
def check():
    """Rebuild stock levels from the ledger; print each difference and exit 1 if there is any."""
    from server.queries.ledger_check import differences
    found = differences()
    for diff in found:
        click.echo(str(diff))
    if found:
        click.echo(f"{len(found)} difference(s) between the ledger and the stock levels.", err=True)
        sys.exit(1)
    click.echo("ledger check: clean")


@click.command("demo")
@click.option("--seed", default=7, show_default=True, help="Same seed, same data.")
@click.option("--days", default=365, show_default=True, help="How much history to simulate.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database has data.")
def demo(seed, days, if_empty):
    """Fill an empty database with a believable small distributor (a year of history)."""
    from server.services.demo import DemoNotEmpty, generate
    try:
        report = generate(seed=seed, days=days, echo=click.echo)
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
