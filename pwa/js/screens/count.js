// Cycle count: scan the bin, type how many you counted, scan the item. One count per item and bin.
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { readLabel } from "../labels.js";
import { showAnswer, submitScan } from "../scanner.js";
import { scanPanel } from "../scan-panel.js";
import { contextBar, loadContext, operatorError, placeIsKnown, recentScans, saveContext } from "./common.js";

export default {
  title: "count_title",
  render(main) {
    const context = loadContext("count");
    const panel = scanPanel({ onCode });
    const recent = recentScans();
    const bar = h("div");
    // Enter leaves the field, so the handheld's next burst goes to the scan capture, not into the number; a
    // burst fired with the field still focused is a scan too (data-scan-through, wedge.js).
    const qty = h("input", {
      id: "counted-qty", type: "number", inputmode: "decimal", min: "0", step: "any", enterkeyhint: "done",
      "data-scan-through": "",
      onKeydown: (event) => event.key === "Enter" && qty.blur(),
    });
    const qtyField = h("label", { class: "field big-number" }, t("counted_qty"), qty);
    main.append(bar, qtyField, panel.element, recent.element);
    showContext();

    function showContext() {
      replaceChildren(bar, contextBar([t("bin"), context.bin, "current-bin"]));
      panel.setPrompt(context.bin ? t("count_prompt_item") : t("count_prompt_bin"));
    }

    async function onCode(code) {
      const label = readLabel(code);
      if (label?.type === "LOC") {
        if (!(await placeIsKnown(code))) return operatorError(t("unknown_place", { code: label.value }));
        context.bin = label.value;
        saveContext("count", context);
        return showContext();
      }
      if (!context.bin) return operatorError(t("need_bin_first"));
      if (qty.value === "" || !(Number(qty.value) >= 0)) return operatorError(t("need_qty_first"));
      const counted = Number(qty.value);
      qty.value = ""; // the next item needs its own count: never reuse one by accident
      const answer = await submitScan({ code, action: "count", context: { bin: context.bin, qty: counted } });
      recent.add(code, answer);
      showAnswer(answer);
    }

    return { onCode, destroy: panel.destroy };
  },
};
