// Picking: scan the sales order label (or tap it among the open orders), then follow the list in walking order —
// scan the bin, then the item.
import { h, replaceChildren } from "../dom.js";
import { formatDay, formatNumber, t } from "../i18n.js";
import { readLabel } from "../labels.js";
import { showAnswer, submitScan } from "../scanner.js";
import { cacheGet, cachePut } from "../store.js";
import { api, NetworkError } from "../api.js";
import { scanPanel } from "../scan-panel.js";
import { feedback } from "../feedback.js";
import { answeredBin, contextBar, loadBins, loadContext, operatorError, recentScans, saveContext, tookBin } from "./common.js";
import { openOrders } from "./open-orders.js";
import { qtyField } from "./qty-field.js";

export default {
  title: "pick_title",
  render(main) {
    const context = loadContext("pick"); // {order, bin, left: {line_id: qty the server said is left}}
    loadBins(); // (in the background: the bins kept on the device serve meanwhile)
    context.left ??= {};
    const qty = qtyField();
    const panel = scanPanel({ onCode });
    const recent = recentScans();
    const bar = h("div");
    const list = h("ol", { class: "pick-list", id: "pick-list" });
    // (an order all picked waits to be shipped: it is listed on the Ship screen)
    const choices = openOrders({ kind: "sales-orders", title: "orders_to_pick", onChoose: onCode,
      onRelease: () => choose(null), shows: (order) => Number(order.left) > 0 });
    main.append(bar, qty.element, panel.element, choices.element, list, recent.element);
    let lines = [];

    // A line may be split over several bins (rows); the rows are what was left when the list was read, so what was
    // picked since (rows − what the server says is left now) fills them in walking order.
    function remaining(row) {
      const rows = lines.filter((candidate) => candidate.line_id === row.line_id);
      const atRead = rows.reduce((sum, candidate) => sum + Number(candidate.qty), 0);
      let picked = Math.max(0, atRead - Number(context.left[row.line_id] ?? atRead));
      for (const candidate of lines) {
        if (candidate.line_id !== row.line_id) continue;
        const taken = Math.min(picked, Number(candidate.qty));
        if (candidate === row) return Number(row.qty) - taken;
        picked -= taken;
      }
      return 0;
    }
    const nextLine = () => lines.find((line) => remaining(line) > 0);
    // The server lists what no bin holds as a row without a bin, after every bin (walking order): once it is next,
    // everything in stock is picked. Said plainly, not "go to <nothing>".
    const notInStock = () => t("pick_not_in_stock", { what: lines.filter((line) => !line.bin && remaining(line) > 0)
      .map((line) => `${formatNumber(remaining(line))} × ${line.name}`).join(", ") });
    show();
    choices.update(context.order);
    if (context.order) loadPickList();

    // The screen's order (null: none, the open orders are listed to choose from); the same order keeps its tallies.
    function choose(order) {
      Object.assign(context, { order, bin: null, left: order && order === context.order ? context.left : {} });
      saveContext("pick", context);
      choices.update(order);
      if (order) return loadPickList();
      lines = [];
      show();
    }

    function show() {
      replaceChildren(bar, contextBar([t("order"), context.order, "current-order"], [t("bin"), context.bin, "current-bin"]));
      const next = nextLine();
      panel.setPrompt(!context.order ? t("pick_prompt_order")
        : !lines.length ? "" : !next ? t("pick_done")
          : !next.bin ? notInStock()
            : context.bin === next.bin ? t("pick_prompt_item", { bin: next.bin }) : t("pick_prompt_bin", { bin: next.bin }));
      replaceChildren(list, lines.map((line) => h("li", {
        class: `pick-line${line === next ? " current" : ""}${remaining(line) <= 0 ? " complete" : ""}`,
        dataset: { lineId: line.line_id, sku: line.sku },
      },
      h("div", { class: `pick-bin${line.bin ? "" : " none"}` }, line.bin || t("not_in_stock")),
      h("div", { class: "line-name" }, line.name, " ", h("small", {}, line.sku),
        line.lot ? h("small", {}, ` · ${t("lot")} ${line.lot}`) : null,
        line.expiry ? h("small", {}, ` · ${t("expiry")} ${formatDay(line.expiry)}`) : null),
      h("div", { class: "tally" }, h("b", {}, formatNumber(Number(line.qty) - remaining(line))), " / ", formatNumber(line.qty)))));
    }

    async function loadPickList() {
      const key = `pick-list:${context.order}`;
      try {
        const { status, body } = await api(`/api/v1/sales-orders/${encodeURIComponent(context.order)}/pick-list`);
        if (status === 200) {
          lines = body.lines;
          await cachePut(key, lines);
        } else {
          operatorError(body?.error?.message || String(status));
          if (status === 409) return choose(null); // a cancelled order is no work: back to the open orders
        }
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        lines = (await cacheGet(key))?.value || [];
        if (!lines.length) operatorError(t("pick_list_offline", { order: context.order }));
      }
      show();
    }

    function onAnswer({ detail }) {
      const { scan, body } = detail;
      if (scan.action !== "pick" || scan.context.order !== context.order || !body?.line?.line_id) return;
      context.left[body.line.line_id] = Number(body.line.left); // what the server says is left on the line
      saveContext("pick", context);
      show();
    }
    window.addEventListener("tendu:answer", onAnswer);

    async function onCode(code) {
      const typed = !readLabel(code) && choices.labelFor(code); // its number, typed from the order's paper
      if (typed) return onCode(typed);
      const label = readLabel(code);
      if (label?.type === "SO") return choose(label.value);
      if (!context.order) return operatorError(t("pick_prompt_order"));
      if (await tookBin(code, Boolean(context.bin), setBin)) return;
      const taken = qty.take();
      if (!taken) return;
      const answer = await submitScan({ code, action: "pick",
        context: { order: context.order, bin: context.bin, qty: taken.qty } });
      qty.answered(taken, answer);
      recent.add(code, answer, taken.qty);
      showAnswer(answer);
      const bin = answeredBin(answer);
      if (bin) setBin(bin);
    }

    function setBin(bin) {
      const expected = nextLine()?.bin;
      context.bin = bin;
      saveContext("pick", context);
      show();
      // Taken (the goods may be elsewhere too), but said loudly: the list expected another bin.
      if (expected && expected !== bin) {
        feedback("error", { title: t("wrong_bin_title"), big: t("wrong_bin_hint", { expected, bin }) });
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
