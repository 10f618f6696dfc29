"""Why a scan is refused: one ``BarcodeError`` per case, worded for a warehouse operator.

Each function below builds (does not raise) the error for one situation, so that every message
exists in English and French in one place and callers stay one line long.
"""
from __future__ import annotations

from server.domain.errors import Invalid

ERROR_CODES = (
    "empty", "bad_check_digit", "unknown_ai", "truncated", "invalid_date", "bad_format", "unreadable",
)


class BarcodeError(Invalid):
    """A scan Tendu refuses to interpret (HTTP 422). ``code`` is one of ``ERROR_CODES``."""

    code = "barcode_error"

    def __init__(self, code: str, en: str, fr: str, *, details: dict | None = None):
        super().__init__(code, en, fr, field="code", details=details)


def _field(ai: str, label: str, quotes: tuple[str, str]) -> str:
    return f"({ai}) {quotes[0]}{label}{quotes[1]}"


def _en_field(ai: str, label_en: str) -> str:
    return _field(ai, label_en, ("“", "”"))


def _fr_field(ai: str, label_fr: str) -> str:
    return _field(ai, label_fr, ("« ", " »"))


def _listed(numbers: tuple[int, ...], last_word: str) -> str:
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last_word} {words[-1]}"


def empty() -> BarcodeError:
    return BarcodeError("empty", "The scan is empty: nothing was read.",
                        "Le scan est vide : rien n'a été lu.")


def unreadable() -> BarcodeError:
    return BarcodeError(
        "unreadable",
        "The scan contains characters that cannot come from a barcode; "
        "check the scanner settings and scan again.",
        "Le scan contient des caractères qui ne peuvent pas venir d'un code-barres ; "
        "vérifiez le réglage du lecteur et scannez à nouveau.")


def bad_check_digit(what: str, value: str, expected: int, got: int,
                    ai: str | None = None) -> BarcodeError:
    details = {"what": what, "value": value, "expected": expected, "got": got}
    if ai is not None:
        details["ai"] = ai
    return BarcodeError(
        "bad_check_digit",
        f"The {what} code {value} has a wrong check digit (expected {expected}, read {got}): "
        "scan again or type it carefully.",
        f"Le code {what} {value} a un chiffre de contrôle faux (attendu {expected}, lu {got}) : "
        "scannez à nouveau ou saisissez-le avec soin.",
        details=details)


def bad_check_digit_nor_known(refusal: BarcodeError, digits: str) -> BarcodeError:
    """Bare digits (no AIM prefix: nothing said which symbol was read) refused for their check digit, which are no
    code of the company either: a misread, or the company's own code nobody linked yet. Same code and details as
    ``refusal``; the words say both, so that typing it by hand is not offered as the only way out."""
    details = refusal.details or {}
    what, expected, got = details.get("what", "GTIN"), details.get("expected"), details.get("got")
    ai = details.get("ai")
    en_what = f"valid {what}" if ai is None else f"valid GS1 code (its ({ai}) {what})"
    fr_what = f"un {what} valide" if ai is None else f"un code GS1 valide (son {what} en ({ai}))"
    return BarcodeError(
        "bad_check_digit",
        f"{digits} is no {en_what} (check digit {expected} expected, {got} read) and no code known here: "
        "scan it again; if it is your own code, ask a supervisor to link it.",
        f"{digits} n'est ni {fr_what} (chiffre de contrôle attendu {expected}, lu {got}) ni un code connu ici : "
        "scannez-le à nouveau ; si c'est votre propre code, demandez à un responsable de l'associer.",
        details=dict(details))


def unknown_ai(at: str) -> BarcodeError:
    shown = at[:12]
    return BarcodeError(
        "unknown_ai",
        f"Unknown GS1 application identifier at “{shown}”: this is not a GS1 code Tendu can read.",
        f"Identifiant d'application GS1 inconnu à « {shown} » : "
        "ce n'est pas un code GS1 que Tendu sait lire.",
        details={"at": shown})


def truncated_field(ai: str, label_en: str, label_fr: str, need: int, got: int) -> BarcodeError:
    return BarcodeError(
        "truncated",
        f"Field {_en_field(ai, label_en)} is incomplete (characters expected: {need}, read: {got}).",
        f"Champ {_fr_field(ai, label_fr)} incomplet (caractères attendus : {need}, lus : {got}).",
        details={"ai": ai, "expected_length": need, "length": got})


def truncated_number(what: str, allowed: tuple[int, ...], got: int) -> BarcodeError:
    return BarcodeError(
        "truncated",
        f"This code has {got} digits but a {what} has {_listed(allowed, 'or')}: "
        "the scan is incomplete.",
        f"Ce code a {got} chiffres mais un {what} en a {_listed(allowed, 'ou')} : "
        "le scan est incomplet.",
        details={"what": what, "expected_lengths": list(allowed), "length": got})


def invalid_date(ai: str, label_en: str, label_fr: str, value: str) -> BarcodeError:
    return BarcodeError(
        "invalid_date",
        f"Field {_en_field(ai, label_en)}: {value} is not a valid date (expected YYMMDD).",
        f"Champ {_fr_field(ai, label_fr)} : {value} n'est pas une date valide "
        "(format AAMMJJ attendu).",
        details={"ai": ai, "value": value})


def bad_format(ai: str, label_en: str, label_fr: str, value: str, data_format: str) -> BarcodeError:
    return BarcodeError(
        "bad_format",
        f"Field {_en_field(ai, label_en)} has an invalid value “{value}” "
        f"(expected format {data_format}).",
        f"Champ {_fr_field(ai, label_fr)} : valeur invalide « {value} » "
        f"(format attendu {data_format}).",
        details={"ai": ai, "value": value, "format": data_format})


def conflicting_repeat(ai: str, first: str, second: str) -> BarcodeError:
    return BarcodeError(
        "bad_format",
        f"Field ({ai}) appears twice with different values: {first} and {second}.",
        f"Le champ ({ai}) apparaît deux fois avec des valeurs différentes : {first} et {second}.",
        details={"ai": ai, "values": [first, second]})


def broken_hri() -> BarcodeError:
    return BarcodeError(
        "bad_format",
        "The human-readable form is broken: each field must look like (AI)value, "
        "e.g. (01)09506000134352(10)ABC.",
        "La forme lisible est incorrecte : chaque champ doit s'écrire (AI)valeur, "
        "par exemple (01)09506000134352(10)ABC.")


def unknown_label_type(tag: str, known: tuple[str, ...]) -> BarcodeError:
    listed = ", ".join(known)
    return BarcodeError(
        "bad_format",
        f"Unknown Tendu label type “{tag}” (known types: {listed}).",
        f"Type d'étiquette Tendu inconnu « {tag} » (types connus : {listed}).",
        details={"label_type": tag, "known": list(known)})


def bad_label_value(value: str, max_length: int) -> BarcodeError:
    return BarcodeError(
        "bad_format",
        f"Invalid Tendu label value “{value}”: use 1 to {max_length} letters, digits, "
        "'.', '_', '/' or '-'.",
        f"Valeur d'étiquette Tendu invalide « {value} » : utilisez de 1 à {max_length} lettres, "
        "chiffres, '.', '_', '/' ou '-'.",
        details={"value": value})
