"""Handheld scanners in keyboard-wedge mode: bursts recognised anywhere, GS and AIM prefixes kept."""
from __future__ import annotations

import re

from tests.e2e.helpers import (GS, SCANNER_KEY_DELAY_MS, fake_scan_api, open_screen, outbox, receipts_of, scan_events,
                               screenshot, sign_in, wait_for_outbox, wedge)


def row(page, sku: str):
    return page.locator(f"#reception-lines .line[data-sku='{sku}']")


def wait_for_received(page, sku: str, received: str) -> None:
    page.wait_for_function("([sku, received]) => document.querySelector(`#reception-lines .line[data-sku='${sku}'] .received`)"
                           "?.textContent === received", arg=[sku, received], timeout=15000)


def test_receive_a_po_by_wedge_scans_with_running_totals(page, scan_api):
    seed = scan_api.seed
    order, a, b = seed["orders"]["wedge"], seed["products"]["E2E-A"], seed["products"]["E2E-B"]
    sign_in(page, scan_api)
    open_screen(page, "receive")
    screenshot(page, "receive-1-waiting-for-order")
    wedge(page, f"TL:PO:{order}")
    wait_for_received(page, "E2E-A", "0")
    # the "Found" flash names the order (its big line was empty)
    page.wait_for_function("(order) => document.querySelector('#flash .flash-big').textContent === order", arg=order)
    assert row(page, "E2E-A").locator(".ordered").inner_text() == "3"
    assert row(page, "E2E-B").locator(".ordered").inner_text() == "12"
    screenshot(page, "receive-2-order-lines")

    wedge(page, f"]E0{a['gtin']}")
    wait_for_received(page, "E2E-A", "1")
    wedge(page, f"]E0{a['gtin']}")
    wait_for_received(page, "E2E-A", "2")
    screenshot(page, "receive-3-flash-after-item")
    wedge(page, f"]C101{b['carton']}")  # a carton of 6
    wait_for_received(page, "E2E-B", "6")
    page.wait_for_selector("#flash", state="hidden")
    screenshot(page, "receive-4-running-totals")

    assert [float(qty) for _, qty, _, _ in receipts_of(scan_api, order)] == [1, 1, 6]
    wait_for_outbox(page, "pending", 0)


def test_a_gs1_128_burst_with_gs_after_a_lot_reaches_the_server_intact(page, scan_api):
    seed = scan_api.seed
    order, oil = seed["orders"]["separator"], seed["products"]["E2E-L"]
    code = f"]C101{oil['gtin'].zfill(14)}10LOT-7{GS}17271231"  # the lot is variable-length: GS ends it
    sign_in(page, scan_api)
    open_screen(page, "receive")
    wedge(page, f"TL:PO:{order}")
    wait_for_received(page, "E2E-L", "0")
    wedge(page, code)
    wait_for_received(page, "E2E-L", "1")

    raw_codes = [raw for _, raw, outcome, _ in scan_events(scan_api, order) if outcome == "applied"]
    assert raw_codes == [code]
    [(_, qty, lot, expiry)] = receipts_of(scan_api, order)
    assert (float(qty), lot, expiry) == (1, "LOT-7", "2027-12-31")


def test_wedge_burst_is_queued_with_its_id_time_aim_prefix_and_gs(page, server):
    applied = []
    fake_scan_api(page, applied)
    sign_in(page, server)
    open_screen(page, "receive")
    wedge(page, "TL:PO:PO-TEST")
    code = f"]C10112000000000029{GS}10AB{GS}3712"
    wedge(page, code)
    wait_for_outbox(page, "sent", 2)
    label, item = applied
    assert (label["code"], label["action"], label["context"]) == ("TL:PO:PO-TEST", "receive", {"order": "PO-TEST"})
    assert (item["code"], item["action"], item["context"]) == (code, "receive", {"order": "PO-TEST"})
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", item["client_event_id"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d", item["occurred_at"])


def test_human_typing_and_typing_in_fields_are_left_alone(page, server):
    applied = []
    fake_scan_api(page, applied)
    sign_in(page, server)
    open_screen(page, "receive")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.type("12345", delay=150)  # a person, not a scanner
    page.keyboard.press("Enter")
    page.click("#type-button")
    page.keyboard.type("ABC123", delay=5)  # fast, but into the focused manual-entry field
    assert page.input_value("#manual-code") == "ABC123"
    page.wait_for_timeout(500)
    assert applied == [] and outbox(page, "pending") == [] and outbox(page, "sent") == []


