"""Serves the PWA from ``pwa/``, same origin as the API.

Caching is the service worker's job: the app shell is sent with ``no-cache`` (revalidated with its ETag)
so a new release reaches the worker's install step, and ``sw.js`` itself is never cached, so the browser
sees a new version on its next update check. The zxing ``.wasm`` and the icons change rarely and are big
or many: a day of HTTP caching is fine for them.
"""
from __future__ import annotations

import posixpath

from flask import Blueprint, abort, send_from_directory

from server.config import ROOT

PWA_DIR = ROOT / "pwa"
blp = Blueprint("pwa", __name__)

# Explicit types: a server's /etc/mime.types may not know these, and a wrong type breaks the app
# (modules must be JavaScript, wasm streaming compilation needs application/wasm).
MIME_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
              ".webmanifest": "application/manifest+json", ".svg": "image/svg+xml"}
LONG_LIVED = ("vendor/", "icons/")
NOT_SERVED = ("tools/", "README.md")


def _send(filename: str, cache_control: str):
    suffix = "." + filename.rsplit(".", 1)[-1] if "." in filename else ""
    response = send_from_directory(PWA_DIR, filename, mimetype=MIME_TYPES.get(suffix), max_age=0)
    response.headers["Cache-Control"] = cache_control
    return response


@blp.get("/")
def index():
    return _send("index.html", "no-cache")


@blp.get("/sw.js")
def service_worker():
    return _send("sw.js", "no-cache, no-store")


@blp.get("/<path:filename>")
def asset(filename):
    # Judged on the path as it will be resolved: "js/../README.md" and "./tools/x" name the files kept out.
    if posixpath.normpath(filename).lstrip("/").startswith(NOT_SERVED):
        abort(404)
    long_lived = filename.startswith(LONG_LIVED)
    return _send(filename, "public, max-age=86400" if long_lived else "no-cache")


def register(app) -> None:
    app.register_blueprint(blp)
