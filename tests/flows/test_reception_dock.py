"""Reception and put-away at the dock: which lot a plain code takes, refusals with the real numbers, quantities
that can only be mis-scans."""
import pytest

from tests.conftest import event, fingerprint
from tests.flows.conftest import EAN, GS, OTHER_EAN, stock

LOTTED = "]C10104006381333931" + "10LOTA1"          # a pad's GS1-128 label with its lot


@pytest.fixture
def dock(scanner, shelf):
    """The PO of 24 pads with 10 unlotted pads and 4 of lot LOTA1 received at the dock."""
    assert scanner.scan(EAN, "receive", order=shelf, qty=10)[0] == 201
    assert scanner.scan(LOTTED + GS + "17270331", "receive", order=shelf, qty=4)[0] == 201
    return shelf


def test_a_plain_code_is_put_away_from_the_unlotted_units_first(client, scanner, dock):
    status, body = scanner.scan(EAN, "put_away", bin="B-01")
    assert status == 201 and body["lot"] is None, body
    levels = stock(client, scanner.headers)
    assert (levels[("DOCK", "")], levels[("DOCK", "LOTA1")], levels[("B-01", "")]) == (9, 4, 1)
    # (a lot's own label then finds all its units: it took one of them by first expiry first)
    assert scanner.scan(LOTTED, "put_away", bin="B-01", qty=4)[0] == 201


def test_a_plain_code_falls_back_to_the_lots_when_the_unlotted_units_are_too_few(client, scanner, dock):
    assert scanner.scan(EAN, "put_away", bin="B-01", qty=10)[0] == 201
    status, body = scanner.scan(EAN, "put_away", bin="B-01", qty=3)
    assert status == 201 and body["lot"] == "LOTA1", body
    assert stock(client, scanner.headers)[("DOCK", "LOTA1")] == 1


@pytest.mark.parametrize("count, message", [
    ("50", "Only 4 on hand at DOCK (lot LOTA1); 50 requested."),
    ("05", "Only 4 on hand at DOCK (lot LOTA1); 5 requested."),
])
def test_a_put_away_larger_than_the_dock_holds_is_refused_with_the_real_numbers(app, client, scanner, dock, count,
                                                                              message):
    """The scan is split over the PO lines it came with: the refusal was worded on the second part ("Only 0 …")."""
    with app.app_context():
        before = fingerprint()
    scan = scanner.body(LOTTED + GS + "30" + count, "put_away", bin="B-01")
    answer = client.post("/api/v1/scans", json=scan, headers=scanner.headers)
    assert (answer.status_code, answer.json["error"]["code"]) == (409, "insufficient_stock"), answer.json
    assert answer.json["message"] == message and answer.json["error"]["details"]["on_hand"] == "4"
    french = client.post("/api/v1/scans", json=scan, headers={**scanner.headers, "Accept-Language": "fr"}).json
    assert french["message"] == message.replace("Only 4 on hand at", "Seulement 4 en stock en").replace(
        "; ", " ; ").replace(" requested.", " demandés.")
    with app.app_context():
        after = fingerprint()
    assert after.pop("scan_events") == before.pop("scan_events") + 1 and after == before


def test_a_count_far_beyond_the_order_is_refused_as_a_mis_scan_and_writes_nothing(app, client, warehouse, scanner,
                                                                                  shelf):
    """999999 read from a GS1 count (AI 30) on a line of 24: refused, not queued for a supervisor's one-click accept."""
    with app.app_context():
        before = fingerprint()
    scan = scanner.body("]C10104006381333931" + "30999999", "receive", order=shelf)
    answer = client.post("/api/v1/scans", json=scan, headers=scanner.headers)
    assert (answer.status_code, answer.json["outcome"]) == (409, "refused"), answer.json
    assert answer.json["error"]["code"] == "implausible_quantity" and answer.json["error"]["field"] == "code"
    assert answer.json["error"]["details"] == {"qty": "999999", "left": "24", "ordered": "24"}
    assert answer.json["message"] == (f"999999 × Brake pad on {shelf}, where 24 are left to receive: this looks like "
                                      "a mis-scan (a count misread or a quantity mistyped). Check the label and scan "
                                      "again.")
    french = client.post("/api/v1/scans", json=scan, headers={**scanner.headers, "Accept-Language": "fr"}).json
    assert french["message"].startswith(f"999999 × Brake pad sur {shelf}, où il en reste 24 à recevoir : ")
    assert "erreur de lecture" in french["message"]
    with app.app_context():
        after = fingerprint()
    assert after.pop("scan_events") == before.pop("scan_events") + 1 and after == before
    assert client.get("/api/v1/scans?outcome=pending", headers=warehouse["supervisor"]).json == []


