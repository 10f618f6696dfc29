"""One JSON error shape for everything: ``{"error": {"code", "message", "field"?, "details"?}}``.

Domain errors carry their own English and French messages; HTTP errors raised by Flask or by request
parsing get theirs here. The language follows ``Accept-Language``.
"""
from __future__ import annotations

import logging
import re

from flask import current_app, jsonify, request
from marshmallow import INCLUDE, Schema, fields
from werkzeug.exceptions import HTTPException

from server.json_body import LoneSurrogate
from server.domain import errors as de
from server.domain.days import OUT_OF_RANGE_EN, OUT_OF_RANGE_FR

log = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: ("bad_request", "The request could not be read.", "La requête est illisible."),
    401: ("unauthorized", "Sign in first: a valid token is required.", "Connectez-vous d'abord : un jeton valide est requis."),
    403: ("forbidden", "Your role does not allow this.", "Votre rôle ne permet pas cette action."),
    404: ("not_found", "Nothing here.", "Rien à cette adresse."),
    405: ("method_not_allowed", "This method is not allowed here.", "Méthode non autorisée ici."),
    409: ("conflict", "This conflicts with the current state.", "Conflit avec l'état actuel."),
    413: ("too_large", "The request is too large.", "La requête est trop volumineuse."),
    415: ("unsupported_media_type", "Send JSON (Content-Type: application/json).", "Envoyez du JSON (Content-Type: application/json)."),
    422: ("validation_error", "Some fields are invalid.", "Certains champs sont invalides."),
    429: ("too_many_requests", "Too many attempts; wait a moment.", "Trop de tentatives ; patientez un instant."),
    500: ("internal_error", "Unexpected server error; nothing was changed.", "Erreur inattendue du serveur ; rien n'a été modifié."),
}


class ErrorBody(Schema):
    code = fields.String(required=True, metadata={"description": "Stable, for programs"})
    message = fields.String(required=True, metadata={"description": "For people, in the request's language"})
    field = fields.String(metadata={"description": "The input at fault, when there is one"})
    details = fields.Dict()


class ErrorEnvelope(Schema):
    """The one shape of every error, documented for every operation. A refused scan answers in it too,
    with the scan's own fields beside ``error`` (so a device shows the same answer however it asked)."""

    class Meta:
        unknown = INCLUDE

    error = fields.Nested(ErrorBody, required=True)


# French for the validation messages people meet most; others stay in English.
FIELD_MESSAGES_FR = {
    "Missing data for required field.": "Champ obligatoire manquant.",
    "Unknown field.": "Champ inconnu.",
    "Not a valid number.": "Nombre invalide.",
    "Not a valid integer.": "Entier invalide.",
    "Not a valid string.": "Texte invalide.",
    "Not a valid boolean.": "Booléen invalide.",
    "Not a valid UUID.": "UUID invalide.",
    "Not a valid datetime.": "Date et heure invalides.",
    "Not a valid date.": "Date invalide.",
    "Not a valid email address.": "Adresse e-mail invalide.",
    "Field may not be null.": "Ce champ ne peut pas être vide.",
    "Invalid input type.": "Type de donnée invalide.",
    OUT_OF_RANGE_EN: OUT_OF_RANGE_FR,
    "Force a fill-rate target or a cycle service level, not both.":
        "Forcez un taux de satisfaction visé ou un taux de service cycle visé, pas les deux.",
    "Special numeric values (nan or infinity) are not permitted.": "Un nombre est attendu (ni NaN ni infini).",
}


