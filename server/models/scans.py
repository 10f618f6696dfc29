"""Every scan, applied or refused, as it came from the device: the audit trail of the dock and the shelf."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UtcDateTime, utcnow


class ScanEvent(Base):
    __tablename__ = "scan_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_event_id: Mapped[str] = mapped_column(String(36), unique=True)
    raw_code: Mapped[str] = mapped_column(String(512))
    action: Mapped[str] = mapped_column(String(16))
    context: Mapped[dict] = mapped_column(JSON, default=dict)
    parsed: Mapped[dict | None] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(16), index=True)  # applied|looked_up|refused|pending|rejected
    error_code: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(SmallInteger)
    response: Mapped[dict] = mapped_column(JSON, default=dict)  # returned again, as is, on replay
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    device: Mapped[str | None] = mapped_column(String(64))
    # A scan waiting for a supervisor (over-receipt, unexpected product, large count variance).
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision_note: Mapped[str | None] = mapped_column(String(500))
