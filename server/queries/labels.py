"""What goes on the label of a bin, a product or a document, by its business key."""
from __future__ import annotations

from sqlalchemy import select

from server.domain.barcodes import make_label
from server.domain.words import en_word
from server.extensions import db
from server.labels import LabelSpec
from server.models import Location, Product, Supplier
from server.services import master, purchasing, sales

KINDS = ("locations", "products", "purchase-orders", "sales-orders")


def label_for(kind: str, key: str, symbology: str | None = None) -> LabelSpec:
    if kind == "locations":
        place = master.get(Location, key)
        return LabelSpec(make_label("location", place.code), symbology or "code128", text=place.code,
                         title=place.name or None)
    if kind == "products":
        product = master.get(Product, key)
        gtin = next((b.code for b in product.barcodes if b.code.isdigit() and b.pack_qty == 1), None)
        if gtin:  # the product's own GTIN as GS1, so any scanner and any partner reads it
            return LabelSpec(f"(01){gtin}", symbology or "gs1_128", title=f"{product.sku} · {product.name}"[:120])
        return LabelSpec(make_label("product_ref", product.sku), symbology or "code128", text=product.sku,
                         title=product.name[:120])
    if kind == "purchase-orders":
        order = purchasing.get_order(key)
        supplier = db.session.scalar(select(Supplier.name).where(Supplier.id == order.supplier_id))
        return LabelSpec(make_label("purchase_order", order.number), symbology or "code128", text=order.number,
                         title=supplier[:120])
    order = sales.get_order(key)
    return LabelSpec(make_label("sales_order", order.number), symbology or "code128", text=order.number,
                     title=f"{len(order.lines)} {en_word(len(order.lines), 'line', 'lines')}")



