// Shipment: scanning the sales order's label (or tapping it among the orders to ship) ships what was picked for it.
import { t } from "../i18n.js";
import { readLabel } from "../labels.js";
import { showAnswer, submitScan } from "../scanner.js";
import { scanPanel } from "../scan-panel.js";
import { operatorError, recentScans } from "./common.js";
import { openOrders } from "./open-orders.js";
import { heldScans, onOutboxChange } from "../outbox.js";

// Something picked and waiting in dispatch (a list saved by an older version has no to_ship: its status tells).
const shippable = (order) => (order.to_ship === undefined ? ["picked", "packed"].includes(order.status)
  : Number(order.to_ship) > 0);

export default {
  title: "ship_title",
  render(main) {
    const panel = scanPanel({ onCode, prompt: t("ship_prompt") });
    const recent = recentScans();
    // This device's own shipments held for a supervisor (read from the outbox, nothing asked of the server): the
    // order says so, not to be shipped a second time meanwhile. Another device's held scans are not known here.
    let held = new Set();
    const readHeld = async () => {
      held = new Set((await heldScans()).filter((scan) => scan.action === "ship").map((scan) => scan.context?.order));
    };
    const choices = openOrders({ kind: "sales-orders", title: "orders_to_ship", onChoose: onCode,
      shows: shippable, figure: "to_ship", note: (order) => (held.has(order.number) ? t("ship_held") : null) });
    main.append(panel.element, choices.element, recent.element);
    readHeld().then(() => choices.update(null));
    // A decision comes in (or a scan is answered): the marks follow, without fetching the list again.
    const stopOutbox = onOutboxChange(() => readHeld().then(() => choices.repaint()));

    async function onCode(code) {
      const typed = !readLabel(code) && choices.labelFor(code); // its number, typed from the order's paper
      if (typed) return onCode(typed);
      const label = readLabel(code);
      if (label?.type !== "SO") return operatorError(t("ship_prompt"));
      const answer = await submitScan({ code, action: "ship", context: { order: label.value } });
      recent.add(code, answer);
      showAnswer(answer, { big: label.value });
      await readHeld();
      choices.update(null); // a shipped order leaves the list; a held one says it waits
    }

    return {
      onCode,
      destroy() {
        panel.destroy();
        stopOutbox();
      },
    };
  },
};
