"""Security headers on every response.

The app (pwa/) has no inline script or style and loads nothing from elsewhere, so its policy is strict;
WebAssembly (the camera decoder) needs 'wasm-unsafe-eval'. The API documentation page is the one
exception: Swagger UI is an inline bootstrap plus a CDN bundle, so ``/api/docs`` gets its own policy.
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


def docs_policy(cdn: str) -> str:
    origin = "/".join(cdn.split("/")[:3])
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' 'unsafe-inline' {origin}",
        f"style-src 'self' 'unsafe-inline' {origin}",
        f"img-src 'self' data: {origin}",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ))


def register(app) -> None:
    docs = docs_policy(app.config["OPENAPI_SWAGGER_UI_URL"])

    @app.after_request
    def secure(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", docs if request.path.startswith("/api/docs") else APP_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=()")
        if request.path.startswith("/api/"):
            headers.setdefault("Cache-Control", "no-store")  # stock and tokens are not for shared caches
        return response
