"""The stock screen and the value at a chosen day, in real Chromium on the short demo (90 days, 60 products).

The screen must show the API's figures (/analytics/stock), its filters, search and sorts must be the server's, the
dashboard's stock-out tile must lead to the products behind its figure, and the valuation page's day must give the
API's value for that day.
"""
from __future__ import annotations

import urllib.parse
from datetime import date, timedelta

from tests.e2e.helpers import screenshot
from tests.e2e.test_supervisor import desk, desk_server, signed_in_desk  # noqa: F401 - fixtures used by name

STOCK = "/api/v1/analytics/stock"


def api_stock(server, **query) -> dict:
    status, answer = server.request("GET", f"{STOCK}?{urllib.parse.urlencode({'per_page': 50, **query})}")
    assert status == 200, answer
    return answer


# The desk's English formats (common.js: num, money, days), for the API's figures.
def figure(value, digits=3) -> str:
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if digits else text


def euros(value, digits=0) -> str:
    return "–" if value is None else ("-" if value < 0 else "") + f"€{abs(value):,.{digits}f}"


def shown_skus(page) -> list[str]:
    return page.eval_on_selector_all("#stock-table tbody tr", "(rows) => rows.map((row) => row.dataset.sku)")


def wait_for_rows(page, expected: list[str]):
    """Until the table lists ``expected`` (the screen asks again on each change: an older table may still be up)."""
    page.wait_for_function("(skus) => JSON.stringify([...document.querySelectorAll('#stock-table tbody tr')]"
                           ".map((row) => row.dataset.sku)) === JSON.stringify(skus)", arg=expected, timeout=15000)


def test_the_stock_screen_shows_the_apis_figures(desk, desk_server):
    answer = api_stock(desk_server)
    desk.goto("/#/sv/stock")
    wait_for_rows(desk, [row["sku"] for row in answer["items"]])
    tabs = desk.eval_on_selector_all(".sv-tabs > a", "(links) => links.map((a) => a.id)")
    assert tabs[:2] == ["sv-tab-dashboard", "sv-tab-stock"] and desk.get_attribute("#sv-tab-stock", "aria-current") == "page"
    assert desk.text_content("#stock-count") == f"{answer['totals']['count']:,}"
    assert desk.text_content("#stock-value") == euros(answer["totals"]["value"])
    # the busiest product of the page (something reserved, on order, shipped: a cover), cell by cell
    busy = max(answer["items"], key=lambda row: (bool(row["reserved"]) + bool(row["on_order"])
                                                 + (row["coverage_days"] is not None), row["value"]))
    assert busy["on_hand"] and (busy["reserved"] or busy["on_order"]) and busy["coverage_days"] is not None, busy
    cells = {cell.get_attribute("data-col"): cell.inner_text().strip()
             for cell in desk.locator(f'#stock-table tr[data-sku="{busy["sku"]}"] td').all()}
    assert cells["sku"] == busy["sku"] and cells["name"].startswith(busy["name"])
    for key in ("on_hand", "reserved", "available", "on_order"):
        assert cells[key] == figure(busy[key]), (key, cells[key], busy[key])
    assert busy["available"] == busy["on_hand"] - busy["reserved"]
    assert cells["wac"] == euros(busy["wac"], 2) and cells["value"] == euros(busy["value"])
    assert cells["coverage_days"] == f"{figure(busy['coverage_days'], 1)} d"
    assert cells["turnover"] == figure(busy["turnover"], 1)
    assert cells["stockouts"] == str(busy["stockouts"]) and cells["stockout_days"] == str(busy["stockout_days"])
    assert cells["supplier"] == busy["supplier_name"]
    link = desk.locator(f'#stock-table tr[data-sku="{busy["sku"]}"] a.sku')
    assert link.get_attribute("href") == f"#/sv/product?sku={busy['sku']}"
    # 60 products, 50 a page: the rest on "more"
    assert answer["total"] > 50 and desk.is_visible("#stock-more")
    desk.click("#stock-more")
    wait_for_rows(desk, [row["sku"] for row in answer["items"]]
                  + [row["sku"] for row in api_stock(desk_server, page=2)["items"]])
    assert desk.is_hidden("#stock-more")
    screenshot(desk, "supervisor-stock-1366")


