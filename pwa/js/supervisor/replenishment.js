// Replenishment: the server's suggestions to review (tick, change quantities), then one click creates
// the purchase orders, one per supplier, through the same call an API client would use.
import { h, replaceChildren } from "../dom.js";
import { age, language, t } from "../i18n.js";
import { call, card, dateText, layout, loading, num, productLink, serverText, table, word } from "./common.js";
import { nowWithZone, uuid4 } from "../ids.js";
import { disposeCharts } from "./charts.js";
import { forgetLists } from "./pickers.js";
import { purchaseOrderForm } from "./purchase-order-form.js";

export default {
  title: "sv_replenishment",
  back: "#/sv",
  render(main) {
    const body = layout(main, "#/sv/replenishment");
    if (!body) return {};
    const unsent = h("div", { id: "repl-unsent" });
    const list = h("div", { id: "repl-list" });
    const refreshUnsent = (fresh) => loading(unsent, () => unsentOrders(fresh));
    const refresh = (ordered) => loading(list, () => suggestions(refresh, refreshUnsent, ordered));
    // An order made by hand joins the unsent ones, to be sent from there; the suggestions see it on order.
    forgetLists();
    const byHand = purchaseOrderForm({ unsure: () => refreshUnsent(), created: (order) => {
      refreshUnsent(new Set([order.number]));
      refresh(new Map(order.lines.map((line) => [line.sku, line.ordered])));
    } });
    body.append(byHand, unsent, list);
    refreshUnsent();
    refresh();
    return { destroy: disposeCharts };
  },
};

