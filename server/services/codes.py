"""How a code linked to a product is stored: a GTIN as its 14 digits, any other code as its text."""
from __future__ import annotations

from server.domain.barcodes import parse
from server.domain.errors import Invalid


MAX_CODE = 128  # barcodes.code


def normalise_code(code: str) -> str:
    result = parse(code)
    if result.gtin and result.kind in ("gtin", "gs1"):
        return result.gtin
    if result.kind == "text":
        if len(result.value) > MAX_CODE:
            raise Invalid("code_too_long", f"A product code has at most {MAX_CODE} characters.",
                          f"Un code produit a au plus {MAX_CODE} caractères.", field="code")
        return result.value
    raise Invalid("not_a_product_code", f"{result.value} is a {result.kind.replace('_', ' ')} code, not a product's.",
                  f"{result.value} est un code de type {result.kind}, pas un code produit.", field="code",
                  details={"kind": result.kind})
