"""Where Tendu's own logs go, and their two formats: text for people, JSON (one object per line) for shippers.

Every record logged during a request carries its request id, so an error can be matched to its request line.
"""
from __future__ import annotations

import json
import logging
import time

from flask import g, has_request_context

REQUEST_LOGGER = "tendu.request"
APP_LOGGERS = ("tendu", "server")  # "tendu.*" and modules' own loggers (server.errors, ...)
TEXT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# Built once: json.dumps() with options builds a new encoder on every call.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode


class RequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class JsonLines(logging.Formatter):
    """A request line is its fields; any other record is its message (and traceback) with the request id."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
                "level": record.levelname, "logger": record.name,
                "request_id": getattr(record, "request_id", "-")}
        fields = getattr(record, "request", None)
        if fields is not None:
            line.update(fields)
        else:
            line["message"] = record.getMessage()
            if record.exc_info:
                line["exception"] = self.formatException(record.exc_info)
        return _encode(line)


def formatter(fmt: str) -> logging.Formatter:
    return JsonLines() if fmt == "json" else logging.Formatter(TEXT)


def configure(fmt: str) -> None:
    """Send Tendu's logs to stderr in ``fmt``, unless whoever runs us configured logging already.

    Gunicorn leaves the root logger alone, so without this our INFO lines would be dropped; a deployer's
    own logging config (root handlers) wins. Process-wide: the last app created sets the format.
    """
    request_log = logging.getLogger(REQUEST_LOGGER)
    if request_log.level == logging.NOTSET:
        request_log.setLevel(logging.INFO)
    if logging.getLogger().handlers:
        return
    for name in APP_LOGGERS:
        logger = logging.getLogger(name)
        ours = [h for h in logger.handlers if getattr(h, "tendu", False)]
        handler = ours[0] if ours else logging.StreamHandler()
        handler.tendu = True
        handler.setFormatter(formatter(fmt))
        if not ours:
            handler.addFilter(RequestId())
            logger.addHandler(handler)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)
        logger.propagate = False  # the root may get a handler later (Alembic's CLI): no line twice
