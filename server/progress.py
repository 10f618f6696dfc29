"""Progress of long command-line jobs (ledger check, rebuild, backup, restore, export, demo), on stderr.

On a terminal: one line rewritten in place (``\\r``) at most a few times a second — a bar when the total is
known, the count, the rate and the time left. Elsewhere (a log file, cron, a pipe): a plain line every few
seconds or every tenth of the way, so a log shows the job moving without thousands of lines. An unknown
total shows the count and the rate only. The total may be an estimate: once the count passes it, the total
is treated as unknown.

Written here rather than with ``click.progressbar``: when the output is not a terminal it prints the label
once and nothing after, and it shows no rate; tqdm and rich would be new dependencies for ~100 lines.
"""
from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from typing import Self

BAR_WIDTH = 24


def _count(n: float) -> str:
    return f"{int(n):,}"


def _rate(per_second: float) -> str:
    return f"{per_second:.1f}" if per_second < 10 else f"{round(per_second):,}"


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """``update(done, total)`` or ``advance(n)`` as work goes; use as a context manager to end the line.

    ``refresh``: seconds between redraws on a terminal; ``every_seconds`` / ``every_share``: when a plain
    line is written otherwise. ``clock`` and ``tty`` are there for tests.
    """

    def __init__(self, label: str, total: int | None = None, *, unit: str = "", file=None,
                 tty: bool | None = None, clock=time.monotonic, refresh: float = 0.2,
                 every_seconds: float = 5.0, every_share: float = 0.1):
        self.label, self.total, self.unit = label, total, unit
        self.file = file if file is not None else sys.stderr
        self.tty = self.file.isatty() if tty is None else tty
        self.clock, self.refresh = clock, refresh
        self.every_seconds, self.every_share = every_seconds, every_share
        self.done, self._updated = 0, False
        self.started = self.clock()
        self._shown_at = self.started
        self._shown_done = 0
        self._width = 0  # of the line drawn last on a terminal, to blank what a shorter line leaves
        # (time, count) of the first work reported: the rate is measured from there, so a slow start (a
        # database sorting before its first row) does not inflate the time left for the rest of the run.
        self._first = None

    # --- feeding it ----------------------------------------------------------------------------
    def update(self, done: int, total: int | None = None) -> None:
        now = self.clock()
        self.done, self._updated = done, True
        if self._first is None and done > 0:
            self._first = (now, done)
        if total is not None:
            self.total = total
        if self.total is not None and done > self.total:
            self.total = None  # the estimate was short: counts and rate only, rather than a bar stuck at 100%
        if self.tty:
            if now - self._shown_at >= self.refresh:
                self._draw(now)
        elif (now - self._shown_at >= self.every_seconds or self._share_passed()) and not self._complete():
            self._line(self._status(now))
            self._shown_at, self._shown_done = now, self.done

    def advance(self, n: int = 1) -> None:
        self.update(self.done + n)

    def __call__(self, done: int, total: int | None = None) -> None:
        """So the reporter itself is the ``on_progress(done, total)`` callback services take."""
        self.update(done, total)

    # --- ending --------------------------------------------------------------------------------
    def finish(self, note: str = "done") -> None:
        now = self.clock()
        elapsed = now - self.started
        unit = f" {self.unit}" if self.unit else ""
        rate = f" ({_rate(self.done / elapsed)}{unit}/s)" if elapsed > 0 and self.done else ""
        self._line(f"{self.label}: {note}, {_count(self.done)}{unit} in {_duration(elapsed)}{rate}")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.finish()
        elif issubclass(exc_type, KeyboardInterrupt):
            self.finish("interrupted")
        elif self._updated:  # a refusal before any work needs no progress line, only its message
            self.finish("failed")

    # --- drawing -------------------------------------------------------------------------------
    def _complete(self) -> bool:  # the closing line will say it
        return bool(self.total) and self.done >= self.total

    def _share_passed(self) -> bool:
        return bool(self.total) and (self.done - self._shown_done) >= self.every_share * self.total

    def _speed(self, now: float) -> float:
        """Per second since the first work reported; 0 (not shown) until there are two reports to compare."""
        if self._first and now > self._first[0] and self.done > self._first[1]:
            return (self.done - self._first[1]) / (now - self._first[0])
        return 0.0

    def _status(self, now: float, bar: str = "") -> str:
        rate = self._speed(now)
        unit = f" {self.unit}" if self.unit else ""
        parts = [f"{_count(self.done)}/{_count(self.total)}{unit} ({min(self.done / self.total, 1.0):.0%})"
                 if self.total else f"{_count(self.done)}{unit}"]
        if rate:
            parts.append(f"{_rate(rate)}/s")
            if self.total and self.done < self.total:
                parts.append(f"ETA {_duration((self.total - self.done) / rate)}")
        return (f"{self.label}{bar} " if bar else f"{self.label}: ") + ", ".join(parts)

    def _draw(self, now: float) -> None:
        # A line longer than the terminal wraps, and \r would then rewrite only its last part: the bar
        # shrinks to fit (or goes), and what still does not fit is cut.
        columns = shutil.get_terminal_size().columns - 1
        text = self._status(now)
        room = min(BAR_WIDTH, columns - len(text) - 3)
        if self.total and room >= 8:
            filled = int(room * min(self.done / self.total, 1.0))
            text = self._status(now, f" [{'#' * filled}{'-' * (room - filled)}]")
        text = text[:max(20, columns)]
        self.file.write("\r" + text + " " * max(0, self._width - len(text)))
        self.file.flush()
        self._width = len(text)
        self._shown_at, self._shown_done = now, self.done

    def _line(self, text: str) -> None:
        if self.tty and self._width:
            text = "\r" + text + " " * max(0, self._width - len(text))
            self._width = 0
        self.file.write(text + "\n")
        self.file.flush()


OnProgress = Callable[[int, "int | None"], None]  # (done, total if known): what every long job reports to


def ignore(done: int, total: int | None = None) -> None:
    """The default report: none."""
