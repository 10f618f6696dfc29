"""Event ids turned against their owner: a held scan's id taken by a direct write, a scan replayed by another user.
Each is refused with 409 client_event_id_reused and changes nothing."""
import pytest
from sqlalchemy import bindparam, false, select

from server.extensions import db
from server.models import ScanEvent
from server.services import idempotency
from tests.conftest import event, fingerprint
from tests.flows.conftest import EAN, scanner, shelf, stock, warehouse  # noqa: F401 (fixtures)


def held_count(client, scanner):  # noqa: F811
    """A count far below the 40 pads in A-01: held for a supervisor. Returns its client_event_id."""
    body = scanner.body(EAN, "count", bin="A-01", qty=20)
    held = client.post("/api/v1/scans", json=body, headers=scanner.headers)
    assert held.status_code == 202 and held.json["outcome"] == "pending", held.json
    return body["client_event_id"]


DIRECT_WRITES = {
    "transfer": lambda po: ("/api/v1/transfers", {"product": "PAD", "from_location": "A-01", "to_location": "B-01",
                                                  "qty": 1}),
    "adjustment": lambda po: ("/api/v1/adjustments", {"product": "PAD", "location": "A-01", "qty": -1,
                                                      "reason": "broken"}),
    "order_event": lambda po: (f"/api/v1/purchase-orders/{po}/events", {"kind": "confirmed",
                                                                         "promised_date": "2030-01-01"}),
}


@pytest.mark.parametrize("kind", sorted(DIRECT_WRITES))
def test_a_held_scans_id_is_refused_to_a_direct_write_and_the_scan_stays_acceptable(app, client, warehouse,  # noqa: F811
                                                                                     scanner, shelf, kind):  # noqa: F811
    sup = warehouse["supervisor"]
    cid = held_count(client, scanner)
    listed = client.get("/api/v1/scans?outcome=pending", headers=sup).json
    assert [row["client_event_id"] for row in listed] == [cid]
    path, body = DIRECT_WRITES[kind](shelf)
    with app.app_context():
        before = fingerprint()
    taken = client.post(path, json={**event(**body), "client_event_id": cid}, headers=sup)
    assert taken.status_code == 409, taken.json
    assert taken.json["error"]["code"] == "client_event_id_reused"
    assert taken.json["error"]["details"] == {"used_by": "scan"}
    assert client.post(path, json={**event(**body), "client_event_id": cid}, headers={**sup, "Accept-Language": "fr"}
                       ).json["error"]["message"] == "Cet identifiant d'événement a déjà servi pour une autre requête."
    with app.app_context():
        assert fingerprint() == before
    decided = client.post(f"/api/v1/scans/{cid}/decision", json={"accept": True}, headers=sup)
    assert decided.status_code == 201 and decided.json["outcome"] == "applied"
    assert stock(client, sup)[("A-01", "")] == 20


def test_a_decision_whose_id_was_taken_meanwhile_is_a_409_and_the_scan_stays_pending(app, client, warehouse,  # noqa: F811
                                                                                      scanner, shelf, monkeypatch):  # noqa: F811
    sup = warehouse["supervisor"]
    cid = held_count(client, scanner)
    # A direct write that slipped in before the check could see the scan (a race on PostgreSQL; data from before it).
    blind = select(ScanEvent.id).where(ScanEvent.client_event_id == bindparam("cid"), false())
    monkeypatch.setattr(idempotency, "_SCAN_ID", blind)
    path, body = DIRECT_WRITES["transfer"](shelf)
    assert client.post(path, json={**event(**body), "client_event_id": cid}, headers=sup).status_code == 201
    monkeypatch.undo()
    with app.app_context():
        before = fingerprint()
    url = f"/api/v1/scans/{cid}/decision"
    refused = client.post(url, json={"accept": True}, headers=sup)
    assert refused.status_code == 409, refused.json
    assert refused.json["error"]["code"] == "client_event_id_reused" and "Reject it" in refused.json["error"]["message"]
    fr = client.post(url, json={"accept": True}, headers={**sup, "Accept-Language": "fr"})
    assert fr.status_code == 409 and fr.json["error"]["message"].startswith("L'identifiant de ce scan")
    with app.app_context():
        assert fingerprint() == before
        assert db.session.scalar(select(ScanEvent.outcome).where(ScanEvent.client_event_id == cid)) == "pending"
    rejected = client.post(url, json={"accept": False}, headers=sup)
    assert rejected.status_code == 200 and rejected.json["outcome"] == "rejected"


def test_another_users_scan_sent_again_is_refused_not_answered(app, client, warehouse, scanner, shelf):  # noqa: F811
    sup, op = warehouse["supervisor"], warehouse["operator"]
    theirs = scanner.body(EAN, "count", bin="A-01", qty=40)                    # the supervisor's own count
    first = client.post("/api/v1/scans", json=theirs, headers=sup)
    assert first.status_code == 201 and "counted" in first.json, first.json
    with app.app_context():
        before = fingerprint()
    stolen = client.post("/api/v1/scans", json=theirs, headers=op)
    assert stolen.status_code == 409 and stolen.json["error"]["code"] == "client_event_id_reused", stolen.json
    assert "counted" not in stolen.json and "expected" not in stolen.json      # nothing of the first answer
    # The offline queue's way: that one scan is refused, the others still go in.
    mine = scanner.body(EAN, "lookup")
    batch = client.post("/api/v1/scans/batch", json={"scans": [theirs, mine]}, headers=op).json["results"]
    assert [(r["status"], r["body"]["outcome"]) for r in batch] == [(409, "refused"), (200, "looked_up")], batch
    assert batch[0]["body"]["error"]["code"] == "client_event_id_reused" and "counted" not in batch[0]["body"]
    with app.app_context():
        after = fingerprint()
    assert after.pop("scan_events") == before.pop("scan_events") + 1 and after == before   # only the look-up
    # Their own replay still gets the first answer, once or in a batch.
    assert client.post("/api/v1/scans", json=theirs, headers=sup).json == first.json
    [again] = client.post("/api/v1/scans/batch", json={"scans": [theirs]}, headers=sup).json["results"]
    assert (again["status"], again["body"]) == (201, first.json)
