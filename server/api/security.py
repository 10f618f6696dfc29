"""Authentication for every ``/api/v1`` route, and roles checked before any input is read.

Routes are authenticated unless marked ``@public``; ``@role("supervisor")`` raises the bar. The guard runs
as a ``before_request`` so a route cannot be forgotten: a new endpoint is protected by default.
"""
from __future__ import annotations

from ipaddress import ip_address

from flask import current_app, g, request

from server.domain.errors import Forbidden, Unauthorized
from server.services import auth

RANK = {"operator": 1, "supervisor": 2, "admin": 3}
# The roles' names in French, as the app's screens call them (pwa/js/i18n.js: role_operator…).
ROLE_FR = {"operator": "opérateur", "supervisor": "responsable", "admin": "administrateur"}
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
    """The role a route needs (None for public), read from the view or its MethodView method. HEAD runs the
    GET handler (Flask answers it with GET's headers), so it needs what GET needs."""
    method = "GET" if method.upper() == "HEAD" else method
    view = current_app.view_functions[endpoint]
    handler = getattr(getattr(view, "view_class", None), method.lower(), view)
    return getattr(handler, "tendu_role", getattr(view, "tendu_role", "operator"))


def bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def guard():
    if not request.path.startswith(API_PREFIX) or request.method == "OPTIONS" or request.endpoint is None:
        return None
    needed = required_role(request.endpoint, request.method)
    if needed is not None:
        authorize(needed)
    return None


def authorize(needed: str) -> None:
    """The bearer token must be valid and its user at least ``needed``; the user goes to ``g.user``.
    Also used outside ``/api/v1`` (``/metrics`` from a remote address)."""
    raw = bearer()
    if raw is None:
        raise Unauthorized("unauthorized", "Sign in first: send 'Authorization: Bearer <token>'.",
                           "Connectez-vous d'abord : envoyez « Authorization: Bearer <jeton> ».")
    token = auth.authenticate(raw)
    g.token, g.user = token, token.user
    require(needed)


def require(needed: str) -> None:
    """The signed-in user is at least ``needed``: for what a route open to a lower role keeps to a higher one."""
    if RANK[g.user.role] < RANK[needed]:
        raise Forbidden("forbidden", f"This needs the {needed} role; you are {g.user.role}.",
                        f"Il faut le rôle {ROLE_FR[needed]} ; vous êtes {ROLE_FR[g.user.role]}.",
                        details={"required": needed, "role": g.user.role})


# A proxy on the same host makes every client look local; any of these headers means one is in between.
PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def from_loopback() -> bool:
    """The request comes from this machine itself, not through a proxy (e.g. Prometheus running beside us)."""
    try:
        address = ip_address(request.remote_addr or "")
    except ValueError:  # a unix socket: a proxy in front
        return False
    address = getattr(address, "ipv4_mapped", None) or address
    return address.is_loopback and not any(name in request.headers for name in PROXY_HEADERS)
