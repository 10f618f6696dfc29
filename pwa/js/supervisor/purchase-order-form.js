// A purchase order made by hand (one the suggestions do not propose: a first order, a deal, a customer's special
// request): the supplier, the lines at the product's unit cost unless another is typed, the day the supplier
// promises. It is made as a draft and listed with the orders not yet sent until the buyer records it sent, as the
// suggestions' orders are (replenishment.js).
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { uuid4 } from "../ids.js";
import { call, num } from "./common.js";
import { failure, orderForm, pointOut, refusedForGood } from "./order-form.js";
import { orderLines } from "./order-lines.js";
import { picker } from "./pickers.js";

export function purchaseOrderForm({ created, unsure }) {
  const supplier = picker({ path: "/api/v1/suppliers", key: "code", id: "po-supplier", label: t("supplier") });
  const supplierName = h("small", { id: "po-supplier-name" });
  supplier.input.addEventListener("change", async () => {
    const found = await supplier.resolve();
    supplierName.textContent = found?.name ? `${found.code} · ${found.name}` : "";   // (the code when a name was typed)
  });
  const promised = h("input", { type: "date", id: "po-promised", min: "2000-01-01", max: "2099-12-31" });
  const lines = orderLines({ id: "po", priceKey: "unit_cost", priceLabel: t("repl_unit_cost"),
    defaultPrice: (product) => product.unit_cost, describe: stockOf });

  // One id per order being typed, kept until it is made: a retry after a lost answer returns the order made.
  let made = null;

  async function send(say) {
    for (const input of [supplier.input, promised]) input.removeAttribute("aria-invalid");
    lines.unmark();
    const who = await supplier.resolve();
    const sent = await lines.read();
    if (sent.problems.length) return say("error", sent.problems);
    if (!sent.lines.length) {
      lines.first().focus();
      return say("error", t("oe_no_lines"));
    }
    made ??= uuid4();
    const body = { client_event_id: made, lines: sent.lines, ...(who ? { supplier: who.code } : {}),
      ...(promised.value ? { promised_date: promised.value } : {}) };
    try {
      const order = await call("/api/v1/purchase-orders", { method: "POST", body });
      made = null;
      supplier.input.value = "";
      supplierName.textContent = "";
      promised.value = "";
      lines.reset();
      say("ok", t("oe_po_created", { number: order.number, n: order.lines.length, count: num(order.lines.length) }));
      supplier.input.focus();
      created(order);
    } catch (error) {
      if (refusedForGood(error)) made = null;
      say("error", failure(error, t("oe_po_unsure")));
      pointOut(error, sent, { supplier: supplier.input, promised_date: promised }, lines);
      if (!(error.status >= 400 && error.status < 500)) unsure();
    }
  }

  const { element } = orderForm({ id: "po", openLabel: t("oe_new_po"), title: t("oe_new_po_title"),
    submitLabel: t("oe_create_po"), lines, send, first: () => supplier.input, fields: [
      h("label", { class: "field oe-partner" }, t("supplier"), supplier.input, supplier.list, supplierName),
      h("label", { class: "field oe-date" }, t("oe_promised_date"), promised, h("small", {}, t("oe_optional"))),
    ] });
  return element;
}

// What the buyer orders against: on hand, and already on order.
async function stockOf(product) {
  if (!product) return "";
  try {
    const { stock } = await call(`/api/v1/lookup?code=${encodeURIComponent(`TL:PRD:${product.sku}`)}`);
    return t("oe_stock", { on_hand: num(stock.on_hand, 3), on_order: num(stock.on_order, 3), unit: product.unit });
  } catch {
    return "";
  }
}
