"""The two screens an admin needed curl for, in real Chromium on the short demo (``seed_supervisor.py``):

* Users (admins only): list, create, change a role, set a new password, deactivate and reactivate, each checked
  against what the server then holds; a supervisor or an operator sees no entry and is told, by URL, that the view is
  for administrators; a refusal (a name taken) shown in the server's words, in English and in French.
* Labels: a supplier's products (all shown) and some bins printed as one A4 PDF sheet, a label previewed as it prints
  on the chosen sheet, and what cannot be labelled (a 64-character SKU in Code 128) said in the server's words.

Both at 1366 px and on a phone (360 px; 390 × 844 where the print button must be in reach).
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import _missing, running_tendu
from tests.e2e.helpers import VIEWPORT, new_context, screenshot, watch_csp, watch_errors

DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
LONG_SKU = "LONG-SKU-" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789-abcdefghijklmnopq"  # 64, the most a SKU may have


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory):
    reason = _missing()
    if reason:
        pytest.skip(reason)
    with running_tendu(tmp_path_factory, "admin-views", "seed_supervisor.py") as running:
        yield running


def call(server, who: dict, method: str, path: str, body=None, language="en") -> tuple[int, object]:
    """The API as ``who`` ({username, password}) sees it, in ``language``."""
    headers = {"Content-Type": "application/json", "Accept-Language": language}
    if who:
        headers["Authorization"] = f"Bearer {token(server, who)}"
    request = urllib.request.Request(server.base_url + path, method=method, headers=headers,
                                     data=None if body is None else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            data = response.read()
            return response.status, json.loads(data) if response.headers.get_content_type() == "application/json" else data
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


_tokens: dict[tuple[str, str], str] = {}


def token(server, who: dict) -> str:
    key = (server.base_url, who["username"])
    if key not in _tokens:
        status, answer = call(server, None, "POST", "/api/v1/auth/tokens",
                              {"username": who["username"], "password": who["password"], "device": "e2e-admin-views"})
        assert status == 201, answer
        _tokens[key] = answer["token"]
    return _tokens[key]


def signs_in(server, username: str, password: str) -> int:
    return call(server, None, "POST", "/api/v1/auth/tokens", {"username": username, "password": password})[0]


def supervisor_of(server) -> dict:
    return {"username": server.seed["username"], "password": server.seed["password"]}


@pytest.fixture
def open_page(browser, admin_server, request):
    """open_page(who, viewport=DESK, locale="en-US"): a page signed in as ``who``; no uncaught page error allowed."""
    opened = []

    def open_(who: dict, viewport=DESK, locale="en-US"):
        context = new_context(browser, admin_server, viewport=viewport, locale=locale)
        page = context.new_page()
        opened.append((context, page, watch_errors(page)))
        page.goto("/")
        page.fill("#username", who["username"])
        page.fill("#password", who["password"])
        page.click("#sign-in-form button[type=submit]")
        page.wait_for_selector("#go-receive")
        return page

    yield open_
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for context, page, errors in opened:
        if failed:
            screenshot(page, f"{request.node.name}-failure")
        context.close()
        assert not errors, f"uncaught errors in the page: {errors}"


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


# --- users ----------------------------------------------------------------------------------------------------

def test_an_admin_manages_users_from_the_supervision_tabs(open_page, admin_server):
    admin = admin_server.seed["admin"]
    page = open_page(admin)
    page.click("#go-supervision")
    page.click("#sv-tab-users")
    page.wait_for_selector("#users li[data-user]")
    _, users = call(admin_server, admin, "GET", "/api/v1/users")
    assert sorted(page.eval_on_selector_all("#users li[data-user]", "items => items.map(i => i.dataset.user)")) == \
        sorted(u["username"] for u in users)
    me = page.locator('#users li[data-user="e2e-admin"]')
    assert me.locator("select.user-role").is_disabled() and me.locator(".user-deactivate").is_disabled()
    screenshot(page, "admin-users-1366")

    # Create an operator with a first password: they can sign in with it.
    page.fill("#user-new-name", "e2e-new")
    page.select_option("#user-new-role", "operator")
    page.fill("#user-new-password", "first-pass-1")
    page.click("#user-new button[type=submit]")
    page.wait_for_selector('#users li[data-user="e2e-new"]')
    assert page.text_content("#users-message").startswith("e2e-new is created (operator)")
    assert signs_in(admin_server, "e2e-new", "first-pass-1") == 201

    # A name taken (in another case): refused in the server's words.
    page.fill("#user-new-name", "E2E-NEW")
    page.fill("#user-new-password", "whatever-pass")
    page.click("#user-new button[type=submit]")
    page.wait_for_selector("#user-new-message.error")
    status, refused = call(admin_server, admin, "POST", "/api/v1/users",
                           {"username": "E2E-NEW", "role": "operator", "password": "whatever-pass"})
    assert status == 409 and page.text_content("#user-new-message") == refused["error"]["message"] == \
        "User e2e-new exists already."

    # Role, password, deactivation, reactivation: each as the server then holds it.
    card = '#users li[data-user="e2e-new"]'
    page.select_option(f"{card} select.user-role", "supervisor")
    page.click(f"{card} .user-confirm button.danger")
    page.wait_for_function("document.getElementById('users-message')?.textContent.includes('now supervisor')")
    assert {u["username"]: u["role"] for u in call(admin_server, admin, "GET", "/api/v1/users")[1]}["e2e-new"] == "supervisor"

    page.click(f"{card} button.user-password")
    page.fill("#user-password input[type=password]", "second-pass-2")
    page.click("#user-password button[type=submit]")
    page.wait_for_function("document.getElementById('users-message')?.textContent.includes('new password')")
    assert (signs_in(admin_server, "e2e-new", "second-pass-2"), signs_in(admin_server, "e2e-new", "first-pass-1")) == (201, 401)

    page.click(f"{card} button.user-deactivate")
    page.click(f"{card} .user-confirm button.danger")
    page.wait_for_selector(f"{card}.user-inactive")
    assert signs_in(admin_server, "e2e-new", "second-pass-2") == 401
    page.click(f"{card} button.user-reactivate")
    page.wait_for_selector(f"{card}:not(.user-inactive) button.user-deactivate")
    assert signs_in(admin_server, "e2e-new", "second-pass-2") == 201


def test_a_role_or_a_deactivation_waits_for_the_admin_to_confirm_it(open_page, admin_server):
    """One arrow key on a focused role list made an operator a supervisor (and signed them out), one click on
    Deactivate threw a user out: each now says what it will do and waits for a second click."""
    admin = admin_server.seed["admin"]
    status, _ = call(admin_server, admin, "POST", "/api/v1/users",
                     {"username": "e2e-careful", "role": "operator", "password": "careful-pass-1"})
    assert status == 201
    page = open_page(admin)
    page.goto("/#/sv/users")
    card = '#users li[data-user="e2e-careful"]'
    page.wait_for_selector(f"{card} select.user-role")
    roles = lambda: {u["username"]: (u["role"], u["active"]) for u in call(admin_server, admin, "GET", "/api/v1/users")[1]}  # noqa: E731
    page.focus(f"{card} select.user-role")
    page.keyboard.press("ArrowDown")
    page.wait_for_selector(f"{card} .user-confirm")
    assert "e2e-careful" in page.text_content(f"{card} .user-confirm") and roles()["e2e-careful"] == ("operator", True)
    page.click(f"{card} .user-confirm button:not(.danger)")               # keep: nothing changed, the list says so
    page.wait_for_selector(f"{card} .user-confirm", state="detached")
    assert page.eval_on_selector(f"{card} select.user-role", "s => s.value") == "operator"
    page.click(f"{card} button.user-deactivate")
    page.wait_for_selector(f"{card} .user-confirm")
    assert roles()["e2e-careful"] == ("operator", True) and signs_in(admin_server, "e2e-careful", "careful-pass-1") == 201
    page.click(f"{card} .user-confirm button.danger")
    page.wait_for_selector(f"{card}.user-inactive")
    assert roles()["e2e-careful"] == ("operator", False)


def test_cancel_closes_the_password_card_and_changes_nothing(open_page, admin_server):
    """The password card had no way out but typing a password: Cancel closes it, sends nothing, and the password typed
    is gone (the card opens empty again); focus goes back to the user's button."""
    admin = admin_server.seed["admin"]
    status, _ = call(admin_server, admin, "POST", "/api/v1/users",
                     {"username": "e2e-cancel", "role": "operator", "password": "cancel-pass-1"})
    assert status == 201
    page = open_page(admin)
    changes = []
    page.on("request", lambda request: changes.append(request.url) if request.method != "GET" else None)
    page.goto("/#/sv/users")
    card = '#users li[data-user="e2e-cancel"]'
    page.click(f"{card} button.user-password")
    page.fill("#user-password input[type=password]", "never-set-1")
    assert page.text_content("#user-password button.user-password-cancel") == "Cancel"
    page.click("#user-password button.user-password-cancel")
    page.wait_for_selector("#user-password form", state="detached")
    assert page.locator("#user-password input[type=password]").count() == 0
    assert page.evaluate("document.activeElement.matches('li[data-user=\"e2e-cancel\"] button.user-password')")
    assert changes == []
    assert (signs_in(admin_server, "e2e-cancel", "cancel-pass-1"),
            signs_in(admin_server, "e2e-cancel", "never-set-1")) == (201, 401)
    page.click(f"{card} button.user-password")
    assert page.input_value("#user-password input[type=password]") == ""


