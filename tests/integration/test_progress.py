"""Progress of long jobs: plain lines off a terminal, one rewritten line on it; interrupted jobs leave no file."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import uuid
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from server.extensions import db
from server.models import Location, Product
from server.progress import Progress
from server.services import ledger
from server.services.stamp import Stamp

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_off_a_terminal_plain_lines_every_tenth_with_counts_rate_and_eta():
    out, clock = io.StringIO(), Clock()
    with Progress("ledger check", 10_000, unit="groups", file=out, clock=clock, every_seconds=60) as bar:
        for done in range(0, 10_001, 250):  # 250 groups a second
            clock.now += 1
            bar.update(done)
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    assert lines[0] == "ledger check: 1,000/10,000 groups (10%), 250/s, ETA 0:00:36"
    assert len(lines) == 10  # nine tenths on the way, then the closing line
    assert lines[-1] == "ledger check: done, 10,000 groups in 0:00:41 (244 groups/s)"


def test_off_a_terminal_an_unknown_total_gives_counts_and_rate_every_few_seconds():
    out, clock = io.StringIO(), Clock()
    bar = Progress("export", unit="rows", file=out, clock=clock, every_seconds=5)
    for _ in range(12):
        clock.now += 1
        bar.advance(1000)
    lines = out.getvalue().splitlines()
    assert lines == ["export: 5,000 rows, 1,000/s", "export: 10,000 rows, 1,000/s"]


def test_a_short_estimate_turns_into_an_unknown_total_rather_than_a_bar_stuck_at_100_percent():
    out, clock = io.StringIO(), Clock()
    bar = Progress("ledger check", unit="groups", file=out, clock=clock, every_seconds=5)
    for done in range(1000, 20_001, 1000):
        clock.now += 1
        bar.update(done, 10_000)  # the caller keeps giving its estimate
    lines = out.getvalue().splitlines()
    assert "ledger check: 10,000/10,000" not in out.getvalue()
    assert lines[-2:] == ["ledger check: 14,000 groups, 1,000/s", "ledger check: 19,000 groups, 1,000/s"]


def test_on_a_terminal_one_line_rewritten_a_few_times_a_second(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    out, clock = io.StringIO(), Clock()
    with Progress("backup", 1000, unit="pages", file=out, tty=True, clock=clock) as bar:
        for done in range(1, 1001):
            clock.now += 1 / 512  # ~2 s in all, 1,000 updates
            bar.update(done)
    text = out.getvalue()
    redraws = text.count("\r")
    assert 5 <= redraws <= 12, redraws  # throttled to ~5 a second, not 1,000
    assert "[" + "#" * 12 + "-" * 12 + "]" in text  # the bar, half full at some point
    last = text.rsplit("\r", 1)[1]  # the closing line blanks what is left of the longer bar line
    assert last.rstrip(" \n") == "backup: done, 1,000 pages in 0:00:01 (512 pages/s)" and last.endswith("\n")
    assert text.count("\n") == 1


def test_on_a_narrow_terminal_the_line_never_wraps(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    def drawn(label, total, unit):
        out, clock = io.StringIO(), Clock()
        bar = Progress(label, total, unit=unit, file=out, tty=True, clock=clock)
        for done in range(total // 20, total + 1, total // 20):
            clock.now += 1
            bar.update(done)
        return out.getvalue().split("\r")[1:]
    long = drawn("ledger check", 2_000_000, "groups")
    assert long and all(len(line.rstrip("\n")) <= 59 for line in long), max(long, key=len)
    assert not any("[" in line for line in long[1:])  # once a rate shows, no room for a bar: figures first
    short = drawn("export", 2000, "rows")
    assert all(len(line.rstrip("\n")) <= 59 for line in short), max(short, key=len)
    assert any("[#" in line and "-]" in line for line in short)  # a shorter bar fits


def test_interrupted_and_refused_jobs():
    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt), Progress("rebuild", 10, unit="groups", file=out) as bar:
        bar.update(3)
        raise KeyboardInterrupt
    assert out.getvalue().splitlines()[-1].startswith("rebuild: interrupted, 3 groups in ")
    out = io.StringIO()
    with pytest.raises(ValueError), Progress("restore", file=out):
        raise ValueError("refused before any work")
    assert out.getvalue() == ""  # the refusal's own message is enough


def _raise_on_progress(monkeypatch):
    """Ctrl-C in the middle of a job, at its first progress report."""
    def interrupt(self, done, total=None):
        raise KeyboardInterrupt
    monkeypatch.setattr(Progress, "update", interrupt)


def _seed_rows():
    db.session.add_all([Product(sku="P1", name="Pad"), Location(code="A")])
    db.session.commit()
    ledger.adjust(Stamp(str(uuid.uuid4()), datetime.now(timezone.utc)), sku="P1", location="A", qty=Decimal(5),
                  reason="open")


def test_interrupted_backup_leaves_no_file(app, ctx, tmp_path, monkeypatch):
    _seed_rows()
    _raise_on_progress(monkeypatch)
    target = tmp_path / "tendu.backup"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 130, result.output
    assert "interrupted" in result.output
    assert list(tmp_path.iterdir()) == []  # neither the backup nor its temporary file


def test_interrupted_export_leaves_no_directory(app, ctx, tmp_path, monkeypatch):
    _seed_rows()
    _raise_on_progress(monkeypatch)
    result = app.test_cli_runner().invoke(args=["export", str(tmp_path / "out")])
    assert result.exit_code == 130, result.output
    assert list(tmp_path.iterdir()) == []


def test_sigint_to_a_running_export_leaves_no_directory(tmp_path):
    """A real Ctrl-C (SIGINT to the process) once the export has shown progress: no directory, no leftovers."""
    url = f"sqlite:///{tmp_path / 'big.db'}"
    _fill(url, movements=60_000)
    env = {**os.environ, "TENDU_DATABASE_URL": url, "TENDU_INSTANCE_PATH": str(tmp_path)}
    out = tmp_path / "exports"
    out.mkdir()
    # A job started in the background by a non-interactive shell (as CI may be) inherits SIGINT ignored, and
    # Python then keeps it ignored: give the child the default disposition, as a terminal's foreground job has.
    proc = subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "export", str(out / "all")],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        first = proc.stderr.readline()  # the first plain progress line: the export is under way
        assert first.startswith("export: ") and "rows" in first, first
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert list(out.iterdir()) == []


def _fill(url: str, movements: int) -> None:
    """A migrated SQLite database with many movements, written directly (the export does not care how)."""
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from server import create_app
    from server.models import Movement

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        product, place = Product(sku="P1", name="Pad"), Location(code="A")
        db.session.add_all([product, place])
        db.session.commit()
        now = datetime.now(timezone.utc)
        db.session.execute(insert(Movement), [
            {"client_event_id": f"00000000-0000-4000-8000-{n:012d}", "kind": 10, "product_id": product.id,
             "qty": 1, "to_location_id": place.id, "lot": "", "occurred_at": now, "recorded_at": now}
            for n in range(movements)])
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def test_demo_reports_its_simulated_days(app, ctx):
    from server.services.demo import generate
    calls = []
    generate(seed=3, days=6, products=10, echo=lambda *_: None, now=datetime(2026, 6, 1, 12, tzinfo=timezone.utc),
             on_progress=lambda done, total: calls.append((done, total)))
    days = [done for done, _ in calls]
    assert {total for _, total in calls} == {7}  # six days back from noon: seven calendar days touched
    assert days == sorted(days) and days[-1] == 7 and len(set(days)) >= 5
