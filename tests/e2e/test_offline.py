"""Offline first: scans stored on the device before any network call, replayed once each, in order."""
from __future__ import annotations

import time

from tests.e2e.helpers import (burst, decide_as_supervisor, open_screen, outbox, receipts_of, screenshot, sign_in,
                               wait_for_outbox, wait_for_service_worker, wedge)

SCANS = 20


def start_reception(page, server, purpose: str) -> tuple[str, str]:
    order = server.seed["orders"][purpose]
    sign_in(page, server)
    wait_for_service_worker(page)
    open_screen(page, "receive")
    wedge(page, f"TL:PO:{order}")
    page.wait_for_selector("#reception-lines .line")
    wait_for_outbox(page, "pending", 0)
    return order


def test_twenty_scans_offline_then_a_reload_then_online_make_exactly_twenty_movements(context, page, scan_api):
    order = start_reception(page, scan_api, "offline")
    gtin = scan_api.seed["products"]["E2E-C"]["gtin"]

    context.set_offline(True)
    for _ in range(SCANS):
        wedge(page, f"]E0{gtin}")
    wait_for_outbox(page, "pending", SCANS)
    screenshot(page, "offline-20-scans-queued")

    page.reload()  # offline: the service worker serves the shell; the outbox is in IndexedDB
    page.wait_for_selector("body[data-ready=true] #scan-prompt")
    assert len(outbox(page, "pending")) == SCANS
    assert receipts_of(scan_api, order) == []

    context.set_offline(False)
    wait_for_outbox(page, "pending", 0)
    sent = [scan for scan in outbox(page, "sent") if scan["code"] == f"]E0{gtin}"]
    receipts = receipts_of(scan_api, order)
    assert len(receipts) == SCANS
    assert sorted(event_id for event_id, *_ in receipts) == sorted(scan["client_event_id"] for scan in sent)
    assert len({event_id for event_id, *_ in receipts}) == SCANS, "a scan was applied twice"
    page.wait_for_function("document.querySelector(`#reception-lines .line[data-sku='E2E-C'] .received`)"
                           "?.textContent === '20'")


def test_offline_a_scan_is_said_saved_on_the_device_at_once(context, page, scan_api):
    """Not after the 6 s an answer is waited for online: an operator told nothing scans the item again."""
    start_reception(page, scan_api, "offline-feedback")
    gtin = scan_api.seed["products"]["E2E-C"]["gtin"]
    context.set_offline(True)
    wedge(page, f"]E0{gtin}")
    started = time.monotonic()  # (from the scanner's Enter; the answer used to be waited for 6 s)
    page.wait_for_selector("#flash.flash-queued:not([hidden])", timeout=4000)
    assert time.monotonic() - started < 4
    wait_for_outbox(page, "pending", 1)
    context.set_offline(False)
    wait_for_outbox(page, "pending", 0)


def test_twenty_scans_while_the_server_answers_503_are_applied_once_each(page, scan_api):
    order = start_reception(page, scan_api, "unavailable")
    gtin = scan_api.seed["products"]["E2E-D"]["gtin"]
    refusals = []
    down = [True]  # until every scan is queued (a clock would race a slow machine's typing)

    def flaky(route):
        if down[0]:
            refusals.append(route.request.post_data_json)
            route.fulfill(status=503, json={"error": {"code": "unavailable", "message": "Down for a moment."}})
        else:
            route.continue_()

    page.route("**/api/v1/scans/batch", flaky)
    for _ in range(SCANS):
        burst(page, f"]E0{gtin}")   # (the keys' timing is test_wedge's business; this one is about the replay)
    wait_for_outbox(page, "pending", SCANS, timeout_ms=5000)
    assert refusals, "the server was never asked while it was down"
    page.goto("/#/queue")
    page.wait_for_selector("#sync-status")
    screenshot(page, "queue-while-server-503")
    down[0] = False

    wait_for_outbox(page, "pending", 0, timeout_ms=60000)
    receipts = receipts_of(scan_api, order)
    assert len(receipts) == SCANS, [(s["state"], s["status"], s["answer"]) for s in outbox(page, "refused")]
    assert len({event_id for event_id, *_ in receipts}) == SCANS, "a scan was applied twice"
    assert all(qty == 1 for _, qty, _, _ in receipts)


