"""Security headers on every response.

The app (pwa/) has no inline script or style and loads nothing from elsewhere, so its policy is strict;
WebAssembly (the camera decoder) needs 'wasm-unsafe-eval'. The API documentation page is the one
exception: Swagger UI starts from an inline script, so ``/api/docs`` gets its own policy.
"""
from __future__ import annotations

from flask import request

APP_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))


def docs_policy(swagger_ui_url: str) -> str:
    """Swagger UI's files are the app's own by default (a path); a URL elsewhere (TENDU_SWAGGER_UI_URL) adds its
    origin."""
    origin = "/".join(swagger_ui_url.split("/")[:3]) if "://" in swagger_ui_url else ""
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' 'unsafe-inline' {origin}",
        f"style-src 'self' 'unsafe-inline' {origin}",
        f"img-src 'self' data: {origin}",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ))


# (name, value) of the headers every response gets unless the view set its own; Cache-Control on /api/ only.
_COMMON = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=()"),
)
_API_ONLY = (("Cache-Control", "no-store"),)  # stock and tokens are not for shared caches


def register(app) -> None:
    docs = docs_policy(app.config["OPENAPI_SWAGGER_UI_URL"])

    @app.after_request
    def secure(response):
        # What headers.setdefault() did one header at a time (each a scan of the list, ~40 µs a response on a slow
        # core): the names present are read once, the missing ones appended in the same order.
        headers = response.headers
        present = {name.lower() for name, _ in headers}
        path = request.path
        wanted = [("Content-Security-Policy", docs if path.startswith("/api/docs") else APP_POLICY), *_COMMON]
        if path.startswith("/api/"):
            wanted += _API_ONLY
        for name, value in wanted:
            if name.lower() not in present:
                headers.add(name, value)
        return response
