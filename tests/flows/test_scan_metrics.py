"""/metrics counts every scan answer by action and outcome, and shows the scans waiting for a supervisor."""
from tests.conftest import event
from tests.flows.conftest import CARTON, EAN
from tests.scrape import sample, scrape


def test_scan_answers_are_counted_by_action_and_outcome(client, warehouse, scanner):
    sup = warehouse["supervisor"]
    po = client.post("/api/v1/purchase-orders", headers=sup,
                     json={"supplier": "ACME", "lines": [{"product": "PAD", "qty": 24}]}).json["number"]
    client.post(f"/api/v1/purchase-orders/{po}/events", json=event(kind="ordered"), headers=sup)
    before = scrape(client)

    answers = [scanner.scan(EAN, "lookup")[0] for _ in range(3)]
    answers += [scanner.scan("4006381333932", "receive", order=po)[0] for _ in range(2)]   # bad check digit
    answers.append(scanner.scan(CARTON, "receive", order=po, qty=2)[0])                   # 24 of 24
    held = scanner.body(EAN, "receive", order=po, qty=3)                                  # 27 > 24 × 1.05
    answers.append(client.post("/api/v1/scans", json=held, headers=scanner.headers).status_code)
    batch = client.post("/api/v1/scans/batch", headers=scanner.headers,
                        json={"scans": [scanner.body(EAN, "lookup"), scanner.body(EAN, "put_away")]})
    assert answers == [200, 200, 200, 422, 422, 201, 202] and batch.status_code == 200
    assert [r["body"]["outcome"] for r in batch.json["results"]] == ["looked_up", "refused"]
    invalid = client.post("/api/v1/scans", json={**scanner.body(EAN, "teleport")}, headers=scanner.headers)
    assert invalid.status_code == 422  # not a scan answer: counted as a request only

    after = scrape(client)
    grew = {(action, outcome): sample(after, "tendu_scans_total", action=action, outcome=outcome)
            - sample(before, "tendu_scans_total", action=action, outcome=outcome)
            for action in ("lookup", "receive", "put_away", "teleport")
            for outcome in ("looked_up", "applied", "pending", "refused", "rejected", "unknown")}
    assert {k: v for k, v in grew.items() if v} == {("lookup", "looked_up"): 4, ("receive", "refused"): 2,
                                                     ("receive", "applied"): 1, ("receive", "pending"): 1,
                                                     ("put_away", "refused"): 1}
    assert sample(after, "tendu_scans_awaiting_decision") == 1

    decided = client.post(f"/api/v1/scans/{held['client_event_id']}/decision", json={"accept": False}, headers=sup)
    assert decided.status_code == 200 and decided.json["outcome"] == "rejected"
    assert sample(scrape(client), "tendu_scans_awaiting_decision") == 0
