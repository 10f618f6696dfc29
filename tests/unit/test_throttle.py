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
def test_third_wrong_password_locks_the_name(counts, caplog):
    throttle = LoginThrottle(counts, attempts=3, window_seconds=300)
    for _ in range(3):
        throttle.check("alice", "10.0.0.1")
        throttle.failed("alice", "10.0.0.1")
    with pytest.raises(TooManyRequests) as refused:
        throttle.check("Alice ", "10.0.0.2")
    assert refused.value.code == "too_many_attempts"
    throttle.check("bob", "10.0.0.1")  # another name from the same address may still try
    throttle.succeeded("alice")
    throttle.check("alice", "10.0.0.1")  # a success clears the name's count
    if isinstance(counts, RedisCounts):
        assert "Redis unreachable" in caplog.text