def test_supervisors_and_operators_see_no_users_entry_and_are_told_by_url(open_page, admin_server):
    supervisor = open_page(supervisor_of(admin_server))
    asked = []
    supervisor.on("request", lambda request: asked.append(request.url) if "/api/v1/users" in request.url else None)
    supervisor.goto("/#/sv")
    supervisor.wait_for_selector("#sv-tab-labels")
    assert supervisor.locator("#sv-tab-users").count() == 0
    supervisor.goto("/#/sv/users")
    supervisor.wait_for_selector("#sv-not-allowed")
    assert supervisor.text_content("#sv-not-allowed").startswith("Only administrators manage users.")
    assert supervisor.locator("#users, #user-new").count() == 0 and asked == []

    operator = open_page(admin_server.seed["operator"], viewport=VIEWPORT)
    assert operator.locator("#go-supervision").count() == 0
    operator.goto("/#/sv/users")
    operator.wait_for_selector("#sv-not-allowed")
    assert operator.text_content("#sv-not-allowed").startswith("Only administrators manage users.")
    operator.goto("/#/sv/labels")
    operator.wait_for_function("document.getElementById('sv-not-allowed')?.textContent.includes('supervisors')")
    assert operator.locator("#lbl-table").count() == 0


def test_the_users_view_speaks_french_and_fits_a_phone(open_page, admin_server):
    admin = admin_server.seed["admin"]
    page = open_page(admin, viewport=VIEWPORT, locale="fr-FR")
    page.goto("/#/sv/users")
    page.wait_for_selector("#users li[data-user]")
    assert page.text_content("#sv-tab-users") == "Utilisateurs" and page.text_content("#sv-tab-labels") == "Étiquettes"
    assert "Qui peut se connecter" in page.text_content("main")
    page.fill("#user-new-name", "e2e-supervisor")
    page.fill("#user-new-password", "whatever-pass")
    page.click("#user-new button[type=submit]")
    page.wait_for_selector("#user-new-message.error")
    assert page.text_content("#user-new-message") == "L'utilisateur e2e-supervisor existe déjà."
    assert fits(page)
    screenshot(page, "admin-users-phone-fr")


