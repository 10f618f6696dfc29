// Reception of a purchase order: scan its label (or tap it among the open orders), then cartons and items;
// running totals per line.
import { api } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { formatNumber, t } from "../i18n.js";
import { readLabel } from "../labels.js";
import { showAnswer, submitScan } from "../scanner.js";
import { cacheGet, cachePut } from "../store.js";
import { scanPanel } from "../scan-panel.js";
import { contextBar, loadContext, operatorError, recentScans, saveContext } from "./common.js";
import { openOrders } from "./open-orders.js";
import { qtyField } from "./qty-field.js";

export default {
  title: "receive_title",
  render(main) {
    const context = loadContext("receive");
    const qty = qtyField();
    const panel = scanPanel({ onCode });
    const recent = recentScans();
    const bar = h("div");
    const table = h("div", { class: "lines", id: "reception-lines" });
    // (an order fully received but still at the dock is open for put-away, not for reception)
    const choices = openOrders({ kind: "purchase-orders", title: "orders_to_receive", onChoose: onCode,
      onRelease: () => choose(null), shows: (order) => Number(order.left) > 0 });
    main.append(bar, qty.element, panel.element, choices.element, table, recent.element);
    let lines = [];
    let answers = 0; // answers with this order's lines, counted so that an older read does not overwrite them
    showContext();
    choices.update(context.order);
    showCachedLines();

    function showContext() {
      replaceChildren(bar, contextBar([t("order"), context.order, "current-order"], [t("dock"), context.dock, "current-dock"]));
      panel.setPrompt(context.order ? t("receive_prompt_items", { order: context.order }) : t("receive_prompt_order"));
    }

    // The screen's order (null: none, the open orders are listed to choose from).
    async function choose(order) {
      context.order = order;
      saveContext("receive", context);
      showContext();
      choices.update(order);
      await showCachedLines();
    }

    async function showCachedLines() {
      const order = context.order;
      const cached = order ? await cacheGet(`reception:${order}`) : null;
      lines = cached?.value || [];
      showLines();
      // Answers replayed while another screen was open never reached the cache: ask the server when we can.
      if (order && navigator.onLine) {
        const seen = answers;
        try {
          const response = await api(`/api/v1/purchase-orders/${encodeURIComponent(order)}`, { timeoutMs: 5000 });
          // (an answer that came meanwhile is newer than this read)
          if (response.status === 200 && order === context.order && seen === answers) {
            lines = response.body.lines;
            cachePut(`reception:${order}`, lines);
            showLines();
          }
        } catch { /* offline after all: the device's tallies stay */ }
      }
    }

    function showLines(highlightSku) {
      if (!lines.length) return replaceChildren(table, h("p", { class: "note" }, context.order ? t("no_lines_yet") : ""));
      replaceChildren(table, lines.map((line) => h("div", {
        class: `line${line.sku === highlightSku ? " highlight" : ""}${Number(line.received) >= Number(line.ordered) ? " complete" : ""}`,
        dataset: { sku: line.sku, lineId: line.line_id },
      },
      h("div", { class: "line-name" }, line.name, " ", h("small", {}, line.sku)),
      h("div", { class: "tally" }, h("b", { class: "received" }, formatNumber(line.received)), " / ",
        h("span", { class: "ordered" }, formatNumber(line.ordered))),
      h("progress", { max: Number(line.ordered) || 1, value: Number(line.received) || 0 }))));
    }

    function onAnswer({ detail }) {
      const { scan, body } = detail;
      if (scan.action !== "receive" || scan.context.order !== context.order || !Array.isArray(body?.lines)) return;
      answers += 1;
      lines = body.lines;
      cachePut(`reception:${context.order}`, lines);
      showLines(body.product?.sku);
    }
    window.addEventListener("tendu:answer", onAnswer);

    async function onCode(code) {
      const typed = !readLabel(code) && choices.labelFor(code); // its number, typed from the delivery note
      if (typed) return onCode(typed);
      const label = readLabel(code);
      if (label?.type === "LOC") {
        context.dock = label.value;
        saveContext("receive", context);
        return showContext();
      }
      const previous = context.order;
      if (label?.type === "PO" && label.value !== context.order) {
        await choose(label.value);
      } else if (!label && !context.order) {
        return operatorError(t("need_order_first"));
      }
      const item = label?.type !== "PO"; // (an order's label moves nothing: the quantity waits for the item)
      const taken = item ? qty.take() : {};
      if (!taken) return;
      const answer = await submitScan({ code, action: "receive",
        context: { order: context.order, dock: context.dock, qty: taken.qty } });
      if (item) qty.answered(taken, answer);
      recent.add(code, answer, taken.qty);
      showAnswer(answer);
      if (label?.type === "PO" && ["unknown_purchase_order", "order_closed"].includes(answer.body?.error?.code)) {
        await choose(previous); // an order that does not exist, or is closed, must not become the screen's
      }
    }

    return {
      onCode,
      destroy() {
        panel.destroy();
        window.removeEventListener("tendu:answer", onAnswer);
      },
    };
  },
};
