"""Observability: request ids, one log line per request, Prometheus metrics at ``/metrics``.

Health probes live with the HTTP layer (server/api/health.py); the gunicorn side of multiprocess metrics
is in gunicorn.conf.py.
"""
from __future__ import annotations

from server.observability import hooks, logs, metrics


def register(app) -> None:
    """Call before any other request hook: the clock starts first and the log line is written last."""
    logs.configure(app.config.get("TENDU_LOG_FORMAT", "text"))
    app.before_request(hooks.begin)
    app.after_request(hooks.end)  # after_request hooks run in reverse: this one runs after all others
    metrics.register(app)
