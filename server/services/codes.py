"""How a code linked to a product is stored: a GTIN as its 14 digits, any other code as its text.

A company's own all-digit code (an internal article code "12345678") fails the GS1 check digit 9 times in 10. Typed
or imported by a supervisor on purpose, it is stored as its text with the warning "not_a_gtin": refusing it would
leave such codes impossible to link. The risk, a real EAN mistyped: it is stored as text that no scan of the real
EAN can match (that scan reads as the valid GTIN, stored as 14 digits), so the product's real code shows as unknown
at its first scan and gets linked then; nothing is booked against the wrong product. A code a scanner announced as
an EAN/UPC or ITF (]E0, ]E4, ]I1), or a GS1 element string, keeps its check-digit refusal.
"""
from __future__ import annotations

from server.domain.barcodes import BarcodeError, own_code_reading, parse
from server.domain.errors import Invalid


MAX_CODE = 128  # barcodes.code


def normalise_code(code: str) -> str:
    return read_code(code)[0]


def read_code(code: str) -> tuple[str, tuple[str, ...]]:
    """The code as stored, and the parser's warnings (``not_a_gtin``: digits kept as text, see above)."""
    try:
        result = parse(code)
    except BarcodeError as refusal:
        result = own_code_reading(code, refusal)
        if result is None:
            raise
    if result.gtin and result.kind in ("gtin", "gs1"):
        return result.gtin, result.warnings
    if result.kind == "text":
        if len(result.value) > MAX_CODE:
            raise Invalid("code_too_long", f"A product code has at most {MAX_CODE} characters.",
                          f"Un code produit a au plus {MAX_CODE} caractères.", field="code")
        return result.value, result.warnings
    raise Invalid("not_a_product_code", f"{result.value} is a {result.kind.replace('_', ' ')} code, not a product's.",
                  f"{result.value} est un code de type {result.kind}, pas un code produit.", field="code",
                  details={"kind": result.kind})
