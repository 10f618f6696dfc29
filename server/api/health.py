"""Health, open to all: ``/healthz`` for people and old clients, ``/healthz/live`` and ``/healthz/ready`` for
orchestrators (restart when not live; send no traffic while not ready)."""
from __future__ import annotations

from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from server.extensions import db

blp = Blueprint("health", __name__)
HEADS = "tendu_migration_heads"
KNOWN = "tendu_migration_revisions"


@blp.record_once
def _read_migrations(state) -> None:
    # Once at start: the migrations change only with a new release, which restarts the server.
    scripts = ScriptDirectory(state.app.extensions["migrate"].directory)
    state.app.extensions[HEADS] = frozenset(scripts.get_heads())
    state.app.extensions[KNOWN] = frozenset(rev.revision for rev in scripts.walk_revisions())


@blp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:  # the point is to report it, not to fail
        database = f"error: {type(exc).__name__}"
    finally:
        db.session.rollback()
    ok = database == "ok"
    return jsonify(status="ok" if ok else "degraded", database=database,
                   dialect=db.engine.dialect.name), 200 if ok else 503


@blp.get("/healthz/live")
def live():
    """The process answers requests; nothing else is checked (a database outage must not restart us)."""
    return jsonify(status="ok")


@blp.get("/healthz/ready")
def ready():
    """The database answers and holds this code's migrations.

    Behind (a revision older than this code's head, or none): not ready, the new release must wait for
    ``db upgrade``. Ahead (a revision this code does not know): ready — during a rolling upgrade the
    migrations run first and the servers of the previous release keep serving until replaced, so
    migrations must stay compatible with the previous release (add first, remove a release later).
    """
    heads, known = current_app.extensions[HEADS], current_app.extensions[KNOWN]
    revisions, reason = None, None
    try:
        db.session.execute(text("SELECT 1"))
        try:
            revisions = frozenset(db.session.scalars(text("SELECT version_num FROM alembic_version")))
        except SQLAlchemyError:
            reason = "the database has no migrations applied (no alembic_version table)"
    except SQLAlchemyError as exc:
        reason = f"the database does not answer ({type(exc).__name__})"
    finally:
        db.session.rollback()
    if reason is None and revisions != heads and (not revisions or revisions <= known):
        reason = f"the database is at revision {_names(revisions)}, this code expects {_names(heads)}"
    if reason:
        return jsonify(status="not_ready", reason=reason), 503
    if revisions != heads:
        return jsonify(status="ok", revision=_names(revisions),
                       note=f"the database is ahead of this code ({_names(heads)}): a newer release migrated it")
    return jsonify(status="ok", revision=_names(heads))


def _names(revisions) -> str:
    return ", ".join(sorted(revisions)) or "none"
