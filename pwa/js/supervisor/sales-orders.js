// Open sales orders (to pick or to ship, back-orders included), newest first, a new one taken at the desk
// (sales-order-form.js), and the supervisor's way to cancel one the customer withdrew (goods already picked go back
// from dispatch to the bins they came from, or to the bin the supervisor names; what the server refuses, a bin that
// is not one, is shown in its words) or to close a back-order.
import { h, replaceChildren } from "../dom.js";
import { formatNumber, labelled, t } from "../i18n.js";
import { call, callList, card, dateText, dateTimeText, fetchFile, layout, loading, num, reasonForm, shownOf, table,
  word } from "./common.js";
import { forgetLists } from "./pickers.js";
import { salesOrderForm } from "./sales-order-form.js";

export default {
  title: "sv_sales_orders",
  back: "#/sv",
  render(main, { params } = {}) {
    const body = layout(main, "#/sv/sales-orders");
    if (!body) return {};
    // The list is refreshed on its own: an order being typed is not lost when another is cancelled.
    const list = h("div", { id: "so-list" });
    const detail = h("div", { id: "so-detail" });
    // (#/sv/sales-orders?status=part_shipped: the dashboard's back-orders tile)
    const asked = params?.get("status");
    const shown = { status: SHOWN.includes(asked) ? asked : "open" };
    const refresh = (done, made = null) => loading(list, () => view(refresh, done, made, shown, detail));
    forgetLists();
    body.append(salesOrderForm({ created: (order) => refresh(null, order.number) }), detail, list);
    refresh();
    return {};
  },
};

// Statuses of an order with goods in dispatch (picked in part or in full, maybe packed).
const PICKED = ["picked", "packed"];

function cancelledText(order) {
  const units = order.lines.reduce((sum, line) => sum + Number(line.put_back || 0), 0);
  return units ? t("so_cancelled_put_back", { number: order.number, n: units, qty: formatNumber(units) })
    : t("so_cancelled", { number: order.number });
}

// Which orders the list shows: the open ones (to pick or to ship), the back-orders alone, or those that ended.
const SHOWN = ["open", "part_shipped", "shipped", "closed", "cancelled"];

async function view(refresh, done, made, shown, detail) {
  const page = await callList(`/api/v1/sales-orders?status=${shown.status}&per_page=500`);
  const filter = h("select", { id: "so-status", "aria-label": t("so_show"), onChange: () => {
    shown.status = filter.value;
    refresh();
  } }, SHOWN.map((status) => h("option", { value: status, selected: status === shown.status },
    t(`so_show_${status}`))));
  const open = (order) => loading(detail, () => orderDetail(order.number, () => replaceChildren(detail)))
    .then(() => detail.scrollIntoView({ block: "start" }));
  const cancelling = h("div", { id: "so-cancel" });
  // An order shipped in part is not cancelled (what left was sold): its back-order is closed, the rest recorded short.
  const closeRest = (order) => {
    const form = reasonForm({ path: `/api/v1/sales-orders/${encodeURIComponent(order.number)}/close`,
      className: "close-so", submitLabel: t("close_bo"), reasonLabel: t("close_bo_reason"), help: t("close_bo_help"),
      done: (closed) => refresh(t("so_closed", { number: closed.number })) });
    replaceChildren(cancelling, card(labelled(t("close_bo"), order.number), form));
    form.querySelector("input").focus();
  };
  const ask = (order) => {
    if (order.status === "part_shipped") return closeRest(order);
    const picked = PICKED.includes(order.status);
    const form = reasonForm({ path: `/api/v1/sales-orders/${encodeURIComponent(order.number)}/cancel`,
      className: "cancel-so", submitLabel: t("cancel_so"), reasonLabel: t("cancel_reason"), help: t("cancel_help"),
      more: picked ? [{ name: "put_back_to", className: "put-back-to", label: t("put_back_to"), help: t("put_back_help") }] : [],
      done: (cancelled) => refresh(cancelledText(cancelled)) });
    replaceChildren(cancelling, card(labelled(t("cancel_so"), order.number), form));
    form.querySelector("input").focus();
  };
  return [
    done ? h("p", { class: "note", id: "so-done", role: "status" }, done) : null,
    cancelling,
    card(t(shown.status === "open" ? "open_sales_orders" : `so_show_${shown.status}`),
      h("label", { class: "field so-filter" }, t("so_show"), filter),
      shownOf("so_shown_of", page, "so-shown-of"), table([
      { label: t("order"), value: (o) => h("button", { type: "button", class: "link so-open", onClick: () => open(o) },
        o.number) },
      { label: t("customer"), value: (o) => o.partner },
      { label: t("status"), value: (o) => word("status", o.status) },
      { label: t("ordered_on"), value: (o) => dateText(o.ordered_at) },
      { label: t("lines"), align: "num", value: (o) => num(o.lines) },
      { label: t("left"), align: "num", value: (o) => num(o.left) },
      { label: "", value: (o) => (ENDED.includes(o.status) ? "" : h("button", { type: "button", class: "danger",
        onClick: () => ask(o) }, t(o.status === "part_shipped" ? "close_bo_ask" : "cancel_so_ask"))) },
    ], page.items, { id: "open-sales-orders", empty: t(shown.status === "open" ? "no_open_sales_orders" : "sv_none"),
      rowProps: (o) => ({ dataset: { so: o.number }, class: o.number === made ? "created" : null }) })),
  ];
}

