"""Where stock sits: docks, zones and bins. ``walk_order`` sorts a pick list along the picker's path."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base

LOCATION_KINDS = ("dock", "zone", "bin", "dispatch")


class Location(Base):
    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16), default="bin")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    walk_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped["Location | None"] = relationship(remote_side=[id])
