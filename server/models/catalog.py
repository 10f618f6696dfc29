"""What is stocked: products and the barcodes that name them."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Money, Quantity, UtcDateTime, utcnow


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # SKU and name folded (no case, no accents: domain/search.py), what a search compares; kept by services/search_keys.
    search_key: Mapped[str] = mapped_column(String(400))
    unit: Mapped[str] = mapped_column(String(16), default="pce")
    unit_cost: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    active: Mapped[bool] = mapped_column(default=True)
    critical: Mapped[bool] = mapped_column(default=False)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    moq: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal(0))
    pack_multiple: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal(1))
    # The buyer's overrides of computed policy (service level, push/pull, safety stock...): sparse, so JSON.
    policy_overrides: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    supplier: Mapped["Supplier | None"] = relationship()  # noqa: F821
    barcodes: Mapped[list[Barcode]] = relationship(back_populates="product", order_by="Barcode.id")


class Barcode(Base):
    """A normalised code (GTIN-14 or the exact text) naming a product; a carton code counts ``pack_qty`` units."""

    __tablename__ = "barcodes"
    __table_args__ = (CheckConstraint("pack_qty > 0", name="pack_qty_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(128), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    pack_qty: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal(1))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    product: Mapped[Product] = relationship(back_populates="barcodes")
