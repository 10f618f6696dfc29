"""The signature every write carries: its device-made id, the device's time, who, on which device."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Stamp:
    client_event_id: str
    occurred_at: datetime
    user_id: int | None = None
    device: str | None = None

    def derived(self, *parts) -> Stamp:
        """A stable id for a secondary row of the same request (a second movement, say): replays agree."""
        name = ":".join(str(p) for p in parts)
        return Stamp(str(uuid.uuid5(uuid.UUID(self.client_event_id), name)), self.occurred_at, self.user_id,
                     self.device)