def test_a_scan_left_on_a_shared_handheld_is_never_sent_as_the_next_operators(context, page, scan_api):
    """Queued by one operator, it waits for them; the next one signed in sends it only by taking it over."""
    order = start_reception(page, scan_api, "shared-device")
    gtin = scan_api.seed["products"]["E2E-C"]["gtin"]
    page.route("**/api/v1/scans**", lambda route: route.abort())          # the Wi-Fi drops at the dock
    wedge(page, f"]E0{gtin}")
    wait_for_outbox(page, "pending", 1)
    page.goto("/#/settings")
    page.click("#sign-out")
    page.wait_for_selector("#username")
    page.unroute("**/api/v1/scans**")
    second, password = scan_api.seed["second"]
    page.fill("#username", second)
    page.fill("#password", password)
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_selector("#go-receive")
    page.goto("/#/queue")
    page.click("#send-now")
    waiting = page.locator("#pending li.other-user")
    waiting.wait_for()
    assert scan_api.seed["username"] in waiting.inner_text()
    page.wait_for_timeout(1000)
    assert receipts_of(scan_api, order) == [] and len(outbox(page, "pending")) == 1
    waiting.locator("button.take-over").click()
    wait_for_outbox(page, "pending", 0)
    [(event_id, *_)] = receipts_of(scan_api, order)
    [(who,)] = scan_api.query("SELECT u.username FROM movements m JOIN users u ON u.id = m.user_id "
                              "WHERE m.client_event_id = ?", event_id)
    assert who == second


def test_refusals_of_scans_made_offline_are_announced_when_they_come_back(context, page, scan_api):
    """Said saved on the device, then refused minutes later: a red flash says so, and all can be dismissed at once
    once the operator has confirmed how many."""
    sign_in(page, scan_api)
    open_screen(page, "put-away")
    wedge(page, "TL:LOC:A-01")
    page.wait_for_function("document.querySelector('#current-bin')?.textContent.includes('A-01')")
    context.set_offline(True)
    for code in ("4006381333931", "2000000000091"):  # two products nobody linked
        wedge(page, code)
        page.wait_for_selector("#flash.flash-queued:not([hidden])")
    wait_for_outbox(page, "pending", 2)
    context.set_offline(False)
    page.wait_for_selector("#flash.flash-error:not([hidden])", timeout=15000)
    assert "2 scans made offline were refused" in page.locator("#flash").inner_text()
    wait_for_outbox(page, "refused", 2)
    page.goto("/#/queue")
    # dismissed, they are gone for good: asked first, with how many, in the operator's language
    page.click("#dismiss-all")
    confirm = page.locator("#dismiss-all-confirm")
    assert confirm.locator("p").inner_text() == "Dismiss these 2 refused scans? They will not be sent again."
    assert page.locator("#dismiss-all-yes").inner_text() == "Dismiss 2 scans"
    page.click("#dismiss-all-no")
    page.wait_for_selector("#dismiss-all")
    assert len(outbox(page, "refused")) == 2 and page.locator("#to-resolve article.refused").count() == 2
    page.goto("/#/settings")
    page.select_option("select[name=language]", "fr")
    page.goto("/#/queue")
    page.click("#dismiss-all")
    assert confirm.locator("p").inner_text() == "Écarter ces 2 scans refusés ? Ils ne seront plus envoyés."
    assert page.locator("#dismiss-all-no").inner_text() == "Les garder"
    page.click("#dismiss-all-yes")
    wait_for_outbox(page, "refused", 0)
    page.wait_for_function("document.querySelectorAll('#to-resolve article.refused').length === 0", timeout=5000)
    assert "(0)" in page.locator("#to-resolve h2").inner_text() and confirm.count() == 0


