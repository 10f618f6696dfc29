// Shipment: scanning the sales order's label ships what was picked for it.
import { t } from "../i18n.js";
import { readLabel } from "../labels.js";
import { showAnswer, submitScan } from "../scanner.js";
import { scanPanel } from "../scan-panel.js";
import { operatorError, recentScans } from "./common.js";

export default {
  title: "ship_title",
  render(main) {
    const panel = scanPanel({ onCode, prompt: t("ship_prompt") });
    const recent = recentScans();
    main.append(panel.element, recent.element);

    async function onCode(code) {
      const label = readLabel(code);
      if (label?.type !== "SO") return operatorError(t("ship_prompt"));
      const answer = await submitScan({ code, action: "ship", context: { order: label.value } });
      recent.add(code, answer);
      showAnswer(answer, { big: label.value });
    }

    return { onCode, destroy: panel.destroy };
  },
};
