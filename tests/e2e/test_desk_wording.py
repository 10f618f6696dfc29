"""What the desk says where it said the wrong thing: a purchase order put away in part is not "put away", a
decision the server refused is no failure to load, and a reason form with no reason says the reason is required.

The orders are the tests' own and are closed at the end (or their product and customer are): the demo the other desk
tests read is unchanged."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

from tests.e2e.test_back_order import _part_picked_order
from tests.e2e.test_supervisor import desk, desk_fr, desk_server  # noqa: F401 (fixtures)


def _stamped(**body) -> dict:
    return {"client_event_id": str(uuid.uuid4()), "occurred_at": datetime.now(timezone.utc).isoformat(),
            "device": "e2e", **body}


def _partly_received_po(server) -> str:
    """Two lines ordered; the first received in full, the second not at all: status "received", 6 units to come."""
    _, products = server.request("GET", "/api/v1/products?per_page=500")
    first, second = [p for p in products["items"]
                     if p["active"] and any(b["pack_qty"] == 1 for b in p["barcodes"])][:2]
    status, po = server.request("POST", "/api/v1/purchase-orders", {
        "supplier": first["supplier"] or server.request("GET", "/api/v1/suppliers")[1]["items"][0]["code"],
        "promised_date": (date.today() + timedelta(days=3)).isoformat(),
        "lines": [{"product": first["sku"], "qty": 4}, {"product": second["sku"], "qty": 6}]})
    assert status == 201, po
    number = po["number"]
    assert server.request("POST", f"/api/v1/purchase-orders/{number}/events", _stamped(kind="ordered"))[0] == 201
    code = next(b["code"] for b in first["barcodes"] if b["pack_qty"] == 1)
    status, body = server.request("POST", "/api/v1/scans", _stamped(code=code, action="receive",
                                                                    context={"order": number, "qty": 4}))
    assert status == 201, body
    return number


def test_a_purchase_order_received_in_part_reads_partly_received_and_its_close_form_asks_for_a_reason(
        desk, desk_server):  # noqa: F811 (the fixtures imported above)
    number = _partly_received_po(desk_server)
    try:
        assert desk_server.request("GET", f"/api/v1/purchase-orders/{number}")[1]["status"] == "received"
        desk.goto(f"/#/sv/lead-times?po={number}")
        detail = desk.locator(f".po-detail[data-po='{number}']")
        detail.wait_for()
        assert "Status: partly received" in detail.locator("p").first.inner_text()
        # No reason: said in the page, nothing sent (the browser's bubble alone showed nothing in some browsers).
        form = detail.locator("form.close-po")
        sent = []
        desk.on("request", lambda request: sent.append(request.url) if request.url.endswith("/close") else None)
        form.locator("button[type=submit]").click()
        form.locator(".close-message.error").wait_for()
        assert form.locator(".close-message").inner_text() == "A reason is required: type why."
        assert form.locator(".close-reason").get_attribute("aria-invalid") == "true"
        form.locator(".close-reason").fill("   ")                  # spaces are no reason either
        form.locator("button[type=submit]").click()
        desk.wait_for_timeout(300)
        assert sent == [] and desk_server.request("GET", f"/api/v1/purchase-orders/{number}")[1]["status"] == "received"
    finally:
        assert desk_server.request("POST", f"/api/v1/purchase-orders/{number}/close", _stamped(reason="e2e"))[0] == 200


def test_in_french_partly_received_and_a_refused_decision_says_so(desk_fr, desk_server):  # noqa: F811
    number = _partly_received_po(desk_server)
    try:
        desk_fr.goto(f"/#/sv/lead-times?po={number}")
        detail = desk_fr.locator(f".po-detail[data-po='{number}']")
        detail.wait_for()
        assert "État : reçue en partie" in detail.locator("p").first.inner_text()
    finally:
        assert desk_server.request("POST", f"/api/v1/purchase-orders/{number}/close", _stamped(reason="e2e"))[0] == 200

    order, held = _part_picked_order(desk_server)
    desk_fr.goto("/#/sv/decisions")
    card = desk_fr.locator(f".decision[data-client-event-id='{held['client_event_id']}']")
    card.wait_for()
    # Another supervisor decides first: this one's decision is refused by the server, in its words.
    status, _ = desk_server.request("POST", f"/api/v1/scans/{held['client_event_id']}/decision",
                                    {"accept": True, "rest": "back_order"})
    assert status == 201
    card.locator("button.accept-back-order").click()
    message = card.locator("p.error")
    message.wait_for()
    said = message.inner_text()
    assert said.startswith("Décision refusée : ") and "attend pas de décision" in said, said
    assert "Chargement impossible" not in said
    assert desk_server.request("POST", f"/api/v1/sales-orders/{order['number']}/close",
                               _stamped(reason="e2e"))[0] == 200
