"""GS1 element strings, raw (ASCII 29 between fields) or human-readable ``(01)…(10)…``.

biip knows the AIs, their patterns and their dates (day 00 = last day of the month); this module
walks the string one element at a time with biip so that a refusal can name the field at fault
and say precisely why: unknown AI, field cut short, impossible date, wrong characters, bad check digit.
"""
from __future__ import annotations

import re

from biip import ParseConfig, ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_element_strings import GS1ElementString

from server.domain.barcodes import refusals
from server.domain.barcodes.ai_labels import labels_for
from server.domain.barcodes.gtin import is_ascii_digits, verify_check_digit
from server.domain.barcodes.result import Element, Parsed, ParseResult

GS = "\x1d"
_CONFIG = ParseConfig()  # ASCII 29 as the only separator (substitutes are replaced before), dates verified

_HRI_START = re.compile(r"\(\d{2,4}\)")
_HRI_WHOLE = re.compile(r"(?:\(\d{2,4}\)[^()]*)+")
_HRI_PAIR = re.compile(r"\((\d{2,4})\)([^()]*)")
_FORMAT_PART = re.compile(r"[NXYZ](\d*)(\.\.)?")
_CHECK_DIGIT_NAMES = {"gtin_error": "GTIN", "sscc_error": "SSCC", "gln_error": "GLN"}


def looks_like_hri(text: str) -> bool:
    return _HRI_START.match(text) is not None


def looks_like_element_string(text: str) -> bool:
    """Whether un-prefixed data should be read as GS1 rather than as free text.

    With a separator, a known AI at the start is enough. Without one, the first element must be
    readable and of a predefined length (01, 17, 310n...): "10ABC" alone stays text.
    """
    body = text.lstrip(GS)
    if not body.isascii() or not body[:1].isdigit():
        return False
    if GS in body:
        return _ai_or_none(body) is not None
    try:
        first = GS1ElementString.extract(body, config=_CONFIG)
    except ParseError:
        return False
    return not first.ai.separator_required


def read_element_string(text: str) -> ParseResult:
    """Read raw data: fields one after the other, variable-length ones ended by ASCII 29."""
    if not text.isascii():
        raise refusals.unreadable()
    elements = []
    rest = text.lstrip(GS)
    while rest:
        element = _extract_first(rest)
        elements.append(element)
        rest = rest[len(element):].lstrip(GS)
    if not elements:
        raise refusals.empty()
    return _result(elements)


def read_hri(text: str) -> ParseResult:
    """Read the human-readable form; each field is checked alone, so none needs a separator."""
    if not text.isascii():
        raise refusals.unreadable()
    if not _HRI_WHOLE.fullmatch(text):
        raise refusals.broken_hri()
    return _result([_hri_element(ai, data.strip()) for ai, data in _HRI_PAIR.findall(text)])


def _ai_or_none(text: str) -> GS1ApplicationIdentifier | None:
    try:
        return GS1ApplicationIdentifier.extract(text)
    except ParseError:
        return None


def _known_ai(text: str) -> GS1ApplicationIdentifier:
    ai = _ai_or_none(text)
    if ai is None:
        raise refusals.unknown_ai(text)
    return ai


def _extract_first(rest: str) -> GS1ElementString:
    ai = _known_ai(rest)
    field = rest[len(ai.ai):].split(GS, 1)[0]
    element = _checked_element(ai, rest, field, GS1ElementString.extract)
    if _has_variable_length(ai) and len(element.value) < len(field):
        # biip stopped early: a character outside the GS1 set, or longer than the maximum.
        raise _bad_format(ai, field)
    return element


def _hri_element(ai_digits: str, data: str) -> GS1ElementString:
    ai = _ai_or_none(ai_digits + data)
    if ai is None or ai.ai != ai_digits:  # "(31)03..." must not pass for (3103)
        raise refusals.unknown_ai(f"({ai_digits})")
    return _checked_element(ai, ai_digits + data, data, GS1ElementString.parse)