async function suggestions(refresh, refreshUnsent, ordered = null) {
  const answer = await call("/api/v1/replenishment");
  const items = [...answer.items].sort((a, b) => (a.supplier || "").localeCompare(b.supplier || "") || a.sku.localeCompare(b.sku));
  const toolbar = h("div", { class: "sv-toolbar" },
    h("span", { class: "note", id: "repl-generated", dataset: { generatedAt: answer.generated_at } },
      t("repl_generated", { when: age(answer.generated_at) })),
    h("button", { type: "button", onClick: () => refresh(), id: "repl-refresh" }, t("sv_refresh")));
  const reviews = reviewDays(answer.reviews || [], answer.generated_at);
  // Lines just ordered that are suggested again: what was ordered does not cover their need (said, not hidden).
  const again = ordered ? items.filter((item) => ordered.has(item.sku)) : [];
  const still = again.length ? h("p", { class: "note warn", id: "repl-still", role: "status" }, t("repl_still_suggested",
    { skus: again.map((item) => `${item.sku} (${num(ordered.get(item.sku), 3)})`).join(", ") })) : null;
  if (!items.length) return [toolbar, reviews, h("p", { class: "note", id: "repl-empty" }, t("nothing_to_order"))];

  const rows = items.map((item) => ({
    item,
    include: h("input", { type: "checkbox", checked: true, class: "repl-include", "aria-label": `${t("include")} ${item.sku}` }),
    qty: h("input", { type: "number", min: 0, step: "any", value: String(item.qty), class: "repl-qty",
      "aria-label": `${t("qty_to_order")} ${item.sku}` }),
    value: h("span", { class: "repl-value" }),
  }));
  const create = h("button", { type: "button", class: "primary", id: "repl-create" });
  const message = h("p", { role: "status", id: "repl-message" });
  const warnings = h("div", { id: "repl-warnings", role: "status" });
  const summary = h("div", { id: "repl-summary" });
  const chosen = () => rows.filter((row) => row.include.checked);
  // A ticked line must say how many: one typed -3 or emptied is pointed out, not left out without a word.
  const unorderable = () => chosen().filter((row) => !(Number(row.qty.value) > 0));
  const label = () => {
    const suppliers = new Set(chosen().map((row) => row.item.supplier));
    const wrong = unorderable();
    for (const row of rows) row.qty.classList.toggle("invalid", wrong.includes(row));
    create.textContent = t("create_orders", { n: suppliers.size });
    create.disabled = suppliers.size === 0 || wrong.length > 0;
    message.className = wrong.length ? "error" : "";
    message.textContent = wrong.length ? t("repl_qty_needed", { skus: wrong.map((row) => row.item.sku).join(", ") }) : "";
    // The money follows the typed quantities; packs and MOQs are pointed out, not enforced (the buyer decides).
    for (const row of rows) {
      row.value.textContent = lineValue(row) === null ? "–" : cents(lineValue(row));
      // the unit cost in the title, not a column of its own: the table must fit a laptop
      row.value.title = `${t("repl_unit_cost")} ${cents(row.item.unit_cost)}`;
    }
    const flagged = [];
    for (const row of rows) {
      const said = row.include.checked && !wrong.includes(row) ? checks(row.item, Number(row.qty.value)) : [];
      row.qty.classList.toggle("warn", said.length > 0);
      row.qty.title = said.join("; ");
      if (said.length) flagged.push([row, said]);
    }
    replaceChildren(warnings, flagged.length ? [h("p", { class: "warn" }, t("repl_warnings")), h("ul", {},
      flagged.map(([row, said]) => h("li", { dataset: { sku: row.item.sku } }, `${row.item.sku}: ${said.join("; ")}`)))] : []);
    replaceChildren(summary, orderSummary(chosen().filter((row) => !wrong.includes(row))));
  };
  for (const row of rows) {
    row.include.addEventListener("change", label);
    row.qty.addEventListener("input", label);
  }
  label();

  create.addEventListener("click", async () => {
    const picked = chosen().map((row) => ({ sku: row.item.sku, qty: Number(row.qty.value),
      ...(row.item.supplier ? { supplier: row.item.supplier } : {}) }));
    create.disabled = true;
    create.textContent = t("creating");
    try {
      const orders = await call("/api/v1/replenishment/orders", { method: "POST",
        body: { suggested_at: answer.generated_at, items: picked } });
      refreshUnsent(new Set(orders.map((order) => order.number)));
      refresh(new Map(picked.map((line) => [line.sku, line.qty])));
    } catch (error) {
      label();
      message.className = "error";
      message.textContent = t("sv_not_done", { reason: error.message });
    }
  });

  return [
    toolbar,
    reviews,
    still,
    table([
      { label: t("include"), value: (row) => row.include },
      { label: t("sku"), value: (row) => productLink(row.item.sku) },
      { label: t("name"), value: (row) => row.item.name },
      { label: t("supplier"), value: (row) => supplierName(row.item) },
      // the short word in the table (it must fit a laptop in French), the full one in its title
      { label: t("mode"), value: (row) => h("span", { title: word("mode", row.item.mode) }, t(`mode_short_${row.item.mode}`)) },
      { label: t("reason"), value: (row) => serverText(row.item.reason) },
      { label: t("on_hand_now"), align: "num", value: (row) => num(row.item.on_hand, 1) },
      { label: t("on_order"), align: "num", value: (row) => num(row.item.on_order, 1) },
      { label: t("reserved"), align: "num", value: (row) => num(row.item.reserved, 1) },
      // so that the columns add up: projected = on hand + on order − reserved − demand not reserved
      { label: t("unreserved_demand"), align: "num", value: (row) => num(row.item.unreserved_demand, 1) },
      { label: t("projected"), align: "num", value: (row) => num(row.item.projected, 1) },
      { label: t("reorder_level"), align: "num", value: (row) => level(row.item) },
      { label: t("qty_to_order"), align: "num", value: (row) => row.qty },
      { label: t("repl_line_value"), align: "num", value: (row) => row.value },
      { label: t("sv_expected"), value: (row) => expected(row.item) },
    ], rows, { id: "repl-table", rowProps: (row) => ({ dataset: { sku: row.item.sku, supplier: row.item.supplier || "" } }) }),
    warnings,
    summary,
    h("div", { class: "sv-actions" }, create, message),
  ];
}

