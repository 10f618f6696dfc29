"""The schema comes from the migrations, and the models agree with them (no autogenerate drift)."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from server.extensions import db
from server.models import Base


def test_upgrade_created_every_table(ctx):
    tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(ctx):
    with db.engine.connect() as conn:
        migration = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(migration, Base.metadata)
    assert diff == []
