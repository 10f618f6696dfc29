"""The domain's error tree.

Every refusal Tendu can give is one of these: a stable ``code`` for programs, a message in English and
in French for people, and optionally the ``field`` at fault and extra ``details``. The HTTP layer maps
each class to a status (``server/errors.py``); the domain never knows about HTTP.
"""
from __future__ import annotations


class DomainError(Exception):
    """Base of every expected refusal. Subclasses fix the kind; instances carry code and messages.

    ``status`` names the kind of refusal with the HTTP number everybody knows; it is data here, used by
    the HTTP layer and stored with refused scans so a replay answers the same.
    """

    code = "domain_error"
    status = 400

    def __init__(self, code: str | None = None, en: str = "", fr: str = "", *,
                 field: str | None = None, details: dict | None = None):
        self.code = code or self.code
        self.en = en or self.code
        self.fr = fr or self.en
        self.field = field
        self.details = details or {}
        super().__init__(f"{self.code}: {self.en}")

    def message(self, lang: str = "en") -> str:
        return self.fr if lang == "fr" else self.en

    def as_record(self) -> dict:
        """Everything needed to answer this refusal again later, in either language."""
        return {"code": self.code, "en": self.en, "fr": self.fr, "field": self.field, "details": self.details,
                "status": self.status}


class Invalid(DomainError):
    """The input is well-formed but its content is wrong (HTTP 422)."""
    code = "invalid"
    status = 422


class BadRequest(DomainError):
    """The input cannot be read at all (HTTP 400)."""
    code = "bad_request"
    status = 400


class NotFound(DomainError):
    """What the input names does not exist (HTTP 404)."""
    code = "not_found"
    status = 404


class Conflict(DomainError):
    """The request contradicts the current state (HTTP 409)."""
    code = "conflict"
    status = 409


class Forbidden(DomainError):
    """Authenticated, but the role does not allow it (HTTP 403)."""
    code = "forbidden"
    status = 403


class Unauthorized(DomainError):
    """No valid credentials (HTTP 401)."""
    code = "unauthorized"
    status = 401


class TooLarge(DomainError):
    """The payload exceeds a limit (HTTP 413)."""
    code = "too_large"
    status = 413


class Unsupported(DomainError):
    """The payload's media type is not accepted (HTTP 415)."""
    code = "unsupported_media_type"
    status = 415


class TooManyRequests(DomainError):
    """Too many attempts in a short time (HTTP 429); ``details.retry_after`` says how long to wait."""
    code = "too_many_requests"
    status = 429
