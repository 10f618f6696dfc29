"""``parse``: from what a scanner typed to what it means.

Order of reading: clean the edges; split an AIM prefix; read what the prefix promises (a GTIN, a
GS1 element string) or, without one, recognise the content: Tendu label, human-readable GS1,
all-digit GTIN/SSCC, raw GS1, else free text. Only if that fails or gives free text is the AZERTY
repair tried, and it is kept only when the repaired scan validates.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from server.domain.barcodes import aim as aims
from server.domain.barcodes import gs1, gtin, labels, refusals
from server.domain.barcodes.azerty import repair_azerty
from server.domain.barcodes.refusals import BarcodeError
from server.domain.barcodes.result import ParseResult

# What people and scanners put where FNC1 / ASCII 29 belongs, when the real one cannot be typed.
DEFAULT_FNC1_SUBSTITUTES = (
    "~", "<GS>", "<gs>", "[GS]", "{GS}", "<FNC1>", "\\x1d", "\\x1D", "\\u001d", "^]", "\u241d",
)

_EDGES = re.compile(r"^[\s\x00]+|[\s\x00]+$")  # \s: CR, LF, tabs, Unicode spaces, and an edge GS (harmless)
_UNREADABLE_CATEGORIES = ("Cc", "Cs")  # control characters, lone surrogates


def parse(code: str, *, fnc1_substitutes: tuple[str, ...] = DEFAULT_FNC1_SUBSTITUTES) -> ParseResult:
    """Read one scan. Raises ``BarcodeError`` (code in ``ERROR_CODES``) when the scan is refused.

    Free text that is none of the known forms is not an error: it comes back with kind "text".
    """
    if any(not substitute for substitute in fnc1_substitutes):
        raise ValueError("FNC1 substitutes must be non-empty strings")
    text = _EDGES.sub("", code)
    if not text:
        raise refusals.empty()
    try:
        as_typed, refusal = _read(text, fnc1_substitutes), None
    except BarcodeError as exc:
        as_typed, refusal = None, exc
    if as_typed is not None and as_typed.kind != "text":
        return as_typed
    repaired = _azerty_repaired(text, fnc1_substitutes)
    if repaired is not None:
        return repaired
    if refusal is not None:
        raise refusal
    return as_typed


def _azerty_repaired(text: str, fnc1_substitutes: tuple[str, ...]) -> ParseResult | None:
    repaired_text = repair_azerty(text)
    if repaired_text == text:
        return None
    try:
        result = _read(repaired_text, fnc1_substitutes)
    except BarcodeError:
        return None
    if result.kind == "text":
        return None
    return replace(result, raw=text).with_warnings("azerty_repaired")


def _read(text: str, fnc1_substitutes: tuple[str, ...]) -> ParseResult:
    aim, content = aims.split_aim(text)
    if not content:
        raise refusals.empty()
    if aim is None:
        return replace(_recognise(content, fnc1_substitutes), raw=text)
    result = _read_as_announced(aim, content, fnc1_substitutes)
    return replace(result, raw=text, aim=aim.prefix, symbology=_symbology(aim, result))


def _read_as_announced(aim: aims.Aim, content: str, fnc1_substitutes: tuple[str, ...]) -> ParseResult:
    if aim.expects == aims.GS1:
        return _read_gs1(content, fnc1_substitutes)
    if aim.expects == aims.GTIN and gtin.is_ascii_digits(content):
        eight_digits = gtin.UPCE if aim.prefix == "]E0" else gtin.EAN8
        result = gtin.read_gtin(content, eight_digits)
    else:
        result = _recognise(content, fnc1_substitutes)
    if aim.expects == aims.GTIN and result.symbology not in aim.symbologies_allowed:
        return result.with_warnings("aim_prefix_mismatch")
    return result


def _symbology(aim: aims.Aim, result: ParseResult) -> str:
    # An EAN/UPC or ITF prefix covers several symbologies: the digits tell which one was read.
    if aim.expects == aims.GTIN and result.kind == "gtin":
        return result.symbology
    return aim.symbology


def _recognise(content: str, fnc1_substitutes: tuple[str, ...]) -> ParseResult:
    if labels.looks_like_label(content):
        return labels.read_label(content)
    if gs1.looks_like_hri(content):
        return _read_gs1(content, fnc1_substitutes)
    if gtin.is_ascii_digits(content) and len(content) in gtin.GTIN_LENGTHS:
        return gtin.read_gtin(content)
    if gtin.is_ascii_digits(content) and len(content) == gtin.SSCC_LENGTH:
        return gtin.read_sscc(content)
    if gs1.looks_like_element_string(_with_real_separators(content, fnc1_substitutes)):
        return _read_gs1(content, fnc1_substitutes)
    return _read_text(content)


def _read_gs1(content: str, fnc1_substitutes: tuple[str, ...]) -> ParseResult:
    normalised = _with_real_separators(content, fnc1_substitutes)
    if gs1.looks_like_hri(normalised):
        result = gs1.read_hri(normalised)
    else:
        result = gs1.read_element_string(normalised)
    return result.with_warnings("fnc1_substituted") if normalised != content else result


def _with_real_separators(content: str, fnc1_substitutes: tuple[str, ...]) -> str:
    for substitute in sorted(fnc1_substitutes, key=len, reverse=True):  # "<GS>" before "~"
        content = content.replace(substitute, gs1.GS)
    return content


def _read_text(content: str) -> ParseResult:
    if "\ufffd" in content or any(
            unicodedata.category(char) in _UNREADABLE_CATEGORIES for char in content):
        raise refusals.unreadable()
    return ParseResult(kind="text", value=content)
