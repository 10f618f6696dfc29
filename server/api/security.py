"""Authentication for every ``/api/v1`` route, and roles checked before any input is read.

Routes are authenticated unless marked ``@public``; ``@role("supervisor")`` raises the bar. The guard runs
as a ``before_request`` so a route cannot be forgotten: a new endpoint is protected by default.
"""
from __future__ import annotations

from flask import current_app, g, request

from server.domain.errors import Forbidden, Unauthorized
from server.services import auth

RANK = {"operator": 1, "supervisor": 2, "admin": 3}
API_PREFIX = "/api/v1/"


def role(minimum: str):
    def mark(fn):
        fn.tendu_role = minimum
        return fn
    return mark


def public(fn):
    fn.tendu_role = None
    return fn


def required_role(endpoint: str, method: str) -> str | None:
    """The role a route needs (None for public), read from the view or its MethodView method."""
    view = current_app.view_functions[endpoint]
    handler = getattr(getattr(view, "view_class", None), method.lower(), view)
    return getattr(handler, "tendu_role", getattr(view, "tendu_role", "operator"))


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def guard():
    if not request.path.startswith(API_PREFIX) or request.method == "OPTIONS" or request.endpoint is None:
        return None
    needed = required_role(request.endpoint, request.method)
    if needed is None:
        return None
    raw = _bearer()
    if raw is None:
        raise Unauthorized("unauthorized", "Sign in first: send 'Authorization: Bearer <token>'.",
                           "Connectez-vous d'abord : envoyez « Authorization: Bearer <jeton> ».")
    token = auth.authenticate(raw)
    g.token, g.user = token, token.user
    if RANK[g.user.role] < RANK[needed]:
        raise Forbidden("forbidden", f"This needs the {needed} role; you are {g.user.role}.",
                        f"Il faut le rôle {needed} ; vous êtes {g.user.role}.",
                        details={"required": needed, "role": g.user.role})
    return None
