"""Cycle counts on the Count screen: lots chosen on a refusal, the quantity typed kept and read as written."""
from __future__ import annotations

from tests.e2e.helpers import fake_scan_api, open_screen, outbox, sign_in, wait_for_outbox, wedge


def count_events(server, code: str) -> list[tuple]:
    """(client_event_id, outcome, context) of the count scans of ``code``, oldest first."""
    return server.query("SELECT client_event_id, outcome, context FROM scan_events WHERE action = 'count' "
                        "AND raw_code = ? ORDER BY id", code)


def test_a_plain_gtin_counted_in_a_bin_kept_by_lot_is_resent_with_the_lot_chosen(page, scan_api):
    """The server refuses a count without a lot where the stock is kept by lot: the screen offers those lots."""
    product = scan_api.seed["products"]["E2E-LOTS"]
    sign_in(page, scan_api)
    open_screen(page, "count")
    wedge(page, "TL:LOC:A-02")
    page.wait_for_function("document.querySelector('#current-bin')?.textContent.includes('A-02')")
    page.fill("#counted-qty", "4")
    wedge(page, product["gtin"])
    page.wait_for_selector("#flash.flash-error:not([hidden])")
    flash = page.locator("#flash").inner_text().lower()
    assert "order" not in flash  # a count has no order: the hint speaks of the lot
    assert page.input_value("#counted-qty") == "4"  # not to be typed again
    options = page.locator("#lot-choice button.lot-option")
    assert options.all_inner_texts() == ["LOT-A", "LOT-B"]
    assert "4" not in page.locator("#lot-choice").inner_text() and "6" not in page.locator("#lot-choice").inner_text()
    page.click("#flash")
    options.filter(has_text="LOT-A").click()
    page.wait_for_selector("#flash.flash-ok:not([hidden])")
    assert page.locator("#lot-choice").is_hidden()
    assert page.input_value("#counted-qty") == ""
    refused, chosen = count_events(scan_api, product["gtin"])
    assert refused[1] == "refused" and chosen[1] == "applied" and refused[0] != chosen[0]
    assert '"lot": "LOT-A"' in chosen[2] and '"qty": 4' in chosen[2] and '"bin": "A-02"' in chosen[2]
    wait_for_outbox(page, "refused", 0)  # the refusal it resolved does not wait in "To resolve"
    assert len(outbox(page, "sent")) >= 1


def type_qty(page, text: str) -> None:
    page.fill("#counted-qty", "")
    page.click("#counted-qty")
    page.keyboard.type(text, delay=120)  # a person, key by key (a number field drops the comma of "1,5")
    page.keyboard.press("Enter")


def test_the_quantity_counted_reads_a_decimal_comma_and_refuses_negatives_and_garbage_plainly(page, server):
    applied = []
    fake_scan_api(page, applied)
    sign_in(page, server)
    open_screen(page, "count")
    wedge(page, "TL:LOC:A-01")
    page.wait_for_function("document.querySelector('#current-bin')?.textContent.includes('A-01')")
    for typed, said in (("-3", "cannot be negative"), ("abc", "is not a quantity"), ("1,000", "a thousand or")):
        type_qty(page, typed)
        wedge(page, "4006381333931")
        page.wait_for_selector("#flash.flash-error:not([hidden])")
        assert said in page.locator("#flash").inner_text()
        assert page.input_value("#counted-qty") == typed  # kept, to be corrected
        page.click("#flash")
    type_qty(page, "1,5")
    wedge(page, "4006381333931")
    wait_for_outbox(page, "sent", 1)
    assert [scan["context"] for scan in applied] == [{"bin": "A-01", "qty": 1.5}]


def test_a_bin_scanned_by_its_bare_code_switches_bins_before_any_number_and_keeps_the_one_typed(context, page,
                                                                                                 scan_api):
    """Moving on to the next bin needs no count typed first; offline too (the device keeps the bins' codes); a number
    already typed waits for the item it was typed for."""
    sign_in(page, scan_api)
    open_screen(page, "count")
    wedge(page, "TL:LOC:A-01")
    page.wait_for_function("document.querySelector('#current-bin')?.textContent.includes('A-01')")
    wedge(page, "A-02")
    page.wait_for_function("document.querySelector('#current-bin')?.textContent.includes('A-02')")
    context.set_offline(True)
    page.fill("#counted-qty", "7")
    wedge(page, "A-01")
    page.wait_for_function("document.querySelector('#current-bin')?.textContent.includes('A-01')")
    assert page.input_value("#counted-qty") == "7"
    assert outbox(page, "pending") == [] and count_events(scan_api, "A-01") == []
    context.set_offline(False)
