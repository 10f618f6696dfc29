"""Bare numbers: GTIN-8/12/13/14, UPC-E and SSCC, with their check digit verified.

Every GTIN comes out as 14 digits (left-padded with zeros), the key products are stored under.
Check digits use biip's GS1 mod-10 function, UPC-E expansion uses biip's UPC module.
"""
from __future__ import annotations

from biip.checksums import gs1_standard_check_digit
from biip.upc import Upc

from server.domain.barcodes import refusals
from server.domain.barcodes.result import ParseResult

GTIN_LENGTHS = (8, 12, 13, 14)
SSCC_LENGTH = 18
_SYMBOLOGY_BY_LENGTH = {12: "upca", 13: "ean13", 14: "itf14"}

# How to read 8 digits, which may be an EAN-8 or a UPC-E (a UPC-A with zeros suppressed).
EAN8 = "ean8"        # the scanner said EAN-8 (]E4)
UPCE = "upce"        # the scanner said EAN/UPC (]E0): 8 digits there are a UPC-E
EITHER = "either"    # no prefix: EAN-8 first, UPC-E if only that validates


def is_ascii_digits(text: str) -> bool:
    # str.isdigit() alone accepts Arabic-Indic or full-width digits, which no barcode carries.
    return text.isascii() and text.isdigit()


def as_printed(gtin14: str) -> str:
    """A GTIN-14 without the zeros that pad a shorter GTIN to 14 digits (GTIN-8: six, GTIN-12: two, GTIN-13: one):
    the digits under the barcode, as a person reads them (an EAN-8, UPC-A or EAN-13, not its 14-digit form)."""
    for pad in (6, 2, 1):
        if gtin14.startswith("0" * pad):
            return gtin14[pad:]
    return gtin14


def verify_check_digit(digits: str, what: str, ai: str | None = None) -> None:
    expected = gs1_standard_check_digit(digits[:-1])
    got = int(digits[-1])
    if expected != got:
        raise refusals.bad_check_digit(what, digits, expected, got, ai)


def read_gtin(digits: str, eight_digits: str = EITHER) -> ParseResult:
    """Read an all-digit GTIN of 8, 12, 13 or 14 digits."""
    if len(digits) not in GTIN_LENGTHS:
        raise refusals.truncated_number("GTIN", GTIN_LENGTHS, len(digits))
    if len(digits) == 8:
        return _read_eight(digits, eight_digits)
    verify_check_digit(digits, "GTIN")
    return _gtin_result(digits, _SYMBOLOGY_BY_LENGTH[len(digits)])


def read_sscc(digits: str) -> ParseResult:
    verify_check_digit(digits, "SSCC")
    return ParseResult(kind="sscc", value=digits, sscc=digits)


def _gtin_result(digits: str, symbology: str) -> ParseResult:
    gtin = digits.zfill(14)
    return ParseResult(kind="gtin", value=gtin, gtin=gtin, symbology=symbology)


def _read_eight(digits: str, eight_digits: str) -> ParseResult:
    could_be_upce = digits[0] in "01"  # UPC-E exists only for number systems 0 and 1
    if eight_digits == UPCE and could_be_upce:
        return _read_upce(digits)
    if eight_digits == EITHER and could_be_upce and not _valid(digits) and _upce_valid(digits):
        return _read_upce(digits)
    verify_check_digit(digits, "EAN-8")
    result = _gtin_result(digits, "ean8")
    if eight_digits == EITHER and could_be_upce and _upce_valid(digits):
        return result.with_warnings("upce_ambiguous")
    return result


def _valid(digits: str) -> bool:
    return gs1_standard_check_digit(digits[:-1]) == int(digits[-1])


def _upce_expected_check_digit(digits: str) -> int:
    # Given seven digits (no check digit), biip expands to UPC-A and computes it.
    return Upc.parse(digits[:7]).check_digit


def _upce_valid(digits: str) -> bool:
    return _upce_expected_check_digit(digits) == int(digits[7])


def _read_upce(digits: str) -> ParseResult:
    expected = _upce_expected_check_digit(digits)
    if expected != int(digits[7]):
        raise refusals.bad_check_digit("UPC-E", digits, expected, int(digits[7]))
    upca = Upc.parse(digits).as_upc_a()
    return _gtin_result(upca, "upce").with_warnings("upce_expanded")
