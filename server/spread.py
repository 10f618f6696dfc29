"""Kept-alive connections spread evenly over the gunicorn workers.

A kept-alive connection stays with the worker that accepted it. Devices that connect in a burst can land
mostly on one worker (the bench's 16 clients: 12/4, 13/3, once 16/0): that worker's queue is long, the
other one idles, and the operators on the busy one wait two or three times as long. So each worker
publishes how many connections it holds in a small table the master shares with its workers, and a worker
holding more than one above the least loaded closes the connection after answering (``Connection:
close``). The device reconnects at once; the worker with the least to do is the quickest to accept it.
Installed by ``gunicorn.conf.py`` (``TENDU_SPREAD_CONNECTIONS``) for workers that count their connections
(gthread).
"""
from __future__ import annotations

from multiprocessing.sharedctypes import RawArray

FREE = -1


class Spread:
    """The table: one slot per live worker, holding its number of connections (``FREE`` when unused)."""

    def __init__(self, slots: int = 64):
        self.counts = RawArray("i", [FREE] * slots)  # shared memory, inherited by the forked workers

    def assign(self, worker) -> None:
        """In the master, before forking ``worker``: give it a free slot (none: it never sheds)."""
        slot = next((i for i, count in enumerate(self.counts) if count == FREE), None)
        worker.spread_slot, worker.spread_table = slot, self.counts
        if slot is not None:
            self.counts[slot] = 0

    def release(self, worker) -> None:
        """In the master, once ``worker`` has exited. (A worker from before a reload has the old table.)"""
        slot = getattr(worker, "spread_slot", None)
        if slot is not None and getattr(worker, "spread_table", None) is self.counts:
            self.counts[slot] = FREE

    def should_close(self, slot: int | None, held: int) -> bool:
        """Publish that this worker holds ``held`` connections; close this one if it holds too many."""
        if slot is None:
            return False
        self.counts[slot] = held
        least = min((count for count in self.counts[:] if count != FREE), default=held)
        return held > least + 1
