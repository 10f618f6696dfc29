"""Where a live-feed reader is: for each source table, the highest id shown and the lower ids not seen yet.

Ids are handed out at INSERT but rows become visible at COMMIT, so on PostgreSQL a slow transaction can
commit id 10 after id 11 was shown. Ids skipped over are kept as *holes* and looked for again until
``ttl`` seconds have passed (a rolled-back insert leaves a hole that never fills). SQLite serialises
writers, so there holes only ever expire.

The position travels as the SSE ``id:`` and comes back as ``Last-Event-ID``, e.g.
``s812.m4410~4402-4404,4407.p93.o57``: source letter, highest id, then ``~`` and the holes as ranges.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from server.domain.errors import BadRequest

SOURCES = ("s", "m", "p", "o")  # scans, movements, purchase-order events, sales-order events
MAX_HOLES = 100  # per source; beyond, the oldest are given up: the id stays far below header size limits
_PART = re.compile(r"^([a-z])(\d{1,18})(?:~([\d,\-]*))?$")


@dataclass
class Cursor:
    high: int = 0
    holes: dict[int, float] = field(default_factory=dict)  # id → time after which it is given up

    def copy(self) -> Cursor:
        return Cursor(self.high, dict(self.holes))


@dataclass
class Position:
    cursors: dict[str, Cursor] = field(default_factory=lambda: {s: Cursor() for s in SOURCES})

    def copy(self) -> Position:
        return Position({s: c.copy() for s, c in self.cursors.items()})

    def seen(self, source: str, row_id: int, now: float, ttl: float) -> None:
        """Record that row ``row_id`` of ``source`` was shown."""
        cursor = self.cursors[source]
        if row_id > cursor.high:
            for missing in range(max(cursor.high + 1, row_id - MAX_HOLES), row_id):
                cursor.holes[missing] = now + ttl
            cursor.high = row_id
            for stale in sorted(cursor.holes)[:-MAX_HOLES]:
                del cursor.holes[stale]
        else:
            cursor.holes.pop(row_id, None)

    def expire(self, now: float) -> None:
        for cursor in self.cursors.values():
            for row_id in [i for i, until in cursor.holes.items() if until <= now]:
                del cursor.holes[row_id]

    def encode(self) -> str:
        parts = []
        for source in SOURCES:
            cursor = self.cursors[source]
            holes = ",".join(f"{a}-{b}" if a != b else str(a) for a, b in _ranges(sorted(cursor.holes)))
            parts.append(f"{source}{cursor.high}" + (f"~{holes}" if holes else ""))
        return ".".join(parts)

    @classmethod
    def decode(cls, text: str, now: float, ttl: float) -> Position:
        """Read a position given back by a client; holes get a fresh ``ttl`` (their age is not carried)."""
        position = cls()
        try:
            for part in text.strip().split("."):
                source, high, holes = _PART.match(part).groups()
                cursor = position.cursors[source]
                cursor.high = int(high)
                for span in filter(None, (holes or "").split(",")):
                    first, _, last = span.partition("-")
                    ids = range(int(first), int(last or first) + 1)
                    if len(ids) > MAX_HOLES or (ids and ids[-1] >= cursor.high):
                        raise ValueError(span)
                    cursor.holes.update({i: now + ttl for i in ids})
        except (AttributeError, KeyError, ValueError):
            raise BadRequest("bad_last_event_id", f"Cannot resume from event id {text[:80]!r}; reconnect without it.",
                             f"Impossible de reprendre à l'événement {text[:80]!r} ; reconnectez-vous sans.",
                             field="Last-Event-ID") from None
        return position


def _ranges(ids: list[int]):
    """[3, 4, 5, 9] → (3, 5), (9, 9)."""
    start = prev = None
    for i in ids:
        if start is None:
            start = prev = i
        elif i == prev + 1:
            prev = i
        else:
            yield start, prev
            start = prev = i
    if start is not None:
        yield start, prev
