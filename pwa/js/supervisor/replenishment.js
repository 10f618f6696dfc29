// Replenishment: the server's suggestions to review (tick, change quantities), then one click creates
// the purchase orders, one per supplier, through the same call an API client would use.
import { h } from "../dom.js";
import { age, t } from "../i18n.js";
import { call, card, dateText, layout, loading, num, productLink, serverText, table, word } from "./common.js";
import { nowWithZone, uuid4 } from "../ids.js";
import { disposeCharts } from "./charts.js";

export default {
  title: "sv_replenishment",
  back: "#/sv",
  render(main) {
    const body = layout(main, "#/sv/replenishment");
    if (!body) return {};
    const unsent = h("div", { id: "repl-unsent" });
    const list = h("div", { id: "repl-list" });
    const refreshUnsent = (fresh) => loading(unsent, () => unsentOrders(fresh));
    const refresh = () => loading(list, () => suggestions(refresh, refreshUnsent));
    body.append(unsent, list);
    refreshUnsent();
    refresh();
    return { destroy: disposeCharts };
  },
};

async function suggestions(refresh, refreshUnsent) {
  const answer = await call("/api/v1/replenishment");
  const items = [...answer.items].sort((a, b) => (a.supplier || "").localeCompare(b.supplier || "") || a.sku.localeCompare(b.sku));
  const toolbar = h("div", { class: "sv-toolbar" },
    h("span", { class: "note", id: "repl-generated", dataset: { generatedAt: answer.generated_at } },
      t("repl_generated", { when: age(answer.generated_at) })),
    h("button", { type: "button", onClick: refresh, id: "repl-refresh" }, t("sv_refresh")));
  if (!items.length) return [toolbar, h("p", { class: "note", id: "repl-empty" }, t("nothing_to_order"))];

  const rows = items.map((item) => ({
    item,
    include: h("input", { type: "checkbox", checked: true, class: "repl-include", "aria-label": `${t("include")} ${item.sku}` }),
    qty: h("input", { type: "number", min: 0, step: "any", value: String(item.qty), class: "repl-qty",
      "aria-label": `${t("qty_to_order")} ${item.sku}` }),
  }));
  const create = h("button", { type: "button", class: "primary", id: "repl-create" });
  const message = h("p", { role: "status", id: "repl-message" });
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
      refresh();
    } catch (error) {
      label();
      message.className = "error";
      message.textContent = t("sv_not_done", { reason: error.message });
    }
  });

  return [
    toolbar,
    table([
      { label: t("include"), value: (row) => row.include },
      { label: t("sku"), value: (row) => productLink(row.item.sku) },
      { label: t("name"), value: (row) => row.item.name },
      { label: t("supplier"), value: (row) => row.item.supplier || "–" },
      { label: t("mode"), value: (row) => word("mode", row.item.mode) },
      { label: t("reason"), value: (row) => serverText(row.item.reason) },
      { label: t("on_hand_now"), align: "num", value: (row) => num(row.item.on_hand, 1) },
      { label: t("on_order"), align: "num", value: (row) => num(row.item.on_order, 1) },
      { label: t("reserved"), align: "num", value: (row) => num(row.item.reserved, 1) },
      // so that the columns add up: projected = on hand + on order − reserved − demand not reserved
      { label: t("unreserved_demand"), align: "num", value: (row) => num(row.item.unreserved_demand, 1) },
      { label: t("projected"), align: "num", value: (row) => num(row.item.projected, 1) },
      { label: t("reorder_level"), align: "num", value: (row) => level(row.item) },
      { label: t("qty_to_order"), align: "num", value: (row) => row.qty },
      { label: t("sv_expected"), value: (row) => `${dateText(row.item.expected_p50)} – ${dateText(row.item.expected_p90)}` },
    ], rows, { id: "repl-table", rowProps: (row) => ({ dataset: { sku: row.item.sku, supplier: row.item.supplier || "" } }) }),
    h("div", { class: "sv-actions" }, create, message),
  ];
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
  return card(t("repl_unsent", { n: num(total) }), h("p", { class: "note" }, t("repl_unsent_help")), table([
    { label: t("po"), value: (order) => h("a", { href: `#/sv/lead-times?po=${encodeURIComponent(order.number)}` }, order.number) },
    { label: t("supplier"), value: (order) => order.partner },
    { label: t("lines"), align: "num", value: (order) => num(order.lines) },
    { label: t("repl_units"), align: "num", value: (order) => num(order.left, 3) },
    { label: t("status"), value: (order) => orderedButton(order) },
  ], orders, { id: "repl-unsent-table",
    rowProps: (order) => ({ dataset: { po: order.number }, class: fresh.has(order.number) ? "created" : null }) }));
}
