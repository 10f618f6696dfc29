"""Seed data for the supervisor views' browser tests: a short demo (90 days, 60 products) written by the
demo generator, plus known users. Prints what the tests need as JSON on its last line.

Run with the e2e server's environment (``TENDU_DATABASE_URL``): ``python tests/e2e/seed_supervisor.py``.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import uuid  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from decimal import Decimal  # noqa: E402

from server import create_app  # noqa: E402
from server.models.base import utcnow  # noqa: E402
from server.queries import planning  # noqa: E402
from server.queries.stock import levels  # noqa: E402
from server.services import auth, demo, ledger  # noqa: E402
from server.services.stamp import Stamp  # noqa: E402

SUPERVISOR = ("e2e-supervisor", "e2e-supervisor-password")
OPERATOR = ("e2e-scanner", "e2e-scanner-password")
ADMIN = ("e2e-admin", "e2e-admin-password")  # manages the users (test_admin_views.py)
WRITTEN_OFF = 6  # push products emptied so that the replenishment view has suggestions from several suppliers


def seed() -> dict:
    demo.generate(seed=11, days=90, products=60, echo=lambda *_: None)
    auth.create_user(SUPERVISOR[0], "supervisor", SUPERVISOR[1])
    auth.create_user(OPERATOR[0], "operator", OPERATOR[1])
    auth.create_user(ADMIN[0], "admin", ADMIN[1])
    written_off = write_off_some_push_products()
    return {"username": SUPERVISOR[0], "password": SUPERVISOR[1], "written_off": written_off,
            "operator": {"username": OPERATOR[0], "password": OPERATOR[1]},
            "admin": {"username": ADMIN[0], "password": ADMIN[1]}}


def write_off_some_push_products() -> list[str]:
    """Empty a few push products, one per supplier first (an adjustment with a reason, as a count would)."""
    data, plan = planning.plan_all(utcnow().date())
    candidates = sorted((p.sku, s.code) for p, s, mode in zip(data.products, data.suppliers, plan.mode)
                        if str(mode) == "push" and s)
    firsts = list({supplier: sku for sku, supplier in reversed(candidates)}.values())  # each supplier's first SKU
    chosen = []
    for sku in firsts + [sku for sku, _ in candidates if sku not in firsts]:
        rows = levels(sku, None, False, 1, 500).items
        if len(chosen) == WRITTEN_OFF or not rows:
            continue
        for row in rows:
            ledger.adjust(Stamp(str(uuid.uuid4()), datetime.now(timezone.utc)), sku=sku, location=row["location"],
                          qty=-Decimal(str(row["qty"])), reason="E2E: damaged, written off", lot=row["lot"] or "")
        chosen.append(sku)
    return chosen


if __name__ == "__main__":
    with create_app().app_context():
        print(json.dumps(seed()))
