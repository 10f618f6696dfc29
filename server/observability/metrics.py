"""Prometheus metrics, scraped at ``/metrics``: requests, scans, and scans waiting for a supervisor.

Gunicorn's workers are processes, each with its own memory. gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR
before they start: prometheus_client then keeps every value in a file of that directory and a scrape, whichever
worker answers it, adds up the files of all workers. Without it (tests, ``flask run``) values stay in memory.
"""
from __future__ import annotations

import logging
import os

from flask import Response, request
from prometheus_client import REGISTRY, Counter, Histogram, disable_created_metrics
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from server.api import security
from server.extensions import db
from server.models import ScanEvent

log = logging.getLogger(__name__)
MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR" in os.environ  # prometheus_client decides at import, as we do
BY_REQUEST = ("method", "route", "status")
disable_created_metrics()  # a "_created" series per label set doubles the output and multiprocess mode has none

REQUESTS = Counter("tendu_http_requests", "HTTP requests answered", BY_REQUEST)
LATENCY = Histogram("tendu_http_request_duration_seconds",
                    "Time to answer (a live stream: time to its first byte)", BY_REQUEST,
                    buckets=(.002, .005, .01, .02, .05, .1, .2, .5, 1, 2, 5, 10))
SCANS = Counter("tendu_scans", "Scan answers by action and outcome (a replayed scan is answered again)",
                ("action", "outcome"))

# labels() takes a lock and validates its values on every call; the pairs of children are few, keep them.
_children: dict[tuple, tuple] = {}


def observe(method: str, route: str, status: int, seconds: float) -> None:
    key = (method, route, status)
    pair = _children.get(key)
    if pair is None:
        labels = (method, route, str(status))
        pair = _children[key] = (REQUESTS.labels(*labels), LATENCY.labels(*labels))
    pair[0].inc()
    pair[1].observe(seconds)


def scanned(action: str, outcome: str | None) -> None:
    SCANS.labels(action, outcome or "unknown").inc()


class AwaitingDecision:
    """Scans held for a supervisor, counted when scraped (the database is the same for every worker)."""

    def collect(self):
        try:
            held = db.session.scalar(select(func.count()).select_from(ScanEvent)
                                     .where(ScanEvent.outcome == "pending"))
        except SQLAlchemyError:
            db.session.rollback()
            log.warning("scans awaiting a decision not counted: the database did not answer")
            return
        yield GaugeMetricFamily("tendu_scans_awaiting_decision",
                                "Scans held (over-receipt, unexpected item, count variance) until a supervisor "
                                "accepts or rejects them", value=held)


class Scrape:
    """What one scrape shows: every worker's metrics (or this process's), and the database's."""

    def __init__(self):
        self.sources = (MultiProcessCollector(None) if MULTIPROCESS else REGISTRY, AwaitingDecision())

    def collect(self):
        for source in self.sources:
            yield from source.collect()


def view():
    """Prometheus on this machine scrapes freely; from elsewhere, a supervisor's or an admin's token."""
    if not security.from_loopback():
        security.authorize("supervisor")
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return Response(encode(Scrape()), content_type=content_type, headers={"Cache-Control": "no-store"})


def register(app) -> None:
    app.add_url_rule("/metrics", "metrics", view, methods=["GET"])
