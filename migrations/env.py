"""Alembic environment for Tendu, run through Flask-Migrate (``flask --app wsgi db upgrade``).

Migrations spell Tendu's column types by their storage (BigInteger, DateTime) so that an old migration
never depends on today's Python code.
"""
import logging
from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context
from flask import current_app

from server.models.base import Fixed, UtcDateTime

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)  # keep the app's loggers
log = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db


def render_item(kind, obj, autogen_context):
    if kind == "type" and isinstance(obj, Fixed):
        return "sa.BigInteger()"
    if kind == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def options() -> dict:
    return {"target_metadata": db.metadata, "render_item": render_item, "compare_type": True,
            **current_app.extensions["migrate"].configure_args}


def run_offline() -> None:
    context.configure(url=str(db.engine.url), literal_binds=True, **options())
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    def skip_empty(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            log.info("No changes in schema detected.")

    with db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite changes a column by copying its table; with foreign keys on, dropping the old copy of a
            # referenced table fails. Off for the migration (outside any transaction), then checked.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(connection=connection, process_revision_directives=skip_empty, **options())
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.connection.driver_connection.execute("PRAGMA foreign_key_check").fetchall()
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")


if context.is_offline_mode():
    run_offline()
else:
    run_online()
