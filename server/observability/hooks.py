"""Per request: an id, one log line and the request metrics.

These hooks run on every request of a server meant for hundreds a second: no database, nothing but the
one log line to format. The route is the URL rule, never the path or the query string: paths carry ids
and the live feed's query string carries a token.
"""
from __future__ import annotations

import logging
import re
import secrets
from time import perf_counter

from flask import g, request
from sqlalchemy import inspect

from server.observability import metrics
from server.observability.logs import REQUEST_LOGGER

log = logging.getLogger(REQUEST_LOGGER)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# An id from a proxy or a device is kept when it cannot break a log line or flood one.
SANE_ID = re.compile(r"[A-Za-z0-9._:/+=@~-]{1,64}").fullmatch
UNMATCHED = "unmatched"  # 404 and 405: no rule, and raw paths would make endless label values


def begin() -> None:
    state = g._get_current_object()
    state.request_started = perf_counter()
    incoming = request.environ.get("HTTP_X_REQUEST_ID")  # the environ itself: a tenth of headers.get()
    state.request_id = incoming if incoming and SANE_ID(incoming) else secrets.token_hex(8)


def end(response):
    # Each use of the ``g`` and ``request`` proxies costs a context lookup: resolve them once.
    state, req = g._get_current_object(), request._get_current_object()
    started = getattr(state, "request_started", None)
    if started is None:  # a request that skipped begin() (a test request context)
        return response
    seconds = perf_counter() - started
    rule = req.url_rule
    route = rule.rule if rule is not None else UNMATCHED
    method = req.method if req.method in METHODS else "OTHER"
    status = response.status_code
    request_id = response.headers["X-Request-Id"] = state.request_id
    metrics.observe(method, route, status, seconds)
    if log.isEnabledFor(logging.INFO):
        user = _user(getattr(state, "user", None))
        ms = round(seconds * 1000, 2)
        # makeRecord + handle = log.info without its walk up the stack for a file and line no format shows.
        log.handle(log.makeRecord(
            REQUEST_LOGGER, logging.INFO, "", 0, "%s %s %s %.2fms user=%s", (method, route, status, ms, user or "-"),
            None, extra={"request_id": request_id, "request": {"user": user, "method": method, "route": route,
                                                               "status": status, "duration_ms": ms}}))
    return response


def _user(user) -> str | None:
    """The signed-in user's name, read without a query (a rollback may have expired the object)."""
    if user is None:
        return None
    name = vars(user).get("username")
    if name is None:
        identity = inspect(user).identity
        name = f"id:{identity[0]}" if identity else None
    return name
