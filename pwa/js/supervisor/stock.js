// Stock: every active product's position (on hand, reserved, available, on order) beside its value and health (cover,
// turnover, stock-outs over the year), as /api/v1/analytics/stock counts them. The server searches, filters, sorts and
// totals, so a catalogue of thousands is never sent whole: the screen asks for a page and appends the next on "more".
// The filters live in the address (#/sv/stock?only=dormant): the dashboard's tiles link to them, a reload keeps them.
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { ApiError, call, dateText, days, isoDay, layout, money, num, productLink, tile } from "./common.js";

const PER_PAGE = 50;
const QUICK = ["", "out_of_stock", "dormant", "on_order", "over_reserved"];   // "": all
const DEFAULT_SORT = "-value";
const TYPED_DELAY_MS = 300;   // a search is asked once the typing pauses, not at every key

const qty = (value) => num(value, 3);
// Each column is sorted by the server under its key; `text` columns first sort A → Z, figures largest first.
const COLUMNS = [
  { key: "sku", label: "sku", text: true, cell: (row) => productLink(row.sku) },
  { key: "name", label: "name", text: true, cell: nameCell },
  { key: "supplier", label: "supplier", text: true,
    cell: (row) => (row.supplier ? h("span", { title: row.supplier }, row.supplier_name) : "–") },
  { key: "on_hand", label: "on_hand", cell: onHandCell },
  { key: "reserved", label: "reserved", cell: (row) => qty(row.reserved) },
  { key: "available", label: "available",
    cell: (row) => (row.available < 0 ? h("span", { class: "stock-short" }, qty(row.available)) : qty(row.available)) },
  { key: "on_order", label: "on_order", cell: (row) => qty(row.on_order) },
  { key: "wac", label: "stock_wac", help: "stock_wac_help", cell: (row) => money(row.wac, 2) },
  { key: "value", label: "value", cell: (row) => money(row.value) },
  { key: "coverage_days", label: "stock_cover", help: "stock_cover_help", cell: (row) => days(row.coverage_days) },
  { key: "turnover", label: "stock_turnover", cell: (row) => num(row.turnover, 1) },
  { key: "days_since_outflow", label: "stock_since_out", cell: (row) => num(row.days_since_outflow) },
  { key: "stockouts", label: "stock_outs", cell: (row) => num(row.stockouts) },
  { key: "stockout_days", label: "stock_out_days", cell: (row) => num(row.stockout_days) },
];
const SORTS = new Set(COLUMNS.flatMap(({ key }) => [key, `-${key}`]));

export default {
  title: "sv_stock",
  back: "#/sv",
  render(main, { params }) {
    const body = layout(main, "#/sv/stock");
    if (!body) return {};
    const screen = stockScreen({
      q: params.get("q") || "", supplier: params.get("supplier") || "",
      only: QUICK.includes(params.get("only")) ? params.get("only") : "",
      sort: SORTS.has(params.get("sort")) ? params.get("sort") : DEFAULT_SORT,
    });
    body.append(...screen.elements);
    return { destroy: screen.destroy };
  },
};

