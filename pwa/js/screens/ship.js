// Shipment: scanning the sales order's label (or tapping it among the orders to ship) ships what was picked for it.
import { t } from "../i18n.js";
import { readLabel } from "../labels.js";
import { showAnswer, submitScan } from "../scanner.js";
import { scanPanel } from "../scan-panel.js";
import { operatorError, recentScans } from "./common.js";
import { openOrders } from "./open-orders.js";

// Something picked and waiting in dispatch (a list saved by an older version has no to_ship: its status tells).
const shippable = (order) => (order.to_ship === undefined ? ["picked", "packed"].includes(order.status)
  : Number(order.to_ship) > 0);

export default {
  title: "ship_title",
  render(main) {
    const panel = scanPanel({ onCode, prompt: t("ship_prompt") });
    const recent = recentScans();
    const choices = openOrders({ kind: "sales-orders", title: "orders_to_ship", onChoose: onCode,
      shows: shippable });
    main.append(panel.element, choices.element, recent.element);
    choices.update(null);

    async function onCode(code) {
      const typed = !readLabel(code) && choices.labelFor(code); // its number, typed from the order's paper
      if (typed) return onCode(typed);
      const label = readLabel(code);
      if (label?.type !== "SO") return operatorError(t("ship_prompt"));
      const answer = await submitScan({ code, action: "ship", context: { order: label.value } });
      recent.add(code, answer);
      showAnswer(answer, { big: label.value });
      choices.update(null); // a shipped order leaves the list
    }

    return { onCode, destroy: panel.destroy };
  },
};
