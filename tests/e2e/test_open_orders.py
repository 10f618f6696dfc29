"""Operators choose an order among the open ones instead of knowing its number from paper; a supervisor cancels
a sales order the customer withdrew."""
from __future__ import annotations

from tests.e2e.helpers import (new_context, open_screen, scan_events, screenshot, sign_in, wait_for_service_worker,
                               watch_errors, wedge)

ORDER_BUTTON = "#open-orders .open-order[data-number='{}']"


def listed(page) -> list[str]:
    page.wait_for_selector("#open-orders ul")
    return page.eval_on_selector_all("#open-orders .open-order", "buttons => buttons.map((b) => b.dataset.number)")


def test_reception_lists_the_orders_to_receive_and_a_tap_does_what_scanning_the_label_does(page, scan_api):
    order, gtin = scan_api.seed["orders"]["chosen"], scan_api.seed["products"]["E2E-C"]["gtin"]
    sign_in(page, scan_api)
    open_screen(page, "receive")
    numbers = listed(page)
    assert order in numbers and numbers == sorted(numbers)                        # oldest first
    button = page.locator(ORDER_BUTTON.format(order))
    assert "E2E supplier" in button.inner_text() and "Lines: 1 · Left: 7" in button.inner_text()
    screenshot(page, "receive-open-orders")
    button.click()
    page.wait_for_selector("#reception-lines .line[data-sku='E2E-C']")
    assert page.locator("#current-order").inner_text() == order
    assert page.locator("#open-orders .open-order").count() == 0                  # chosen: the list gives way
    page.wait_for_function("(order) => document.querySelector('#recent-scans li code')?.textContent"
                           " === `TL:PO:${order}`", arg=order)
    assert [raw for _, raw, _, _ in scan_events(scan_api, order)] == [f"TL:PO:{order}"]   # as if scanned
    wedge(page, f"]E0{gtin}")
    page.wait_for_function("document.querySelector(`#reception-lines .line[data-sku='E2E-C'] .received`)"
                           "?.textContent === '1'")
    page.click("#change-order")                                                   # another order, from the list
    page.wait_for_selector(ORDER_BUTTON.format(order))
    assert page.locator("#current-order").inner_text() == "—"
    # its number typed from the delivery note, in small letters, chooses it ("Scan the order label first")
    wedge(page, order.lower())
    page.wait_for_function("(order) => document.querySelector('#current-order')?.textContent === order", arg=order)
    page.wait_for_selector("#reception-lines .line[data-sku='E2E-C']")


def test_picking_lists_the_orders_left_to_pick_and_shipping_the_ones_picked(page, scan_api):
    sales = scan_api.seed["sales_orders"]
    sign_in(page, scan_api)
    open_screen(page, "pick")
    to_pick = listed(page)
    assert sales["pick"] in to_pick and sales["ship"] not in to_pick              # (all picked: to ship)
    page.click(ORDER_BUTTON.format(sales["pick"]))
    page.wait_for_selector("#pick-list .pick-line .pick-bin:text('B-01')")
    assert page.locator("#current-order").inner_text() == sales["pick"]
    open_screen(page, "ship")
    to_ship = listed(page)
    assert sales["ship"] in to_ship and sales["pick"] not in to_ship              # (nothing picked: nothing to ship)
    page.click(ORDER_BUTTON.format(sales["ship"]))
    page.wait_for_selector(ORDER_BUTTON.format(sales["ship"]), state="detached")  # shipped, it leaves the list
    assert scan_api.request("GET", f"/api/v1/sales-orders/{sales['ship']}")[1]["status"] == "shipped"


def test_offline_the_last_list_fetched_is_shown_with_its_age_in_french(browser, scan_api):
    context = new_context(browser, scan_api, locale="fr-FR")
    page = context.new_page()
    errors = watch_errors(page)
    sign_in(page, scan_api)
    wait_for_service_worker(page)
    open_screen(page, "receive")
    online = listed(page)
    context.set_offline(True)
    page.goto("/#/")
    open_screen(page, "receive")
    page.wait_for_selector("#open-orders-stale")
    assert page.locator("#open-orders-stale").inner_text() == "Hors ligne : liste enregistrée à l'instant."
    assert listed(page) == online
    open_screen(page, "pick")                                                     # never fetched on this device
    page.wait_for_selector("#open-orders-stale")
    assert page.locator("#open-orders-stale").inner_text() == \
        "Hors ligne : aucune liste de commandes enregistrée sur cet appareil."
    context.set_offline(False)
    context.close()
    assert errors == []


