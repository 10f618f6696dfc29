"""The quantity of the next scan on Reception, Put-away and Picking: 20 wiper blades in one scan, not 20 scans.

The field says how many of what is scanned (units, or packs for a carton's code: the server multiplies), applies to
the next item scan only and goes back to 1; a quantity that cannot be right is said on the device, nothing sent.
(A burst fired into the field is a scan: test_wedge.py; the quantity replayed from the offline queue: test_offline.py.)
"""
from __future__ import annotations

from tests.e2e.helpers import (QTY_SCALE, fake_scan_api, new_context, open_screen, outbox, receipts_of, sign_in,
                               wait_for_outbox, watch_errors, wedge)


def wait_for_received(page, sku: str, received: str) -> None:
    page.wait_for_function("([sku, received]) => document.querySelector(`#reception-lines .line[data-sku='${sku}'] "
                           ".received`)?.textContent === received", arg=[sku, received], timeout=15000)


def scan_label(page, code: str, shown: str, where: str) -> None:
    """A label scanned to set the screen's order or bin, again if a loaded machine split the burst (a label scanned
    twice changes nothing; the scans under test, with their quantities, are never repeated)."""
    for _ in range(3):
        wedge(page, code)
        try:
            page.wait_for_function("([where, shown]) => document.querySelector(where)?.textContent === shown",
                                   arg=[where, shown], timeout=5000)
            return
        except Exception:  # noqa: BLE001 (a Playwright timeout: scanned again)
            continue
    raise AssertionError(f"{code} was not taken: {page.locator(where).inner_text()}")


def start_reception(page, server, purpose: str) -> str:
    order = server.seed["orders"][purpose]
    sign_in(page, server)
    open_screen(page, "receive")
    scan_label(page, f"TL:PO:{order}", order, "#current-order")
    wait_for_received(page, "E2E-Q", "0")
    page.wait_for_selector("#flash", state="hidden")
    return order


def set_bin(page, screen: str, bin_code: str) -> None:
    open_screen(page, screen)
    scan_label(page, f"TL:LOC:{bin_code}", bin_code, "#current-bin")


def level(server, sku: str, place: str) -> float:
    rows = server.query("SELECT COALESCE(SUM(s.qty), 0) FROM stock_levels s JOIN products p ON p.id = s.product_id "
                        "JOIN locations l ON l.id = s.location_id WHERE p.sku = ? AND l.code = ?", sku, place)
    return rows[0][0] / QTY_SCALE


def test_twenty_received_in_one_scan_with_the_quantity_field(page, scan_api):
    order = start_reception(page, scan_api, "qty")
    blade = scan_api.seed["products"]["E2E-Q"]
    assert page.input_value("#scan-qty") == "1"
    assert page.locator("#scan-qty").get_attribute("inputmode") == "decimal"
    assert "for the next scan" in page.locator("#scan-qty-field").inner_text().lower()
    page.fill("#scan-qty", "20")
    wedge(page, blade["gtin"])
    wait_for_received(page, "E2E-Q", "20")
    assert page.locator("#flash .flash-big").inner_text() == "+20 × Balai E2E quantité — 20 / 20"
    assert page.input_value("#scan-qty") == "1"                                  # for the next scan only
    assert "× 20" in page.locator("#recent-scans li").first.inner_text()
    assert [qty for _, qty, _, _ in receipts_of(scan_api, order)] == [20]       # one scan, one movement of 20
    status, body = scan_api.request("GET", f"/api/v1/purchase-orders/{order}")
    assert status == 200 and [(ln["sku"], float(ln["received"])) for ln in body["lines"]] == [("E2E-Q", 20)]


def test_the_quantity_multiplies_a_cartons_pack_and_goes_back_to_1_after_the_scan(page, scan_api):
    """3 cartons of 12 are 36 units; the unit scanned next is one unit. An order label scanned between does not use
    the quantity typed."""
    order = start_reception(page, scan_api, "qty-carton")
    blade = scan_api.seed["products"]["E2E-Q"]
    page.fill("#scan-qty", "3")
    wedge(page, f"TL:PO:{order}")                                                 # the label again: no item
    page.wait_for_selector("#flash.flash-ok:not([hidden])")
    assert page.input_value("#scan-qty") == "3"
    wedge(page, f"]C101{blade['carton']}")
    wait_for_received(page, "E2E-Q", "36")
    assert page.input_value("#scan-qty") == "1"
    wedge(page, f"]E0{blade['gtin']}")
    wait_for_received(page, "E2E-Q", "37")
    assert [qty for _, qty, _, _ in receipts_of(scan_api, order)] == [36, 1]
    sent = [scan for scan in outbox(page, "sent") if scan["context"].get("order") == order]
    assert [scan["context"].get("qty") for scan in sent if not scan["code"].startswith("TL:")] == [3, None]
    assert all("qty" not in scan["context"] for scan in sent if scan["code"].startswith("TL:"))


