"""Products and their barcodes."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from server.database import write_transaction
from server.domain.errors import Conflict
from server.models import Barcode, Product, Supplier
from server.services import master
from server.services.codes import location_clash, location_named, normalise_code, read_code


def _resolve(session, product: Product, data: dict) -> None:
    if "supplier" in data:
        product.supplier = (master.referenced(Supplier, data["supplier"], session, field="supplier")
                            if data["supplier"] else None)
    if "barcodes" in data:
        _replace_barcodes(session, product, data["barcodes"])


def _replace_barcodes(session, product: Product, wanted: list[dict]) -> None:
    codes = [(normalise_code(b["code"]), b.get("pack_qty") or 1) for b in wanted]
    seen = set()
    for code, _ in codes:
        if code in seen:
            raise Conflict("duplicate_barcode", f"Barcode {code} is listed twice.", f"Le code {code} figure deux fois.",
                           field="barcodes")
        seen.add(code)
    if product.id is not None:
        session.execute(delete(Barcode).where(Barcode.product_id == product.id))
        session.flush()
    taken = session.scalars(select(Barcode).where(Barcode.code.in_(seen))).first()
    if taken:
        raise _taken(taken.code)
    for code in seen:
        if (location := location_named(session, code)) is not None:
            raise location_clash(code, location, "barcodes")
    product.barcodes = [Barcode(code=code, pack_qty=qty) for code, qty in codes]


def create(model, data: dict) -> Product:
    return master.create(model, data, prepare=_resolve)


def update(model, sku: str, data: dict) -> Product:
    return master.update(model, sku, data, prepare=_resolve)


def link_barcode(code: str, sku: str, pack_qty) -> tuple[Barcode, tuple[str, ...]]:
    """Add one more code to a product, e.g. a carton GTIN or a supplier's own reference. Returns the link and what
    the code's reading warns of (``not_a_gtin``: digits with a wrong GS1 check digit, linked as the company's own
    code; see server/services/codes.py)."""
    normalised, warnings = read_code(code)
    try:
        with write_transaction() as s:
            product = master.get(Product, sku, s)
            if s.scalar(select(Barcode.id).where(Barcode.code == normalised)):
                raise _taken(normalised)
            if (location := location_named(s, normalised)) is not None:
                raise location_clash(normalised, location)
            barcode = Barcode(code=normalised, product_id=product.id, pack_qty=pack_qty)
            s.add(barcode)
    except IntegrityError:  # linked concurrently by someone else
        raise _taken(normalised) from None
    return barcode, warnings


def _taken(code: str) -> Conflict:
    return Conflict("duplicate_barcode", f"Barcode {code} already names a product.",
                    f"Le code {code} désigne déjà un produit.", field="code", details={"code": code})