def _checked_element(ai: GS1ApplicationIdentifier, text: str, field: str, read) -> GS1ElementString:
    try:
        element = read(text, config=_CONFIG)
    except ParseError:
        raise _refusal_for(ai, field) from None
    if len(element.value) < _required_length(ai):
        raise _truncated(ai, element.value)  # AI 30's pattern accepts an empty count
    _verify_inner_check_digits(element)
    return element


def _verify_inner_check_digits(element: GS1ElementString) -> None:
    # biip records a bad GTIN/SSCC/GLN check digit instead of raising: turn it into a refusal.
    for error_field, name in _CHECK_DIGIT_NAMES.items():
        if getattr(element, error_field):
            verify_check_digit(element.value, name, element.ai.ai)


def _refusal_for(ai: GS1ApplicationIdentifier, field: str) -> refusals.BarcodeError:
    """Say why biip could not read ``field`` as the data of ``ai``."""
    need = _required_length(ai)
    if len(field) < need:
        return _truncated(ai, field)
    head = field[:need]
    if _is_date(ai) and is_ascii_digits(head) and not _readable(ai.ai + head):
        return refusals.invalid_date(ai.ai, *labels_for(ai), head)
    return _bad_format(ai, field)


def _readable(element_string: str) -> bool:
    try:
        GS1ElementString.parse(element_string, config=_CONFIG)
    except ParseError:
        return False
    return True


def _truncated(ai: GS1ApplicationIdentifier, field: str) -> refusals.BarcodeError:
    return refusals.truncated_field(ai.ai, *labels_for(ai), _required_length(ai), len(field))


def _bad_format(ai: GS1ApplicationIdentifier, field: str) -> refusals.BarcodeError:
    return refusals.bad_format(ai.ai, *labels_for(ai), field, _data_format(ai))


def _data_format(ai: GS1ApplicationIdentifier) -> str:
    return ai.format.split("+", 1)[1]  # "N2+N14" -> "N14"


def _required_length(ai: GS1ApplicationIdentifier) -> int:
    """Minimum data length from biip's format: "N6" needs 6, "X..20" needs 1, "[+N6]" is optional."""
    mandatory = re.sub(r"\[.*?\]", "", _data_format(ai))
    return sum(int(size) if size and not variable else 1
               for size, variable in _FORMAT_PART.findall(mandatory))


def _has_variable_length(ai: GS1ApplicationIdentifier) -> bool:
    return ".." in ai.format or "[" in ai.format


def _is_date(ai: GS1ApplicationIdentifier) -> bool:
    return "YYMMDD" in ai.description


def _result(raw_elements: list[GS1ElementString]) -> ParseResult:
    _refuse_conflicting_repeats(raw_elements)
    elements = tuple(_element(raw) for raw in raw_elements)
    first = {}
    for element in reversed(elements):
        first[element.ai] = element.parsed
    weight = next((e.parsed for e in elements if e.ai.startswith("310")), None)
    return ParseResult(
        kind="sscc" if list(first) == ["00"] else "gs1",
        value="".join(f"({e.ai}){e.value}" for e in elements),
        gtin=first.get("01"), content_gtin=first.get("02"), sscc=first.get("00"),
        lot=first.get("10"), serial=first.get("21"),
        expiry=first.get("17"), best_before=first.get("15"),
        count=first.get("30"), content_count=first.get("37"),
        net_weight_kg=weight, elements=elements)


def _refuse_conflicting_repeats(elements: list[GS1ElementString]) -> None:
    seen: dict[str, str] = {}
    for element in elements:
        first = seen.setdefault(element.ai.ai, element.value)
        if first != element.value:
            raise refusals.conflicting_repeat(element.ai.ai, first, element.value)


def _element(raw: GS1ElementString) -> Element:
    label_en, label_fr = labels_for(raw.ai)
    return Element(ai=raw.ai.ai, label_en=label_en, label_fr=label_fr,
                   value=raw.value, parsed=_typed(raw))


def _typed(raw: GS1ElementString) -> Parsed:
    for typed in (raw.datetime, raw.date, raw.decimal):
        if typed is not None:
            return typed
    if raw.ai.ai in ("30", "37"):
        return int(raw.value)
    return raw.value
