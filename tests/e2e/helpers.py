"""What the browser tests do again and again: sign in, scan like a handheld, wait for the queue."""
from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = Path(os.environ.get("TENDU_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 360, "height": 740}
GS = "\x1d"
SCANNER_KEY_DELAY_MS = 5  # a wedge scanner types a key every few ms


def sign_in(page, server) -> None:
    page.goto("/")
    page.fill("#username", server.seed["username"])
    page.fill("#password", server.seed["password"])
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_selector("#go-receive")


def open_screen(page, name: str) -> None:
    page.goto(f"/#/{name}")
    page.wait_for_selector("#scan-prompt")


def wedge(page, code: str) -> None:
    """Type ``code`` as a keyboard-wedge scanner would: fast, GS as Ctrl+], then Enter; no field focused."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for index, part in enumerate(code.split(GS)):
        if index:
            page.keyboard.press("Control+BracketRight", delay=0)
        if part:
            page.keyboard.type(part, delay=SCANNER_KEY_DELAY_MS)
    page.keyboard.press("Enter")


def burst(page, code: str) -> None:
    """A scanner's burst delivered in one go, for tests about what follows a scan (the queue, the replay), not about
    reading keys: Playwright types each key through a round trip, and on a loaded machine gaps past the wedge's
    60 ms split a code in two (a 404 for its tail). Here every key is dispatched in one task of the page."""
    page.evaluate("""(code) => {
        document.activeElement && document.activeElement.blur();
        for (const key of [...code, "Enter"]) {
            document.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
            document.dispatchEvent(new KeyboardEvent("keyup", { key, bubbles: true, cancelable: true }));
        }
    }""", code)


def outbox(page, state: str) -> list[dict]:
    """Scans in the device's IndexedDB outbox in ``state`` (pending, sent, refused)."""
    return page.evaluate("""async (state) => {
        const { scansIn } = await import("/js/outbox.js");
        return scansIn(state);
    }""", state)


def wait_for_outbox(page, state: str, count: int, timeout_ms: int = 30000) -> None:
    # Polled from here: page.wait_for_function does not await a predicate's promise (IndexedDB is async).
    deadline = time.monotonic() + timeout_ms / 1000
    while (found := len(outbox(page, state))) != count:
        if time.monotonic() > deadline:
            raise AssertionError(f"outbox has {found} {state} scans after {timeout_ms} ms, expected {count}")
        page.wait_for_timeout(200)


def wait_for_service_worker(page) -> None:
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15000)


# --- browser set-up ----------------------------------------------------------------------------

def launch(driver, extra_args=()):
    return driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_ARGS, *extra_args])


def new_context(browser, server, **options):
    options.setdefault("viewport", VIEWPORT)
    options.setdefault("locale", "en-US")
    # Playwright evaluates wait_for_function's string in the page, which Tendu's CSP forbids (no eval);
    # test_csp.py drives the app under the real policy.
    options.setdefault("bypass_csp", True)
    return browser.new_context(base_url=server.base_url, has_touch=True, is_mobile=False,
                               service_workers="allow", **options)


def watch_errors(page) -> list[str]:
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def watch_csp(page) -> list[str]:
    """Console reports of anything the Content-Security-Policy blocked."""
    blocked = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    return blocked


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- what the server recorded ---------------------------------------------------------------------

RECEIPT = 10  # MovementKind.RECEIPT
QTY_SCALE = 1000  # quantities are stored as integers in thousandths (server.models.base.Quantity)


def receipts_of(server, order: str) -> list[tuple]:
    """(client_event_id, qty, lot, expiry) of every receipt movement booked on ``order``."""
    rows = server.query(
        "SELECT m.client_event_id, m.qty, m.lot, m.expiry FROM movements m "
        "JOIN purchase_order_lines l ON l.id = m.po_line_id JOIN purchase_orders o ON o.id = l.order_id "
        "WHERE o.number = ? AND m.kind = ? ORDER BY m.id", order, RECEIPT)
    return [(event_id, qty / QTY_SCALE, lot, expiry) for event_id, qty, lot, expiry in rows]


def scan_events(server, order: str, action: str = "receive") -> list[tuple]:
    """(client_event_id, raw_code, outcome) of the scans recorded for ``order``."""
    return [row for row in server.query(
        "SELECT client_event_id, raw_code, outcome, context FROM scan_events WHERE action = ? ORDER BY id", action)
        if f'"{order}"' in row[3]]


def fake_scan_api(page, applied: list[dict]) -> None:
    """Answer the batch endpoint in the browser itself, as the contract says, applying each id once."""
    seen = set()

    def answer(route):
        results = []
        for scan in route.request.post_data_json["scans"]:
            if scan["client_event_id"] not in seen:
                seen.add(scan["client_event_id"])
                applied.append(scan)
            results.append({"client_event_id": scan["client_event_id"], "status": 201,
                            "body": {"outcome": "applied", "message": "ok"}})
        route.fulfill(status=200, json={"results": results})

    page.route("**/api/v1/scans/batch", answer)


def as_supervisor(server, method: str, path: str, body=None) -> tuple[int, dict | None]:
    """A request from another client signed in as the seed's supervisor (the desk): (HTTP status, JSON body)."""
    username, password = server.seed["supervisor"]
    login = urllib.request.Request(server.base_url + "/api/v1/auth/tokens", method="POST",
                                   headers={"Content-Type": "application/json"},
                                   data=json.dumps({"username": username, "password": password,
                                                    "device": "e2e-desk"}).encode())
    with urllib.request.urlopen(login, timeout=10) as response:
        token = json.loads(response.read())["token"]
    request = urllib.request.Request(server.base_url + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def decide_as_supervisor(server, client_event_id: str, accept: bool, note: str) -> int:
    """A supervisor's decision on a held scan, made from another client (the desk): answers the HTTP status."""
    return as_supervisor(server, "POST", f"/api/v1/scans/{client_event_id}/decision",
                         {"accept": accept, "note": note})[0]
