"""The movement ledger (append-only, the truth) and stock levels (a cache of it).

Every movement moves a positive quantity from a location to another; ``None`` on one side means the
stock enters or leaves the warehouse. Kinds have stable integer codes so reports survive renames.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Money, Quantity, UtcDateTime, utcnow


class MovementKind(enum.IntEnum):
    OPENING = 5
    RECEIPT = 10
    PUT_AWAY = 20
    TRANSFER = 21
    PICK = 30
    PUT_BACK = 31     # picked goods taken back from dispatch to stock: their sales order was cancelled
    SHIPMENT = 40
    ADJUSTMENT = 50
    COUNT = 60
    REVERSAL = 90


class Movement(Base):
    __tablename__ = "movements"
    __table_args__ = (
        CheckConstraint("qty > 0", name="qty_positive"),
        CheckConstraint("from_location_id IS NOT NULL OR to_location_id IS NOT NULL", name="has_a_side"),
        Index("ix_movements_product_id_id", "product_id", "id"),
        # What an order line has had (received, picked) is summed from these alone, never from the table's
        # rows: a scan's cost does not grow with the scans the order has had before (server/services/order_rows).
        Index("ix_movements_po_line_id_kind_qty", "po_line_id", "kind", "qty"),
        Index("ix_movements_so_line_id_kind_qty", "so_line_id", "kind", "qty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_event_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[int] = mapped_column(SmallInteger)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    qty: Mapped[Decimal] = mapped_column(Quantity())
    from_location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    to_location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    lot: Mapped[str] = mapped_column(String(64), default="")
    expiry: Mapped[date | None] = mapped_column(Date)
    unit_cost: Mapped[Decimal | None] = mapped_column(Money())
    reason: Mapped[str | None] = mapped_column(String(200))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("movements.id"), unique=True)
    po_line_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_order_lines.id"))
    so_line_id: Mapped[int | None] = mapped_column(ForeignKey("sales_order_lines.id"))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    device: Mapped[str | None] = mapped_column(String(64))


class StockLevel(Base):
    """On hand per product × location × lot. ``lot`` is '' rather than NULL so the unique key holds."""

    __tablename__ = "stock_levels"
    __table_args__ = (
        UniqueConstraint("product_id", "location_id", "lot"),
        CheckConstraint("qty >= 0", name="qty_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    lot: Mapped[str] = mapped_column(String(64), default="")
    expiry: Mapped[date | None] = mapped_column(Date)
    qty: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal(0))
