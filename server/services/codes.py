"""How a code linked to a product is stored: a GTIN as its 14 digits, any other code as its text.

A company's own all-digit code (an internal article code "12345678") fails the GS1 check digit 9 times in 10. Typed
or imported by a supervisor on purpose, it is stored as its text with the warning "not_a_gtin" (in the answer of
POST /barcodes, and in the import's report): refusing it would leave such codes impossible to link. The risk, a
real EAN mistyped: it is stored as text that no scan of the real EAN can match (that scan reads as the valid GTIN,
stored as 14 digits), so the real code shows as unknown at its first scan and gets linked then. The typo itself
stays linked: the same wrong digits typed again (or a scan misread into exactly them, without an AIM prefix) name
the product they were linked to, and are booked against it, like any own code. Only the warning, at the link,
says a code may be such a typo: whoever links it checks it, and unlinks a typo once found. A code a scanner
announced as an EAN/UPC or ITF (]E0, ]E4, ]I1), or a GS1 element string, keeps its check-digit refusal.

A code is either a product's or a location's, never both (``location_named``, ``product_named``): a bin scanned to
choose it would otherwise name the product (and move its stock), or the product's code choose the bin.
"""
from __future__ import annotations

import re

from sqlalchemy import func, or_, select

from server.domain.barcodes import BarcodeError, own_code_reading, parse
from server.domain.barcodes.gtin import GTIN_LENGTHS
from server.domain.errors import Conflict, DomainError, Invalid
from server.models import Barcode, Location, Product


MAX_CODE = 128  # barcodes.code


def normalise_code(code: str) -> str:
    return read_code(code)[0]


# "3,76001E+12": a spreadsheet showed a long number in scientific notation, and saved it so. The code's last digits
# are gone; kept as text it would name nothing any scan can read, and replace the real code on a products import.
# (The exponent's sign is required: spreadsheets always write it, and a part number such as "12E45" is no number.)
_SCIENTIFIC = re.compile(r"\s*[+-]?\d+(?:[.,]\d*)?[eE][+-]\d+\s*")


def read_code(code: str) -> tuple[str, tuple[str, ...]]:
    """The code as stored, and the parser's warnings (``not_a_gtin``: digits kept as text, see above)."""
    if _SCIENTIFIC.fullmatch(code):
        raise Invalid("scientific_notation",
                      f"“{code.strip()}” is a number a spreadsheet wrote in scientific notation: the code's last "
                      "digits are lost. Format the column as text and copy the codes again.",
                      f"« {code.strip()} » est un nombre qu'un tableur a écrit en notation scientifique : les "
                      "derniers chiffres du code sont perdus. Mettez la colonne au format Texte et recopiez les codes.",
                      field="code")
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


def code_warnings(stored: str) -> tuple[str, ...]:
    """What reading a stored code warns of: ``not_a_gtin`` for the company's own all-digit codes. Said with the
    product each time it is read, not only when linked, so a mistyped EAN saved once keeps showing as such."""
    if not (stored.isascii() and stored.isdigit()):
        return ()  # (only digits can fail as a GTIN: a list of 500 products reads each code, parsing none of these)
    try:
        return read_code(stored)[1]
    except DomainError:
        return ()


def scanned_forms(stored: str) -> set[str]:
    """What a scan naming a code stored so may carry, in capitals: the text itself; a GTIN's 14 digits without
    the zeros that pad a GTIN-8, -12 or -13 too (a bin "12345670" reads as the GTIN 00000012345670)."""
    forms = {stored.upper()}
    if len(stored) == 14 and stored.isascii() and stored.isdigit():
        forms |= {stored[14 - n:] for n in GTIN_LENGTHS if not stored[:14 - n].strip("0")}
    return forms


def location_named(session, stored: str) -> str | None:
    """The code of a location a product code stored so would clash with: the same text in any case (locations are
    looked up in any case), or a GTIN's digits as a location's code."""
    return session.scalar(select(Location.code).where(func.upper(Location.code).in_(scanned_forms(stored))).limit(1))


def product_named(session, location_code: str) -> tuple[str, str] | None:
    """(SKU, code) of a product that has a code a location's code would clash with: its text in any case, or the
    GTIN its digits read as."""
    stored = {location_code}
    try:
        stored.add(read_code(location_code)[0])
    except DomainError:  # no product code (a GS1 string refused…): its text alone
        pass
    row = session.execute(select(Product.sku, Barcode.code).join(Product, Product.id == Barcode.product_id)
                          .where(or_(func.upper(Barcode.code) == location_code.upper(), Barcode.code.in_(stored)))
                          .limit(1)).first()
    return (row.sku, row.code) if row else None


def location_clash(code: str, location: str, field: str = "code") -> Conflict:
    """A product code refused: it is a location's code."""
    return Conflict("code_of_a_location", f"{code} is the code of location {location}: a product cannot have it too "
                    "(scanned to choose the bin, it would name the product and move its stock). Give the product "
                    "another code, or the location another code.",
                    f"{code} est le code de l'emplacement {location} : un article ne peut pas l'avoir aussi (scanné "
                    "pour choisir l'emplacement, il désignerait l'article et déplacerait son stock). Donnez un autre "
                    "code à l'article, ou à l'emplacement.", field=field, details={"code": code, "location": location})


def product_clash(location: str, sku: str, code: str, field: str = "code") -> Conflict:
    """A location's code refused: it is a product's code."""
    return Conflict("code_of_a_product", f"{location} is a code of product {sku} ({code}): a location cannot have it "
                    "too (scanned to choose the bin, it would name the product and move its stock). Choose another "
                    f"code, or unlink {code} from {sku} first.",
                    f"{location} est un code de l'article {sku} ({code}) : un emplacement ne peut pas l'avoir aussi "
                    "(scanné pour choisir l'emplacement, il désignerait l'article et déplacerait son stock). "
                    f"Choisissez un autre code, ou retirez d'abord {code} de l'article {sku}.", field=field,
                    details={"code": code, "product": sku})