const ENDED = ["shipped", "closed", "cancelled"];

// One order as the customer's file needs it: each line ordered, picked, shipped, short and still to deliver with the
// date to promise for it, and the order's steps with their notes (two shipments of a back-order, a closing reason).
async function orderDetail(number, close) {
  const order = await call(`/api/v1/sales-orders/${encodeURIComponent(number)}`);
  const owed = (line) => Math.max(0, Number(line.ordered) - Number(line.shipped) - Number(line.short));
  const promise = (line) => (line.promise && owed(line) > 0
    ? h("span", { title: line.promise.explanation || null }, dateText(line.promise.date)) : "–");
  return card(labelled(t("so_detail"), `${order.number} · ${order.customer} · ${word("status", order.status)}`),
    table([
      { label: t("so_product"), value: (line) => `${line.sku} ${line.name}` },
      { label: t("so_ordered"), align: "num", value: (line) => num(line.ordered, 3) },
      { label: t("so_picked"), align: "num", value: (line) => num(line.picked, 3) },
      { label: t("so_shipped"), align: "num", value: (line) => num(line.shipped, 3) },
      { label: t("so_short"), align: "num", value: (line) => num(line.short, 3) },
      { label: t("so_owed"), align: "num", value: (line) => num(owed(line), 3) },
      { label: t("so_promise"), value: promise },
    ], order.lines, { id: "so-detail-lines" }),
    h("h3", {}, t("so_steps")),
    h("ol", { class: "so-steps", id: "so-detail-steps" }, order.events.map((step) => h("li", {},
      `${dateTimeText(step.occurred_at)} · ${t(`so_step_${step.kind}`)}${step.note ? ` · ${step.note}` : ""}`))),
    h("div", { class: "so-actions" }, labelButton(order),
      h("button", { type: "button", id: "so-detail-close", onClick: close }, t("so_detail_close"))));
}

// The order's label (TL:SO:…), what the phone scans to pick and to ship it: a PNG for a label printer, shown too.
function labelButton(order) {
  const shown = h("span", { id: "so-label" });
  const button = h("button", { type: "button", id: "so-label-print", async onClick() {
    button.disabled = true;
    try {
      const url = URL.createObjectURL(await fetchFile(`/api/v1/labels/sales-orders/${encodeURIComponent(order.number)}.png`));
      replaceChildren(shown, h("a", { href: url, download: `${order.number}.png`, id: "so-label-png" },
        h("img", { src: url, alt: order.label, class: "so-label-img" })));
    } catch (error) {
      replaceChildren(shown, h("span", { class: "error" }, t("sv_not_done", { reason: error.message })));
    } finally {
      button.disabled = false;
    }
  } }, t("so_label"));
  return h("span", {}, button, shown);
}