def test_put_away_with_a_quantity(page, scan_api):
    before = level(scan_api, "E2E-QP", "A-01")
    sign_in(page, scan_api)
    set_bin(page, "put-away", "A-01")
    page.fill("#scan-qty", "2,5")      # 2.5 cartons of 12: 30 units (French comma)
    wedge(page, f"]C101{scan_api.seed['products']['E2E-QP']['carton']}")
    page.wait_for_selector("#flash.flash-ok:not([hidden])")
    assert page.locator("#flash .flash-big").inner_text() == "30 × Vis E2E rangée"
    assert page.input_value("#scan-qty") == "1"
    assert level(scan_api, "E2E-QP", "A-01") == before + 30
    page.fill("#scan-qty", "4")
    wedge(page, scan_api.seed["products"]["E2E-QP"]["gtin"])
    page.wait_for_function("document.querySelector('#flash .flash-big')?.textContent === '4 × Vis E2E rangée'")
    assert level(scan_api, "E2E-QP", "A-01") == before + 34


def test_pick_with_a_quantity(page, scan_api):
    order = scan_api.seed["sales_orders"]["pick-qty"]
    sign_in(page, scan_api)
    open_screen(page, "pick")
    scan_label(page, f"TL:SO:{order}", order, "#current-order")
    page.wait_for_selector("#pick-list .pick-line .pick-bin:text('B-01')")
    scan_label(page, "TL:LOC:B-01", "B-01", "#current-bin")
    page.fill("#scan-qty", "5")
    wedge(page, scan_api.seed["products"]["E2E-SO"]["gtin"])
    page.wait_for_selector("#pick-list .pick-line.complete")
    assert page.locator("#pick-list .pick-line .tally").inner_text().replace(" ", "") == "5/5"
    assert page.input_value("#scan-qty") == "1"
    status, body = scan_api.request("GET", f"/api/v1/sales-orders/{order}")
    assert status == 200 and [float(line["picked"]) for line in body["lines"]] == [5]


def refused_on_the_device(page, typed: str) -> str:
    page.fill("#scan-qty", typed)
    wedge(page, "4006381333931")
    page.wait_for_selector("#flash.flash-error:not([hidden])")
    said = page.locator("#flash").inner_text()
    assert page.input_value("#scan-qty") == typed                                 # kept, to be corrected
    page.click("#flash")
    return said


def test_an_absurd_quantity_is_said_on_the_device_and_nothing_is_sent(page, server):
    applied = []
    fake_scan_api(page, applied)
    sign_in(page, server)
    set_bin(page, "put-away", "A-01")
    for typed, said in (("0", "must be more than 0"), ("-3", "must be more than 0"), ("abc", "is not a quantity"),
                        ("", "Type how many"), ("1000001", "More than 1,000,000 at once"), ("1,000", "a thousand or"),
                        ("0.0001", "at most three decimals")):
        assert said in refused_on_the_device(page, typed), typed
    page.wait_for_timeout(300)
    assert applied == [] and outbox(page, "pending") == [] and outbox(page, "sent") == []
    page.fill("#scan-qty", "1.5")                                                 # a measured good may take decimals
    wedge(page, "4006381333931")
    wait_for_outbox(page, "sent", 1)
    assert applied[-1]["context"] == {"bin": "A-01", "qty": 1.5}


def test_the_quantity_refused_is_said_in_french_for_a_french_reader(browser, server):
    context = new_context(browser, server, locale="fr-FR")
    page = context.new_page()
    errors = watch_errors(page)
    try:
        applied = []
        fake_scan_api(page, applied)
        sign_in(page, server)
        set_bin(page, "put-away", "A-01")
        assert "pour le prochain scan" in page.locator("#scan-qty-field").inner_text().lower()
        assert "supérieure à 0" in refused_on_the_device(page, "0")
        assert "n'est pas une quantité" in refused_on_the_device(page, "douze")
        assert applied == [] and outbox(page, "pending") == []
        page.fill("#scan-qty", "1,5")                                              # the French comma
        wedge(page, "4006381333931")
        wait_for_outbox(page, "sent", 1)
        assert applied[-1]["context"] == {"bin": "A-01", "qty": 1.5}
    finally:
        context.close()
    assert not errors, errors
