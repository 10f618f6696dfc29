// A customer's order taken at the desk (on the phone, at the counter) by a company with no ERP to send it: the
// customer, the lines, the day the customer asks for. Each line says what is available now and, when short, the date
// to promise (the look-up's promise for the quantity typed); once made, the order's own answer says it per line.
// One client_event_id per order being typed, kept until it is made: a retry after a lost answer is a replay (the
// server answers the order already made) and cannot make a second order.
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { nowWithZone, uuid4 } from "../ids.js";
import { call, dateText, num, serverText } from "./common.js";
import { failure, orderForm, pointOut, refusedForGood } from "./order-form.js";
import { orderLines } from "./order-lines.js";
import { picker } from "./pickers.js";

export function salesOrderForm({ created }) {
  const customer = picker({ path: "/api/v1/customers", key: "code", id: "so-customer", label: t("customer") });
  const customerName = h("small", { id: "so-customer-name" });
  customer.input.addEventListener("change", async () => {
    const found = await customer.resolve();
    customerName.textContent = found?.name ? `${found.code} · ${found.name}` : "";   // (the code when a name was typed)
  });
  const requested = h("input", { type: "date", id: "so-requested", min: "2000-01-01", max: "2099-12-31" });
  const lines = orderLines({ id: "so", priceKey: "unit_price", priceLabel: t("oe_unit_price"), describe: availability });
  let stamp = null;   // the order being typed: its id and time, from its first submission until it is made

  async function send(say) {
    for (const input of [customer.input, requested]) input.removeAttribute("aria-invalid");
    lines.unmark();
    const who = await customer.resolve();
    const sent = await lines.read();
    if (sent.problems.length) return say("error", sent.problems);
    if (!sent.lines.length) {
      lines.first().focus();
      return say("error", t("oe_no_lines"));
    }
    stamp ??= { client_event_id: uuid4(), occurred_at: nowWithZone() };
    const body = { ...stamp, lines: sent.lines, ...(who ? { customer: who.code } : {}),
      ...(requested.value ? { requested_date: requested.value } : {}) };
    try {
      const order = await call("/api/v1/sales-orders", { method: "POST", body });
      stamp = null;
      customer.input.value = "";
      customerName.textContent = "";
      requested.value = "";
      lines.reset();
      say("ok", confirmation(order));
      customer.input.focus();
      created(order);
    } catch (error) {
      if (refusedForGood(error)) stamp = null;   // (and the corrected order its own time)
      say("error", failure(error, t("oe_so_unsure")));
      pointOut(error, sent, { customer: customer.input, requested_date: requested }, lines);
    }
  }

  const { element } = orderForm({ id: "so", openLabel: t("oe_new_so"), title: t("oe_new_so_title"),
    submitLabel: t("oe_create_so"), lines, send, first: () => customer.input, fields: [
      h("label", { class: "field oe-partner" }, t("customer"), customer.input, customer.list,
        customerName),
      h("label", { class: "field oe-date" }, t("oe_requested_date"), requested,
        h("small", {}, t("oe_optional"))),
    ] });
  return element;
}

// What a line can be served with now, and when short the date to promise for the quantity typed.
async function availability(product, qty) {
  if (!product) return "";
  const asked = qty > 0 ? `&promise=true&qty=${qty}` : "";
  let found;
  try {
    found = await call(`/api/v1/lookup?code=${encodeURIComponent(`TL:PRD:${product.sku}`)}${asked}`);
  } catch {
    return "";   // the line is still ordered as typed: the order's answer will say what was reserved
  }
  const available = Number(found.stock.available);
  const shown = [h("span", { class: "ol-available" }, t("oe_available", { qty: num(available, 3), unit: product.unit }))];
  if (qty > available) {
    const promise = found.promise;
    shown.push(" · ", h("span", { class: "ol-short warn" }, t("oe_short", { qty: num(qty - Math.max(available, 0), 3) })),
      h("br"), promise ? h("span", { class: "ol-promise", dataset: { date: promise.date }, title: serverText(promise.explanation) },
        t("oe_promise", { date: dateText(promise.date) })) : h("span", { class: "ol-promise" }, t("oe_no_promise")));
  }
  return shown;
}

// The order made, and per line short of stock what was reserved and the date to promise (the order's own answer).
function confirmation(order) {
  const short = order.lines.filter((line) => Number(line.reserved) < Number(line.ordered));
  return [t("oe_so_created", { number: order.number, n: order.lines.length, count: num(order.lines.length) }),
    ...short.map((line) => t(line.promise ? "oe_so_line_promise" : "oe_so_line_short", { sku: line.sku,
      reserved: num(line.reserved, 3), ordered: num(line.ordered, 3),
      date: line.promise ? dateText(line.promise.date) : "", why: line.promise ? serverText(line.promise.explanation) : "" }))];
}
