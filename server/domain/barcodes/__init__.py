"""Barcode reading for Tendu: what a scan means (GTIN, GS1 data, SSCC, Tendu label or free text).

Pure domain code: no Flask, no database. See ``parse`` and ``make_label``.
"""
from server.domain.barcodes.labels import LABEL_TYPES, make_label
from server.domain.barcodes.parser import (DEFAULT_FNC1_SUBSTITUTES, NOT_A_GTIN, azerty_text_reading,
                                          own_code_reading, parse, scanned_text)
from server.domain.barcodes.refusals import ERROR_CODES, BarcodeError
from server.domain.barcodes.result import KINDS, Element, ParseResult

__all__ = [
    "DEFAULT_FNC1_SUBSTITUTES", "ERROR_CODES", "KINDS", "LABEL_TYPES", "NOT_A_GTIN",
    "BarcodeError", "Element", "ParseResult", "azerty_text_reading", "make_label", "own_code_reading", "parse",
    "scanned_text",
]