def test_a_filter_a_search_a_supplier_and_a_sort_change_the_rows(desk, desk_server):
    desk.goto("/#/sv/stock")
    desk.wait_for_selector("#stock-table tbody tr")
    desk.click('#stock-quick button[data-only="on_order"]')
    on_order = api_stock(desk_server, only="on_order")
    assert 0 < on_order["total"] < 60
    wait_for_rows(desk, [row["sku"] for row in on_order["items"]])
    assert desk.get_attribute('#stock-quick button[data-only="on_order"]', "aria-pressed") == "true"
    assert "only=on_order" in desk.evaluate("location.hash")
    assert desk.text_content("#stock-count") == str(on_order["total"])
    # a heading sorts by its column, A → Z first, then Z → A
    desk.click('#stock-table button[data-sort="sku"]')
    wait_for_rows(desk, [row["sku"] for row in api_stock(desk_server, only="on_order", sort="sku")["items"]])
    assert desk.get_attribute('#stock-table th:has(button[data-sort="sku"])', "aria-sort") == "ascending"
    desk.click('#stock-table button[data-sort="sku"]')
    by_sku = api_stock(desk_server, only="on_order", sort="-sku")["items"]
    wait_for_rows(desk, [row["sku"] for row in by_sku])
    assert [row["sku"] for row in by_sku] == sorted((row["sku"] for row in by_sku), reverse=True)
    # a figure sorts largest first
    desk.click('#stock-table button[data-sort="on_order"]')
    wait_for_rows(desk, [row["sku"] for row in api_stock(desk_server, only="on_order", sort="-on_order")["items"]])
    # the search and the supplier narrow it, by the server's rules
    desk.click('#stock-quick button[data-only="all"]')
    supplier = api_stock(desk_server)["items"][0]["supplier"]
    desk.wait_for_selector(f'#stock-supplier option[value="{supplier}"]', state="attached")
    desk.select_option("#stock-supplier", supplier)
    wait_for_rows(desk, [row["sku"] for row in api_stock(desk_server, supplier=supplier, sort="-on_order")["items"]])
    desk.select_option("#stock-supplier", "")
    word = api_stock(desk_server)["items"][0]["name"].split()[0].lower()
    desk.fill("#stock-q", word)
    searched = api_stock(desk_server, q=word, sort="-on_order")
    assert 0 < searched["total"] < 60
    wait_for_rows(desk, [row["sku"] for row in searched["items"]])
    # the address keeps it all: a reload shows the same rows
    desk.reload()
    wait_for_rows(desk, [row["sku"] for row in searched["items"]])
    assert desk.input_value("#stock-q") == word


def test_the_dashboards_stock_out_tile_leads_to_those_products(desk, desk_server):
    _, kpis = desk_server.request("GET", "/api/v1/analytics/kpis")
    out = api_stock(desk_server, only="out_of_stock")
    assert kpis["out_of_stock_now"] > 0 and out["total"] == kpis["out_of_stock_now"]
    desk.goto("/#/sv")
    desk.wait_for_selector("#kpi-stockouts")
    assert desk.get_attribute("a.tile:has(#kpi-dormant)", "href") == "#/sv/stock?only=dormant"
    desk.click("a.tile:has(#kpi-stockouts)")
    wait_for_rows(desk, [row["sku"] for row in out["items"]])
    assert desk.evaluate("location.hash") == "#/sv/stock?only=out_of_stock"
    assert desk.get_attribute('#stock-quick button[data-only="out_of_stock"]', "aria-pressed") == "true"
    assert desk.text_content("#stock-count") == str(kpis["out_of_stock_now"])
    assert desk.locator("#stock-table .stock-flag-out").count() == kpis["out_of_stock_now"]
    assert set(desk_server.seed["written_off"]) <= set(shown_skus(desk))


def test_the_valuation_at_a_chosen_day_is_the_apis(desk, desk_server):
    desk.goto("/#/sv/valuation")
    desk.wait_for_selector("#val-at-value")
    _, now = desk_server.request("GET", "/api/v1/analytics/valuation")
    assert desk.text_content("#val-at-value") == euros(now["value"])
    assert desk.get_attribute("#val-at", "max") == desk.input_value("#val-at")      # today, at most
    day = (date.today() - timedelta(days=40)).isoformat()
    _, then = desk_server.request("GET", f"/api/v1/analytics/valuation?at={day}")
    assert round(then["value"]) != round(now["value"])
    desk.fill("#val-at", day)
    desk.wait_for_function("(text) => document.querySelector('#val-at-value')?.textContent === text",
                           arg=euros(then["value"]))
    rows = desk.locator("#val-at-table tbody tr")
    assert rows.count() == len(then["products"])
    first = then["products"][0]
    assert rows.first.locator("td").all_inner_texts() == [first["sku"], first["name"], figure(first["qty"]),
                                                          euros(first["wac"], 2), euros(first["value"])]
    label = desk.locator("#val-at-value").locator("xpath=..").locator(".tile-label").inner_text()
    assert label.startswith("Value at the end of ") and label.endswith(str(date.fromisoformat(day).year))