def test_a_supervisor_cancels_sales_orders_picked_or_not_and_reads_a_refusal_in_the_servers_words(browser, scan_api):
    sales = scan_api.seed["sales_orders"]
    context = new_context(browser, scan_api, viewport={"width": 1024, "height": 768})
    page = context.new_page()
    errors = watch_errors(page)
    page.goto("/")
    page.fill("#username", scan_api.seed["supervisor"][0])
    page.fill("#password", scan_api.seed["supervisor"][1])
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_selector("#go-supervision")
    page.goto("/#/sv/sales-orders")

    def cancel(number, reason, put_back_to=None):
        page.click(f"#open-sales-orders tr[data-so='{number}'] button.danger")
        page.fill("form.cancel-so .close-reason", reason)
        if put_back_to is not None:
            page.fill("form.cancel-so .put-back-to", put_back_to)
        page.click("form.cancel-so button[type=submit]")

    cancel(sales["cancel"], "E2E: the customer withdrew")
    page.wait_for_selector("#so-done")
    assert page.locator("#so-done").inner_text() == f"{sales['cancel']} is cancelled."
    assert page.locator(f"#open-sales-orders tr[data-so='{sales['cancel']}']").count() == 0
    order = scan_api.request("GET", f"/api/v1/sales-orders/{sales['cancel']}")[1]
    assert order["status"] == "cancelled" and order["events"][-1]["note"] == "E2E: the customer withdrew"

    picked = sales["cancel-picked"]           # one unit picked from B-01: it waits in dispatch
    page.click(f"#open-sales-orders tr[data-so='{picked}'] button.danger")
    page.wait_for_selector("form.cancel-so .put-back-to")      # where to put it back: asked of picked orders only
    page.fill("form.cancel-so .close-reason", "E2E: too late, but picked")
    page.fill("form.cancel-so .put-back-to", "DISPATCH")
    page.click("form.cancel-so button[type=submit]")
    page.wait_for_selector("form.cancel-so .close-message.error")
    assert page.locator("form.cancel-so .close-message").inner_text() == (
        "DISPATCH is not a bin in use: name a storage bin.")
    screenshot(page, "supervisor-sales-orders-refused")
    assert scan_api.request("GET", f"/api/v1/sales-orders/{picked}")[1]["status"] == "picked"
    page.fill("form.cancel-so .put-back-to", "")                # back to the bin it came from
    page.click("form.cancel-so button[type=submit]")
    page.wait_for_selector(f"#so-done:has-text('{picked}')")       # (the first cancel's notice is there until then)
    assert page.locator("#so-done").inner_text() == f"{picked} is cancelled; 1 unit picked went back to stock."
    order = scan_api.request("GET", f"/api/v1/sales-orders/{picked}")[1]
    assert order["status"] == "cancelled" and order["lines"][0]["put_back"] == 1
    assert scan_api.query(
        "SELECT f.code, t.code FROM movements m JOIN locations f ON f.id = m.from_location_id "
        "JOIN locations t ON t.id = m.to_location_id JOIN sales_order_lines l ON l.id = m.so_line_id "
        "JOIN sales_orders o ON o.id = l.order_id WHERE m.kind = 31 AND o.number = ?", picked) == [("DISPATCH", "B-01")]
    context.close()
    assert errors == []


def test_an_order_picked_in_part_shows_what_is_left_when_the_picker_comes_back(page, scan_api):
    """The pick list is what is left when read: picks made before it must not be taken off it again."""
    number = scan_api.seed["sales_orders"]["pick-again"]
    sign_in(page, scan_api)
    open_screen(page, "pick")
    page.click(ORDER_BUTTON.format(number))
    page.wait_for_selector("#pick-list .pick-line .pick-bin:text('B-01')")
    wedge(page, "TL:LOC:B-01")
    page.wait_for_function("document.querySelector('#current-bin')?.textContent.includes('B-01')")
    for done in (1, 2):
        wedge(page, "2000000000091")
        page.wait_for_selector(f"#pick-list .pick-line .tally:text('{done} / 3')")
    page.reload()                                      # the device comes back to the same order
    open_screen(page, "pick")
    line = page.locator("#pick-list .pick-line").first
    line.locator(".tally:text('0 / 1')").wait_for()    # one left to pick, not 'complete'
    assert "complete" not in line.get_attribute("class")
    assert "B-01" in page.locator("#scan-prompt").inner_text()


def test_a_closed_orders_label_is_refused_and_does_not_become_the_screens_order(page, scan_api):
    closed, other = scan_api.seed["orders"]["closed"], scan_api.seed["orders"]["chosen"]
    sign_in(page, scan_api)
    open_screen(page, "receive")
    wedge(page, f"TL:PO:{other}")
    page.wait_for_selector("#reception-lines .line")
    wedge(page, f"TL:PO:{closed}")
    page.wait_for_selector("#flash.flash-error:not([hidden])")
    assert closed in page.locator("#flash").inner_text()
    page.wait_for_function(f"document.querySelector('#current-order')?.textContent.includes('{other}')")
