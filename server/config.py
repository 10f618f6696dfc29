"""Settings from the environment (``TENDU_*``), with defaults that run on one machine with SQLite."""
from __future__ import annotations

import os
from pathlib import Path

from server.domain.days import parse_working_days

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default=None):
    return os.environ.get(f"TENDU_{name}", default)


def _bool(value) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def _choice(name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = str(_env(name, default)).strip().lower()
    if value not in allowed:
        raise ValueError(f"TENDU_{name} must be one of {', '.join(allowed)}, not {value!r}.")
    return value


def _positive(name: str, default: float) -> float:
    value = float(_env(name, default))
    if not value > 0:
        raise ValueError(f"TENDU_{name} must be more than 0, not {value!r}.")
    return value


def _share(name: str, default: float) -> float:
    """A yearly share of a value: more than 0, at most 1 (a figure in percent is refused, not taken as 2,500 %)."""
    value = _positive(name, default)
    if not value <= 1:
        raise ValueError(f"TENDU_{name} is a share, more than 0 and at most 1 (0.25 for 25 %), not {value!r}.")
    return value


def _zone(name: str) -> str:
    """An IANA time zone ("Europe/Paris"): where the company's days start. By default the system's own (a server set
    to its owner's zone), else UTC."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    value = _env(name) or _system_zone()
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"TENDU_{name} must be a time zone such as Europe/Paris, not {value!r}.") from None
    return value


def _working_days(name: str, default: str) -> str:
    """The company's working weekdays ("mon-fri", "mon-sat", "mon,tue,wed,thu,fri"; "lun-ven" in French): no date
    promised or expected falls on another day."""
    value = (_env(name) or default).strip().lower()
    try:
        parse_working_days(value)
    except ValueError:
        raise ValueError(f"TENDU_{name} must be working days such as mon-fri, mon-sat or mon,tue,wed,thu,fri "
                         f"(lun-ven in French), not {value!r}.") from None
    return value


def _system_zone() -> str:
    try:
        return Path("/etc/timezone").read_text().strip() or "UTC"
    except OSError:
        target = os.path.realpath("/etc/localtime")
        return target.split("/zoneinfo/", 1)[1] if "/zoneinfo/" in target else "UTC"


def from_environment() -> dict:
    instance = Path(_env("INSTANCE_PATH", ROOT / "instance"))
    return {
        "SQLALCHEMY_DATABASE_URI": _env("DATABASE_URL", f"sqlite:///{instance / 'tendu.db'}"),
        "SECRET_KEY": _env("SECRET_KEY", "dev-only-change-me"),
        "TENDU_INSTANCE_PATH": str(instance),
        # Device clocks drift; a scan stamped a little ahead of the server is still believable.
        "TENDU_CLOCK_SKEW_SECONDS": int(_env("CLOCK_SKEW_SECONDS", 300)),
        "TENDU_TOKEN_TTL_HOURS": int(_env("TOKEN_TTL_HOURS", 12)),
        # Receiving more than ordered by up to this share books silently; beyond, a supervisor decides.
        "TENDU_OVER_RECEIPT_TOLERANCE": float(_env("OVER_RECEIPT_TOLERANCE", 0.05)),
        # A count off by more than this share of the expected quantity (and more than one unit) waits.
        "TENDU_COUNT_VARIANCE_SHARE": float(_env("COUNT_VARIANCE_SHARE", 0.10)),
        # Holding stock costs this share of its unit cost a year (capital, space, insurance, obsolescence);
        # weighed against a supplier's cost of an order for the economic order quantity.
        "TENDU_HOLDING_RATE": _share("HOLDING_RATE", 0.25),
        # The company's days (valuation at a date, flows by week, daily demand, stock-outs, "today"): its midnight.
        "TENDU_TIMEZONE": _zone("TIMEZONE"),
        # Days suppliers deliver and the warehouse ships: a promise or an expected arrival on another day moves on.
        "TENDU_WORKING_DAYS": _working_days("WORKING_DAYS", "mon-fri"),
        "TENDU_SQL_ECHO": _bool(_env("SQL_ECHO", "0")),
        # Request and error logs on stderr: "text" for people, "json" (one object per line) for a log shipper.
        "TENDU_LOG_FORMAT": _choice("LOG_FORMAT", "text", ("text", "json")),
        # Shared state across workers and servers (login throttling); memory of each process when unset.
        "TENDU_REDIS_URL": _env("REDIS_URL"),
        "TENDU_LOGIN_ATTEMPTS": int(_env("LOGIN_ATTEMPTS", 5)),
        "TENDU_LOGIN_WINDOW_SECONDS": int(_env("LOGIN_WINDOW_SECONDS", 300)),
        # Reverse proxies in front that set X-Forwarded-For/-Proto (0: none, the socket's peer is the client).
        # Without it behind a proxy every client has the proxy's address: the login throttle would count
        # everyone's mistakes together and the audit log would name the proxy.
        "TENDU_PROXY_HOPS": int(_env("PROXY_HOPS", 0)),
        # Live feed (Server-Sent Events): how often the database is polled, a keep-alive, and the longest a
        # stream holds a worker thread before the browser reconnects (it resumes where it was).
        "TENDU_FEED_POLL_SECONDS": float(_env("FEED_POLL_SECONDS", 0.5)),
        "TENDU_FEED_HEARTBEAT_SECONDS": float(_env("FEED_HEARTBEAT_SECONDS", 15)),
        "TENDU_FEED_MAX_SECONDS": float(_env("FEED_MAX_SECONDS", 300)),
        "MAX_CONTENT_LENGTH": int(_env("MAX_CONTENT_MB", 11)) * 1024 * 1024,
        # flask-smorest / OpenAPI
        "API_TITLE": "Tendu",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.1.0",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        # Served from pwa/vendor/ (npm's swagger-ui-dist, pinned): no script from elsewhere on the app's origin.
        "OPENAPI_SWAGGER_UI_URL": _env("SWAGGER_UI_URL", "/vendor/swagger-ui/"),
        "JSON_SORT_KEYS": False,
    }
