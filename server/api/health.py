"""``/healthz``: open to all, for load balancers and for people."""
from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from server.extensions import db

blp = Blueprint("health", __name__)


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
