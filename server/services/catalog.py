"""Products and their barcodes."""
from __future__ import annotations

from sqlalchemy import delete, select

from server.domain.errors import Conflict
from server.models import Barcode, Product, Supplier
from server.services import master
from server.services.codes import normalise_code


def _resolve(session, product: Product, data: dict) -> None:
    if "supplier" in data:
        product.supplier = master.get(Supplier, data["supplier"], session) if data["supplier"] else None
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
    taken = session.scalars(select(Barcode).where(Barcode.code.in_(seen))).all()
    if taken:
        raise Conflict("duplicate_barcode", f"Barcode {taken[0].code} already names another product.",
                       f"Le code {taken[0].code} désigne déjà un autre produit.", field="barcodes",
                       details={"code": taken[0].code})
    product.barcodes = [Barcode(code=code, pack_qty=qty) for code, qty in codes]


def create(model, data: dict) -> Product:
    return master.create(model, data, prepare=_resolve)


def update(model, sku: str, data: dict) -> Product:
    return master.update(model, sku, data, prepare=_resolve)