# --- labels ---------------------------------------------------------------------------------------------------

def test_a_suppliers_products_and_some_bins_print_on_one_sheet_and_a_label_is_previewed(open_page, admin_server):
    who = supervisor_of(admin_server)
    page = open_page(who)
    page.click("#go-supervision")
    page.click("#sv-tab-labels")
    page.wait_for_selector("#lbl-table tbody tr")
    page.wait_for_function("document.getElementById('lbl-supplier').options.length > 1")
    supplier = page.eval_on_selector("#lbl-supplier", "s => s.options[1].value")
    page.select_option("#lbl-supplier", supplier)
    _, listed = call(admin_server, who, "GET", f"/api/v1/products?supplier={supplier}&active=true&per_page=200")
    skus = [p["sku"] for p in listed["items"]]
    assert skus and all(p["supplier"] == supplier for p in listed["items"])
    page.wait_for_function(f"document.querySelectorAll('#lbl-table tbody tr').length === {len(skus)} && "
                           f"document.querySelector('#lbl-table tbody tr').dataset.key === {json.dumps(skus[0])}")
    page.click("#lbl-select-shown")

    page.select_option("#lbl-kind", "locations")
    page.fill("#lbl-q", "A-0")
    page.click("#lbl-search button[type=submit]")
    page.wait_for_selector('#lbl-table tbody tr[data-key="A-01"]')
    for code in ("A-01", "A-02"):
        page.check(f'#lbl-table tbody tr[data-key="{code}"] input[type=checkbox]')
    assert page.text_content("#lbl-summary") == f"Selected — products: {len(skus)} · bins: 2"

    page.select_option("#lbl-grid", "4x10")
    page.fill("#lbl-copies", "2")
    with page.expect_response("**/api/v1/labels/sheet") as answer:
        page.click("#lbl-print")
    assert answer.value.status == 200 and answer.value.headers["content-type"] == "application/pdf"
    assert answer.value.request.post_data_json == {
        "items": [{"kind": "products", "key": sku, "copies": 2} for sku in skus]
        + [{"kind": "locations", "key": code, "copies": 2} for code in ("A-01", "A-02")],
        "grid": "4x10", "start_cell": 1}
    page.wait_for_selector("#lbl-pdf")
    labels = 2 * (len(skus) + 2)
    assert page.text_content("#lbl-pdf") == f"Open the PDF ({labels} labels)"
    head = page.evaluate("async () => { const blob = await (await fetch(document.getElementById('lbl-pdf').href)).blob();"
                         " return new TextDecoder().decode(await blob.slice(0, 5).arrayBuffer()); }")
    assert head == "%PDF-"

    # One label as it prints on this sheet: 48.5 mm wide at 300 dpi.
    page.click('#lbl-table tbody tr[data-key="A-02"] button.lbl-preview-button')
    page.wait_for_function("(() => { const i = document.getElementById('lbl-preview-img'); "
                           "return i && i.complete && i.naturalWidth > 0; })()")
    assert page.evaluate("document.getElementById('lbl-preview-img').naturalWidth") == round(48.5 / 25.4 * 300)
    assert page.get_attribute("#lbl-png", "download") == "A-02.png"
    screenshot(page, "labels-1366")