def test_a_burst_into_the_focused_count_field_is_a_scan_with_the_typed_quantity(page, server):
    """The operator types the count, then pulls the trigger without leaving the field: the code must not land in
    the number (it read 103763281556587, and the next scan booked that as the count)."""
    applied = []
    fake_scan_api(page, applied)
    sign_in(page, server)
    open_screen(page, "count")
    wedge(page, "TL:LOC:A-01")
    page.click("#counted-qty")
    page.keyboard.type("7", delay=150)
    page.keyboard.type("4006381333931", delay=SCANNER_KEY_DELAY_MS)  # the trigger, field still focused
    page.keyboard.press("Enter")
    wait_for_outbox(page, "sent", 1)  # (the bin's label is kept on the device)
    item = applied[-1]
    assert (item["code"], item["action"], item["context"]) == ("4006381333931", "count", {"bin": "A-01", "qty": 7})
    assert page.input_value("#counted-qty") == ""  # used once, as always


def test_a_burst_into_the_focused_quantity_field_is_a_scan_with_the_quantity_typed(page, server):
    """Reception, put-away and picking: the quantity typed, then the trigger with the field still focused. The code
    must not land in the field (nor a short one: "PAD-1" has letters, no quantity has); the quantity goes with it."""
    applied = []
    fake_scan_api(page, applied)
    sign_in(page, server)
    open_screen(page, "receive")
    wedge(page, "TL:PO:PO-TEST")
    wait_for_outbox(page, "sent", 1)
    for sent, (typed, code, qty) in enumerate((("20", "4006381333931", 20), ("3", "PAD-1", 3)), start=2):
        page.click("#scan-qty")
        page.keyboard.type(typed, delay=150)        # a person: the 1 selected on focus is replaced
        assert page.input_value("#scan-qty") == typed
        page.keyboard.type(code, delay=SCANNER_KEY_DELAY_MS)  # the trigger, field still focused
        page.keyboard.press("Enter")
        wait_for_outbox(page, "sent", sent)
        item = applied[-1]
        assert (item["code"], item["action"], item["context"]) == (code, "receive", {"order": "PO-TEST", "qty": qty})
        assert page.input_value("#scan-qty") == "1"  # used once, and none of the code's characters in it
    page.click("#scan-qty")
    page.keyboard.type("12", delay=150)
    page.keyboard.press("Enter")                    # a person's Enter: leaves the field, sends nothing
    page.wait_for_timeout(300)
    assert page.input_value("#scan-qty") == "12" and len(applied) == 3
    assert page.evaluate("document.activeElement?.id") != "scan-qty"


def test_labels_of_an_order_or_a_bin_that_does_not_exist_do_not_become_the_screens(page, scan_api):
    """Every scan after them was refused, with advice to link an unknown product."""
    sign_in(page, scan_api)
    open_screen(page, "receive")
    order = scan_api.seed["orders"]["wedge"]
    wedge(page, f"TL:PO:{order}")
    page.wait_for_selector("#reception-lines .line")
    wedge(page, "TL:PO:PO-999999")
    page.wait_for_selector("#flash.flash-error:not([hidden])")
    assert "commande" in page.locator("#flash").inner_text().lower() or "order" in page.locator("#flash").inner_text().lower()
    page.wait_for_function("([order]) => document.querySelector('#current-order')?.textContent.includes(order)",
                           arg=[order])
    open_screen(page, "put-away")
    wedge(page, "TL:LOC:A-02")
    page.wait_for_function("document.querySelector('#current-bin')?.textContent.includes('A-02')")
    wedge(page, "TL:LOC:Z-99")
    page.wait_for_selector("#flash.flash-error:not([hidden])")
    page.wait_for_timeout(300)
    assert "A-02" in page.locator("#current-bin").inner_text() and "Z-99" not in page.locator("#current-bin").inner_text()


