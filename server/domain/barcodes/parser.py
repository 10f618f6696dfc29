"""``parse``: from what a scanner typed to what it means.

Order of reading: clean the edges; split an AIM prefix; read what the prefix promises (a GTIN, a
GS1 element string) or, without one, recognise the content: Tendu label, human-readable GS1,
all-digit GTIN/SSCC, raw GS1, else free text. Only if that fails or gives free text is the AZERTY
repair tried, and it is kept only when the repaired scan validates.

A company's own codes may be made of digits only (a bin "10020304", an article code "12345678" printed in
Code 128). After a prefix that promises no GTIN (]C0, ]d1, ]Q1, an unlisted one), digits whose GS1 check
digit fails are such a code: free text with the warning "not_a_gtin". Without a prefix nothing says what
was read: the check digit is refused, and only the caller, who knows the company's codes, may read the
digits as text (``own_code_reading``) when it has that exact code. The same holds for such a code typed through
an AZERTY layout (``azerty_text_reading``): its repair is text, which ``parse`` does not keep.
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

NOT_A_GTIN = "not_a_gtin"  # digits read as a company's own code: their GS1 check digit fails

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
    if aim.expects == aims.ANY and gtin.is_ascii_digits(content):
        return _own_digits_or_gs1(content, fnc1_substitutes)
    if aim.expects == aims.GTIN and gtin.is_ascii_digits(content):
        eight_digits = gtin.UPCE if aim.prefix == "]E0" else gtin.EAN8
        result = gtin.read_gtin(content, eight_digits)
    else:
        result = _recognise(content, fnc1_substitutes)
    if aim.expects == aims.GTIN and result.symbology not in aim.symbologies_allowed:
        return result.with_warnings("aim_prefix_mismatch")
    return result


def _own_digits_or_gs1(content: str, fnc1_substitutes: tuple[str, ...]) -> ParseResult:
    """Digits under a prefix that promises no GTIN: a GTIN, SSCC or GS1 string when their check digit holds, else
    the company's own code (a bad check digit is 9 times in 10 what any other number has)."""
    try:
        return _recognise(content, fnc1_substitutes)
    except BarcodeError as refusal:
        if refusal.code != "bad_check_digit":
            raise
        return _read_text(content).with_warnings(NOT_A_GTIN)


def own_code_reading(code: str, refusal: BarcodeError) -> ParseResult | None:
    """The scan ``parse`` refused as text, when it may be a company's own all-digit code: no AIM prefix (nothing
    said which symbol was read), digits only, refused for the check digit alone. None otherwise.

    Not a reading to use blindly: the caller keeps it only if the company has this exact code (a location, a code
    linked to a product), and gives the original refusal otherwise ("never a silent guess")."""
    if refusal.code != "bad_check_digit":
        return None
    text = _EDGES.sub("", code)
    aim, content = aims.split_aim(text)
    if aim is not None or not gtin.is_ascii_digits(content):
        return None
    return ParseResult(kind="text", value=content, raw=text, warnings=(NOT_A_GTIN,))


def azerty_text_reading(code: str) -> ParseResult | None:
    """The scan read through the AZERTY repair, when that gives text: a company's own code typed by a scanner set
    to QWERTY on a French keyboard (bin "10020304" arrives as ``&ààéà"à'``). ``parse`` keeps a repair only when it
    validates as a GTIN, GS1 string or label; text (or digits refused for their check digit alone, read as text
    as ``own_code_reading`` does) is no proof of anything. None when the repair changes nothing, when digits were
    typed (they came through no AZERTY digit row) or when the repaired scan reads as no text.

    Not a reading to use blindly: the caller keeps it only if the company has this exact code and the scan as
    typed is none of its codes."""
    text = _EDGES.sub("", code)
    repaired = repair_azerty(text)
    if repaired == text or gtin.is_ascii_digits(aims.split_aim(text)[1]):
        return None
    try:
        result = _read(repaired, DEFAULT_FNC1_SUBSTITUTES)
    except BarcodeError as refusal:
        result = own_code_reading(repaired, refusal)
    if result is None or result.kind != "text":
        return None
    return replace(result, raw=text).with_warnings("azerty_repaired")


def scanned_text(result: ParseResult) -> str | None:
    """What the scan carried after its AIM prefix, for a look-up of a company's own code: a text's value, or the
    digits a GTIN was read from (a bin "12345670" has a right EAN-8 check digit by chance, 1 in 10)."""
    if result.kind == "text":
        return result.value
    if result.kind != "gtin":
        return None
    content = result.raw[len(result.aim or ""):]
    if "azerty_repaired" in result.warnings:
        content = repair_azerty(content)
    return content if gtin.is_ascii_digits(content) else None


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
