"""Login throttling keeps working when Redis cannot be reached: counts fall back to this process."""
from __future__ import annotations

import socket

import pytest

from server.domain.errors import TooManyRequests
from server.services.throttle import LoginThrottle, MemoryCounts, RedisCounts


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


@pytest.mark.parametrize("counts", [MemoryCounts(), RedisCounts(f"redis://127.0.0.1:{_closed_port()}/0")],
                         ids=["memory", "redis-down"])
def test_wrong_passwords_pause_the_name_from_that_address_not_from_the_others(counts, caplog):
    """Typing wrong passwords in a colleague's name on one's own phone pauses that phone, not the colleague."""
    throttle = LoginThrottle(counts, attempts=3, window_seconds=300)
    for _ in range(3):
        throttle.check("alice", "10.0.0.1")
        throttle.failed("alice", "10.0.0.1")
    with pytest.raises(TooManyRequests) as refused:
        throttle.check("Alice ", "10.0.0.1")
    assert refused.value.code == "too_many_attempts"
    throttle.check("alice", "10.0.0.2")  # alice on her own device may still sign in
    throttle.check("bob", "10.0.0.1")    # another name from the same address may still try
    throttle.succeeded("alice", "10.0.0.1")
    throttle.check("alice", "10.0.0.1")  # a success clears the name's count
    if isinstance(counts, RedisCounts):
        assert "Redis unreachable" in caplog.text


def test_an_address_trying_many_names_and_a_name_tried_from_many_addresses_are_paused():
    throttle = LoginThrottle(MemoryCounts(), attempts=2, window_seconds=300)
    for n in range(8):                                # 4 × 2 from one address, two tries per name
        throttle.failed(f"user{n // 2}", "10.0.0.9")
    with pytest.raises(TooManyRequests):
        throttle.check("someone-else", "10.0.0.9")
    for n in range(20):                               # 10 × 2 for one name, one try per address
        throttle.failed("carol", f"10.0.1.{n}")
    with pytest.raises(TooManyRequests):
        throttle.check("carol", "10.0.2.1")
    throttle.check("dave", "10.0.2.1")