def test_a_refused_label_that_cannot_be_read_is_not_offered_to_send_again(page, scan_api):
    """An unknown product can pass once a supervisor links it; a wrong check digit never will."""
    sign_in(page, scan_api)
    open_screen(page, "put-away")
    wedge(page, "TL:LOC:A-01")
    page.wait_for_function("document.querySelector('#current-bin')?.textContent.includes('A-01')")
    unknown, misread = "4006381333931", "]C10104006381333932"   # a GS1-128 read wrong: refused by the server
    wedge(page, unknown)
    page.wait_for_selector("#flash.flash-error:not([hidden])")
    wedge(page, misread)
    wait_for_outbox(page, "refused", 2)
    page.goto("/#/queue")
    page.wait_for_selector("#to-resolve article.refused")
    items = {item["code"]: item["client_event_id"] for item in outbox(page, "refused")}
    card = page.locator(f"#to-resolve article[data-event-id='{items[unknown]}']")
    assert card.locator("button.resend").count() == 1
    hopeless = page.locator(f"#to-resolve article[data-event-id='{items[misread]}']")
    assert hopeless.locator("button.resend").count() == 0
    assert hopeless.locator("button.dismiss").count() == 1
    hopeless.locator("button.dismiss").click()
    wait_for_outbox(page, "refused", 1)


def test_a_wrong_check_digit_is_told_at_once_even_offline_and_nothing_is_queued(context, page, scan_api):
    """A code the scanner announced as an EAN (]E0) with a wrong check digit is refused on the device: the server
    would refuse it too, and the operator is at the shelf now. The same digits bare may be the company's own code
    (a Code 128 label, typed): they are kept for the server, which alone knows its codes."""
    sign_in(page, scan_api)
    open_screen(page, "put-away")
    wedge(page, "TL:LOC:A-01")
    page.wait_for_function("document.querySelector('#current-bin')?.textContent.includes('A-01')")
    context.set_offline(True)
    wedge(page, "]E04006381333932")
    page.wait_for_selector("#flash.flash-error:not([hidden])")
    assert "Wrong check digit: 1 expected, 2 read" in page.locator("#flash").inner_text()
    assert outbox(page, "pending") == [] and outbox(page, "refused") == []
    page.wait_for_selector("#flash", state="hidden")
    wedge(page, "4006381333932")
    page.wait_for_selector("#flash.flash-queued:not([hidden])")
    assert [scan["code"] for scan in outbox(page, "pending")] == ["4006381333932"]
    context.set_offline(False)
    wait_for_outbox(page, "refused", 1)   # nobody here has that code: the server's refusal, in the queue
    assert outbox(page, "refused")[0]["answer"]["error"]["code"] == "bad_check_digit"


def test_a_wrong_ean8_check_digit_is_told_at_once_but_a_upce_is_not_mistaken_for_one(context, page, scan_api):
    """8 digits: an EAN-8, or a UPC-E whose check digit is computed on the UPC-A it stands for. 04252614 is a right
    UPC-E (and a wrong EAN-8): the server reads it, so the device must not refuse it."""
    sign_in(page, scan_api)
    open_screen(page, "put-away")
    wedge(page, "TL:LOC:A-01")
    page.wait_for_function("document.querySelector('#current-bin')?.textContent.includes('A-01')")
    context.set_offline(True)
    wedge(page, "]E496385075")
    page.wait_for_selector("#flash.flash-error:not([hidden])")
    assert "Wrong check digit: 4 expected, 5 read" in page.locator("#flash").inner_text()
    assert outbox(page, "pending") == [] and outbox(page, "refused") == []
    page.wait_for_selector("#flash", state="hidden")
    wedge(page, "]E004252614")
    page.wait_for_selector("#flash.flash-queued:not([hidden])")                # kept for the server
    assert [scan["code"] for scan in outbox(page, "pending")] == ["]E004252614"]
    context.set_offline(False)


