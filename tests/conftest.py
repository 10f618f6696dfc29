"""Fixture chain: database → app → client → tokens per role.

The suite runs on SQLite by default and on PostgreSQL when ``TENDU_TEST_DATABASE_URL`` names one
(``.ci/run`` creates a fresh database per run). The schema always comes from the Alembic migrations.
"""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import text

from server import create_app
from server.extensions import db
from server.models import Base

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    return os.environ.get("TENDU_TEST_DATABASE_URL") or \
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'tendu-test.db'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from flask_migrate import upgrade
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SQLALCHEMY_ENGINE_OPTIONS": {}, "TENDU_INSTANCE_PATH": str(tmp_path_factory.mktemp("inst")),
                      "TENDU_FEED_MAX_SECONDS": 0.5})  # live streams end quickly in tests
    with app.app_context():
        _reset_schema()
        upgrade()
    return app


def _reset_schema():
    """Start from an empty database (a local PostgreSQL may keep a previous run's tables)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


@pytest.fixture(autouse=True)
def _clean_tables(request):
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    from server.services import throttle
    app.extensions["tendu_login_throttle"] = throttle.from_config(app.config)  # forget failed logins
    with app.app_context():
        db.session.rollback()
        tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
        # DELETE beats TRUNCATE on a handful of rows; ids keep growing, which tests must not assume.
        with db.engine.begin() as conn:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def password_hash():
    from werkzeug.security import generate_password_hash
    return generate_password_hash(PASSWORD)  # once: a modern hash is slow on purpose


@pytest.fixture
def tokens(app, password_hash):
    """A user per role, each with a token: {'operator': {'Authorization': 'Bearer …'}, ...}.

    Users are written directly with a precomputed hash to keep the suite fast; signing in through the
    API is tested in test_auth.py.
    """
    from server.models import User
    from server.services.auth import new_token
    out = {}
    with app.app_context():
        for role in ("operator", "supervisor", "admin"):
            user = User(username=role, role=role, password_hash=password_hash)
            db.session.add(user)
            db.session.commit()
            raw, _ = new_token(user, ttl_hours=1)
            out[role] = {"Authorization": f"Bearer {raw}"}
        db.session.remove()
    return out


def event(**fields) -> dict:
    """The fields a device adds to every write."""
    return {"client_event_id": str(uuid.uuid4()), "occurred_at": datetime.now(timezone.utc).isoformat(),
            **fields}


def fingerprint() -> dict:
    """Rows per table and total stock: tests compare these before and after a refused request."""
    with db.engine.connect() as conn:
        state = {t.name: conn.execute(text(f"SELECT COUNT(*) FROM {t.name}")).scalar()
                 for t in Base.metadata.sorted_tables}
        state["stock_qty"] = conn.execute(text("SELECT COALESCE(SUM(qty), 0) FROM stock_levels")).scalar()
        state["reserved"] = conn.execute(text("SELECT COALESCE(SUM(qty_reserved), 0) FROM sales_order_lines")).scalar()
    return state
