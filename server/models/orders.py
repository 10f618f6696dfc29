"""Purchase and sales orders, their lines, and the timestamped lifecycle events that measure lead times.

Events are append-only like movements: each carries the device's ``occurred_at`` and the server's
``recorded_at``, and a unique ``client_event_id`` so a replay writes nothing.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Money, Quantity, UtcDateTime, utcnow

PO_EVENTS = ("need_detected", "ordered", "confirmed", "shipped", "arrived", "received", "put_away")
SO_EVENTS = ("ordered", "picked", "packed", "shipped")


class _EventColumns:
    """What every lifecycle event records, whichever order it belongs to."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    client_event_id: Mapped[str] = mapped_column(String(36), unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    device: Mapped[str | None] = mapped_column(String(64))
    # Physically possible but not in the usual order (e.g. arrived before the confirmation was typed).
    out_of_order: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(String(500))


class PurchaseOrder(Base):
    __tablename__ = "purchase_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    promised_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The id the page that made it by hand gave it: a retry after a lost answer returns this order.
    client_event_id: Mapped[str | None] = mapped_column(String(36), unique=True)

    lines: Mapped[list[PurchaseOrderLine]] = relationship(back_populates="order", order_by="PurchaseOrderLine.id")
    events: Mapped[list[PurchaseOrderEvent]] = relationship(order_by="PurchaseOrderEvent.occurred_at")


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (CheckConstraint("qty_ordered > 0", name="qty_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    qty_ordered: Mapped[Decimal] = mapped_column(Quantity())
    unit_cost: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))

    order: Mapped[PurchaseOrder] = relationship(back_populates="lines")
    product: Mapped["Product"] = relationship(lazy="joined")  # noqa: F821


class PurchaseOrderEvent(_EventColumns, Base):
    __tablename__ = "purchase_order_events"
    # An order's event summary (first time of each kind per line) is read from this index alone, with the order.
    __table_args__ = (Index("ix_purchase_order_events_summary", "order_id", "kind", "line_id", "occurred_at"),)

    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"))
    line_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_order_lines.id"), index=True)
    promised_date: Mapped[date | None] = mapped_column(Date)


class SalesOrder(Base):
    __tablename__ = "sales_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    # Demand is measured when the customer asks, not when we ship.
    ordered_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    requested_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    lines: Mapped[list[SalesOrderLine]] = relationship(back_populates="order", order_by="SalesOrderLine.id")
    events: Mapped[list[SalesOrderEvent]] = relationship(order_by="SalesOrderEvent.occurred_at")


class SalesOrderLine(Base):
    __tablename__ = "sales_order_lines"
    __table_args__ = (
        CheckConstraint("qty_ordered > 0", name="qty_positive"),
        CheckConstraint("qty_reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("qty_short >= 0", name="short_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    qty_ordered: Mapped[Decimal] = mapped_column(Quantity())
    unit_price: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    qty_reserved: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal(0))
    # Found missing on the shelf while picking: no longer expected to ship.
    qty_short: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal(0), server_default="0")

    order: Mapped[SalesOrder] = relationship(back_populates="lines")
    product: Mapped["Product"] = relationship(lazy="joined")  # noqa: F821


class SalesOrderEvent(_EventColumns, Base):
    __tablename__ = "sales_order_events"
    __table_args__ = (Index("ix_sales_order_events_summary", "order_id", "kind", "line_id", "occurred_at"),)

    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"))
    line_id: Mapped[int | None] = mapped_column(ForeignKey("sales_order_lines.id"), index=True)
