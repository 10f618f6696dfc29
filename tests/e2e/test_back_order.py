"""A partial shipment kept on back-order, then the back-order closed, from the supervisor's desk in real Chromium.

The order is the test's own (its own product and customer), so the demo the other desk tests read is unchanged."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from tests.e2e.helpers import screenshot
from tests.e2e.test_order_entry import new_customer
from tests.e2e.test_supervisor import desk, desk_server  # noqa: F401 (fixtures)


def _scan(server, code: str, action: str, **context) -> tuple[int, dict]:
    return server.request("POST", "/api/v1/scans", {
        "client_event_id": str(uuid.uuid4()), "occurred_at": datetime.now(timezone.utc).isoformat(),
        "code": code, "action": action, "device": "e2e", "context": context})


def _part_picked_order(server) -> tuple[dict, dict]:
    """3 units of a new product ordered, 2 in stock picked, the shipment held: (order, held scan)."""
    sku = f"E2E-BO-{uuid.uuid4().hex[:6].upper()}"
    _, suppliers = server.request("GET", "/api/v1/suppliers")
    status, body = server.request("POST", "/api/v1/products", {"sku": sku, "name": "Joint de culasse", "unit_cost": 3,
                                                               "supplier": suppliers["items"][0]["code"]})
    assert status == 201, body
    _, bins = server.request("GET", "/api/v1/locations?kind=bin&per_page=1")
    where = bins["items"][0]["code"]
    status, body = server.request("POST", "/api/v1/adjustments", {
        "client_event_id": str(uuid.uuid4()), "occurred_at": datetime.now(timezone.utc).isoformat(),
        "product": sku, "location": where, "qty": 2, "reason": "e2e back-order"})
    assert status == 201, body
    customer = new_customer(server, "Garage du reliquat")
    status, order = server.request("POST", "/api/v1/sales-orders", {
        "client_event_id": str(uuid.uuid4()), "occurred_at": datetime.now(timezone.utc).isoformat(),
        "customer": customer["code"], "lines": [{"product": sku, "qty": 3}]})
    assert status == 201, order
    assert _scan(server, f"TL:PRD:{sku}", "pick", order=order["number"], bin=where, qty=2)[0] == 201
    status, held = _scan(server, order["label"], "ship")
    assert status == 202 and held["error"]["code"] == "not_all_picked", held
    return order, held


def test_a_partial_shipment_is_kept_on_back_order_then_its_back_order_closed(desk, desk_server):
    order, held = _part_picked_order(desk_server)
    desk.goto("/#/sv/decisions")
    card = desk.locator(f".decision[data-client-event-id='{held['client_event_id']}']")
    card.wait_for()
    assert card.locator("button.accept-short").is_visible()
    card.locator("button.accept-back-order").click()
    card.wait_for(state="detached")
    _, shipped = desk_server.request("GET", f"/api/v1/sales-orders/{order['number']}")
    assert shipped["status"] == "part_shipped"
    assert [(ln["shipped"], ln["reserved"], ln["left"]) for ln in shipped["lines"]] == [(2, 0, 1)]

    desk.goto("/#/sv")                                          # the dashboard counts it, and leads to it
    desk.wait_for_selector("#kpi-back-orders")
    assert int(desk.text_content("#kpi-back-orders")) >= 1
    desk.click("#kpi-back-orders")
    desk.wait_for_selector("#so-status")
    assert desk.input_value("#so-status") == "part_shipped"     # the back-orders alone
    row = desk.locator(f"#open-sales-orders tr[data-so='{order['number']}']")
    row.wait_for()
    assert "shipped in part" in row.inner_text()
    row.locator("button.so-open").click()                        # its lines and steps
    desk.wait_for_selector("#so-detail-lines")
    cells = desk.locator("#so-detail-lines tbody tr").first.locator("td").all_inner_texts()
    assert cells[1:6] == ["3", "2", "2", "0", "1"], cells         # ordered, picked, shipped, short, still to deliver
    steps = desk.locator("#so-detail-steps li").all_inner_texts()
    assert any("Shipped" in step and "back-order: 1" in step for step in steps), steps
    desk.click("#so-label-print")                               # its label, for the phone to scan
    desk.wait_for_function("document.querySelector('#so-label-png img')?.naturalWidth > 0")
    screenshot(desk, "supervisor-back-order-detail")
    row.locator("button.danger").click()
    form = desk.locator("form.close-so")
    form.locator("button[type=submit]").click()  # no reason: said in the form, nothing closed (it did nothing visible)
    form.locator(".close-message.error").wait_for()
    assert form.locator(".close-message").inner_text() == "A reason is required: type why."
    assert desk_server.request("GET", f"/api/v1/sales-orders/{order['number']}")[1]["status"] == "part_shipped"
    form.locator("input.close-reason").fill("the customer bought the last one elsewhere")
    form.locator("button[type=submit]").click()
    desk.wait_for_selector("#so-done")
    assert desk.text_content("#so-done") == f"{order['number']}: back-order closed."
    assert desk.locator(f"#open-sales-orders tr[data-so='{order['number']}']").count() == 0
    _, closed = desk_server.request("GET", f"/api/v1/sales-orders/{order['number']}")
    assert closed["status"] == "closed" and closed["lines"][0]["short"] == 1
    desk.select_option("#so-status", "closed")                  # an ended order is still found
    desk.locator(f"#open-sales-orders tr[data-so='{order['number']}']").wait_for()
