"""The scan endpoints every device uses: one scan, a batch replayed from an offline queue, decisions."""
from __future__ import annotations

from flask import g
from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import func, select

from server.api.common import Blueprint, EventIn, ROW_ID
from server.api.security import role
from server.errors import language, render_record
from server.extensions import db
from server.models import ScanEvent, User
from server.observability import metrics
from server.services import scans
from server.services.scans.common import Scan

blp = Blueprint("scans", __name__, url_prefix="/api/v1/scans", description="Scans from phones and handhelds")

CONTEXT_KEYS = ("order", "bin", "from", "to", "qty", "lot", "expiry", "dock", "dispatch")


def small_flat_context(value: dict) -> None:
    unknown = sorted(set(value) - set(CONTEXT_KEYS))
    if unknown:
        raise ValidationError(f"Unknown context keys: {', '.join(unknown)}. Known: {', '.join(CONTEXT_KEYS)}.")
    for key, item in value.items():
        # (64: what a lot, a location code or an order number can hold)
        if not isinstance(item, (str, int, float)) or isinstance(item, bool) or len(str(item)) > 64:
            raise ValidationError(f"context.{key} must be a short text or a number.")


class ScanIn(EventIn):
    code = fields.String(required=True, validate=validate.Length(min=1, max=512),
                         metadata={"description": "Exactly as scanned: AIM prefix and GS (ASCII 29) kept"})
    action = fields.String(required=True, validate=validate.OneOf(scans.ACTIONS))
    context = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=False), load_default=dict,
                          validate=small_flat_context,
                          metadata={"description": "order, bin, from, to, qty, lot, expiry, dock, dispatch"})


class BatchIn(Schema):
    scans = fields.List(fields.Nested(ScanIn), required=True, validate=validate.Length(min=1, max=scans.MAX_BATCH))


# What a scan's answer may carry besides its outcome and message, depending on the action. Answers are
# stored as JSON when first given and sent back as stored, so these pass through as they are.
ANSWER_PARTS = ("product", "qty", "lot", "lots", "expiry", "line_id", "line", "lines", "order", "bin", "status",
                "units", "expected", "counted", "variance", "from", "to", "kind", "parse", "pack_qty", "quantity",
                "stock", "location", "contents", "back_order", "arrived")


ScanOut = Schema.from_dict({
    "client_event_id": fields.String(),
    "action": fields.String(),
    "outcome": fields.String(metadata={"description": "applied, looked_up, pending, refused or rejected"}),
    "message": fields.String(metadata={"description": "What to tell the operator, in the request's language"}),
    "error": fields.Dict(allow_none=True, metadata={"description": "Refused or pending: code, message, details"}),
    **{part: fields.Raw() for part in ANSWER_PARTS},
}, name="ScanOut")


class BatchResult(Schema):
    client_event_id = fields.String()
    status = fields.Integer()
    body = fields.Dict()


class BatchOut(Schema):
    results = fields.List(fields.Nested(BatchResult))


class ScanListArgs(Schema):
    outcome = fields.String(load_default=None, validate=validate.OneOf(
        ["applied", "looked_up", "pending", "refused", "rejected"]))
    mine = fields.Boolean(load_default=False)
    decided = fields.Boolean(load_default=False, metadata={
        "description": "Only the scans a supervisor has decided (a device learns what became of its held scans)"})
    after_id = fields.Integer(load_default=None, validate=ROW_ID)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class ScanRow(Schema):
    id = fields.Integer()
    client_event_id = fields.String()
    raw_code = fields.String()
    action = fields.String()
    context = fields.Dict()
    outcome = fields.String()
    error_code = fields.String(allow_none=True)
    status = fields.Integer()
    occurred_at = fields.AwareDateTime()
    recorded_at = fields.AwareDateTime()
    user_id = fields.Integer(allow_none=True)
    user = fields.Function(lambda e: getattr(e, "user_name", None), metadata={
        "description": "Who scanned (the user name), for the supervisor deciding"})
    device = fields.String(allow_none=True)
    message = fields.Function(lambda e: render(e.response).get("message"))
    product = fields.Function(lambda e: (e.response or {}).get("product"), metadata={
        "description": "The item the answer named (sku, name), e.g. the one a held scan is about"})
    qty = fields.Function(lambda e: (e.response or {}).get("qty"), metadata={"description": "Units the scan moves"})
    decided_at = fields.AwareDateTime(allow_none=True)
    decision_note = fields.String(allow_none=True, metadata={"description": "The supervisor's note to the operator"})


