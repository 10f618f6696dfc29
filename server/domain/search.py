"""Text as a search compares it: case and accents ignored, as French is typed on a phone ("equerre" for "Équerre").

The same folding makes the stored search keys (products, suppliers, customers) and folds what is typed, so that a
search compares like with like on SQLite and PostgreSQL alike: neither database has to know about accents.
Changing ``fold`` changes what every stored key should be: a migration must then compute them again (as 0008 did).
"""
from __future__ import annotations

import unicodedata

KEY_MAX = 400  # the column's length; a name past it (200 characters that folding lengthened) is cut, not refused
# Ligatures are letters of their own to Unicode (NFKD leaves "œ" whole): spelt out, "coeur" finds "Cœur".
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def fold(text: str) -> str:
    """Lower case, accents and ligatures removed: "Équerre à 90°" → "equerre a 90°", "ŒUF" → "oeuf".

    ``casefold`` rather than ``lower``, so "Straße" and "STRASSE" meet; NFKD splits "é" into "e" and its accent
    (and "ﬁ" into "fi", "²" into "2", "ℌ" into "H": hence a second casefold), then the accents (combining marks) are
    dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold()).casefold().translate(_LIGATURES)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_key(code: str, name: str | None) -> str:
    """What a row is searched on: its code and its name, folded (a search may span both: "p12 frein")."""
    return fold(f"{code} {name or ''}".strip())[:KEY_MAX]
