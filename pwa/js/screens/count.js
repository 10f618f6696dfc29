// Cycle count: scan the bin, type how many you counted, scan the item. One count per item and bin.
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { dismiss } from "../outbox.js";
import { showAnswer, submitScan } from "../scanner.js";
import { scanPanel } from "../scan-panel.js";
import { answeredBin, contextBar, loadBins, loadContext, operatorError, recentScans, saveContext, tookBin } from "./common.js";
import { readNumber } from "./qty-field.js";

export default {
  title: "count_title",
  render(main) {
    const context = loadContext("count");
    loadBins(); // (in the background: the bins kept on the device serve meanwhile)
    const panel = scanPanel({ onCode });
    const recent = recentScans();
    const bar = h("div");
    // Enter leaves the field, so the handheld's next burst goes to the scan capture, not into the number; a
    // burst fired with the field still focused is a scan too (data-scan-through, wedge.js).
    // A text field with a decimal keypad, not type=number: that one drops the comma of a French "1,5" (→ 15).
    const qty = h("input", {
      id: "counted-qty", type: "text", inputmode: "decimal", autocomplete: "off", enterkeyhint: "done",
      "data-scan-through": "number",
      onKeydown: (event) => event.key === "Enter" && qty.blur(),
    });
    const qtyField = h("label", { class: "field big-number" }, t("counted_qty"), qty);
    // Goods with a plain GTIN in a bin kept by lot: the server names the lots there, the operator says which one
    // was counted (names only: the count is blind).
    const lotChoice = h("section", { id: "lot-choice", hidden: true });
    main.append(bar, qtyField, lotChoice, panel.element, recent.element);
    showContext();

    function showContext() {
      replaceChildren(bar, contextBar([t("bin"), context.bin, "current-bin"]));
      panel.setPrompt(context.bin ? t("count_prompt_item") : t("count_prompt_bin"));
    }

    async function onCode(code) {
      offerLots(null);
      if (await tookBin(code, Boolean(context.bin), setBin)) return;
      const counted = readQty(qty.value);
      if (counted.error) return operatorError(t(counted.error, { value: qty.value.trim() }));
      await send(code, { bin: context.bin, qty: counted.value });
    }

    function setBin(bin) {
      context.bin = bin;
      saveContext("count", context);
      showContext();
    }

    async function send(code, counted) {
      const answer = await submitScan({ code, action: "count", context: counted });
      recent.add(code, answer);
      showAnswer(answer);
      const bin = answeredBin(answer); // a bin's bare code: nothing was counted, the number typed is kept
      if (bin) return setBin(bin);
      // The next item needs its own count: never reuse one by accident. A refused count keeps it (fix, scan again).
      if (answer.state !== "refused") qty.value = "";
      if (answer.body?.error?.code === "lot_required") {
        offerLots({ code, counted, lots: answer.body.error.details?.lots || [], refusedSeq: answer.scan.seq });
      }
      return answer;
    }

    function offerLots(refusal) {
      lotChoice.hidden = !refusal;
      if (!refusal) return replaceChildren(lotChoice);
      replaceChildren(lotChoice, h("p", {}, t("count_which_lot")), h("div", { class: "row" }, refusal.lots.map((lot) =>
        h("button", { type: "button", class: "lot-option", dataset: { lot }, onClick: () => chooseLot(refusal, lot) }, lot))));
    }

    // The same count again with the lot: a new scan (a new id), and the refusal it resolves leaves "To resolve".
    async function chooseLot({ code, counted, refusedSeq }, lot) {
      offerLots(null);
      const answer = await send(code, { ...counted, lot });
      if (answer.state !== "refused") await dismiss(refusedSeq);
    }

    return { onCode, destroy: panel.destroy };
  },
};

// The quantity as typed, read as the quantity field of the other screens reads it ("1,5" is 1.5); a count may be 0.
export function readQty(text) {
  const { value, error } = readNumber(text);
  if (error) return { error: { ambiguous: "count_ambiguous", empty: "need_qty_first", not_a_number: "count_not_a_number" }[error] };
  return value < 0 ? { error: "count_negative" } : { value };
}
