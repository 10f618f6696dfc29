// Put-away: scan the bin label, then each item placed in it (dock → bin).
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { showAnswer, submitScan } from "../scanner.js";
import { scanPanel } from "../scan-panel.js";
import { answeredBin, contextBar, loadBins, loadContext, recentScans, saveContext, tookBin } from "./common.js";
import { qtyField } from "./qty-field.js";

export default {
  title: "put_away_title",
  render(main) {
    const context = loadContext("put_away");
    loadBins(); // (in the background: the bins kept on the device serve meanwhile)
    const qty = qtyField();
    const panel = scanPanel({ onCode });
    const recent = recentScans();
    const bar = h("div");
    main.append(bar, qty.element, panel.element, recent.element);
    showContext();

    function showContext() {
      replaceChildren(bar, contextBar([t("bin"), context.bin, "current-bin"]));
      panel.setPrompt(context.bin ? t("put_away_prompt_items", { bin: context.bin }) : t("put_away_prompt_bin"));
    }

    function setBin(bin) {
      context.bin = bin;
      saveContext("put_away", context);
      showContext();
    }

    async function onCode(code) {
      if (await tookBin(code, Boolean(context.bin), setBin)) return;
      const taken = qty.take();
      if (!taken) return;
      const answer = await submitScan({ code, action: "put_away", context: { bin: context.bin, qty: taken.qty } });
      qty.answered(taken, answer);
      recent.add(code, answer, taken.qty);
      showAnswer(answer);
      const bin = answeredBin(answer);
      if (bin) setBin(bin);
    }

    return { onCode, destroy: panel.destroy };
  },
};
