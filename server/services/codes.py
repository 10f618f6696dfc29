"""How a code typed or scanned is stored: GTINs as 14 digits, anything else as its trimmed text."""
from __future__ import annotations

from server.domain.errors import Invalid


def _gtin_check_ok(digits: str) -> bool:
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def normalise_code(code: str) -> str:
    text = (code or "").strip()
    if not text:
        raise Invalid("empty", "The code is empty.", "Le code est vide.", field="code")
    if text.isdigit() and len(text) in (8, 12, 13, 14):
        if not _gtin_check_ok(text):
            raise Invalid("bad_check_digit", f"{text}: wrong check digit.", f"{text} : clé de contrôle fausse.",
                          field="code")
        return text.zfill(14)
    return text
