"""The audit log: every change a supervisor or an admin makes through the API, kept and listed for admins."""
from __future__ import annotations

from flask import g, request
from flask.views import MethodView
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from server.api.common import Blueprint, ROW_ID
from server.api.security import role
from server.extensions import db
from server.models import AuditEntry
from server.services import audit

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit", description="Audit log (admins)")
CHANGES = {"POST", "PUT", "PATCH", "DELETE"}


def record(response):
    """After a successful change by a supervisor or an admin, one audit row (its own small transaction)."""
    user = getattr(g, "user", None)
    if user is not None and user.role in ("supervisor", "admin") and request.method in CHANGES \
            and response.status_code < 400:
        # (the query string too: "?partial=true" on an import says what was done)
        audit.record(user, request.method, request.full_path.rstrip("?"), response.status_code, request.remote_addr,
                     request.get_json(silent=True) if request.is_json else None)
    return response


class AuditArgs(Schema):
    user = fields.Integer(load_default=None, validate=ROW_ID)
    after_id = fields.Integer(load_default=None, validate=ROW_ID)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class AuditOut(Schema):
    id = fields.Integer()
    at = fields.AwareDateTime()
    user_id = fields.Integer(allow_none=True)
    role = fields.String()
    method = fields.String()
    path = fields.String()
    status = fields.Integer()
    address = fields.String(allow_none=True)
    body = fields.Raw(allow_none=True, metadata={"description": "The request's JSON body, passwords masked"})


@blp.route("")
class AuditLog(MethodView):
    @role("admin")
    @blp.arguments(AuditArgs, location="query")
    @blp.response(200, AuditOut(many=True))
    def get(self, args):
        """Changes made by supervisors and admins, newest first."""
        stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(args["limit"])
        if args["user"]:
            stmt = stmt.where(AuditEntry.user_id == args["user"])
        if args["after_id"]:
            stmt = stmt.where(AuditEntry.id > args["after_id"])
        return db.session.scalars(stmt).all()
