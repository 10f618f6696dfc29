"""10,000 scans from one device, sent three times with random losses and reordering: each applied once.

An offline queue replayed over bad Wi-Fi: the first sends lose a random share of scans and shuffle the
rest; the last send carries everything. The ledger must end with exactly 10,000 movements.
"""
import random

from sqlalchemy import func, select

from server.extensions import db
from server.models import Movement, ScanEvent
from tests.conftest import event
from tests.flows.conftest import EAN

SCANS, BATCH = 10_000, 500


def test_ten_thousand_scans_sent_three_times_apply_once(app, client, warehouse, scanner):
    sup = warehouse["supervisor"]
    client.post("/api/v1/adjustments", json=event(product="PAD", location="A-01", qty=SCANS, reason="open"), headers=sup)
    queue = [scanner.body(EAN, "transfer", **{"from": "A-01", "to": "B-01"}) for _ in range(SCANS)]
    rng = random.Random(10)
    for attempt in range(3):
        sent = list(queue) if attempt == 2 else [s for s in queue if rng.random() < 0.7]
        if attempt < 2:
            rng.shuffle(sent)                     # reordered by retries
        for start in range(0, len(sent), BATCH):
            res = client.post("/api/v1/scans/batch", json={"scans": sent[start:start + BATCH]}, headers=scanner.headers)
            assert res.status_code == 200
            assert {r["status"] for r in res.json["results"]} == {201}
    with app.app_context():
        ids = [s["client_event_id"] for s in queue]
        moved = db.session.scalar(select(func.count(Movement.id)).where(Movement.kind == 21))
        scans = db.session.scalar(select(func.count(ScanEvent.id)))
    assert moved == SCANS and scans == SCANS and len(set(ids)) == SCANS
    stock = {i["location"]: i["qty"] for i in client.get("/api/v1/stock?product=PAD&include_empty=true",
                                                         headers=sup).json["items"]}
    assert stock == {"A-01": 0, "B-01": SCANS}
    assert app.test_cli_runner().invoke(args=["ledger", "check"]).exit_code == 0