// The days an order placed now is expected by, without the year when it is this year's (the table fits a laptop).
function expected(item) {
  const year = String(new Date().getFullYear());
  const day = (iso) => (!iso || !iso.startsWith(year) ? dateText(iso)
    : new Date(`${iso}T00:00:00`).toLocaleDateString(language(), { day: "numeric", month: "short" }));
  return h("span", { title: `${dateText(item.expected_p50)} – ${dateText(item.expected_p90)}` },
    `${day(item.expected_p50)} – ${day(item.expected_p90)}`);
}

// Money to the cent: unit costs are often a few euros (money() rounds to the euro, as the dashboard's totals do).
function cents(value) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return "–";
  return new Intl.NumberFormat(language(), { style: "currency", currency: "EUR", minimumFractionDigits: 2,
    maximumFractionDigits: 2 }).format(Number(value));
}

function lineValue(row) {
  const qty = Number(row.qty.value);
  if (row.item.unit_cost === null || row.item.unit_cost === undefined || !(qty > 0)) return null;
  return qty * row.item.unit_cost;
}

function supplierName(item) {
  if (!item.supplier) return "–";
  return h("span", { title: item.supplier, class: "repl-supplier" }, item.supplier_name || item.supplier);
}

// What a typed quantity deserves a word about before the order is made: off the pack, under the MOQ, short of the
// need (the product would be suggested again: at or below s reviewed daily, demand still uncovered for a pull item).
const EPSILON = 1e-9;
function checks(item, qty) {
  const said = [];
  const pack = Number(item.pack_multiple) || 1;
  const packs = qty / pack;
  if (pack > 1 && Math.abs(packs - Math.round(packs)) > EPSILON) {
    const below = Math.floor(packs) * pack;
    const above = Math.ceil(packs) * pack;
    said.push(below > 0 ? t("repl_off_pack", { qty: num(qty, 3), pack: num(pack, 3), below: num(below, 3), above: num(above, 3) })
      : t("repl_under_pack", { qty: num(qty, 3), pack: num(pack, 3), above: num(above, 3) }));
  }
  if (qty < Number(item.moq) - EPSILON) said.push(t("repl_below_moq", { moq: num(item.moq, 3) }));
  const after = Number(item.projected) + qty;
  const short = item.mode === "pull" ? after < -EPSILON
    : item.reorder_point !== null && item.reorder_point !== undefined && after <= Number(item.reorder_point) + EPSILON;
  if (short) said.push(t("repl_short_of_need"));
  return said;
}

// The draft orders the button makes, one per supplier, valued at the typed quantities; their total below.
function orderSummary(chosenRows) {
  if (!chosenRows.length) return [];
  const bySupplier = new Map();
  for (const row of chosenRows) {
    const key = row.item.supplier || "";
    const entry = bySupplier.get(key) || { item: row.item, lines: 0, value: 0, priced: true };
    entry.lines += 1;
    const value = lineValue(row);
    if (value === null) entry.priced = false; else entry.value += value;
    bySupplier.set(key, entry);
  }
  const entries = [...bySupplier.entries()];
  const total = entries.reduce((sum, [, entry]) => sum + entry.value, 0);
  const allPriced = entries.every(([, entry]) => entry.priced);
  return card(t("repl_summary"), h("div", { class: "sv-scroll" }, h("table", { class: "sv-table", id: "repl-summary-table" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("supplier")), h("th", { scope: "col", class: "num" }, t("repl_lines")),
      h("th", { scope: "col", class: "num" }, t("repl_line_value")))),
    h("tbody", {}, entries.map(([code, entry]) => h("tr", { dataset: { supplier: code } },
      h("td", {}, supplierName(entry.item)), h("td", { class: "num" }, num(entry.lines)),
      h("td", { class: "num repl-supplier-total" }, entry.priced ? cents(entry.value) : "–")))),
    h("tfoot", {}, h("tr", {}, h("th", { scope: "row" }, t("repl_total")),
      h("td", { class: "num" }, num(chosenRows.length)),
      h("td", { class: "num", id: "repl-total" }, allPriced ? cents(total) : "–"))))));
}

