"""The live feed as Server-Sent Events: ``GET /api/v1/events/stream``.

Authentication: the usual ``Authorization: Bearer`` header, or ``?access_token=`` because a browser's
EventSource cannot send headers. The query token is lifted into the header before the app-wide guard
runs, so the guard checks it like any other (role included); only this blueprint accepts it. Keep query
strings out of access logs (see gunicorn.conf.py) since the token is in the URL.

Each event's ``id:`` is a resumable position; the browser sends it back as ``Last-Event-ID`` when it
reconnects, and the stream goes on from there with nothing missed or repeated. A stream ends after
``TENDU_FEED_MAX_SECONDS`` (the browser reconnects at once) so no worker thread is held for ever; between
events, a comment line every ``TENDU_FEED_HEARTBEAT_SECONDS`` keeps proxies from closing it and carries the
current position. The database is polled every ``TENDU_FEED_POLL_SECONDS``, each poll in its own short
app context, so no connection or transaction is held while waiting.
"""
from __future__ import annotations

import json
import time

from flask import Response, current_app, request
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from server.api.common import Blueprint
from server.api.security import RANK, bearer, role
from server.domain.errors import DomainError
from server.errors import language
from server.queries import feed
from server.queries.feed_position import Position
from server.services import auth

blp = Blueprint("events", __name__, url_prefix="/api/v1/events", description="Live feed (Server-Sent Events)")

RETRY_MS = 2000
DEFAULTS = {"TENDU_FEED_POLL_SECONDS": 0.5, "TENDU_FEED_HEARTBEAT_SECONDS": 15.0, "TENDU_FEED_MAX_SECONDS": 300.0}


@blp.url_value_preprocessor
def token_from_query(_endpoint, _values):
    # URL value preprocessors run before every before_request function, the security guard included.
    token = request.args.get("access_token")
    if token and "HTTP_AUTHORIZATION" not in request.environ:
        request.environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"


class StreamArgs(Schema):
    backlog = fields.Integer(load_default=20, validate=validate.Range(min=0, max=200),
                             metadata={"description": "On a first connection, replay up to this many recent rows "
                                                      "of each kind; ignored when resuming"})
    access_token = fields.String(load_default=None, metadata={"description": "The bearer token, for EventSource"})


class ResumeHeader(Schema):
    last_event_id = fields.String(data_key="Last-Event-ID", load_default=None, validate=validate.Length(max=8000),
                                  metadata={"description": "Resume after this event (EventSource sends it when it "
                                                           "reconnects)"})


def _setting(name: str) -> float:
    return float(current_app.config.get(name, DEFAULTS[name]))


def sse(event_id: str, kind: str | None = None, data: dict | None = None, comment: str | None = None) -> str:
    lines = [f": {comment}"] if comment else []
    if kind:
        lines += [f"event: {kind}", f"data: {json.dumps(data, separators=(',', ':'), ensure_ascii=False)}"]
    return "\n".join(lines + [f"id: {event_id}"]) + "\n\n"


def still_allowed(app, token: str) -> bool:
    """The stream's token is still valid and still a supervisor's (signed out, deactivated or demoted: no)."""
    with app.app_context():
        try:
            return RANK[auth.authenticate(token).user.role] >= RANK["supervisor"]
        except DomainError:
            return False


def stream(app, position: Position, lang: str, poll: float, heartbeat: float, max_seconds: float, token: str):
    # An id with no data updates the browser's Last-Event-ID without firing an event: even a quiet
    # stream hands back a position to resume from.
    yield f"retry: {RETRY_MS}\n" + sse(position.encode(), comment="tendu feed")
    started = last_sent = last_checked = time.monotonic()
    while time.monotonic() - started < max_seconds:
        if time.monotonic() - last_checked >= heartbeat:  # a token revoked meanwhile ends the stream
            if not still_allowed(app, token):
                return
            last_checked = time.monotonic()
        with app.app_context():  # a fresh session per poll, released (with its connection) at once
            events, position = feed.changes_after(position, lang=lang)
        for event in events:
            yield sse(event.position, event.kind, event.data)
            last_sent = time.monotonic()
        if time.monotonic() - last_sent >= heartbeat:
            yield sse(position.encode(), comment="heartbeat")
            last_sent = time.monotonic()
        time.sleep(poll)


@blp.route("/stream")
class Stream(MethodView):
    @role("supervisor")
    @blp.arguments(StreamArgs, location="query")
    @blp.response(200, content_type="text/event-stream",
                  description="Events `scan`, `exception`, `movement`, `order_event`; JSON data; resumable ids")
    @blp.arguments(ResumeHeader, location="headers")
    def get(self, args, header):
        """Live feed of scans, exceptions, movements and order events."""
        resume = (header["last_event_id"] or "").strip()
        start = Position.decode(resume, time.monotonic(), feed.HOLE_TTL) if resume else feed.head(args["backlog"])
        body = stream(current_app._get_current_object(), start, language(), _setting("TENDU_FEED_POLL_SECONDS"),
                      _setting("TENDU_FEED_HEARTBEAT_SECONDS"), _setting("TENDU_FEED_MAX_SECONDS"), bearer())
        return Response(body, mimetype="text/event-stream",
                        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