def test_the_device_refuses_an_8_digit_code_exactly_when_the_server_does(page, server):
    """Every kind of 8-digit read (EAN-8, UPC-E, both, neither) announced as EAN/UPC (]E0, ]E4) against the server's
    parser; bare, the device judges none (the server reads them as the company's own code when it has it)."""
    import random

    from server.domain.barcodes.parser import parse
    from server.domain.barcodes.refusals import BarcodeError

    def check_digit(body: str) -> str:
        total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
        return str((10 - total % 10) % 10)

    rng = random.Random(8)
    codes = []
    for n in range(600):
        body = rng.choice("01" if n % 2 else "0123456789") + "".join(rng.choice("0123456789") for _ in range(6))
        every = n % 10 in (0, 1)          # every last digit, so the right UPC-E one too
        for last in {check_digit(body), str(rng.randrange(10)), *(str(d) for d in range(10) if every)}:
            codes += [prefix + body + last for prefix in ("", "]E0", "]E4")]

    def server_says(code):
        try:
            parse(code)
        except BarcodeError as refusal:
            assert refusal.code == "bad_check_digit", (code, refusal.code)
            return {"expected": refusal.details["expected"], "read": refusal.details["got"]}
        return None
    page.goto("/")
    page.wait_for_selector("#sign-in-form")
    device = page.evaluate("""async (codes) => {
        const { wrongCheckDigit } = await import("/js/labels.js");
        return codes.map((code) => wrongCheckDigit(code));
    }""", codes)
    server = [None if code[0] != "]" else server_says(code) for code in codes]
    assert [(code, said, told) for code, said, told in zip(codes, device, server) if said != told] == []
    assert any(server_says(code) for code in codes if code[0] != "]")   # bare ones the server alone refuses
    upce = sum(1 for code, told in zip(codes, server)
               if told is None and code[0] == "]" and parse(code).symbology == "upce")
    assert upce > 100 and 0 < server.count(None) < len(codes)


def test_a_bin_is_taken_by_its_bare_code_as_by_its_label(context, page, scan_api):
    """A bin's own code printed before Tendu ("A-02", not "TL:LOC:A-02") sets the bin, first or to move on, offline
    too: the device keeps the bins' codes. Offline, a code it does not know as a bin is not taken for one, and with a
    bin set it is never queued as an item put in the old bin."""
    sign_in(page, scan_api)
    open_screen(page, "put-away")
    page.evaluate("localStorage.removeItem('tendu.context.put_away')")
    page.reload()
    page.wait_for_selector("#scan-prompt")
    wedge(page, "a-02")                       # any case, as labels are read
    page.wait_for_function("document.querySelector('#current-bin')?.textContent.includes('A-02')")
    context.set_offline(True)
    wedge(page, "A-01")
    page.wait_for_function("document.querySelector('#current-bin')?.textContent.includes('A-01')")
    assert outbox(page, "pending") == []
    page.evaluate("localStorage.removeItem('tendu.context.put_away')")
    page.reload()
    page.wait_for_selector("#scan-prompt")
    wedge(page, "B-99")                       # no bin of that code
    page.wait_for_selector("#flash.flash-error:not([hidden])")
    assert "TL:LOC" in page.locator("#flash").inner_text()
    assert outbox(page, "pending") == []
    context.set_offline(False)
    page.wait_for_selector("#flash", state="hidden")
    wedge(page, "B-99")
    page.wait_for_function("document.querySelector('#flash .flash-big')?.textContent.includes('B-99 is no bin known')")
    wedge(page, "DOCK")
    page.wait_for_function("document.querySelector('#flash .flash-big')?.textContent.includes('DOCK is not a bin')")
    assert page.locator("#current-bin").count() == 0 or "DOCK" not in page.locator("#current-bin").inner_text()


def test_the_browser_detector_marks_a_plain_code_128_as_such(page, server):
    """BarcodeDetector drops the AIM identifier: a Code 128 without GS1's leading GS is sent as ]C0, so the server
    reads digits whose GTIN check digit fails as the company's own code, not as a misread EAN."""
    page.add_init_script("""
        globalThis.BarcodeDetector = class {
            static async getSupportedFormats() { return ["code_128", "qr_code", "ean_13"]; }
            async detect() {
                return [{ format: "code_128", rawValue: "10020304" },
                        { format: "code_128", rawValue: "\\x1d0104006381333931" },
                        { format: "qr_code", rawValue: "TL:LOC:A-01" },
                        { format: "ean_13", rawValue: "4006381333931" }];
            }
        };""")
    page.goto("/")
    page.wait_for_selector("#sign-in-form")
    codes = page.evaluate("""async () => {
        const { createDetector } = await import("/js/decoders.js");
        const detector = await createDetector();
        return [detector.name, await detector.detect(document.createElement("canvas"))];
    }""")
    assert codes == ["native", ["]C010020304", "]C10104006381333931", "]Q1TL:LOC:A-01", "]E04006381333931"]]
