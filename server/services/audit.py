"""Keep a trace of what supervisors and admins change."""
from __future__ import annotations

from server.database import write_transaction
from server.models import AuditEntry, User

SECRET_KEYS = {"password", "token", "access_token"}


def _without_secrets(body):
    if isinstance(body, dict):
        return {k: ("***" if k.lower() in SECRET_KEYS else _without_secrets(v)) for k, v in body.items()}
    if isinstance(body, list):
        return [_without_secrets(v) for v in body[:200]]  # a 2,000-line import is summarised by its start
    return body


def record(user: User, method: str, path: str, status: int, address: str | None, body) -> None:
    with write_transaction() as s:
        s.add(AuditEntry(user_id=user.id, role=user.role, method=method, path=path[:300], status=status,
                         address=address, body=_without_secrets(body)))
