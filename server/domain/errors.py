"""The domain's error tree.

Every refusal Tendu can give is one of these: a stable ``code`` for programs, a message in English and
in French for people, and optionally the ``field`` at fault and extra ``details``. The HTTP layer maps
each class to a status (``server/errors.py``); the domain never knows about HTTP.
"""
from __future__ import annotations


class DomainError(Exception):
    """Base of every expected refusal. Subclasses fix the kind; instances carry code and messages."""

    code = "domain_error"

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


class Invalid(DomainError):
    """The input is well-formed but its content is wrong (HTTP 422)."""
    code = "invalid"


class BadRequest(DomainError):
    """The input cannot be read at all (HTTP 400)."""
    code = "bad_request"


class NotFound(DomainError):
    """What the input names does not exist (HTTP 404)."""
    code = "not_found"


class Conflict(DomainError):
    """The request contradicts the current state (HTTP 409)."""
    code = "conflict"


class Forbidden(DomainError):
    """Authenticated, but the role does not allow it (HTTP 403)."""
    code = "forbidden"


class Unauthorized(DomainError):
    """No valid credentials (HTTP 401)."""
    code = "unauthorized"


class TooLarge(DomainError):
    """The payload exceeds a limit (HTTP 413)."""
    code = "too_large"


class Unsupported(DomainError):
    """The payload's media type is not accepted (HTTP 415)."""
    code = "unsupported_media_type"