def test_what_cannot_be_labelled_is_said_in_the_servers_words(open_page, admin_server):
    who = supervisor_of(admin_server)
    status, _ = call(admin_server, who, "POST", "/api/v1/products", {"sku": LONG_SKU, "name": "Very long reference"})
    assert status in (201, 409)
    page = open_page(who, viewport=VIEWPORT)
    page.goto("/#/sv/labels")
    page.wait_for_selector("#lbl-table tbody tr")
    page.fill("#lbl-q", "LONG-SKU")
    page.click("#lbl-search button[type=submit]")
    row = f'#lbl-table tbody tr[data-key="{LONG_SKU}"]'
    page.wait_for_selector(row)

    page.click(f"{row} button.lbl-preview-button")
    page.wait_for_selector("#lbl-preview-error")
    status, refused = call(admin_server, who, "GET", f"/api/v1/labels/products/{LONG_SKU}.png?width_mm=70&height_mm=37")
    assert status == 422 and refused["error"]["code"] == "label_too_small"
    assert page.text_content("#lbl-preview-error") == f"{LONG_SKU}: {refused['error']['message']}"

    page.check(f"{row} input[type=checkbox]")
    page.click("#lbl-print")
    page.wait_for_selector("#lbl-message.error")
    status, sheet = call(admin_server, who, "POST", "/api/v1/labels/sheet",
                         {"items": [{"kind": "products", "key": LONG_SKU, "copies": 1}], "grid": "3x8", "start_cell": 1})
    assert status == 422 and page.text_content("#lbl-message") == sheet["error"]["message"]
    assert sheet["error"]["message"].startswith(f"{LONG_SKU}: The content is too long")
    assert page.locator("#lbl-pdf").count() == 0

    # As the refusal says: a DataMatrix carries it.
    page.select_option("#lbl-symbology", "datamatrix")
    page.wait_for_selector("#lbl-preview-img")
    page.click("#lbl-print")
    page.wait_for_selector("#lbl-pdf")
    assert page.text_content("#lbl-message") == ""
    assert fits(page)
    screenshot(page, "labels-phone")


