"""Orders typed at the desk by a company with no ERP: a sales order taken on the "Sales orders" view, a purchase
order made by hand on the replenishment view, in real Chromium on the supervisors' demo (``seed_supervisor.py``).

A sales order carries one client_event_id from its first submission until it is made: a double click sends it
once, and a retry after a lost answer is a replay the server answers with the order already made.
"""
from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone

from tests.e2e.helpers import screenshot
from tests.e2e.test_supervisor import desk, desk_fr, desk_server  # noqa: F401 (fixtures)


def new_customer(server, name: str) -> dict:
    code = f"E2E-{uuid.uuid4().hex[:8].upper()}"
    status, body = server.request("POST", "/api/v1/customers", {"code": code, "name": name})
    assert status == 201, body
    return body


def cable(server) -> dict:
    """A product sold by the metre (a quantity may have decimals), not in stock, from a demo supplier."""
    status, body = server.request("GET", "/api/v1/products/E2E-CABLE")
    if status == 200:
        return body
    _, suppliers = server.request("GET", "/api/v1/suppliers")
    status, body = server.request("POST", "/api/v1/products", {
        "sku": "E2E-CABLE", "name": "Câble souple 3G1,5", "unit": "m", "unit_cost": 1.2,
        "supplier": suppliers["items"][0]["code"]})
    assert status == 201, body
    return body


def stocked_product(server) -> dict:
    """A demo product (counted in pieces) with units available now."""
    _, products = server.request("GET", "/api/v1/products?active=true&per_page=500")
    for product in products["items"]:
        _, found = server.request("GET", f"/api/v1/lookup?code=TL:PRD:{product['sku']}")
        if found["stock"]["available"] >= 5:
            return product
    raise AssertionError("no product in stock in the demo")


def orders_of(server, customer: dict) -> list[dict]:
    _, page = server.request("GET", "/api/v1/sales-orders?per_page=500")
    return [server.request("GET", f"/api/v1/sales-orders/{o['number']}")[1]
            for o in page["items"] if o["partner"] == customer["name"]]


def fill_line(page, prefix: str, n: int, product: str, qty: str, price: str | None = None):
    """Line n (1-based) of the form: added when it is not there yet; the product typed, then Tab (as a person does)."""
    lines = page.locator(f"#{prefix}-lines tbody tr.ol-line")
    if lines.count() < n:
        page.click(f"#{prefix}-add-line")
    line = lines.nth(n - 1)
    line.locator(".ol-product").fill(product)
    line.locator(".ol-product").press("Tab")
    line.locator(".ol-qty").fill(qty)
    if price is not None:
        line.locator(".ol-price").fill(price)
    return line


def open_sales_order_form(page, customer: dict):
    page.goto("/#/sv/sales-orders")
    page.wait_for_selector("#open-sales-orders")
    page.click("#so-open")
    assert page.evaluate("document.activeElement.id") == "so-customer"       # the keyboard starts at the customer
    page.fill("#so-customer", customer["name"])                              # found by its name
    page.press("#so-customer", "Tab")
    page.wait_for_function("(name) => document.querySelector('#so-customer-name').textContent === name",
                           arg=f"{customer['code']} · {customer['name']}")


def made_number(page, prefix: str) -> str:
    page.wait_for_selector(f"#{prefix}-message p.ok")
    return re.search(r"(?:SO|PO)-\d+", page.text_content(f"#{prefix}-message p.ok")).group(0)


