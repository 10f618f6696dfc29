"""Reception and put-away at the dock: which lot a plain code takes, refusals with the real numbers, quantities
that can only be mis-scans."""
import pytest

from tests.conftest import fingerprint
from tests.flows.conftest import EAN, GS, stock

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
        "; ", " ; ").replace(" requested.", " demandé(s).")
    with app.app_context():
        after = fingerprint()
    assert after.pop("scan_events") == before.pop("scan_events") + 1 and after == before