# marshmallow's messages with figures in them, as patterns.
FIELD_PATTERNS_FR = [
    (re.compile(r"Length must be between (\S+) and (\S+)\."), r"Longueur entre \1 et \2."),
    (re.compile(r"Shorter than minimum length (\S+)\."), r"Plus court que le minimum (\1)."),
    (re.compile(r"Longer than maximum length (\S+)\."), r"Plus long que le maximum (\1)."),
    (re.compile(r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\."), r"Entre \1 et \2."),
    (re.compile(r"Must be greater than (\S+) and less than or equal to (\S+)\."), r"Plus de \1, au plus \2."),
    (re.compile(r"Must be greater than or equal to (\S+)\."), r"Au moins \1."),
    (re.compile(r"Must be less than or equal to (\S+)\."), r"Au plus \1."),
    (re.compile(r"Must be one of: (.+)\."), r"Valeur parmi : \1."),
    (re.compile(r"String does not match expected pattern\."), "Format non reconnu."),
]


def field_message_fr(message: str) -> str:
    if message in FIELD_MESSAGES_FR:
        return FIELD_MESSAGES_FR[message]
    for pattern, french in FIELD_PATTERNS_FR:
        if pattern.fullmatch(message):
            return pattern.sub(french, message)
    return message


def language() -> str:
    return request.accept_languages.best_match(["en", "fr"], default="en") if request else "en"


def error_response(status: int, code: str, message: str, field=None, details=None):
    body = {"code": code, "message": message}
    if field is not None:
        body["field"] = field
    if details:
        body["details"] = details
    return jsonify(error=body), status


def _domain(exc: de.DomainError):
    response, status = error_response(exc.status, exc.code, exc.message(language()), exc.field, exc.details or None)
    if "retry_after" in exc.details:
        response.headers["Retry-After"] = str(exc.details["retry_after"])
    return response, status


def render_record(record: dict):
    """A refusal stored by ``DomainError.as_record`` (a refused scan), answered in today's language."""
    return {"code": record["code"], "message": record["fr"] if language() == "fr" else record["en"],
            **({"field": record["field"]} if record.get("field") else {}),
            **({"details": record["details"]} if record.get("details") else {})}


def _first_field(messages: dict) -> tuple[str | None, str | None]:
    """webargs nests messages by location then field: return the first field and its first message."""
    for by_field in messages.values():
        if isinstance(by_field, dict):
            for name, msgs in by_field.items():
                first = msgs[0] if isinstance(msgs, list) and msgs else msgs
                if isinstance(first, dict):  # nested schema: go one level down
                    inner, text = _first_field({"_": first})
                    return f"{name}.{inner}", text
                return name, str(first)
    return None, None


def _no_api_route(status: int) -> bool:
    """A 405 under /api/ that only the app's static files answered (GET /<path>): no API route is there at all."""
    if status != 405 or not request.path.startswith("/api/"):
        return False
    try:
        endpoint, _ = current_app.url_map.bind_to_environ(request.environ).match(method="GET")
    except HTTPException:
        return False
    return endpoint == "pwa.asset"


def _http(exc: HTTPException):
    status = exc.code or 500
    if _no_api_route(status):
        status = 404
    code, en, fr = HTTP_MESSAGES.get(status, (f"http_{status}", exc.name, exc.name))
    lang = language()
    message = fr if lang == "fr" else en
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages") if isinstance(data, dict) else None
    field = None
    if messages:
        field, first = _first_field(messages)
        if status == 400 and "json" in messages and field is None:
            return _bad_json(getattr(exc, "exc", None))
        elif field:
            detail = field_message_fr(first) if lang == "fr" else first
            message = f"{message} {field} : {detail}" if lang == "fr" else f"{message} {field}: {detail}"
    return error_response(status, code, message, field, messages or None)


def _bad_json(cause: Exception | None = None):
    fr = language() == "fr"
    if isinstance(cause, LoneSurrogate):  # valid JSON syntax, but no text: say what to fix
        return error_response(400, "lone_surrogate", "Le corps JSON contient un demi-caractère (substitut UTF-16 "
                              "isolé, \\ud800-\\udfff) : envoyez du texte Unicode valide." if fr else
                              "The JSON body holds half a character (a lone UTF-16 surrogate, \\ud800-\\udfff): "
                              "send valid Unicode text.")
    return error_response(400, "bad_json", "Le corps JSON est illisible." if fr else "The JSON body could not be read.")


def _unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return _http(exc)
    if isinstance(exc, RecursionError) and request.is_json:  # nested deeper than the decoder's stack
        return _bad_json()
    log.exception("unhandled error on %s %s", request.method, request.path)
    code, en, fr = HTTP_MESSAGES[500]
    return error_response(500, code, fr if language() == "fr" else en)


def register(app) -> None:
    # Registered after flask-smorest's own handler so that ours wins.
    app.register_error_handler(de.DomainError, _domain)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(Exception, _unexpected)
