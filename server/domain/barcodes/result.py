"""What a scan means, as frozen data.

``to_dict()`` gives JSON-ready plain data: dates and datetimes as ISO 8601 strings, Decimals as
strings (``"1.250"``: exact, the number of decimals encoded in the barcode is kept), tuples as lists.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from typing import Any

KINDS = ("gtin", "gs1", "sscc", "location", "purchase_order", "sales_order", "product_ref", "text")

Parsed = str | int | Decimal | dt.date | dt.datetime


@dataclass(frozen=True)
class Element:
    """One GS1 element string: its AI, labels for people, the raw data and its typed reading."""

    ai: str
    label_en: str
    label_fr: str
    value: str
    parsed: Parsed

    def to_dict(self) -> dict[str, Any]:
        return _plain_fields(self)


@dataclass(frozen=True)
class ParseResult:
    """The reading of one scan. Fields that the code does not carry are None.

    ``raw`` is the scan after edge clean-up (before any AZERTY repair); ``value`` is the canonical
    form: the 14-digit GTIN, the SSCC, the GS1 element string in ``(AI)value`` form, the label's
    reference, or the text itself.
    """

    kind: str
    value: str
    raw: str = ""
    symbology: str = "unknown"
    aim: str | None = None
    gtin: str | None = None
    content_gtin: str | None = None
    sscc: str | None = None
    lot: str | None = None
    serial: str | None = None
    expiry: dt.date | None = None
    best_before: dt.date | None = None
    count: int | None = None
    content_count: int | None = None
    net_weight_kg: Decimal | None = None
    reference: str | None = None
    elements: tuple[Element, ...] = ()
    warnings: tuple[str, ...] = ()

    def with_warnings(self, *warnings: str) -> ParseResult:
        added = tuple(w for w in warnings if w not in self.warnings)
        return replace(self, warnings=self.warnings + added)

    def to_dict(self) -> dict[str, Any]:
        return _plain_fields(self)


def _plain_fields(instance: Any) -> dict[str, Any]:
    return {f.name: _plain(getattr(instance, f.name)) for f in fields(instance)}


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return value
