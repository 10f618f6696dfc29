"""Who Tendu buys from and sells to."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Money


class Supplier(Base):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    search_key: Mapped[str] = mapped_column(String(400))  # code and name folded, as a product's
    email: Mapped[str | None] = mapped_column(String(200))
    # The supplier's promise, used until measurements replace it.
    declared_lead_time_days: Mapped[float] = mapped_column(default=7.0)
    # Ordered from on fixed days, every R days: its products are planned (R, S). None: reviewed daily, (s, Q).
    review_period_days: Mapped[int | None] = mapped_column()
    # What placing one order with it costs (paperwork, fixed delivery charge): weighed against holding stock
    # for the economic order quantity. None: unknown, orders cover four weeks of demand.
    ordering_cost: Mapped[Decimal | None] = mapped_column(Money())
    active: Mapped[bool] = mapped_column(default=True)


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    search_key: Mapped[str] = mapped_column(String(400))  # code and name folded, as a product's
    email: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