def fits_the_laptop(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1 && [...document"
                         ".querySelectorAll('.order-entry .sv-scroll')].every((box) => box.scrollWidth <= box.clientWidth)")


def test_a_sales_order_typed_in_french_is_made_with_its_lines_and_prices(desk_fr, desk_server):
    customer = new_customer(desk_server, "Quincaillerie Dubois")
    metre, piece = cable(desk_server), stocked_product(desk_server)
    open_sales_order_form(desk_fr, customer)
    fill_line(desk_fr, "so", 1, "E2E-CABLE", "12,5", "2,35")
    # Short (nothing on the shelf): the date to promise for the 12.5 m, from the look-up.
    first = desk_fr.locator("#so-lines tbody tr.ol-line").nth(0)
    first.locator(".ol-promise").wait_for()
    assert first.locator(".ol-available").inner_text().startswith("Disponible : 0")
    assert "manque 12,5" in first.locator(".ol-short").inner_text()
    _, looked = desk_server.request("GET", "/api/v1/lookup?code=TL:PRD:E2E-CABLE&promise=true&qty=12.5")
    assert first.locator(".ol-promise").get_attribute("data-date") == looked["promise"]["date"]
    fill_line(desk_fr, "so", 2, piece["name"], "3", "1 234,5")             # by its name; a French thousands space
    second = desk_fr.locator("#so-lines tbody tr.ol-line").nth(1)
    second.locator(".ol-available").wait_for()
    assert second.locator(".ol-name").inner_text() == piece["name"]
    assert second.locator(".ol-promise").count() == 0                        # enough in stock: nothing to promise
    desk_fr.fill("#so-requested", "2030-06-15")
    assert fits_the_laptop(desk_fr), "the form scrolls sideways at 1366 px in French"
    screenshot(desk_fr, "order-entry-sales-order-fr")
    desk_fr.click("#so-submit")
    number = made_number(desk_fr, "so")
    desk_fr.wait_for_selector(f"#open-sales-orders tr.created[data-so='{number}']")
    _, order = desk_server.request("GET", f"/api/v1/sales-orders/{number}")
    assert order["customer"] == customer["code"] and order["status"] == "ordered"
    assert [(ln["sku"], ln["ordered"], ln["unit_price"]) for ln in order["lines"]] == [
        ("E2E-CABLE", 12.5, 2.35), (piece["sku"], 3, 1234.5)]
    # The order's own answer says what is short and when to promise it.
    said = desk_fr.text_content("#so-message")
    assert "E2E-CABLE : réservé 0 sur 12,5" in said and "le reste à promettre pour le" in said
    # The form is empty again, for the next order.
    assert desk_fr.input_value("#so-customer") == "" and desk_fr.locator("#so-lines tbody tr.ol-line").count() == 1


def test_a_double_click_or_a_retry_after_a_lost_answer_makes_one_sales_order(desk, desk_server):
    customer = new_customer(desk_server, "E2E Garage Martin")
    piece = stocked_product(desk_server)
    open_sales_order_form(desk, customer)
    fill_line(desk, "so", 1, piece["sku"], "2", "9.90")
    posts = []
    desk.on("request", lambda r: posts.append(r.post_data_json) if r.method == "POST" and
            r.url.endswith("/api/v1/sales-orders") else None)
    answers = []

    def lose_the_answer(route):            # the server makes the order; its answer never reaches the page
        answers.append(route.fetch())
        route.abort()
    desk.press("#so-lines .ol-qty", "Enter")                                  # Enter in a field sends nothing
    desk.wait_for_timeout(300)
    assert posts == [] and desk.locator("#so-message p").count() == 0
    desk.route("**/api/v1/sales-orders", lose_the_answer)
    desk.dblclick("#so-submit")
    desk.wait_for_selector("#so-message p.error")
    assert "Submit again" in desk.text_content("#so-message")
    assert len(posts) == 1 and answers[0].status == 201                       # the double click sent once
    first = answers[0].json()["number"]
    desk.unroute("**/api/v1/sales-orders")
    with desk.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/api/v1/sales-orders")) as replay:
        desk.click("#so-submit")
    assert replay.value.status == 200                                         # a replay, not a new order
    assert made_number(desk, "so") == first
    assert posts[0]["client_event_id"] == posts[1]["client_event_id"]
    made = orders_of(desk_server, customer)
    assert [o["number"] for o in made] == [first] and made[0]["lines"][0]["unit_price"] == 9.9
    # The next order typed is a new one: a new id.
    fill_line(desk, "so", 1, piece["sku"], "1")
    desk.fill("#so-customer", customer["code"])
    desk.click("#so-submit")
    assert made_number(desk, "so") != first
    assert posts[2]["client_event_id"] != posts[0]["client_event_id"] and len(orders_of(desk_server, customer)) == 2


def test_a_refused_line_is_said_in_the_servers_words_and_nothing_typed_is_lost(desk_fr, desk_server):
    customer = new_customer(desk_server, "E2E Menuiserie Petit")
    piece = stocked_product(desk_server)
    cable(desk_server)
    open_sales_order_form(desk_fr, customer)
    fill_line(desk_fr, "so", 1, piece["sku"], "2", "5")
    fill_line(desk_fr, "so", 2, "E2E-CABLE", "0", "1,5")
    desk_fr.click("#so-submit")
    desk_fr.wait_for_selector("#so-message p.error[role=alert]")
    refused = desk_fr.locator("#so-lines tbody tr.ol-line").nth(1)
    assert "refused" in refused.get_attribute("class")
    assert refused.locator(".ol-qty").get_attribute("aria-invalid") == "true"
    assert desk_fr.evaluate("document.activeElement.classList.contains('ol-qty')")
    # The server's words, as it says them to any client in French.
    body = {"client_event_id": str(uuid.uuid4()), "occurred_at": "2025-01-01T08:00:00+00:00",
            "customer": customer["code"], "lines": [{"product": piece["sku"], "qty": 2}, {"product": "E2E-CABLE", "qty": 0}]}
    said = french_refusal(desk_server, "/api/v1/sales-orders", body)
    assert said and said in desk_fr.text_content("#so-message"), said
    # Nothing lost: the customer and both lines as typed.
    assert desk_fr.input_value("#so-customer") == customer["name"]
    assert [desk_fr.locator("#so-lines tbody tr.ol-line").nth(i).locator(sel).input_value()
            for i in (0, 1) for sel in (".ol-product", ".ol-qty", ".ol-price")] == [piece["sku"], "2", "5", "E2E-CABLE", "0", "1,5"]
    assert orders_of(desk_server, customer) == []
    # A fraction of a product counted in pieces: the server's refusal names it.
    refused.locator(".ol-qty").fill("1")
    desk_fr.locator("#so-lines tbody tr.ol-line").nth(0).locator(".ol-qty").fill("2,5")
    desk_fr.click("#so-submit")
    desk_fr.wait_for_selector("#so-message p.error")
    assert f"{piece['sku']} se compte en pièces entières" in desk_fr.text_content("#so-message")
    assert desk_fr.locator("#so-lines tbody tr.ol-line").nth(0).locator(".ol-qty").get_attribute("aria-invalid") == "true"
    # Corrected, it is made (the button answers the keyboard).
    desk_fr.locator("#so-lines tbody tr.ol-line").nth(0).locator(".ol-qty").fill("2")
    desk_fr.focus("#so-submit")
    desk_fr.keyboard.press("Enter")
    number = made_number(desk_fr, "so")
    assert [o["number"] for o in orders_of(desk_server, customer)] == [number]


def french_refusal(server, path, body) -> str:
    import urllib.error
    import urllib.request
    request = urllib.request.Request(server.base_url + path, data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {server.token()}", "Accept-Language": "fr"})
    try:
        urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:
        return json.loads(error.read())["error"]["message"]
    raise AssertionError("not refused")


def test_a_purchase_order_made_by_hand_waits_in_the_unsent_list_until_sent(desk_fr, desk_server):
    metre, piece = cable(desk_server), stocked_product(desk_server)
    _, supplier = desk_server.request("GET", f"/api/v1/suppliers/{metre['supplier']}")
    desk_fr.goto("/#/sv/replenishment")
    desk_fr.wait_for_selector("#repl-list .sv-toolbar")
    desk_fr.click("#po-open")
    assert desk_fr.evaluate("document.activeElement.id") == "po-supplier"
    desk_fr.fill("#po-supplier", supplier["code"])
    desk_fr.press("#po-supplier", "Tab")
    desk_fr.wait_for_function("(name) => document.querySelector('#po-supplier-name').textContent === name",
                              arg=f"{supplier['code']} · {supplier['name']}")
    first = fill_line(desk_fr, "po", 1, "E2E-CABLE", "250,5")
    desk_fr.wait_for_function("() => document.querySelector('#po-lines tbody tr.ol-line .ol-price').value === '1,2'")
    first.locator(".ol-info").filter(has_text="En stock").wait_for()      # the product's unit cost filled in
    fill_line(desk_fr, "po", 2, piece["sku"], "10", "3,5")                    # a cost typed the French way
    desk_fr.fill("#po-promised", "2030-07-01")
    assert fits_the_laptop(desk_fr), "the form scrolls sideways at 1366 px in French"
    screenshot(desk_fr, "order-entry-purchase-order-fr")
    desk_fr.click("#po-submit")
    number = made_number(desk_fr, "po")
    row = desk_fr.locator(f"#repl-unsent-table tr.created[data-po='{number}']")
    row.wait_for()
    assert supplier["name"] in row.inner_text()
    _, order = desk_server.request("GET", f"/api/v1/purchase-orders/{number}")
    assert order["status"] == "draft" and order["supplier"] == supplier["code"] and order["promised_date"] == "2030-07-01"
    assert [(ln["sku"], ln["ordered"], ln["unit_cost"]) for ln in order["lines"]] == [
        ("E2E-CABLE", 250.5, 1.2), (piece["sku"], 10, 3.5)]
    row.locator(".mark-ordered").click()
    row.locator(".mark-ordered").wait_for(state="detached")
    assert desk_server.request("GET", f"/api/v1/purchase-orders/{number}")[1]["status"] == "ordered"
    # leave the demo as it was: its products on order would leave the replenishment list other tests read
    assert desk_server.request("POST", f"/api/v1/purchase-orders/{number}/close", {
        "client_event_id": str(uuid.uuid4()), "occurred_at": datetime.now(timezone.utc).isoformat(),
        "reason": "e2e"})[0] == 200


def test_a_purchase_order_retried_after_a_lost_answer_is_made_once(desk, desk_server):
    """The desk could only say 'look in the list before creating it again': the API made an order on every POST."""
    piece = stocked_product(desk_server)
    _, suppliers = desk_server.request("GET", "/api/v1/suppliers")
    code = suppliers["items"][0]["code"]
    desk.goto("/#/sv/replenishment")
    desk.wait_for_selector("#repl-list .sv-toolbar")
    desk.click("#po-open")
    desk.fill("#po-supplier", code)
    desk.press("#po-supplier", "Tab")
    fill_line(desk, "po", 1, piece["sku"], "7", "2.25")
    posts, answers = [], []
    desk.on("request", lambda r: posts.append(r.post_data_json) if r.method == "POST" and
            r.url.endswith("/api/v1/purchase-orders") else None)

    def lose_the_answer(route):            # the server makes the order; its answer never reaches the page
        answers.append(route.fetch())
        route.abort()
    desk.route("**/api/v1/purchase-orders", lose_the_answer)
    desk.click("#po-submit")
    desk.wait_for_selector("#po-message p.error")
    assert "Submit again" in desk.text_content("#po-message")
    first = answers[0].json()["number"]
    desk.unroute("**/api/v1/purchase-orders")
    with desk.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/api/v1/purchase-orders")) as again:
        desk.click("#po-submit")
    assert again.value.status == 200 and made_number(desk, "po") == first     # a replay, not a second draft
    assert posts[0]["client_event_id"] == posts[1]["client_event_id"]
    _, made = desk_server.request("GET", f"/api/v1/purchase-orders?q={first}")
    assert [o["number"] for o in made["items"]] == [first]
    assert desk_server.request("POST", f"/api/v1/purchase-orders/{first}/close", {
        "client_event_id": str(uuid.uuid4()), "occurred_at": datetime.now(timezone.utc).isoformat(),
        "reason": "e2e"})[0] == 200   # leave the demo as it was