class DecisionIn(Schema):
    accept = fields.Boolean(required=True)
    note = fields.String(load_default=None, validate=validate.Length(max=500))
    rest = fields.String(load_default="short", validate=validate.OneOf(["short", "back_order"]), metadata={
        "description": "A shipment held because lines are not all picked: what is left is recorded short (default), "
                       "or kept on back-order, the order staying open to pick and ship the rest later"})


def render(body: dict) -> dict:
    """A stored answer in the caller's language: one message, the error in the common shape."""
    out = dict(body)
    lang = language()
    if isinstance(out.get("message"), dict):
        out["message"] = out["message"].get(lang) or out["message"].get("en")
    if isinstance(out.get("error"), dict) and "en" in out["error"]:
        out["error"] = render_record(out["error"])
    return out


def scan_of(data: dict) -> Scan:
    return Scan(str(data["client_event_id"]), data["code"], data["occurred_at"], data["action"], data["context"],
                g.user.id, data["device"])


@blp.route("")
class Scans(MethodView):
    @blp.arguments(ScanIn)
    @blp.response(201, ScanOut)
    @blp.alt_response(200, schema=ScanOut, description="A look-up, or a rejected scan replayed")
    @blp.alt_response(202, schema=ScanOut, description="Held for a supervisor's decision")
    @blp.alt_response(409, schema=ScanOut, description="Refused: the answer says why and what to do")
    def post(self, data):
        """Apply one scan (lookup, receive, put_away, pick, ship, count, transfer). Replays answer the same."""
        status, body = scans.apply(scan_of(data))
        metrics.scanned(data["action"], body.get("outcome"))
        return render(body), status

    @blp.arguments(ScanListArgs, location="query")
    @blp.response(200, ScanRow(many=True))
    def get(self, args):
        """Recent scans, newest first, e.g. the pending ones waiting for a supervisor or the refused ones to resolve.
        The header `X-Total-Count` says how many match in all (more than `limit`: the others are not in the list)."""
        where = []
        if args["outcome"]:
            where.append(ScanEvent.outcome == args["outcome"])
        if args["mine"]:
            where.append(ScanEvent.user_id == g.user.id)
        if args["decided"]:
            where.append(ScanEvent.decided_at.is_not(None))
        if args["after_id"]:
            where.append(ScanEvent.id > args["after_id"])
        rows = db.session.scalars(select(ScanEvent).where(*where).order_by(ScanEvent.id.desc())
                                  .limit(args["limit"])).all()
        total = len(rows) if len(rows) < args["limit"] else \
            db.session.scalar(select(func.count()).select_from(ScanEvent).where(*where))
        names = dict(db.session.execute(select(User.id, User.username)
                                        .where(User.id.in_({r.user_id for r in rows if r.user_id}))).all())
        for row in rows:
            row.user_name = names.get(row.user_id)  # (read by ScanRow; not a column)
        return rows, 200, {"X-Total-Count": str(total)}


@blp.route("/batch")
class Batch(MethodView):
    @blp.arguments(BatchIn)
    @blp.response(200, BatchOut)
    def post(self, data):
        """Replay an offline queue: applied in order, one answer per scan, each exactly once."""
        results = scans.apply_batch([scan_of(item) for item in data["scans"]])
        for item, (_, _, body) in zip(data["scans"], results):
            metrics.scanned(item["action"], body.get("outcome"))
        return {"results": [{"client_event_id": cid, "status": status, "body": render(body)}
                            for cid, status, body in results]}


@blp.route("/<string:client_event_id>/decision")
class Decision(MethodView):
    @role("supervisor")
    @blp.arguments(DecisionIn)
    @blp.response(200, ScanOut)
    @blp.alt_response(201, schema=ScanOut, description="Accepted and applied")
    def post(self, data, client_event_id):
        """Accept (apply as scanned) or reject a scan held for a decision."""
        status, body = scans.decide(client_event_id, accept=data["accept"], note=data["note"], user_id=g.user.id,
                                    rest=data["rest"])
        return render(body), status