// The suppliers ordered from every R days: their products are suggested on their review day only, so say when.
function reviewDays(reviews, generatedAt) {
  if (!reviews.length) return null;
  const today = generatedAt.slice(0, 10);
  return h("ul", { class: "note repl-reviews", id: "repl-reviews" }, reviews.map((review) => {
    const vars = { supplier: review.supplier_name || review.supplier, n: review.review_period_days,
      date: dateText(review.next_review) };
    return h("li", { dataset: { supplier: review.supplier }, title: review.supplier },
      t(review.next_review <= today ? "repl_review_today" : "repl_review", vars));
  }));
}

// s for a product reviewed daily; S and the period for one whose supplier is ordered from every R days.
function level(item) {
  if (item.order_up_to === null || item.order_up_to === undefined) return num(item.reorder_point, 1);
  return h("span", { title: t("review_every", { n: item.review_period_days }) },
    `S ${num(item.order_up_to, 1)} · ${t("sv_days", { n: item.review_period_days })}`);
}

// A suggestion becomes an order once it is sent to the supplier: recording it here starts the order-taking
// stage of the measured lead time (need detected → ordered) and puts the order in the late-orders watch.
function orderedButton(order, sent = () => {}) {
  const cell = h("span", { class: "created-status" }, word("status", order.status));
  if (!UNSENT.includes(order.status)) return cell;
  const button = h("button", { type: "button", class: "mark-ordered", dataset: { po: order.number } }, t("mark_ordered"));
  const problem = h("small", { role: "status" });
  const event = { client_event_id: uuid4(), occurred_at: nowWithZone(), kind: "ordered" }; // one id: a retry is a replay
  button.addEventListener("click", async () => {
    button.disabled = true;
    button.textContent = t("marking");
    problem.className = "";
    problem.textContent = "";
    try {
      await call(`/api/v1/purchase-orders/${encodeURIComponent(order.number)}/events`, { method: "POST", body: event });
      cell.textContent = word("status", "ordered");
      button.remove();
      sent();
    } catch (error) {
      button.disabled = false;
      button.textContent = t("mark_ordered");
      problem.className = "error";
      problem.textContent = t("sv_not_done", { reason: error.message });
    }
  });
  return h("span", {}, cell, " ", button, " ", problem);
}

// Purchase orders made but not yet sent to their supplier (from the suggestions, or drafted by an API client). Their
// products are on order, so the suggestions no longer remind anyone: they stay listed here, oldest first, until sent.
const UNSENT = ["draft", "need_detected"];

async function unsentOrders(fresh = new Set()) {
  const pages = await Promise.all(UNSENT.map((status) =>
    call(`/api/v1/purchase-orders?status=${status}&oldest_first=true&per_page=500`)));
  const orders = pages.flatMap((page) => page.items).sort((a, b) => a.number.localeCompare(b.number));
  const total = pages.reduce((sum, page) => sum + page.total, 0);
  if (!orders.length) return [];
  return card(t("repl_unsent", { n: num(total) }), h("p", { class: "note" }, t("repl_unsent_note")), table([
    { label: t("po"), value: (order) => h("a", { href: `#/sv/lead-times?po=${encodeURIComponent(order.number)}` }, order.number) },
    { label: t("supplier"), value: (order) => order.partner },
    { label: t("lines"), align: "num", value: (order) => num(order.lines) },
    { label: t("repl_units"), align: "num", value: (order) => num(order.left, 3) },
    { label: t("repl_line_value"), align: "num", value: (order) => cents(order.value) },
    { label: t("status"), value: (order) => orderedButton(order) },
  ], orders, { id: "repl-unsent-table",
    rowProps: (order) => ({ dataset: { po: order.number }, class: fresh.has(order.number) ? "created" : null }) }));
}