function stockScreen(state) {
  let rows = [];
  let total = 0;
  let page = 1;
  let asked = 0;          // the latest request: an answer to an older one (typing on) is dropped
  let typing = null;

  const q = h("input", { id: "stock-q", type: "search", maxlength: 100, autocomplete: "off", value: state.q,
    placeholder: t("stock_search"), "aria-label": t("stock_search"), onInput() {
      clearTimeout(typing);
      typing = setTimeout(() => change({ q: q.value.trim() }), TYPED_DELAY_MS);
    } });
  const supplier = h("select", { id: "stock-supplier", "aria-label": t("supplier"),
    onChange: () => change({ supplier: supplier.value }) }, h("option", { value: "" }, t("stock_all_suppliers")));
  if (state.supplier) supplier.append(h("option", { value: state.supplier, selected: true }, state.supplier));
  call("/api/v1/suppliers?active=true&per_page=500").then((found) => {
    replaceChildren(supplier, h("option", { value: "" }, t("stock_all_suppliers")), found.items.map((s) =>
      h("option", { value: s.code, selected: s.code === state.supplier }, `${s.name} (${s.code})`)));
  }).catch(() => {});
  const quick = h("div", { class: "stock-quick", id: "stock-quick", role: "group", "aria-label": t("stock_show") });
  const form = h("form", { class: "sv-toolbar stock-toolbar", onSubmit(event) {
    event.preventDefault();
    clearTimeout(typing);
    change({ q: q.value.trim() });
  } }, q, supplier, quick);
  const totals = h("div", { class: "tiles", id: "stock-totals" });
  const period = h("p", { class: "note", id: "stock-period" });
  const results = h("div", { id: "stock-results" });
  const shown = h("p", { class: "note", id: "stock-shown", role: "status" });
  const more = h("button", { type: "button", id: "stock-more", hidden: true, onClick: () => load(page + 1) });

  function drawQuick() {
    replaceChildren(quick, QUICK.map((only) => h("button", { type: "button", class: "stock-chip",
      "aria-pressed": String(state.only === only), dataset: { only: only || "all" },
      onClick: () => change({ only }) }, t(`stock_only_${only || "all"}`))));
  }

  // A new search, filter or sort: the address says it (without a new history entry), the first page is asked again.
  function change(changes) {
    Object.assign(state, changes);
    const query = new URLSearchParams(Object.entries(state).filter(([key, value]) =>
      value && !(key === "sort" && value === DEFAULT_SORT)));
    history.replaceState(null, "", `#/sv/stock${String(query) ? `?${query}` : ""}`);
    drawQuick();
    load(1);
  }

  async function load(next) {
    const mine = ++asked;
    const query = new URLSearchParams({ sort: state.sort, page: String(next), per_page: String(PER_PAGE) });
    for (const key of ["q", "supplier", "only"]) if (state[key]) query.set(key, state[key]);
    more.disabled = true;
    if (next === 1) replaceChildren(results, h("p", { class: "note sv-loading" }, t("sv_loading")));
    try {
      const answer = await call(`/api/v1/analytics/stock?${query}`);
      if (mine !== asked) return;
      rows = next === 1 ? answer.items : rows.concat(answer.items);
      page = next;
      total = answer.total;
      replaceChildren(totals, tile(t("stock_products"), num(answer.totals.count), { id: "stock-count" }),
        tile(t("stock_value"), money(answer.totals.value), { id: "stock-value" }));
      const last = new Date(`${answer.until}T00:00:00`);
      last.setDate(last.getDate() - 1);
      period.textContent = t("stock_period", { since: dateText(answer.since), until: dateText(isoDay(last)) });
      draw();
    } catch (error) {
      if (mine !== asked) return;
      const words = error instanceof ApiError ? error.message : t("sv_failed", { reason: error.message });
      replaceChildren(results, h("p", { class: "error", role: "alert" }, words));
      more.hidden = true;
      shown.textContent = "";
    } finally {
      more.disabled = false;
    }
  }

  function draw() {
    replaceChildren(results, rows.length ? stockTable(rows, state.sort, (sort) => change({ sort }))
      : h("p", { class: "note", id: "stock-none" }, t("stock_none")));
    const left = total - rows.length;
    more.hidden = left <= 0;
    more.textContent = t("stock_more", { n: Math.min(left, PER_PAGE) });
    shown.textContent = left > 0 ? t("stock_shown", { shown: num(rows.length), total: num(total) }) : "";
  }

  drawQuick();
  load(1);
  return { elements: [form, totals, period, results, h("div", { class: "sv-actions" }, more, shown)],
    destroy: () => clearTimeout(typing) };
}

// The headings are buttons: a click sorts by that column, a second one the other way.
function stockTable(rows, sort, sortBy) {
  const column = sort.replace(/^-/, "");
  const descending = sort.startsWith("-");
  const heading = (c) => {
    const current = c.key === column;
    const next = current ? (descending ? c.key : `-${c.key}`) : (c.text ? c.key : `-${c.key}`);
    return h("th", { scope: "col", class: c.text ? null : "num",
      "aria-sort": current ? (descending ? "descending" : "ascending") : null },
    h("button", { type: "button", class: "link stock-sort", dataset: { sort: c.key }, title: c.help ? t(c.help) : null,
      onClick: () => sortBy(next) }, t(c.label), current ? (descending ? " ▼" : " ▲") : null));
  };
  return h("div", { class: "sv-scroll" }, h("table", { class: "sv-table", id: "stock-table" },
    h("thead", {}, h("tr", {}, COLUMNS.map(heading))),
    h("tbody", {}, rows.map((row) => h("tr", { dataset: { sku: row.sku } },
      COLUMNS.map((c) => h("td", { class: c.text ? null : "num", dataset: { col: c.key } }, c.cell(row))))))));
}

function nameCell(row) {
  const flags = [row.critical && ["critical", t("sv_critical")], row.out_of_stock_now && ["out", t("stock_flag_out")],
    row.dormant && ["dormant", t("stock_flag_dormant")]].filter(Boolean);
  return [row.name, ...flags.map(([kind, words]) => h("span", { class: `stock-flag stock-flag-${kind}` }, words))];
}

// Goods picked and waiting in dispatch are no longer on hand for anyone, but still owned: said where they are not shown.
function onHandCell(row) {
  return Number(row.in_dispatch) > 0
    ? h("span", { class: "stock-dispatch", title: t("stock_in_dispatch", { qty: qty(row.in_dispatch) }) }, qty(row.on_hand))
    : qty(row.on_hand);
}
