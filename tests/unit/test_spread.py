"""Kept-alive connections move off a worker holding more than its share (server/spread.py)."""
from __future__ import annotations

import os

from server.spread import FREE, Spread


class Worker:
    pass


def workers(spread: Spread, n: int) -> list[Worker]:
    out = []
    for _ in range(n):
        worker = Worker()
        spread.assign(worker)
        out.append(worker)
    return out


def test_each_worker_gets_its_own_slot_and_gives_it_back():
    spread = Spread(slots=3)
    a, b, c = workers(spread, 3)
    assert [a.spread_slot, b.spread_slot, c.spread_slot] == [0, 1, 2]
    (d,) = workers(spread, 1)
    assert d.spread_slot is None and not spread.should_close(d.spread_slot, 50)  # no slot: never sheds
    spread.release(b)
    assert spread.counts[1] == FREE
    (e,) = workers(spread, 1)
    assert e.spread_slot == 1


def test_a_worker_more_than_one_above_the_least_loaded_closes():
    spread = Spread(slots=4)
    a, b = workers(spread, 2)
    assert spread.should_close(a.spread_slot, 12)      # b has published nothing yet: 0
    spread.should_close(b.spread_slot, 4)
    assert spread.should_close(a.spread_slot, 12)      # 12 against 4
    assert spread.should_close(a.spread_slot, 6)       # 6 against 4
    assert not spread.should_close(a.spread_slot, 5)   # within one: kept
    assert not spread.should_close(b.spread_slot, 4)   # the least loaded never sheds
    spread.should_close(b.spread_slot, 8)
    assert not spread.should_close(a.spread_slot, 8)   # even


def test_a_released_worker_no_longer_counts_and_an_old_table_is_left_alone():
    spread = Spread(slots=4)
    a, b = workers(spread, 2)
    spread.should_close(b.spread_slot, 0)
    spread.release(b)
    assert not spread.should_close(a.spread_slot, 9)   # alone: nothing to compare with
    reloaded = Spread(slots=4)                          # the master re-read its settings (HUP)
    (c,) = workers(reloaded, 1)
    reloaded.release(a)                                 # a worker of the old table exits
    assert reloaded.counts[c.spread_slot] == 0          # c keeps its slot


def test_the_table_is_shared_with_forked_workers():
    spread = Spread(slots=2)
    a, b = workers(spread, 2)
    pid = os.fork()
    if pid == 0:  # the worker publishes in its own process
        spread.should_close(a.spread_slot, 7)
        os._exit(0)
    os.waitpid(pid, 0)
    assert spread.counts[a.spread_slot] == 7
    assert not spread.should_close(b.spread_slot, 6) and spread.should_close(b.spread_slot, 9)