@pytest.mark.parametrize("first, qty, status, code", [
    (0, 30, 202, "over_receipt"),            # an ordinary over-receipt: a supervisor decides
    (0, 240, 202, "over_receipt"),           # 10 × the 24 left: still possible
    (0, 241, 409, "implausible_quantity"),
    (24, 100, 202, "over_receipt"),          # nothing left: a margin of 100 units is still held
    (24, 101, 409, "implausible_quantity"),
    (20, 140, 409, "implausible_quantity"),  # 4 left: 10 × 4 = 40, and 136 beyond it
])
def test_over_receipts_are_held_and_mis_scans_refused(client, scanner, shelf, first, qty, status, code):
    if first:
        assert scanner.scan(EAN, "receive", order=shelf, qty=first)[0] == 201
    got, body = scanner.scan(EAN, "receive", order=shelf, qty=qty)
    assert (got, body["error"]["code"]) == (status, code), body
    if status == 409:
        assert body["error"]["field"] == "context.qty"
    assert stock(client, scanner.headers).get(("DOCK", ""), 0) == first


def test_a_mis_scan_held_for_another_reason_cannot_be_accepted(client, warehouse, scanner, shelf):
    """Scanned offline before the order's close, it is held for a supervisor: whose accept must not book 999999."""
    from datetime import datetime, timedelta, timezone
    sup = warehouse["supervisor"]
    scan = scanner.body("]C10104006381333931" + "30999999", "receive", order=shelf)
    close_at = (datetime.now(timezone.utc) + timedelta(seconds=1)).isoformat()
    assert client.post(f"/api/v1/purchase-orders/{shelf}/close", headers=sup,
                       json={**event(reason="nothing more"), "occurred_at": close_at}).status_code == 200
    held = client.post("/api/v1/scans", json=scan, headers=scanner.headers)
    assert (held.status_code, held.json["error"]["code"]) == (202, "received_before_close"), held.json
    url = f"/api/v1/scans/{scan['client_event_id']}/decision"
    accepted = client.post(url, json={"accept": True}, headers=sup)
    assert (accepted.status_code, accepted.json["error"]["code"]) == (409, "implausible_quantity"), accepted.json
    assert stock(client, sup) == {("A-01", ""): 40}
    assert client.post(url, json={"accept": False}, headers=sup).status_code == 200


def test_a_mis_scan_of_an_item_not_on_the_order_is_refused_not_held(app, client, warehouse, scanner, shelf):
    """An item not on the order is held (a supervisor may add it), but 999999 of it is a misread count: one click
    would add a line of 999999 and receive it."""
    with app.app_context():
        before = fingerprint()
    status, body = scanner.scan(OTHER_EAN, "receive", order=shelf, qty="999999")
    assert (status, body["error"]["code"]) == (409, "implausible_quantity"), body
    assert body["message"].startswith(f"999999 × Wiper blade not on {shelf}: this looks like a mis-scan")
    with app.app_context():
        after = fingerprint()
    assert after.pop("scan_events") == before.pop("scan_events") + 1 and after == before
    assert scanner.scan(OTHER_EAN, "receive", order=shelf, qty="3")[0] == 202   # a few: still held