IN_VIEW = """(selector) => {
    const element = document.querySelector(selector), box = element.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight && element.contains(hit);
}"""


def test_on_a_phone_the_print_button_is_in_reach_over_the_whole_list(open_page, admin_server):
    """On a phone the sheet card came after the list (up to 200 rows): the operator scrolled all the way down to print.
    The print button now stays at the bottom of the screen, from the first view to the end of the list; on a desk
    it stays in its card, beside the list."""
    who = supervisor_of(admin_server)
    page = open_page(who, viewport=PHONE)
    page.goto("/#/sv/labels")
    page.wait_for_selector("#lbl-table tbody tr")
    rows = page.locator("#lbl-table tbody tr")
    assert rows.count() > 20
    assert page.evaluate("window.scrollY") == 0 and page.evaluate(IN_VIEW, "#lbl-print")
    assert page.is_disabled("#lbl-print")
    middle = rows.nth(rows.count() // 2)
    middle.locator("input[type=checkbox]").check()     # (Playwright scrolls it into view: the bar must not cover it)
    assert page.evaluate("window.scrollY") > 844 and page.evaluate(IN_VIEW, "#lbl-print")
    assert page.is_enabled("#lbl-print")
    with page.expect_response("**/api/v1/labels/sheet") as answer:
        page.click("#lbl-print")
    assert answer.value.status == 200
    assert answer.value.request.post_data_json["items"] == [
        {"kind": "products", "key": middle.get_attribute("data-key"), "copies": 1}]
    page.wait_for_selector("#lbl-pdf")
    assert page.evaluate(IN_VIEW, "#lbl-pdf")                # what came of it is in reach too
    rows.last.scroll_into_view_if_needed()
    assert page.evaluate(IN_VIEW, "#lbl-print") and page.evaluate(IN_VIEW, "#lbl-pdf")
    assert fits(page)
    screenshot(page, "labels-phone-print")

    desk = open_page(who)
    desk.goto("/#/sv/labels")
    desk.wait_for_selector("#lbl-table tbody tr")
    assert desk.locator("#lbl-sheet #lbl-print").count() == 1 and desk.evaluate(IN_VIEW, "#lbl-print")
    desk_rows = desk.locator("#lbl-table tbody tr")
    desk_rows.first.locator("input[type=checkbox]").check()
    box, sheet = desk.locator("#lbl-print").bounding_box(), desk.locator("#lbl-sheet").bounding_box()
    assert sheet["y"] <= box["y"] and box["y"] + box["height"] <= sheet["y"] + sheet["height"]


def test_both_views_run_under_the_policy(browser, admin_server):
    """The preview is a blob: image and the sheet a blob: link: both allowed by the app's CSP, nothing inline."""
    context = new_context(browser, admin_server, viewport=DESK, bypass_csp=False)
    page = context.new_page()
    blocked, errors = watch_csp(page), watch_errors(page)
    page.goto("/")
    page.fill("#username", admin_server.seed["admin"]["username"])
    page.fill("#password", admin_server.seed["admin"]["password"])
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_selector("#go-supervision")
    page.goto("/#/sv/users")
    page.wait_for_selector("#users li[data-user]")
    page.goto("/#/sv/labels")
    page.click("#lbl-table tbody tr:first-child button.lbl-preview-button")
    page.wait_for_selector("#lbl-preview-img")
    page.check("#lbl-table tbody tr:first-child input[type=checkbox]")
    page.click("#lbl-print")
    page.wait_for_selector("#lbl-pdf")
    context.close()
    assert blocked == [] and errors == []
