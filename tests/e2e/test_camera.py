"""Camera scanning with Chromium's fake camera: decoded in the page (zxing-wasm from our origin), recorded
by the server once, and no request leaves the origin."""
from __future__ import annotations

import pytest
import zxingcpp

from tests.e2e.fake_camera import barcode_image, write_y4m
from tests.e2e.helpers import (GS, launch, new_context, open_screen, outbox, screenshot, scan_events, sign_in,
                               wait_for_outbox, watch_errors, wedge)


def ean13(seed):
    product = seed["products"]["E2E-CAM"]
    return "E2E-CAM", barcode_image(product["gtin"], zxingcpp.BarcodeFormat.EAN13), f"]E0{product['gtin']}"


def gs1_datamatrix(seed):
    gtin14 = seed["products"]["E2E-DM"]["gtin"].zfill(14)
    image = barcode_image(f"[01]{gtin14}[10]LOTDM[17]271231", zxingcpp.BarcodeFormat.DataMatrix, gs1=True, scale=8)
    return "E2E-DM", image, f"]d201{gtin14}10LOTDM{GS}17271231"


@pytest.mark.parametrize("symbol", [ean13, gs1_datamatrix], ids=["ean13", "gs1-datamatrix"])
def test_camera_reads_the_code_and_the_server_records_it_once(playwright_driver, scan_api, tmp_path, symbol):
    sku, image, expected_code = symbol(scan_api.seed)
    video = write_y4m(image, tmp_path / "camera.y4m")
    browser = launch(playwright_driver, ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                                         f"--use-file-for-fake-video-capture={video}"])
    context = new_context(browser, scan_api)
    context.grant_permissions(["camera"])
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    errors = watch_errors(page)
    order = scan_api.seed["orders"]["camera"]
    try:
        sign_in(page, scan_api)
        open_screen(page, "receive")
        wedge(page, f"TL:PO:{order}")
        page.wait_for_selector(f"#reception-lines .line[data-sku='{sku}']")
        wait_for_outbox(page, "pending", 0)  # (the lines may come from the order itself, before the label's answer)
        before = {scan["client_event_id"] for scan in outbox(page, "sent")}
        page.click("#camera-button")
        page.wait_for_function(f"document.querySelector(`#reception-lines .line[data-sku='{sku}'] .received`)"
                               "?.textContent === '1'", timeout=30000)
        screenshot(page, f"camera-{sku}")
        page.wait_for_timeout(2000)  # the code stays in view: it must not be counted again
        wait_for_outbox(page, "pending", 0)
        new = [scan for scan in outbox(page, "sent") if scan["client_event_id"] not in before]
        assert [scan["code"] for scan in new] == [expected_code]
        native = page.evaluate("async () => 'BarcodeDetector' in window && "
                               "(await BarcodeDetector.getSupportedFormats()).length > 0")
        recorded = [(raw, outcome) for event_id, raw, outcome, _ in scan_events(scan_api, order)
                    if event_id == new[0]["client_event_id"]]
        assert recorded == [(expected_code, "applied")]
    finally:
        context.close()
        browser.close()
    foreign = [url for url in requests if not url.startswith((scan_api.base_url, "data:", "blob:"))]
    assert foreign == [], f"requests left the origin: {foreign}"
    if not native:  # decoded by our self-hosted zxing-wasm
        assert f"{scan_api.base_url}/vendor/zxing-wasm/reader/zxing_reader.wasm" in requests
    assert not errors, errors
