"""Tendu's own labels for bins and documents: ``TL:<TYPE>:<VALUE>``, e.g. ``TL:LOC:A-01-3``.

The label printer calls ``make_label`` and the scanner's input goes through ``read_label``: one
definition for both. Values are case-insensitive and kept upper-case, so a scanner with Caps Lock
on (``tl:loc:a-01-3``) reads the same bin. Only ASCII letters, digits and ``._/-`` are allowed:
characters every symbology carries. (Typed through an AZERTY layout, ``TL:LOC:A-01`` arrives as
``TLMLOCMQ)à&``; the parser's AZERTY repair restores it.)
"""
from __future__ import annotations

import re

from server.domain.barcodes import refusals
from server.domain.barcodes.result import ParseResult

PREFIX = "TL:"
# As long as any code Tendu accepts (a SKU, a bin: api.common.CODE, 64): every one of them has a label. At 40,
# SKUs and bins of 41-64 characters were created but their labels refused. Code 128 carries about 20 letters on
# a 70 mm label; longer values print as QR or DataMatrix (server.labels says so when a symbol does not fit).
MAX_VALUE_LENGTH = 64
LABEL_TYPES = {"location": "LOC", "purchase_order": "PO", "sales_order": "SO", "product_ref": "PRD"}
_KIND_BY_TYPE = {label_type: kind for kind, label_type in LABEL_TYPES.items()}
_VALUE = re.compile(rf"[A-Z0-9._/-]{{1,{MAX_VALUE_LENGTH}}}")


def make_label(kind: str, value: str) -> str:
    """The text to encode on a label; ``kind`` is one of ``LABEL_TYPES``' keys."""
    if kind not in LABEL_TYPES:
        raise ValueError(f"unknown label kind {kind!r}; expected one of {sorted(LABEL_TYPES)}")
    return f"{PREFIX}{LABEL_TYPES[kind]}:{_normalised_value(value)}"


def looks_like_label(text: str) -> bool:
    return text[:len(PREFIX)].upper() == PREFIX


def read_label(text: str) -> ParseResult:
    label_type, _, value = text[len(PREFIX):].partition(":")
    kind = _KIND_BY_TYPE.get(label_type.upper())
    if kind is None:
        raise refusals.unknown_label_type(label_type, tuple(_KIND_BY_TYPE))
    reference = _normalised_value(value)
    return ParseResult(kind=kind, value=reference, reference=reference)


def _normalised_value(value: str) -> str:
    # Check ASCII before upper(): "ı".upper() is "I", which would let a foreign letter through.
    upper = value.upper() if value.isascii() else value
    if not _VALUE.fullmatch(upper):
        raise refusals.bad_label_value(value, MAX_VALUE_LENGTH)
    return upper
