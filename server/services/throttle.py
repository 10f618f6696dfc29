"""Login throttling: a few wrong passwords for a name from an address, then a pause (``LoginThrottle``).

Counts live in Redis when ``TENDU_REDIS_URL`` is set, so every worker and every app server sees the same
counts; otherwise in this process's memory (fine for one worker, a little more lenient with several).
"""
from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict, deque

from server.domain.errors import TooManyRequests

log = logging.getLogger("tendu.throttle")


class MemoryCounts:
    def __init__(self):
        self._hits: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def add(self, key: str, window: int) -> int:
        now = time.monotonic()
        with self._lock:
            hits = self._hits[key]
            hits.append(now)
            while hits and hits[0] <= now - window:
                hits.popleft()
            return len(hits)

    def count(self, key: str, window: int) -> int:
        now = time.monotonic()
        with self._lock:
            return sum(1 for t in self._hits.get(key, ()) if t > now - window)

    def clear(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)


class RedisCounts:
    """A fixed window per key: INCR, and the first hit sets the expiry.

    Redis down must not lock everyone out of signing in: while it cannot be reached, counts are kept in
    this process (as without Redis) and a warning is logged.
    """

    def __init__(self, url: str, timeout: float = 0.5):
        import redis
        self._redis = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        self._errors = redis.exceptions.RedisError
        self._fallback = MemoryCounts()

    def _or_memory(self, op, fallback):
        try:
            return op()
        except self._errors as exc:
            log.warning("login throttle: Redis unreachable (%s); counting in this process meanwhile", exc)
            return fallback()

    def add(self, key: str, window: int) -> int:
        def incr():
            pipe = self._redis.pipeline()
            pipe.incr(f"tendu:throttle:{key}")
            pipe.expire(f"tendu:throttle:{key}", window, nx=True)
            return int(pipe.execute()[0])
        return self._or_memory(incr, lambda: self._fallback.add(key, window))

    def count(self, key: str, window: int) -> int:
        return self._or_memory(lambda: int(self._redis.get(f"tendu:throttle:{key}") or 0),
                               lambda: self._fallback.count(key, window))

    def clear(self, key: str) -> None:
        self._fallback.clear(key)
        self._or_memory(lambda: self._redis.delete(f"tendu:throttle:{key}"), lambda: None)


class LoginThrottle:
    """Wrong passwords are counted per name *from an address*: that pair pauses after ``attempts``, so nobody can
    lock a colleague out from their own phone by typing wrong passwords in the colleague's name. An address pauses
    after 4 × ``attempts`` whatever the names (one device trying many), a name after 10 × ``attempts`` whatever the
    addresses (guessing spread over many devices)."""

    ADDRESS_FACTOR, NAME_FACTOR = 4, 10

    def __init__(self, counts, attempts: int, window_seconds: int):
        self.counts, self.attempts, self.window = counts, attempts, window_seconds

    def limits(self, username: str, address: str | None) -> list[tuple[str, int]]:
        name = username.strip().lower()
        if not address:     # (no address known: the name alone, at the pair's limit)
            return [(f"user:{name}", self.attempts)]
        return [(f"user:{name}@{address}", self.attempts), (f"addr:{address}", self.attempts * self.ADDRESS_FACTOR),
                (f"user:{name}", self.attempts * self.NAME_FACTOR)]

    def check(self, username: str, address: str | None) -> None:
        for key, limit in self.limits(username, address):
            if self.counts.count(key, self.window) >= limit:
                raise TooManyRequests("too_many_attempts",
                                      f"Too many wrong passwords: wait {self.window // 60} minutes and try again.",
                                      f"Trop de mots de passe erronés : attendez {self.window // 60} minutes.",
                                      details={"retry_after": self.window})

    def failed(self, username: str, address: str | None) -> None:
        for key, _ in self.limits(username, address):
            self.counts.add(key, self.window)

    def succeeded(self, username: str, address: str | None = None) -> None:
        """The right password: the name's counts start again (the address's stay: it may be trying others)."""
        for key, _ in self.limits(username, address):
            if not key.startswith("addr:"):
                self.counts.clear(key)


def from_config(config: dict) -> LoginThrottle:
    url = config.get("TENDU_REDIS_URL")
    counts = RedisCounts(url) if url else MemoryCounts()
    return LoginThrottle(counts, config["TENDU_LOGIN_ATTEMPTS"], config["TENDU_LOGIN_WINDOW_SECONDS"])
