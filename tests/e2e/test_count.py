"""Cycle counts on the Count screen: lots chosen on a refusal, the quantity typed kept and read as written."""
from __future__ import annotations

from tests.e2e.helpers import open_screen, outbox, sign_in, wait_for_outbox, wedge


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
