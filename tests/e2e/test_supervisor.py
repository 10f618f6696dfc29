"""The supervisor views in real Chromium, on a short demo (90 days, 60 products; ``seed_supervisor.py``).

Screenshots of the dashboard, a supplier's lead times and a product page land in ``test-artifacts/e2e/``;
the charts must have drawn data; purchase orders created from the replenishment view must be the ones the
API makes from the same selection; a scan posted by another client must reach an open dashboard within
2 s, and after the stream is cut and restored each event must be shown exactly once.
"""
from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, _missing, running_tendu
from tests.e2e.helpers import new_context, screenshot, watch_csp, watch_errors

HERE = Path(__file__).resolve().parent
DESK = {"width": 1366, "height": 900}
TABLET = {"width": 1024, "height": 768}


def _uplot_missing() -> str | None:
    if not (ROOT / "pwa" / "vendor" / "uplot" / "uPlot.esm.js").exists():
        return "pwa/vendor/uplot is missing: run `npm ci` at the repository root"
    return None


@pytest.fixture(scope="module")
def desk_server(tmp_path_factory):
    """Tendu under gunicorn on a fresh database holding the short demo."""
    reason = _missing() or _uplot_missing()
    if reason:
        pytest.skip(reason)
    with running_tendu(tmp_path_factory, "supervisor", "seed_supervisor.py") as running:
        yield running


def signed_in_desk(browser, desk_server, request, **options):
    """A signed-in supervisor's page at laptop size; fails the test on any uncaught page error."""
    context = new_context(browser, desk_server, viewport=DESK, **options)
    page = context.new_page()
    errors = watch_errors(page)
    page.goto("/")
    page.fill("#username", desk_server.seed["username"])
    page.fill("#password", desk_server.seed["password"])
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_selector("#go-supervision")
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        screenshot(page, f"{request.node.name}-failure")
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
def desk(browser, desk_server, request):
    yield from signed_in_desk(browser, desk_server, request)


def wait_for_charts(page, ids: list[str]) -> dict[str, list[int]]:
    """Waits until the charts are drawn; answers, per chart, the non-empty values of each series as uPlot holds them."""
    selector = ",".join(f'#{i}[data-drawn="true"]' for i in ids)
    page.wait_for_function(f"document.querySelectorAll({json.dumps(selector)}).length === {len(ids)}", timeout=30000)
    return page.evaluate("""(ids) => Object.fromEntries(ids.map((id) => {
        const plot = document.getElementById(id)._uplot;
        return [id, plot.data.slice(1).map((values) => values.filter((v) => v !== null && v !== undefined).length)];
    }))""", ids)