def test_the_operator_learns_what_a_supervisor_decided_on_held_scans_and_the_note(page, scan_api):
    """Held scans stay listed on the device: the queue asks the server for their decision and shows the note."""
    order = start_reception(page, scan_api, "held")
    products = scan_api.seed["products"]
    for sku in ("E2E-B", "E2E-C"):  # neither is on the order: each is held for a supervisor
        wedge(page, f"]E0{products[sku]['gtin']}")
        page.wait_for_selector("#flash.flash-queued:not([hidden])")
        page.wait_for_selector("#flash", state="hidden")
    wait_for_outbox(page, "sent", 3)
    held = {scan["code"]: scan["client_event_id"] for scan in outbox(page, "sent") if scan["status"] == 202}
    rejected, accepted = held[f"]E0{products['E2E-B']['gtin']}"], held[f"]E0{products['E2E-C']['gtin']}"]
    assert decide_as_supervisor(scan_api, rejected, False, "Not ours: send back to supplier") == 200
    assert decide_as_supervisor(scan_api, accepted, True, "Extra ones are welcome") == 201

    page.goto("/#/queue")
    page.wait_for_selector("#flash.flash-error:not([hidden])")
    flash = page.locator("#flash").inner_text()
    assert "decided 2 scans" in flash and "1 accepted, 1 rejected" in flash.lower(), flash   # not all "rejected"
    assert f"{order}: rejected — Note: “Not ours: send back to supplier”" in flash, flash  # each note with its order
    card = page.locator(f"#to-resolve article[data-event-id='{rejected}']")
    card.wait_for()
    assert "Rejected by a supervisor" in card.inner_text() and "Not ours: send back to supplier" in card.inner_text()
    assert card.locator("button.resend").count() == 0  # decided: sending it again would not change that
    kept = page.locator(f"#sent li[data-event-id='{accepted}']").inner_text()
    assert "Accepted by a supervisor" in kept and "Extra ones are welcome" in kept
    assert len(receipts_of(scan_api, order)) == 1


def test_a_decision_reaches_an_operator_who_stays_on_the_reception_screen(page, scan_api):
    """Within a minute, whatever screen is open: the device asks while it holds scans waiting for a decision."""
    page.clock.install()
    order = start_reception(page, scan_api, "decided-later")
    products = scan_api.seed["products"]
    wedge(page, f"]E0{products['E2E-B']['gtin']}")   # not on the order: held for a supervisor
    page.wait_for_selector("#flash.flash-queued:not([hidden])")
    wait_for_outbox(page, "sent", 2)
    [held] = [scan["client_event_id"] for scan in outbox(page, "sent") if scan["status"] == 202]
    assert decide_as_supervisor(scan_api, held, False, "Not ours") == 200
    page.clock.run_for(61_000)
    page.wait_for_selector("#flash.flash-error:not([hidden])")
    assert f"{order}: rejected — Note: “Not ours”" in page.locator("#flash").inner_text()
    assert page.url.endswith("#/receive")


def test_offline_the_quantity_typed_is_queued_with_the_scan_and_booked_once_when_back(context, page, scan_api):
    """Offline, qty 5, one scan: the outbox keeps the 5 (a reload too), and the server books 5 units once."""
    order = start_reception(page, scan_api, "qty-offline")
    gtin = scan_api.seed["products"]["E2E-Q"]["gtin"]
    context.set_offline(True)
    page.fill("#scan-qty", "5")
    wedge(page, f"]E0{gtin}")
    page.wait_for_selector("#flash.flash-queued:not([hidden])")
    assert page.input_value("#scan-qty") == "1"
    assert "× 5" in page.locator("#recent-scans li").first.inner_text()
    [queued] = outbox(page, "pending")
    assert queued["context"] == {"order": order, "qty": 5}
    page.reload()
    page.wait_for_selector("body[data-ready=true] #scan-prompt")
    assert [scan["context"] for scan in outbox(page, "pending")] == [{"order": order, "qty": 5}]
    assert receipts_of(scan_api, order) == []
    context.set_offline(False)
    wait_for_outbox(page, "pending", 0)
    [(event_id, qty, _, _)] = receipts_of(scan_api, order)
    assert (event_id, qty) == (queued["client_event_id"], 5)
    page.wait_for_function("document.querySelector(`#reception-lines .line[data-sku='E2E-Q'] .received`)"
                           "?.textContent === '5'")
