"""AIM symbology identifiers (ISO/IEC 15424): the ``]Xn`` prefix some scanners put before the data.

The prefix tells which symbol was read, hence what the data may be: a GTIN (EAN/UPC, ITF), a GS1
element string (GS1-128, GS1 DataMatrix, GS1 QR, GS1 DataBar), or anything (plain Code 128, QR...).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

GTIN = "gtin"
GS1 = "gs1"
ANY = "any"


@dataclass(frozen=True)
class Aim:
    prefix: str
    symbology: str
    expects: str
    symbologies_allowed: tuple[str, ...] = ()


_KNOWN = {
    "]E0": Aim("]E0", "ean13", GTIN, ("ean13", "upca", "upce")),  # EAN-13, UPC-A and UPC-E
    "]E4": Aim("]E4", "ean8", GTIN, ("ean8",)),
    "]I0": Aim("]I0", "itf14", GTIN, ("itf14",)),
    "]I1": Aim("]I1", "itf14", GTIN, ("itf14",)),
    "]C1": Aim("]C1", "gs1_128", GS1),
    "]d2": Aim("]d2", "gs1_datamatrix", GS1),
    "]Q3": Aim("]Q3", "gs1_qrcode", GS1),
    "]e0": Aim("]e0", "gs1_databar", GS1),
    "]C0": Aim("]C0", "code128", ANY),
    "]d1": Aim("]d1", "datamatrix", ANY),
    "]Q1": Aim("]Q1", "qrcode", ANY),
}

# A flag "]", a code letter, a digit modifier. Requiring the digit keeps text such as "]Hello"
# from being read as a prefix.
_SHAPE = re.compile(r"\][A-Za-z][0-9]")


def split_aim(text: str) -> tuple[Aim | None, str]:
    """Split a leading AIM prefix from the data; an unlisted prefix gives symbology "unknown"."""
    match = _SHAPE.match(text)
    if match is None:
        return None, text
    prefix = match.group()
    return _KNOWN.get(prefix, Aim(prefix, "unknown", ANY)), text[len(prefix):]
