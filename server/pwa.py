"""Serves the PWA from ``pwa/``. The service worker is never cached, so an update reaches devices."""
from __future__ import annotations

from flask import Blueprint, send_from_directory

from server.config import ROOT

PWA_DIR = ROOT / "pwa"
blp = Blueprint("pwa", __name__)


@blp.get("/")
def index():
    return send_from_directory(PWA_DIR, "index.html", max_age=0)


@blp.get("/sw.js")
def service_worker():
    response = send_from_directory(PWA_DIR, "sw.js", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@blp.get("/<path:filename>")
def asset(filename):
    return send_from_directory(PWA_DIR, filename)


def register(app) -> None:
    app.register_blueprint(blp)