def login(server, username, password) -> str:
    body = json.dumps({"username": username, "password": password, "device": "e2e-other-client"}).encode()
    request = urllib.request.Request(server.base_url + "/api/v1/auth/tokens", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["token"]


def post_as(server, token, path, body) -> tuple[int, dict]:
    request = urllib.request.Request(server.base_url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def rich_push_product(server) -> str:
    """A product kept in stock (push) with the most movement, not one the seed wrote off."""
    _, kpis = server.request("GET", "/api/v1/analytics/kpis")
    for product in sorted(kpis["products"], key=lambda p: -p["cogs"]):
        if product["sku"] in server.seed["written_off"]:
            continue
        _, policy = server.request("GET", f"/api/v1/products/{product['sku']}/policy")
        if policy["mode"] == "push" and policy["policy"]["reorder_point"] is not None:
            return product["sku"]
    raise AssertionError("the demo has no push product")


# --- the views ------------------------------------------------------------------------------------------

def test_dashboard_shows_the_figures_and_connects_to_the_live_feed(desk, desk_server):
    desk.goto("/#/sv")
    desk.wait_for_selector("#kpi-stock-value")
    desk.wait_for_selector("#supplier-table tbody tr")
    desk.wait_for_selector("#late-count")
    desk.wait_for_selector("#today-receptions")
    desk.wait_for_selector("#live-state.live-connected", timeout=10000)
    _, kpis = desk_server.request("GET", "/api/v1/analytics/kpis")
    _, suggestions = desk_server.request("GET", "/api/v1/replenishment")
    assert desk.text_content("#kpi-stockouts") == str(kpis["out_of_stock_now"])
    assert desk.text_content("#kpi-at-reorder") == str(sum(i["mode"] == "push" for i in suggestions["items"]))
    _, suppliers = desk_server.request("GET", "/api/v1/analytics/suppliers")
    assert desk.locator("#supplier-table tbody tr").count() == len(suppliers)
    # The declared lead time sits beside the measured delivery (order sent → dock), not the total the plan uses.
    heads = desk.locator("#supplier-table thead th").all_inner_texts()
    assert heads[3:6] == ["Declared", "Delivered in p50", "Delivered in p90"], heads
    for row, supplier in zip(desk.locator("#supplier-table tbody tr").all(), suppliers):
        cells = row.locator("td").all_inner_texts()
        assert cells[4] == f"{_one_decimal(supplier['delivery']['p50'])} d", (cells, supplier["delivery"])
    screenshot(desk, "supervisor-dashboard")


def test_a_suppliers_lead_times_draw_every_stage_and_lead_to_the_lines_behind_them(desk, desk_server):
    supplier = "ALEA"  # the erratic one: wide distributions
    desk.goto(f"/#/sv/lead-times?supplier={supplier}")
    stages = ["order_delay", "supplier_delay", "transport_delay", "reception_delay"]
    drawn = wait_for_charts(desk, [f"lt-stage-{s}" for s in stages] + ["lt-trend"])
    for chart_id, counts in drawn.items():
        assert counts and all(count > 0 for count in counts), f"{chart_id} drew {counts}"
    _, measured = desk_server.request("GET", f"/api/v1/analytics/lead-times?supplier={supplier}")
    summary = measured["suppliers"][0]
    assert desk.text_content("#lt-n .tile-value") == str(summary["lead_time"]["n"])
    # The bars of a stage add up to the lines the server measured for it, and "n" lists exactly those lines.
    for stage in stages:
        bars = desk.evaluate(f"document.getElementById('lt-stage-{stage}')._uplot.data[1].reduce((a, b) => a + b, 0)")
        assert bars == summary["stages"][stage]["n"], stage
    desk.click("#lt-stats-supplier_delay button")
    desk.wait_for_selector("#lt-lines tbody tr")
    assert desk.locator("#lt-lines tbody tr").count() == summary["stages"]["supplier_delay"]["n"]
    # Down to one order: its events, as the API gives them.
    number = desk.locator("#lt-lines tbody tr").first.get_attribute("data-po")
    desk.locator("#lt-lines tbody tr").first.locator("button.po-link").click()
    desk.wait_for_selector(f'.po-detail[data-po="{number}"]')
    _, order = desk_server.request("GET", f"/api/v1/purchase-orders/{number}")
    assert order["supplier"] == supplier
    assert desk.locator(f'.po-detail[data-po="{number}"] .events li').count() == len(order["events"])
    # Codes the server sends are shown as words: event kinds, the estimate's source.
    events = desk.text_content(f'.po-detail[data-po="{number}"] .events')
    assert "Need detected" in events and "need_detected" not in events and "put_away" not in events
    sources = desk.text_content("#lt-products")
    assert "measured" in sources and "shrunk_to_supplier" not in sources and "supplier_pool" not in sources
    assert desk.locator("#supplier-form input[type=checkbox]").bounding_box()["width"] <= 40  # (it was 300 px)
    desk.evaluate("window.scrollTo(0, 0)")
    screenshot(desk, "supervisor-lead-times")


def test_a_product_page_draws_its_stock_and_demand_and_explains_its_policy(desk, desk_server):
    sku = rich_push_product(desk_server)
    desk.goto(f"/#/sv/product?sku={sku}")
    drawn = wait_for_charts(desk, ["product-stock", "product-demand"])
    stock, receptions, shipments = drawn["product-stock"][:3]
    assert stock > 10 and receptions > 0 and shipments > 0, drawn
    assert all(count > 0 for count in drawn["product-demand"]), drawn
    _, policy = desk_server.request("GET", f"/api/v1/products/{sku}/policy")
    # The demand bars are the history the plan read (units asked for, at order time), week by week: calendar weeks,
    # Monday to Sunday; unless today is a Monday the year cuts its first and last weeks, drawn apart (lighter).
    weeks = policy["demand"]["weekly"]
    weekly = [week["qty"] for week in weeks]
    assert all(date.fromisoformat(week["start"]).weekday() == 0 for week in weeks)
    data = desk.evaluate("document.getElementById('product-demand')._uplot.data")
    cut = [i for i, week in enumerate(weeks) if week["days"] < 7]
    bars = [part if i in cut else whole for i, (whole, part) in enumerate(zip(data[1], data[2] if cut else data[1]))]
    assert len(weekly) == (53 if cut else 52) and sum(weekly) > 0 and bars[:len(weekly)] == pytest.approx(weekly)
    assert cut in ([0, 52], []) and all(data[1][i] is None for i in cut)
    note = desk.text_content("#product-demand-note")
    assert "Monday to Sunday" in note and ("of 7 days" in note) == bool(cut), note
    assert desk.locator("#policy-steps li").count() == len(policy["steps"])
    heads = desk.locator("#policy-steps .step-head strong").all_text_contents()
    # Each step is headed by its name in the reader's words, not the server's code for it.
    assert all(head != step["name"].replace("_", " ") for head, step in zip(heads, policy["steps"])), heads
    assert desk.text_content('#policy-steps li[data-step="mode"] .step-note') == policy["steps"][0]["note"]
    assert policy["mode"] in desk.text_content("#product-mode")
    assert policy["reason"] in desk.text_content("#product-reason")
    # The last stock level drawn is what is on hand now.
    _, stock_rows = desk_server.request("GET", f"/api/v1/stock?product={sku}&per_page=500")
    last = desk.evaluate("(() => { const d = document.getElementById('product-stock')._uplot.data[1]; return d[d.length - 1]; })()")
    assert last == pytest.approx(sum(row["qty"] for row in stock_rows["items"]))
    screenshot(desk, "supervisor-product")


def test_an_override_saved_on_the_product_page_changes_the_policy(desk, desk_server):
    sku = rich_push_product(desk_server)
    desk.goto(f"/#/sv/product?sku={sku}")
    desk.wait_for_selector("#overrides-form")
    desk.fill("#override-reorder_point", "77")
    desk.click("#overrides-form button[type=submit]")
    desk.wait_for_selector("#override-message.ok")
    _, product = desk_server.request("GET", f"/api/v1/products/{sku}")
    assert product["policy_overrides"] == {"reorder_point": 77}
    assert desk.text_content("#product-rop") == "77"
    desk.fill("#override-reorder_point", "")
    desk.click("#overrides-form button[type=submit]")
    desk.wait_for_selector("#override-message.ok")
    _, product = desk_server.request("GET", f"/api/v1/products/{sku}")
    assert product["policy_overrides"] == {}


def test_a_service_target_forced_in_percent_on_the_product_page(desk, desk_server):
    sku = rich_push_product(desk_server)
    _, before = desk_server.request("GET", f"/api/v1/products/{sku}/policy")
    desk.goto(f"/#/sv/product?sku={sku}")
    desk.wait_for_selector("#overrides-form")
    shown = before["policy"]["service_target"] * 100
    assert f"{shown:.1f}".replace(".0", "") in desk.get_attribute("#override-fill_rate_target", "placeholder")
    desk.fill("#override-fill_rate_target", "99.5")
    desk.click("#overrides-form button[type=submit]")
    desk.wait_for_selector("#override-message.ok")
    try:
        _, product = desk_server.request("GET", f"/api/v1/products/{sku}")
        assert product["policy_overrides"] == {"fill_rate_target": 0.995}
        _, after = desk_server.request("GET", f"/api/v1/products/{sku}/policy")
        assert after["policy"]["service_target"] == 0.995
        assert after["policy"]["safety_stock"] > before["policy"]["safety_stock"]
        assert desk.input_value("#override-fill_rate_target") == "99.5"
    finally:
        desk_server.request("PATCH", f"/api/v1/products/{sku}", {"policy_overrides": {}})


def test_the_policy_steps_show_service_targets_in_percent_as_they_are_typed(desk, desk_fr, desk_server):
    """Targets are typed in % on the product page but the steps showed the API's shares (0.98): they read "98%", and
    "99,5 %" in French (a no-break space, as the app's other percentages); the API keeps its shares."""
    sku = rich_push_product(desk_server)
    _, policy = desk_server.request("GET", f"/api/v1/products/{sku}/policy")
    default = next(step for step in policy["steps"] if step["name"] == "fill_rate_target")
    assert 0 < default["value"] < 1
    desk.goto(f"/#/sv/product?sku={sku}")
    desk.wait_for_selector('#policy-steps li[data-step="fill_rate_target"]')
    shown = desk.text_content('#policy-steps li[data-step="fill_rate_target"] .step-value')
    assert shown == f"{default['value'] * 100:g}%"
    assert desk.text_content('#policy-steps li[data-step="safety_factor"] .step-value') != ""   # (others as they were)

    status, _ = desk_server.request("PATCH", f"/api/v1/products/{sku}",
                                    {"policy_overrides": {"cycle_service_target": 0.995}})
    assert status == 200
    try:
        _, forced = desk_server.request("GET", f"/api/v1/products/{sku}/policy")
        assert next(step for step in forced["steps"] if step["name"] == "cycle_service_target")["value"] == 0.995
        assert forced["policy"]["service_target"] == 0.995
        page = desk_fr
        page.goto(f"/#/sv/product?sku={sku}")
        page.wait_for_selector('#policy-steps li[data-step="cycle_service_target"]')
        # The app's percentages (Intl's): a no-break space before "%", narrow (U+202F) or not, as the browser's ICU
        # has it.
        shown = page.text_content('#policy-steps li[data-step="cycle_service_target"] .step-value')
        assert shown in ("99,5\u202f%", "99,5\u00a0%"), repr(shown)
        assert page.get_attribute("#override-cycle_service_target", "placeholder").endswith(shown)
        # The note beside it names the default in % too (the server's words; its figure stays a share).
        default = next(o["computed"] for o in forced["policy"]["overrides"] if o["name"] == "cycle_service_target")
        note = page.text_content('#policy-steps li[data-step="cycle_service_target"] .step-note')
        assert 0 < default < 1 and note.endswith(f"{default * 100:.4g}".replace(".", ",") + "\u202f%)"), note
        assert page.input_value("#override-cycle_service_target") == "99,5"   # (as a French reader types it)
    finally:
        desk_server.request("PATCH", f"/api/v1/products/{sku}", {"policy_overrides": {}})


def test_a_lead_time_forced_on_the_product_page_is_the_one_planned_with(desk, desk_server):
    sku = rich_push_product(desk_server)
    _, before = desk_server.request("GET", f"/api/v1/products/{sku}/policy")
    desk.goto(f"/#/sv/product?sku={sku}")
    desk.wait_for_selector("#overrides-form")
    assert desk.get_attribute("#override-lead_time_mean", "placeholder").startswith("Measured")
    desk.fill("#override-lead_time_mean", "30")
    desk.click("#overrides-form button[type=submit]")
    desk.wait_for_selector("#override-message.ok")
    try:
        _, after = desk_server.request("GET", f"/api/v1/products/{sku}/policy")
        assert after["policy"]["reorder_point"] > before["policy"]["reorder_point"]
        assert "30" in desk.text_content("#product-lt")
        # the steps name what was forced in words, and the comparison is the forced lead time against the promise
        assert desk.text_content("#policy-steps [data-step=lead_time_mean] strong") == "Lead time (days)"
        header = desk.locator("#if-declared th").all_text_contents()
        first = desk.locator("#if-declared tbody tr").first.locator("td").all_text_contents()
        assert header[1] == "forced by the buyer" and "30" in first[1], (header, first)
        assert after["if_declared"]["reorder_point"] == pytest.approx(before["if_declared"]["reorder_point"])
    finally:
        desk_server.request("PATCH", f"/api/v1/products/{sku}", {"policy_overrides": {}})


def test_a_supplier_set_to_weekly_on_its_page_moves_its_products_to_order_up_to_levels(desk, desk_server):
    supplier = "FREINEX"
    _, products = desk_server.request("GET", "/api/v1/products?per_page=500")
    theirs = [p["sku"] for p in products["items"] if p["supplier"] == supplier]
    pushed = [sku for sku in theirs
              if desk_server.request("GET", f"/api/v1/products/{sku}/policy")[1]["mode"] == "push"]
    desk.goto(f"/#/sv/lead-times?supplier={supplier}")
    desk.wait_for_selector("#supplier-form")
    assert desk.input_value("#supplier-review_period_days") == ""          # reviewed daily
    desk.fill("#supplier-review_period_days", "7")
    desk.click("#supplier-form button[type=submit]")
    desk.wait_for_selector("#supplier-message.ok")
    try:
        assert desk_server.request("GET", f"/api/v1/suppliers/{supplier}")[1]["review_period_days"] == 7
        _, policy = desk_server.request("GET", f"/api/v1/products/{pushed[0]}/policy")
        assert policy["policy"]["order_up_to"] > 0 and policy["policy"]["reorder_point"] is None
        desk.goto(f"/#/sv/product?sku={pushed[0]}")
        desk.wait_for_selector("#product-q")
        shown = desk.text_content("#product-rop").replace(",", "").replace("\u202f", "")
        assert float(shown) == pytest.approx(policy["policy"]["order_up_to"], abs=0.051)   # S, one decimal
        # a wrong period is refused with the server's message, and nothing changes
        desk.goto(f"/#/sv/lead-times?supplier={supplier}")
        desk.wait_for_selector("#supplier-form")
        desk.evaluate("document.getElementById('supplier-review_period_days').removeAttribute('max')")
        desk.fill("#supplier-review_period_days", "400")
        desk.click("#supplier-form button[type=submit]")
        desk.wait_for_selector("#supplier-message.error")
        assert desk_server.request("GET", f"/api/v1/suppliers/{supplier}")[1]["review_period_days"] == 7
    finally:
        desk_server.request("PATCH", f"/api/v1/suppliers/{supplier}", {"review_period_days": None})


def test_a_suppliers_cost_of_an_order_sizes_its_products_orders(desk, desk_server):
    supplier = "LENTOR"
    _, products = desk_server.request("GET", "/api/v1/products?per_page=500")
    theirs = [p["sku"] for p in products["items"] if p["supplier"] == supplier]
    sku = next(s for s in theirs if desk_server.request("GET", f"/api/v1/products/{s}/policy")[1]["mode"] == "push")
    desk.goto(f"/#/sv/lead-times?supplier={supplier}")
    desk.wait_for_selector("#supplier-form")
    assert desk.input_value("#supplier-ordering_cost") == "30"                 # the demo's
    assert desk_server.request("GET", f"/api/v1/products/{sku}/policy")[1]["policy"]["eoq"] > 0
    desk.fill("#supplier-ordering_cost", "")
    desk.click("#supplier-form button[type=submit]")
    desk.wait_for_selector("#supplier-message.ok")
    try:
        assert desk_server.request("GET", f"/api/v1/suppliers/{supplier}")[1]["ordering_cost"] is None
        _, policy = desk_server.request("GET", f"/api/v1/products/{sku}/policy")
        assert policy["policy"]["eoq"] is None
        desk.goto(f"/#/sv/product?sku={sku}")
        desk.wait_for_selector("#product-q")
        assert desk.get_by_text("Order quantity (weeks of demand)").count() == 1
    finally:
        desk_server.request("PATCH", f"/api/v1/suppliers/{supplier}", {"ordering_cost": 30})


def test_a_purchase_order_the_supplier_will_not_complete_is_closed_from_its_page(desk, desk_server):
    open_orders = [o for status in ("ordered", "shipped", "arrived")
                   for o in desk_server.request("GET", f"/api/v1/purchase-orders?status={status}")[1]["items"]]
    number = open_orders[0]["number"]
    desk.goto(f"/#/sv/lead-times?po={number}")
    form = desk.locator(f".po-detail[data-po='{number}'] form.close-po").first
    form.locator(".close-reason").fill("E2E: the supplier stopped the part")
    form.locator("button[type=submit]").click()
    desk.wait_for_selector(f".po-detail[data-po='{number}']:not(:has(form.close-po))")
    _, order = desk_server.request("GET", f"/api/v1/purchase-orders/{number}")
    assert order["status"] in ("closed", "cancelled")
    assert order["events"][-1]["note"] == "E2E: the supplier stopped the part"
    word = {"closed": "closed short", "cancelled": "cancelled"}[order["status"]]
    assert word in desk.text_content(f".po-detail[data-po='{number}'] p")


def test_valuation_and_flows_draw_value_flows_and_abc(desk, desk_server):
    desk.goto("/#/sv/valuation")
    drawn = wait_for_charts(desk, ["val-value", "val-flows", "val-abc"])
    assert drawn["val-value"][0] > 3 and all(drawn["val-flows"]) and all(drawn["val-abc"]), drawn
    # The curve ends on today's value.
    _, now = desk_server.request("GET", "/api/v1/analytics/valuation")
    last = desk.evaluate("(() => { const d = document.getElementById('val-value')._uplot.data[1]; "
                         "return d[d.length - 1]; })()")
    assert last == pytest.approx(now["value"])


def test_the_views_fit_a_tablet(browser, desk_server):
    context = new_context(browser, desk_server, viewport=TABLET)
    page = context.new_page()
    page.goto("/")
    page.fill("#username", desk_server.seed["username"])
    page.fill("#password", desk_server.seed["password"])
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_selector("#go-supervision")
    page.goto("/#/sv/lead-times?supplier=FREINEX")
    wait_for_charts(page, ["lt-trend"])
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()


def test_the_replenishment_table_and_the_header_fit_a_laptop(desk, desk_server):
    desk.goto("/#/sv/replenishment")
    desk.wait_for_selector("#repl-table tbody tr")
    assert desk.evaluate("(() => { const box = document.querySelector('#repl-table').parentElement; "
                         "return box.scrollWidth <= box.clientWidth; })()"), "the table scrolls sideways at 1366 px"
    assert desk.locator(".sv-find button").bounding_box()["x"] + desk.locator(".sv-find button").bounding_box()["width"] \
        <= desk.viewport_size["width"]
    # The columns add up to the projected position: the customer demand no stock is reserved for is one of them.
    heads = desk.locator("#repl-table thead th").all_inner_texts()
    at = {name: heads.index(name) for name in ("On hand", "On order", "Reserved", "Ordered, not reserved", "Projected")}
    for row in desk.locator("#repl-table tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        on_hand, on_order, reserved, unreserved, projected = (float(cells[at[n]].replace(",", "")) for n in at)
        assert on_hand + on_order - reserved - unreserved == pytest.approx(projected, abs=0.11), cells
    screenshot(desk, "supervisor-replenishment-1366")


def test_a_quantity_that_cannot_be_ordered_is_said_not_silently_left_out(desk, desk_server):
    """A ticked line typed -3 (or emptied) was dropped from the orders without a word; a refusal of the server was
    introduced as 'Could not load:'."""
    desk.goto("/#/sv/replenishment")
    desk.wait_for_selector("#repl-table tbody tr")
    first = desk.locator("#repl-table tbody tr").first
    first.locator(".repl-qty").fill("-3")
    assert desk.is_disabled("#repl-create")
    assert first.get_attribute("data-sku") in desk.text_content("#repl-message")
    first.locator(".repl-include").uncheck()
    assert desk.is_enabled("#repl-create")
    assert desk.text_content("#repl-message") == ""


def euros(value: float) -> str:
    return f"€{value:,.2f}"


def test_the_replenishment_view_warns_of_a_quantity_off_the_pack_or_under_the_moq_without_refusing_it(
        desk, desk_server):
    """A buyer typed 13 of a product sold by packs of 6 (MOQ 6): the draft was made with 13 and not a word."""
    _, suggestions = desk_server.request("GET", "/api/v1/replenishment")
    sku = suggestions["items"][0]["sku"]
    _, product = desk_server.request("GET", f"/api/v1/products/{sku}")
    status, body = desk_server.request("PATCH", f"/api/v1/products/{sku}", {"pack_multiple": 6, "moq": 6})
    assert status == 200, body
    try:
        desk.goto("/#/sv/replenishment")
        row = desk.locator(f"#repl-table tbody tr[data-sku='{sku}']")
        row.wait_for()
        warning = desk.locator(f"#repl-warnings li[data-sku='{sku}']")
        row.locator(".repl-qty").fill("13")
        assert "13 is not a whole number of packs of 6 (12 or 18?)" in warning.inner_text()
        assert "warn" in row.locator(".repl-qty").get_attribute("class")
        assert desk.is_enabled("#repl-create")                               # said, not refused
        row.locator(".repl-qty").fill("12")
        assert warning.count() == 0 or "packs of" not in warning.inner_text()
        row.locator(".repl-qty").fill("4")
        assert "4 is less than one pack of 6 (6?)" in warning.inner_text()
        assert "below the minimum order of 6" in warning.inner_text()
        row.locator(".repl-include").uncheck()                               # not ordered: nothing to check
        assert warning.count() == 0
    finally:
        desk_server.request("PATCH", f"/api/v1/products/{sku}", {"pack_multiple": product["pack_multiple"],
                                                                  "moq": product["moq"]})


def test_the_replenishment_view_values_the_lines_and_totals_each_supplier_at_the_typed_quantities(desk, desk_server):
    _, suggestions = desk_server.request("GET", "/api/v1/replenishment")
    items = suggestions["items"]
    desk.goto("/#/sv/replenishment")
    desk.wait_for_selector("#repl-table tbody tr")
    heads = desk.locator("#repl-table thead th").all_inner_texts()
    first = items[0]
    row = desk.locator(f"#repl-table tbody tr[data-sku='{first['sku']}']")
    cells = row.locator("td").all_inner_texts()
    assert "Unit cost" not in heads and euros(first["unit_cost"]) in row.locator(".repl-value").get_attribute("title")
    assert cells[heads.index("Value")] == euros(first["qty"] * first["unit_cost"])
    total = sum(i["qty"] * i["unit_cost"] for i in items)
    assert desk.text_content("#repl-total") == euros(total)
    row.locator(".repl-qty").fill(f"{first['qty'] + 10:g}")
    assert row.locator("td").nth(heads.index("Value")).inner_text() == euros((first["qty"] + 10) * first["unit_cost"])
    assert desk.text_content("#repl-total") == euros(total + 10 * first["unit_cost"])
    theirs = sum(i["qty"] * i["unit_cost"] for i in items if i["supplier"] == first["supplier"])
    supplier_total = desk.locator(f"#repl-summary-table tr[data-supplier='{first['supplier']}'] .repl-supplier-total")
    assert supplier_total.inner_text() == euros(theirs + 10 * first["unit_cost"])
    row.locator(".repl-include").uncheck()                                   # left out: out of the totals
    assert desk.text_content("#repl-total") == euros(total - first["qty"] * first["unit_cost"])


def test_the_replenishment_view_names_suppliers_and_says_when_a_weekly_one_is_next_reviewed(desk, desk_server):
    _, suggestions = desk_server.request("GET", "/api/v1/replenishment")
    item = suggestions["items"][0]
    _, supplier = desk_server.request("GET", f"/api/v1/suppliers/{item['supplier']}")
    desk.goto("/#/sv/replenishment")
    cell = desk.locator(f"#repl-table tbody tr[data-sku='{item['sku']}'] .repl-supplier")
    cell.wait_for()
    assert cell.inner_text() == supplier["name"] and cell.get_attribute("title") == supplier["code"]
    assert desk.locator("#repl-reviews li[data-supplier='FREINEX']").count() == 0       # reviewed daily
    _, freinex = desk_server.request("GET", "/api/v1/suppliers/FREINEX")
    status, body = desk_server.request("PATCH", "/api/v1/suppliers/FREINEX", {"review_period_days": 7})
    assert status == 200, body
    try:
        _, answer = desk_server.request("GET", "/api/v1/replenishment")
        review = next(r for r in answer["reviews"] if r["supplier"] == "FREINEX")
        desk.reload()
        said = desk.locator("#repl-reviews li[data-supplier='FREINEX']")
        said.wait_for()
        if review["next_review"] == answer["generated_at"][:10]:
            assert said.inner_text() == f"{freinex['name']} is ordered every 7 days: today is its review day."
        else:
            day = datetime.fromisoformat(review["next_review"])
            sentence = f"{freinex['name']} is ordered every 7 days: next on {day:%b} {day.day}, {day.year}"
            assert said.inner_text().startswith(sentence), said.inner_text()
    finally:
        desk_server.request("PATCH", "/api/v1/suppliers/FREINEX", {"review_period_days": None})


def test_purchase_orders_created_from_the_replenishment_view_are_the_ones_the_api_makes(desk, desk_server):
    _, suggestions = desk_server.request("GET", "/api/v1/replenishment")
    items = suggestions["items"]
    assert len({i["supplier"] for i in items}) >= 2, "the seed should leave suggestions for several suppliers"
    desk.goto("/#/sv/replenishment")
    desk.wait_for_selector("#repl-table tbody tr")
    rows = desk.locator("#repl-table tbody tr")
    assert rows.count() == len(items)
    # Review: one quantity raised (more than suggested, so it covers the need), one line left out.
    changed_sku = rows.nth(0).get_attribute("data-sku")
    changed_qty = next(i["qty"] for i in items if i["sku"] == changed_sku) + 50
    rows.nth(0).locator(".repl-qty").fill(f"{changed_qty:g}")
    dropped_sku = rows.nth(rows.count() - 1).get_attribute("data-sku")
    rows.nth(rows.count() - 1).locator(".repl-include").uncheck()
    expected = defaultdict(dict)  # what POST /replenishment/orders makes from the same selection: one PO per supplier
    for item in items:
        if item["sku"] != dropped_sku:
            expected[item["supplier"]][item["sku"]] = changed_qty if item["sku"] == changed_sku else item["qty"]
    generated_at = desk.get_attribute("#repl-generated", "data-generated-at")
    desk.click("#repl-create")
    desk.wait_for_selector("#repl-unsent-table tbody tr.created")
    numbers = [row.get_attribute("data-po") for row in desk.locator("#repl-unsent-table tbody tr.created").all()]
    made = {}
    for number in numbers:
        _, order = desk_server.request("GET", f"/api/v1/purchase-orders/{number}")
        made[order["supplier"]] = {line["sku"]: line["ordered"] for line in order["lines"]}
        value = sum(line["ordered"] * line["unit_cost"] for line in order["lines"])
        shown = desk.locator(f"#repl-unsent-table tr[data-po='{number}'] td").nth(4).inner_text()
        assert shown == f"€{value:,.2f}", (number, shown, value)
        need = [e for e in order["events"] if e["kind"] == "need_detected"]
        assert len(need) == 1 and datetime.fromisoformat(need[0]["occurred_at"]) == datetime.fromisoformat(generated_at)
    assert made == dict(expected)
    # The list is reviewed again once the orders exist: what was ordered is no longer suggested, what was
    # left out still is. (Ordering less than suggested may rightly leave a line on the list.)
    desk.wait_for_function(f"""document.querySelector('#repl-table tr[data-sku="{dropped_sku}"]')
        && !document.querySelector('#repl-table tr[data-sku="{changed_sku}"]')""", timeout=15000)
    # Sent to the supplier: the desk records it, and the order-taking stage of the lead time ends there.
    first = numbers[0]
    desk.click(f"#repl-unsent-table .mark-ordered[data-po='{first}']")
    desk.wait_for_selector(f"#repl-unsent-table .mark-ordered[data-po='{first}']", state="detached")
    _, order = desk_server.request("GET", f"/api/v1/purchase-orders/{first}")
    assert order["status"] == "ordered" and [e["kind"] for e in order["events"]] == ["need_detected", "ordered"]


def test_the_replenishment_view_says_which_ordered_lines_stay_suggested(desk, desk_server):
    """Created with less than its need, a line is still suggested: the view said every ordered product no longer was."""
    _, suggestions = desk_server.request("GET", "/api/v1/replenishment")
    item = next(i for i in suggestions["items"] if i["mode"] == "push" and i["reorder_point"] is not None
                and i["projected"] + 1 <= i["reorder_point"])
    desk.goto("/#/sv/replenishment")
    desk.wait_for_selector("#repl-table tbody tr")
    for row in desk.locator("#repl-table tbody tr").all():
        if row.get_attribute("data-sku") != item["sku"]:
            row.locator(".repl-include").uncheck()
    row = desk.locator(f"#repl-table tbody tr[data-sku='{item['sku']}']")
    row.locator(".repl-qty").fill("1")
    assert "does not cover the need: it will still be suggested" in \
        desk.locator(f"#repl-warnings li[data-sku='{item['sku']}']").inner_text()
    desk.click("#repl-create")
    desk.wait_for_selector("#repl-still")
    assert f"{item['sku']} (1)" in desk.text_content("#repl-still")
    assert "one ordered below its need stays suggested" in desk.text_content("#repl-unsent")
    assert "no longer suggested:" not in desk.text_content("#repl-unsent")


# --- the live feed --------------------------------------------------------------------------------------

def _stream_available(server) -> bool:
    request = urllib.request.Request(f"{server.base_url}/api/v1/events/stream?access_token={server.token()}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200 and response.headers.get_content_type() == "text/event-stream"
    except (urllib.error.URLError, TimeoutError):
        return False


def _lookup_scan(server, token, code) -> str:
    event_id = str(uuid.uuid4())
    status, body = post_as(server, token, "/api/v1/scans", {
        "client_event_id": event_id, "occurred_at": datetime.now(timezone.utc).isoformat(), "device": "e2e-other-client",
        "code": code, "action": "lookup", "context": {}})
    assert status in (200, 201), (status, body)
    return event_id


def test_a_scan_from_another_client_reaches_the_open_dashboard_within_2_s_and_only_once(desk, desk_server):
    if not _stream_available(desk_server):
        pytest.xfail("waiting for /api/v1/events/stream")
    operator = desk_server.seed["operator"]
    token = login(desk_server, operator["username"], operator["password"])
    _, product = desk_server.request("GET", f"/api/v1/products/{rich_push_product(desk_server)}")
    code = product["barcodes"][0]["code"]
    desk.goto("/#/sv")
    desk.wait_for_selector("#live-state.live-connected", timeout=10000)

    started = time.monotonic()
    first = _lookup_scan(desk_server, token, code)
    desk.wait_for_selector(f'#live-feed [data-client-event-id="{first}"]', timeout=2000)
    assert time.monotonic() - started < 2.0

    # Cut the stream, scan meanwhile, restore it: every scan shown, none twice. More scans than the
    # server's backlog of a fresh connection (20): only a resume from the last event id shows them all.
    desk.context.set_offline(True)
    desk.wait_for_selector("#live-state.live-reconnecting", timeout=10000)
    missed = [_lookup_scan(desk_server, token, code) for _ in range(25)]
    desk.context.set_offline(False)
    for event_id in missed:
        desk.wait_for_selector(f'#live-feed [data-client-event-id="{event_id}"]', timeout=15000)
    desk.wait_for_selector("#live-state.live-connected", timeout=10000)
    desk.wait_for_timeout(1500)  # anything replayed twice would show up by now
    for event_id in [first, *missed]:
        assert desk.locator(f'#live-feed [data-client-event-id="{event_id}"]').count() == 1


def test_supervisor_views_run_under_the_policy(browser, desk_server):
    """Charts included: uPlot styles through script, never through inline style attributes."""
    context = new_context(browser, desk_server, viewport=DESK, bypass_csp=False)
    page = context.new_page()
    blocked, errors = watch_csp(page), watch_errors(page)
    page.goto("/")
    page.fill("#username", desk_server.seed["username"])
    page.fill("#password", desk_server.seed["password"])
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_selector("#go-supervision")
    page.goto("/#/sv")
    page.wait_for_selector("#kpi-stock-value")
    for view in ("sv/stock", "sv/lead-times", "sv/valuation", "sv/replenishment", "sv/sales-orders", "sv/decisions",
                 "sv/data"):
        page.goto(f"/#/{view}")
        page.wait_for_timeout(800)
    context.close()
    assert blocked == [] and errors == []


def hold_a_count(desk_server):
    """A count of 1 in a shelf bin holding more than 2: held for a supervisor (count_variance)."""
    _, stock = desk_server.request("GET", "/api/v1/stock?per_page=1000")
    level = next(lv for lv in stock["items"] if lv["location"].startswith(("A-", "B-", "C-", "D-")) and lv["qty"] > 2)
    _, product = desk_server.request("GET", f"/api/v1/products/{level['sku']}")
    status, held = desk_server.request("POST", "/api/v1/scans", {
        "client_event_id": str(uuid.uuid4()), "occurred_at": datetime.now(timezone.utc).isoformat(),
        "code": product["barcodes"][0]["code"], "action": "count", "device": "e2e",
        "context": {"bin": level["location"], "lot": level["lot"], "qty": 1}})
    return status, held, product


def test_a_held_count_names_its_item_on_the_decisions_view(desk, desk_server):
    """A count's hold says only 'differs by …': the card names the item and the quantity scanned."""
    status, held, product = hold_a_count(desk_server)
    assert status == 202 and held["error"]["code"] == "count_variance", held
    desk.goto("/#/sv/decisions")
    card = desk.locator(f".decision[data-client-event-id='{held['client_event_id']}']")
    card.wait_for()
    assert f"{product['name']} ({product['sku']})" in card.locator(".decision-item").inner_text()
    assert card.locator(".decision-who").inner_text().split(" · ")[1:3] == [desk_server.seed["username"], "e2e"]
    card.locator("button.danger").click()  # leave the demo as it was
    card.wait_for(state="detached")


def test_the_dashboard_counts_a_held_scan_as_it_comes(desk, desk_server):
    """The live feed showed 'pending · DSC-0052' within seconds, but the 'waiting for a decision' tile stayed at 0
    until the page was reloaded."""
    desk.goto("/#/sv")
    desk.wait_for_selector("#kpi-pending")
    desk.wait_for_selector("#live-state.live-connected", timeout=10000)
    before = int(desk.text_content("#kpi-pending"))
    status, held, _ = hold_a_count(desk_server)
    assert status == 202, held
    desk.wait_for_function(f"document.getElementById('kpi-pending').textContent === '{before + 1}'", timeout=15000)
    assert "tile-warn" in desk.locator("#kpi-pending").evaluate("(e) => e.closest('.tile').className")
    status, _ = desk_server.request("POST", f"/api/v1/scans/{held['client_event_id']}/decision",
                                    {"accept": False, "note": "e2e"})
    assert status == 200  # leave the demo as it was


# --- a buyer's first mornings -------------------------------------------------------------------------

def test_purchase_orders_not_yet_sent_stay_on_the_replenishment_view_until_sent(desk, desk_server):
    """Orders created from the suggestions, then the page left or reloaded before 'Sent to the supplier': they were
    shown nowhere, and their products were no longer suggested (a draft counts as on order), so nothing reminded the
    buyer to send them. They are listed on the view, oldest first, until sent; a refusal is shown, not hidden."""
    _, suggestions = desk_server.request("GET", "/api/v1/replenishment")
    item = suggestions["items"][0]
    status, made = desk_server.request("POST", "/api/v1/replenishment/orders", {
        "suggested_at": suggestions["generated_at"], "items": [{"sku": item["sku"], "qty": item["qty"]}]})
    assert status == 201, made
    number = made[0]["number"]
    desk.goto("/#/sv/replenishment")
    desk.wait_for_selector("#repl-list .sv-toolbar")
    row = desk.locator(f"#repl-unsent-table tr[data-po='{number}']")
    row.wait_for()
    _, supplier = desk_server.request("GET", f"/api/v1/suppliers/{made[0]['supplier']}")
    assert supplier["name"] in row.inner_text()
    desk.reload()
    row.wait_for()
    # A refusal from the server is said in the row, in its words.
    refusal = {"error": {"code": "e2e_refused", "message": "E2E: refused for the test"}}
    desk.route(f"**/api/v1/purchase-orders/{number}/events",
               lambda route: route.fulfill(status=409, content_type="application/json", body=json.dumps(refusal)))
    row.locator(".mark-ordered").click()
    desk.wait_for_selector(f"#repl-unsent-table tr[data-po='{number}'] .error")
    assert "E2E: refused for the test" in row.locator(".error").inner_text()
    desk.unroute(f"**/api/v1/purchase-orders/{number}/events")
    assert desk_server.request("GET", f"/api/v1/purchase-orders/{number}")[1]["status"] == "need_detected"
    row.locator(".mark-ordered").click()
    row.locator(".mark-ordered").wait_for(state="detached")
    assert desk_server.request("GET", f"/api/v1/purchase-orders/{number}")[1]["status"] == "ordered"
    desk.reload()
    desk.wait_for_selector("#repl-list .sv-toolbar")
    desk.wait_for_timeout(500)
    assert desk.locator(f"#repl-unsent-table tr[data-po='{number}']").count() == 0


def test_the_product_finder_opens_skus_with_lower_case_letters(desk, desk_server):
    """The finder wrote every SKU in capitals: a customer's 'vis-m6' could not be opened, even picked from the list."""
    status, body = desk_server.request("POST", "/api/v1/products", {"sku": "vis-m6-e2e", "name": "Vis M6 (e2e)"})
    assert status == 201, body
    desk.goto("/#/sv/replenishment")
    desk.fill("#sv-find", "vis-m6-e2e")
    desk.press("#sv-find", "Enter")
    desk.wait_for_selector("#product-q")
    assert "Vis M6 (e2e)" in desk.text_content("main")
    # and a SKU typed in lower case still opens the product spelt in capitals
    sku = rich_push_product(desk_server)
    desk.fill("#sv-find", sku.lower())
    desk.press("#sv-find", "Enter")
    desk.wait_for_function(f"location.hash.endsWith({json.dumps('sku=' + sku)})")
    desk.wait_for_selector("#product-q")
    # a product's whole name opens it too (it said « Aucun produit « Huile moteur 5L Clio #149 » »)
    _, product = desk_server.request("GET", f"/api/v1/products/{sku}")
    desk.goto("/#/sv/replenishment")
    desk.fill("#sv-find", product["name"])
    desk.press("#sv-find", "Enter")
    desk.wait_for_function(f"location.hash.endsWith({json.dumps('sku=' + sku)})")
    desk.wait_for_selector("#product-q")
    # and its whole name typed without its accents and capitals, as on a phone ("equerre" for "ÉQUERRE"), though the
    # search finds another product whose name holds it
    for name in ("ÉQUERRE À 90° (e2e)", "Équerre à 90° (e2e) renforcée"):
        assert desk_server.request("POST", "/api/v1/products", {"sku": f"EQ-E2E-{len(name)}", "name": name})[0] == 201
    desk.goto("/#/sv/replenishment")
    desk.fill("#sv-find", "equerre a 90° (e2e)")
    desk.press("#sv-find", "Enter")
    desk.wait_for_function(f"location.hash.endsWith({json.dumps('sku=EQ-E2E-19')})")
    desk.wait_for_selector("#product-q")


def test_a_value_axis_is_wide_enough_for_its_labels(desk, desk_server):
    """The stock value axis showed '150,000' for '€150,000': its labels were clipped at a fixed 64 px."""
    desk.goto("/#/sv/valuation")
    desk.wait_for_selector("#val-kpis")
    sizes = desk.evaluate("""async () => {
        const { chart } = await import("/js/supervisor/charts.js");
        const { money } = await import("/js/supervisor/common.js");
        const element = chart({ id: "axis-test", x: [1, 2, 3], yMin: 0, yFormat: money,
          series: [{ label: "value", values: [0, 750000, 1500000], type: "area" }] });
        document.querySelector("main").append(element);
        while (element.dataset.drawn !== "true") await new Promise((done) => setTimeout(done, 50));
        const axis = element._uplot.axes[1];
        const context = document.createElement("canvas").getContext("2d");
        context.font = "12px system-ui, sans-serif";
        const widest = Math.max(...axis._values.map((text) => context.measureText(text).width));
        return { size: axis._size, widest, labels: axis._values };
    }""")
    assert sizes["size"] >= sizes["widest"] + 15, sizes  # its ticks (10 px) and the gap (5 px) beside the text


def test_an_import_the_server_refuses_says_so_in_its_words(desk, desk_server, tmp_path):
    """A CSV with wrong columns was reported 'Could not load: Columns missing…', as if the page had failed to load."""
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("foo,bar\n1,2\n")
    desk.goto("/#/sv/data")
    desk.set_input_files("#import-file", str(wrong))
    desk.click("#import-form button.primary")
    desk.wait_for_selector("#import-report .error")
    report = desk.text_content("#import-report")
    assert report.startswith("Not done: Columns missing: code") and "Could not load" not in report, report


def test_a_suppliers_file_imports_through_the_data_view(desk, desk_server, tmp_path):
    """A new warehouse's suppliers, from a French Excel file: a bad cell stops it whole, named by line and column;
    fixed, it imports; the help and the empty file to fill in follow the kind chosen."""
    tag = uuid.uuid4().hex[:6].upper()
    rows = ["code;name;email;declared_lead_time_days;review_period_days;ordering_cost;active",
            f"S1-{tag};Visserie du Nord;achats@visserie.example;4,5;7;25,5;oui",
            f"S2-{tag};Boulons SA;;12;0;;"]
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text("\ufeff" + "\r\n".join(rows) + "\r\n", encoding="utf-8")
    desk.goto("/#/sv/data")
    desk.wait_for_selector("#import-help code")
    # in the order a new warehouse imports them: suppliers first, bins before the opening stock
    assert desk.locator("#import-kind option").evaluate_all("(options) => options.map((o) => o.value)") == [
        "suppliers", "customers", "locations", "products", "barcodes", "opening-stock"]
    desk.select_option("#import-kind", "locations")
    assert desk.text_content("#import-columns") == ("Required columns: code. Optional columns: name, kind, parent, "
                                                    "walk_order, active.")
    desk.select_option("#import-kind", "products")
    assert desk.text_content("#import-columns").startswith("Required columns: sku.")
    desk.select_option("#import-kind", "suppliers")
    columns = desk.text_content("#import-columns")
    assert columns == ("Required columns: code. Optional columns: name, email, declared_lead_time_days, "
                       "review_period_days, ordering_cost, active."), columns
    assert "before the products that name them" in desk.text_content("#import-kind-note")
    with desk.expect_download() as download:
        desk.click("#import-template")
    assert download.value.suggested_filename == "tendu-suppliers.csv"
    assert Path(download.value.path()).read_bytes() == (rows[0].replace(";", ",") + "\r\n").encode()

    desk.set_input_files("#import-file", str(suppliers))
    desk.click("#import-form button.primary")
    desk.wait_for_selector("#import-summary.error")
    assert desk.text_content("#import-summary").startswith("Nothing imported: 1 row refused.")
    refused = desk.locator("#import-refused tbody tr")
    assert refused.count() == 1 and refused.first.locator("td").first.inner_text() == "3"
    # the column once (it read "review_period_days review_period_days: 0 must be…")
    assert refused.first.locator("td").nth(1).inner_text() == "review_period_days 0 must be at least 1 and at most 365."
    assert desk_server.request("GET", f"/api/v1/suppliers/S1-{tag}")[0] == 404

    rows[2] = rows[2].replace(";0;", ";14;")
    suppliers.write_text("\ufeff" + "\r\n".join(rows) + "\r\n", encoding="utf-8")
    desk.set_input_files("#import-file", str(suppliers))
    desk.click("#import-check")                                # first what it would do, writing nothing
    desk.wait_for_function("document.querySelector('#import-summary')?.textContent.startsWith('Checked')")
    assert desk.text_content("#import-summary") == ("Checked, nothing written. Imported, this file would give: "
                                                    "2 rows imported, 0 unchanged, 0 refused.")
    assert desk_server.request("GET", f"/api/v1/suppliers/S1-{tag}")[0] == 404
    desk.set_input_files("#import-file", str(suppliers))
    desk.click("#import-form button.primary")
    desk.wait_for_selector("#import-summary.ok")
    assert desk.text_content("#import-summary") == "2 rows imported, 0 refused."
    status, first = desk_server.request("GET", f"/api/v1/suppliers/S1-{tag}")
    assert status == 200 and (first["name"], first["declared_lead_time_days"], first["review_period_days"],
                              first["ordering_cost"], first["active"]) == ("Visserie du Nord", 4.5, 7, 25.5, True)
    assert desk_server.request("GET", f"/api/v1/suppliers/S2-{tag}")[1]["review_period_days"] == 14
    # the same file again changes nothing, and says so (it read "2 rows imported")
    desk.set_input_files("#import-file", str(suppliers))
    desk.click("#import-form button.primary")
    desk.wait_for_function("document.querySelector('#import-summary')?.textContent.includes('unchanged')")
    assert desk.text_content("#import-summary") == "0 rows imported, 2 unchanged, 0 refused."


def import_on_the_data_view(page, kind, path) -> str:
    """The summary of the report of importing ``path`` as ``kind``, once the server has answered."""
    page.select_option("#import-kind", kind)
    page.evaluate("document.querySelector('#import-report').replaceChildren()")
    page.set_input_files("#import-file", str(path))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#import-summary")
    return page.text_content("#import-summary")


def test_a_table_downloaded_for_french_excel_imports_back_unchanged(desk, desk_server, tmp_path):
    """French Excel showed the exports in one column with garbled accents: each table also comes "for Excel (FR)"
    (BOM, ';', decimal commas), which imports back unchanged, and so does the Windows-1252 file Excel saves of it."""
    desk.goto("/#/sv/data")
    link = desk.locator('#exports button[data-table="suppliers"][data-dialect="excel-fr"]')
    assert link.inner_text() == "for Excel (FR)"
    assert link.get_attribute("aria-label") == "suppliers.csv for French Excel"

    def download() -> tuple[str, bytes]:
        with desk.expect_download() as downloaded:
            link.click()
        return downloaded.value.suggested_filename, Path(downloaded.value.path()).read_bytes()
    name, data = download()
    assert re.fullmatch(r"tendu-suppliers-\d{4}-\d\d-\d\d-excel-fr\.csv", name), name
    assert data.startswith(b"\xef\xbb\xbfcode;name;email;declared_lead_time_days;review_period_days;ordering_cost;"
                           b"active\r\n")
    text = data.decode("utf-8-sig")
    assert "Aléa Pièces" in text and re.search(r";\d+,\d+;", text), text  # the demo's accents, a decimal comma
    rows = text.count("\r\n") - 1
    exported = tmp_path / name
    exported.write_bytes(data)
    assert import_on_the_data_view(desk, "suppliers", exported) == f"0 rows imported, {rows} unchanged, 0 refused."
    assert desk.locator("#import-encoding").count() == 0

    # As French Excel saves it ("CSV (séparateur : point-virgule)"): Windows-1252, no BOM, a code kept as text bare.
    saved = tmp_path / "suppliers-saved-by-excel.csv"
    saved.write_bytes(re.sub(r'"=""([^"]*)"""', r"\1", text).encode("cp1252"))
    assert import_on_the_data_view(desk, "suppliers", saved) == f"0 rows imported, {rows} unchanged, 0 refused."
    first = next(n for n, line in enumerate(text.split("\r\n"), 1) if not line.isascii())
    assert desk.text_content("#import-encoding").startswith(
        f"The file is not UTF-8 (from line {first}): it was read as Windows-1252"), desk.text_content("#import-report")
    assert download()[1] == data


def own_code() -> str:
    """13 digits whose GS1 check digit is wrong: no GTIN, the company's own code (a new one each run)."""
    body = f"2{uuid.uuid4().int % 10**11:011d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10 + 1) % 10)


def test_an_import_lists_the_codes_kept_as_own_codes_to_check(desk, desk_fr, desk_server, tmp_path):
    """Digits with a wrong check digit were linked as the company's own code with no word ("1 row imported, 0
    refused"): the report lists them, in English and in French, as codes to check (a mistyped EAN?)."""
    sku = f"OWN-{uuid.uuid4().hex[:6].upper()}"
    assert desk_server.request("POST", "/api/v1/products", {"sku": sku, "name": "Own code (e2e)"})[0] == 201
    codes = tmp_path / "codes.csv"

    def run_import(page, code):
        codes.write_text(f"sku,code\r\n{sku},{code}\r\n", encoding="utf-8")
        page.goto("/#/sv/data")
        page.select_option("#import-kind", "barcodes")
        page.set_input_files("#import-file", str(codes))
        page.click("#import-form button.primary")
        page.wait_for_selector("#import-warnings")
        rows = page.locator("#import-warnings tbody tr")
        assert rows.count() == 1 and rows.first.locator("td").first.inner_text() == "2"
        return page.text_content("#import-summary"), page.text_content("#import-warnings-summary"), \
            rows.first.inner_text()

    code = own_code()
    summary, warned, row = run_import(desk, code)
    assert summary == "1 row imported, 0 refused."
    assert warned.startswith("1 code to check: no valid GTIN, it is kept as your own code"), warned
    assert f"{code} is not a valid GTIN (its check digit is wrong): kept as your own code." in row, row
    code = own_code()
    summary, warned, row = run_import(desk_fr, code)
    assert summary == "1 ligne importée, 0 refusée."
    assert warned.startswith("1 code à vérifier : ce n'est pas un GTIN valide"), warned
    assert f"{code} n'est pas un GTIN valide (son chiffre de contrôle est faux) : gardé comme votre propre " \
        "code." in row, row


def test_the_sales_orders_and_decisions_views_say_when_they_show_only_part_of_the_list(desk, desk_server):
    """Both views showed at most 500 rows without saying so: when the API counts more, "500 of N shown"."""
    desk.goto("/#/sv/sales-orders")
    desk.wait_for_selector("#open-sales-orders")
    shown = desk.locator("#open-sales-orders tbody tr[data-so]").count()
    assert shown and desk.locator("#so-shown-of").count() == 0          # all of them: nothing to say

    def more_orders(route):
        answer = route.fetch()
        body = answer.json()
        route.fulfill(response=answer, json={**body, "total": body["total"] + 1200})
    desk.route("**/api/v1/sales-orders?status=open&per_page=500", more_orders)
    desk.reload()
    desk.wait_for_selector("#so-shown-of")
    total = f"{shown + 1200:,}"
    assert desk.locator("#so-shown-of").inner_text() == f"{shown} of {total} open orders shown (the newest)."
    desk.unroute("**/api/v1/sales-orders?status=open&per_page=500")

    status, held, product = hold_a_count(desk_server)
    assert status == 202, held
    _, pending = desk_server.request("GET", "/api/v1/scans?outcome=pending&limit=500")
    desk.goto("/#/sv/decisions")
    card = desk.locator(f".decision[data-client-event-id='{held['client_event_id']}']")
    card.wait_for()
    assert desk.locator("#decisions-shown-of").count() == 0

    def more_scans(route):
        answer = route.fetch()
        route.fulfill(response=answer, headers={**answer.headers, "x-total-count": "1234"})
    desk.route("**/api/v1/scans?outcome=pending&limit=500", more_scans)
    desk.reload()
    desk.wait_for_selector("#decisions-shown-of")
    assert desk.locator("#decisions-shown-of").inner_text().startswith(
        f"{len(pending)} of 1,234 scans waiting shown (the newest)")
    desk.unroute("**/api/v1/scans?outcome=pending&limit=500")
    card.locator("button.danger").click()  # leave the demo as it was
    card.wait_for(state="detached")


def test_a_late_purchase_order_says_what_is_still_to_come(desk, desk_server):
    """A late order read 'put away' (the furthest step of any line) while units of another line had not come."""
    from datetime import date, timedelta
    _, products = desk_server.request("GET", "/api/v1/products?per_page=500")
    coded = [p for p in products["items"] if p["active"] and any(b["pack_qty"] == 1 for b in p["barcodes"])][:2]
    first, second = coded
    status, po = desk_server.request("POST", "/api/v1/purchase-orders", {
        "supplier": first["supplier"] or desk_server.request("GET", "/api/v1/suppliers")[1]["items"][0]["code"],
        "promised_date": (date.today() - timedelta(days=3)).isoformat(),
        "lines": [{"product": first["sku"], "qty": 4, "unit_cost": "2.50"},
                  {"product": second["sku"], "qty": 6, "unit_cost": "7.25"}]})
    assert status == 201, po
    number = po["number"]

    def stamped(**body):
        return {"client_event_id": str(uuid.uuid4()), "occurred_at": datetime.now(timezone.utc).isoformat(),
                "device": "e2e", **body}
    assert desk_server.request("POST", f"/api/v1/purchase-orders/{number}/events", stamped(kind="ordered"))[0] == 201
    code = next(b["code"] for b in first["barcodes"] if b["pack_qty"] == 1)
    status, received = desk_server.request("POST", "/api/v1/scans", stamped(
        code=code, action="receive", context={"order": number, "qty": 4}))
    assert status == 201, received
    _, late = desk_server.request("GET", f"/api/v1/purchase-orders?overdue_on={date.today().isoformat()}&q={number}")
    [brief] = late["items"]
    assert (brief["left"], brief["lines"], brief["lines_left"], brief["value_left"]) == (6, 2, 1, 43.5)
    desk.goto("/#/sv")
    row = desk.locator(f"#late-table tr[data-po='{number}']")
    row.wait_for()
    assert "6 units · 1 of 2 lines" in row.inner_text()
    # Its state says it is partly received, not the furthest line's step ("received"), which stays in a title.
    state = row.locator("td").nth(2)
    assert state.inner_text() == "partly received, 6 to receive"
    assert state.locator("span").get_attribute("title") == "Furthest step of any line: received"
    assert desk.locator("#late-table th").nth(3).inner_text() == "Left to receive"
    assert row.locator("td").nth(4).inner_text() == "€44"      # 6 × 7.25 still to come, to the euro
    assert desk_server.request("POST", f"/api/v1/purchase-orders/{number}/close", stamped(reason="e2e"))[0] == 200


def _one_decimal(x: float) -> str:
    """A figure as the desk writes it in English: one decimal at most (10.0 → "10", 10.64 → "10.6")."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def test_a_forced_lead_time_tile_shows_the_figures_the_plan_uses_and_the_measured_ones_as_such(desk, desk_server):
    """Forced to 60 days, the tile said '60 d' over the measured 'p50 2.1 d · p90 2.9 d' while the list planned
    with p50 60 and its p90."""
    from server.domain.leadtime import Z90
    sku = rich_push_product(desk_server)
    _, policy = desk_server.request("GET", f"/api/v1/products/{sku}/policy")
    measured = policy["lead_time"]
    assert desk_server.request("PATCH", f"/api/v1/products/{sku}",
                               {"policy_overrides": {"lead_time_mean": 60}})[0] == 200
    try:
        desk.goto(f"/#/sv/product?sku={sku}")
        desk.wait_for_selector("#product-lt-planned")
        p90 = 60 + Z90 * measured["sd"]
        assert desk.text_content("#product-lt") == "60 d"
        assert desk.text_content("#product-lt-planned") == f"forced: p50 60 d · p90 {_one_decimal(p90)} d"
        assert desk.text_content("#product-lt-measured").startswith(
            f"measured: p50 {_one_decimal(measured['p50'])} d · p90 {_one_decimal(measured['p90'])} d")
        # the replenishment list plans with the same figures (60 days puts the product at its reorder point)
        _, listed = desk_server.request("GET", "/api/v1/replenishment")
        [row] = [item for item in listed["items"] if item["sku"] == sku]
        assert (row["lead_time_p50"], row["lead_time_p90"]) == (60, pytest.approx(p90))
    finally:
        desk_server.request("PATCH", f"/api/v1/products/{sku}", {"policy_overrides": {}})
    desk.reload()  # not forced: the estimate's figures, unlabelled
    desk.wait_for_selector("#product-lt-detail")
    assert desk.locator("#product-lt-planned").count() == 0
    assert desk.text_content("#product-lt-detail").startswith(f"p50 {_one_decimal(measured['p50'])} d")


def test_the_stock_chart_calls_its_reorder_point_and_safety_stock_todays(desk, desk_server):
    """Today's levels were drawn over the whole past year, as if they had always been so."""
    sku = rich_push_product(desk_server)
    desk.goto(f"/#/sv/product?sku={sku}")
    wait_for_charts(desk, ["product-stock"])
    labels = desk.evaluate("document.getElementById('product-stock')._uplot.series.slice(1).map((s) => s.label)")
    assert labels[3:] == ["Reorder point (today's)", "Safety stock (today's)"], labels
    assert "past values are not kept" in desk.text_content("#product-stock-note")


def test_the_valuation_curve_covers_the_flows_year_and_says_so_and_the_dormant_rule(desk, desk_server):
    """The value curve drew the last 27 weeks beside a 12-month flows chart, with no word of either."""
    _, history = desk_server.request("GET", "/api/v1/analytics/valuation/history?bucket=week")
    desk.goto("/#/sv/valuation")
    wait_for_charts(desk, ["val-value", "val-flows"])
    values = desk.evaluate("document.getElementById('val-value')._uplot.data[1]")
    # the flows' weeks: the demo is 90 days old, so from its first movement, not a year of nothing before it
    _, kpis = desk_server.request("GET", "/api/v1/analytics/kpis")
    assert history[0]["at"] >= kpis["since"] and len(history) in (13, 14, 15)
    first = next(i for i, point in enumerate(history) if point["value"])
    assert values == pytest.approx([point["value"] for point in history[max(first - 1, 0):]])
    period = desk.text_content("#val-value-period")
    assert period.startswith("Value at the end of each week, ") and "the same weeks as the flows" in period, period
    assert re.search(r"Weeks from .*\d{4} to .*\d{4} ", desk.text_content("#val-flows-period"))
    assert desk.text_content("#val-dormant-rule").startswith(
        "Dormant: stock on hand of which nothing has been shipped for 90 days or more")
    # what counts and adjustments found or wrote off, apart from the cost of goods sold, its sign said
    _, kpis = desk_server.request("GET", "/api/v1/analytics/kpis")
    euros = f"€{abs(kpis['adjusted_value']):,.0f}"
    sign = "−" if round(kpis["adjusted_value"]) < 0 else "+" if round(kpis["adjusted_value"]) > 0 else ""
    assert desk.text_content("#val-adjusted") == sign + euros, kpis["adjusted_value"]


def test_the_supplier_screens_say_what_their_rates_and_weights_are(desk, desk_server):
    """'Fill rate' there is units received / ordered (not a product's customer fill rate target); the share of late
    lines under the lateness had no label; 'Own weight' was a statistician's word."""
    from server.domain.leadtime import FULL_CREDIBILITY_N, SHRINKAGE_K
    desk.goto("/#/sv/lead-times?supplier=ALEA")
    desk.wait_for_selector("#lt-products")
    assert desk.locator("#lt-fill-rate").locator("xpath=..").locator(".tile-label").inner_text() == (
        "Unit fill rate (received / ordered)")
    assert re.fullmatch(r"\d+% of the lines late", desk.text_content("#lt-late-share"))
    weight = desk.text_content("#lt-weight-help")
    assert f"n/(n+{SHRINKAGE_K:g})" in weight and f"from {FULL_CREDIBILITY_N} receptions on" in weight, weight
    assert "17% for 1 reception" in weight
    assert desk.locator("#lt-products th span").get_attribute("title") == weight
    desk.goto("/#/sv")
    desk.wait_for_selector("#supplier-table tbody tr")
    assert "Unit fill rate (received / ordered)" in desk.locator("#supplier-table th").all_text_contents()


# --- the desk in French -----------------------------------------------------------------------------------

@pytest.fixture
def desk_fr(browser, desk_server, request):
    """``desk``, in French (a French browser)."""
    yield from signed_in_desk(browser, desk_server, request, locale="fr-FR")


# The server's codes a French buyer met on the product page: modes, demand classes, "none", forecast methods.
RAW_CODES = re.compile(r"(?<![\w.])(push|pull|smooth|erratic|intermittent|lumpy|critical|none|ses_0\.2|tsb_0\.2|tsb|"
                       r"adida|imapa|croston|sba)(?![\w.])")


def policies(server) -> list[dict]:
    _, products = server.request("GET", "/api/v1/products?per_page=500")
    return [server.request("GET", f"/api/v1/products/{p['sku']}/policy")[1] for p in products["items"] if p["active"]]


def test_the_french_product_page_names_modes_classes_and_methods_in_words(desk_fr, desk_server):
    """A buyer reading the desk in French met "push", "lumpy", "ses_0.2", "ABC A × lumpy × critical",
    "Mise en stock = none" and "38%": every code is in words (the method's code kept in a title), every
    percentage has its space."""
    every = policies(desk_server)
    pulled = next(p for p in every if p["mode"] == "pull" and p["demand"]["class"] == "lumpy")
    pushed = next(p for p in every if p["mode"] == "push" and p["demand"]["forecast_method"] == "ses_0.2")
    critical = [p for p in every if p["policy"]["critical"]][:1]
    weighed = next(p for p in every if p["lead_time"]["source"] == "shrunk_to_supplier")
    for policy in (pulled, pushed, *critical, weighed):
        desk_fr.goto(f"/#/sv/product?sku={policy['sku']}")
        desk_fr.wait_for_selector("#overrides-form")
        wait_for_charts(desk_fr, ["product-stock", "product-demand"])
        text = desk_fr.inner_text("main")
        assert RAW_CODES.findall(text) == [], (policy["sku"], RAW_CODES.findall(text))
        assert re.findall(r"\d%", text) == [], policy["sku"]
        assert "Semaines du lundi au dimanche" in desk_fr.text_content("#product-demand-note")
        method = policy["demand"]["forecast_method"]
        assert desk_fr.get_attribute("#product-method", "title") == method
        options = desk_fr.locator("#override-mode option").all_text_contents()
        assert options[1:] == ["sur stock (flux poussé)", "à la commande (flux tiré)"], options
    # the last one: its lead time weighed against its supplier's, the weight in French ("38 %")
    weight = round(weighed["lead_time"]["weight"] * 100)
    note = desk_fr.text_content("#product-lt-note")
    assert f"{weight}\u202f%" in note or f"{weight}\u00a0%" in note, note

    desk_fr.goto(f"/#/sv/product?sku={pulled['sku']}")
    desk_fr.wait_for_selector('#policy-steps li[data-step="stocking"]')
    assert desk_fr.text_content("#product-mode") == "à la commande (flux tiré)"
    assert desk_fr.text_content('#policy-steps li[data-step="mode"] .step-value') == "à la commande (flux tiré)"
    assert "sporadique" in desk_fr.text_content('#policy-steps li[data-step="mode"] .step-formula')
    assert desk_fr.text_content('#policy-steps li[data-step="stocking"] .step-value') != "none"


def test_the_english_product_page_names_the_forecast_method_and_keeps_its_code_in_a_title(desk, desk_server):
    pushed = next(p for p in policies(desk_server)
                  if p["mode"] == "push" and p["demand"]["forecast_method"] == "ses_0.2")
    desk.goto(f"/#/sv/product?sku={pushed['sku']}")
    desk.wait_for_selector("#product-method")
    assert desk.text_content("#product-method") == "exponential smoothing (α\u00a00.2)"
    assert desk.get_attribute("#product-method", "title") == "ses_0.2"
    assert desk.text_content("#product-mode") == "in stock (push)"
    assert desk.locator("#override-mode option").all_text_contents() == [
        "Computed: in stock (push)", "in stock (push)", "to order (pull)"]


def test_the_french_valuation_shows_its_dates_and_percentages_in_french(desk_fr, desk_server):
    _, kpis = desk_server.request("GET", "/api/v1/analytics/kpis")
    desk_fr.goto("/#/sv/valuation")
    wait_for_charts(desk_fr, ["val-abc"])
    tiles = desk_fr.inner_text("#val-kpis")
    assert re.findall(r"\d{4}-\d\d-\d\d", tiles) == [], tiles
    year = kpis["until"][:4]
    assert year in tiles
    axis = desk_fr.evaluate("document.getElementById('val-abc')._uplot.axes[1].values("
                            "document.getElementById('val-abc')._uplot, [80], 0, 1)")
    assert axis[0] in ("80\u202f%", "80\u00a0%"), axis
    assert desk_fr.text_content("#val-dormant-rule").startswith(
        "Dormant : stock en main dont rien n'a été expédié depuis 90 jours ou plus")
    assert desk_fr.text_content("#val-value-period").startswith("Valeur à la fin de chaque semaine, du ")


def test_the_french_supplier_screens_name_the_unit_fill_rate_and_the_late_share(desk_fr, desk_server):
    desk_fr.goto("/#/sv/lead-times?supplier=ALEA")
    desk_fr.wait_for_selector("#lt-products")
    assert "Taux de livraison (unités reçues / commandées)" in desk_fr.inner_text("#lt-figures")
    assert "Taux de service" not in desk_fr.inner_text("#lt-figures")
    assert desk_fr.text_content("#lt-late-share").endswith("des lignes en retard")
    assert desk_fr.text_content("#lt-weight-help").startswith("Poids propre : la part des réceptions de ce produit")


@pytest.mark.parametrize("typed", ["92,5", "92.5"])
def test_a_service_target_typed_with_a_decimal_comma_is_taken(desk_fr, desk_server, typed):
    """"92,5" typed in the French target field (%) became 925 in Chromium, and the save then said nothing but the
    browser's own bubble: both "92,5" and "92.5" are 92.5 %."""
    sku = rich_push_product(desk_server)
    desk_fr.goto(f"/#/sv/product?sku={sku}")
    desk_fr.wait_for_selector("#overrides-form")
    field = desk_fr.locator("#override-fill_rate_target")
    assert field.get_attribute("inputmode") == "decimal"
    field.click()
    field.press_sequentially(typed)
    desk_fr.click("#overrides-form button[type=submit]")
    try:
        desk_fr.wait_for_selector("#override-message.ok")
        _, product = desk_server.request("GET", f"/api/v1/products/{sku}")
        assert product["policy_overrides"] == {"fill_rate_target": 0.925}
        assert desk_fr.input_value("#override-fill_rate_target") == "92,5"
    finally:
        desk_server.request("PATCH", f"/api/v1/products/{sku}", {"policy_overrides": {}})


def test_a_target_or_a_figure_that_cannot_be_taken_is_said_in_the_apps_words(desk_fr, desk, desk_server):
    sku = rich_push_product(desk_server)
    for page, words in ((desk_fr, ("entre 50 et 99,99", "nombre")), (desk, ("between 50 and 99.99", "number"))):
        page.goto(f"/#/sv/product?sku={sku}")
        page.wait_for_selector("#overrides-form")
        page.fill("#override-fill_rate_target", "925")
        page.click("#overrides-form button[type=submit]")
        page.wait_for_selector("#override-message.error")
        assert words[0] in page.text_content("#override-message"), page.text_content("#override-message")
        page.fill("#override-fill_rate_target", "")
        page.fill("#override-reorder_point", "douze")
        page.click("#overrides-form button[type=submit]")
        page.wait_for_function("document.querySelector('#override-message').textContent.includes('douze')")
        assert words[1] in page.text_content("#override-message")
        assert page.evaluate("document.activeElement.id") == "override-reorder_point"
    _, product = desk_server.request("GET", f"/api/v1/products/{sku}")
    assert product["policy_overrides"] == {}


@pytest.mark.parametrize("route, ready", [("/#/sv/replenishment", ["#repl-table tbody tr"]),
                                          ("/#/sv", ["#late-table tbody tr", "#supplier-table tbody tr"]),
                                          ("/#/sv/valuation", ["main table tbody tr"]),
                                          ("/#/sv/stock", ["#stock-table tbody tr"])])
def test_the_french_desk_fits_a_laptop(desk_fr, desk_server, route, ready):
    """French words run longer than English ones ("Commandée, non réservée"): no table of these screens may scroll
    sideways at 1366 px, nor the page."""
    forced = None
    if route.endswith("replenishment"):   # (earlier tests may have ordered every suggestion: one is made sure of)
        forced = rich_push_product(desk_server)
        _, product = desk_server.request("GET", f"/api/v1/products/{forced}")
        kept = product["policy_overrides"]
        assert desk_server.request("PATCH", f"/api/v1/products/{forced}",
                                   {"policy_overrides": {**kept, "reorder_point": 100000}})[0] == 200
    try:
        desk_fr.goto(route)
        for selector in ready:
            desk_fr.wait_for_selector(selector)
        screenshot(desk_fr, f"supervisor-fr-{route.strip('/#').replace('/', '-') or 'home'}-1366")
        wide = desk_fr.evaluate("""[...document.querySelectorAll('main table')].filter((table) => {
            const box = table.parentElement; return box.scrollWidth > box.clientWidth + 1; }).map((t) => t.id || '?')""")
        assert wide == [], f"tables scrolling sideways in French at 1366 px: {wide}"
        assert desk_fr.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        if forced:
            desk_server.request("PATCH", f"/api/v1/products/{forced}", {"policy_overrides": kept})



def test_a_product_never_sold_says_how_to_plan_it(desk, desk_server):
    """Day one: no sales history, every reorder point 0, and no word of the demand a buyer can force."""
    sku = f"NEW-{uuid.uuid4().hex[:6].upper()}"
    _, suppliers = desk_server.request("GET", "/api/v1/suppliers")
    status, body = desk_server.request("POST", "/api/v1/products", {
        "sku": sku, "name": "Never sold (e2e)", "unit_cost": 3, "supplier": suppliers["items"][0]["code"]})
    assert status == 201, body
    desk.goto(f"/#/sv/product?sku={sku}")
    desk.wait_for_selector("#product-no-history")
    assert "Demand per day" in desk.text_content("#product-no-history")
    assert "No customer demand in the history yet" in desk.text_content("#product-reason")
    assert desk_server.request("PATCH", f"/api/v1/products/{sku}",
                               {"policy_overrides": {"demand_mean": 2}})[0] == 200
    desk.reload()
    desk.wait_for_selector("#product-rop")
    assert desk.locator("#product-no-history").count() == 0
