// Pending decisions: scans the server held for a supervisor (an over-delivery, an unknown lot…). Accept
// books them as scanned (a shipment leaving lines behind: with the rest kept on back-order, or recorded short);
// reject drops them with a note the operator will see.
import { h, visibleCode } from "../dom.js";
import { formatNumber, labelled, t } from "../i18n.js";
import { ApiError, call, callList, dateTimeText, layout, loading, shownOf, word } from "./common.js";

export default {
  title: "sv_decisions",
  back: "#/sv",
  render(main) {
    const body = layout(main, "#/sv/decisions");
    if (!body) return {};
    const refresh = () => loading(body, () => view(refresh));
    refresh();
    return {};
  },
};

async function view(refresh) {
  const pending = await callList("/api/v1/scans?outcome=pending&limit=500");
  const help = h("p", { class: "note" }, t("decisions_help"));
  if (!pending.items.length) return [help, h("p", { class: "note", id: "decisions-empty" }, t("no_pending"))];
  return [help, shownOf("decisions_shown_of", pending, "decisions-shown-of"),
    h("ol", { class: "decisions", id: "decisions" }, pending.items.map((scan) => decision(scan, refresh)))];
}

function decision(scan, refresh) {
  const note = h("input", { name: "note", placeholder: t("note"), "aria-label": t("note"), maxlength: 500 });
  const message = h("p", { role: "status" });
  const decide = (accept, rest = undefined) => async () => {
    for (const button of buttons) button.disabled = true;
    try {
      await call(`/api/v1/scans/${encodeURIComponent(scan.client_event_id)}/decision`, { method: "POST",
        body: { accept, note: note.value.trim() || null, ...(rest ? { rest } : {}) } });
      message.textContent = t("decided");
      refresh();
    } catch (error) {
      message.className = "error";
      // The server's refusal in its words, or no answer: the decision was not taken ("Could not load" misled).
      message.textContent = t(error instanceof ApiError ? "decision_refused" : "decision_not_sent", { reason: error.message });
      for (const button of buttons) button.disabled = false;
    }
  };
  // A shipment held with lines not picked: the rest is kept for later (the order stays open) or recorded short.
  const partial = scan.action === "ship" && scan.error_code === "not_all_picked";
  const buttons = [...(partial
    ? [h("button", { type: "button", class: "primary accept-back-order", onClick: decide(true, "back_order") }, t("accept_back_order")),
      h("button", { type: "button", class: "accept-short", onClick: decide(true, "short") }, t("accept_short"))]
    : [h("button", { type: "button", class: "primary", onClick: decide(true) }, t("accept"))]),
  h("button", { type: "button", class: "danger", onClick: decide(false) }, t("reject"))];
  const context = Object.entries(scan.context || {}).map(([key, value]) => labelled(t(key), value)).join(" · ");
  // what the scan is about, first: a count or an over-receipt names no item in its message
  const item = scan.product ? `${scan.qty !== undefined && scan.qty !== null ? `${formatNumber(scan.qty)} × ` : ""}${scan.product.name} (${scan.product.sku})` : "";
  return h("li", { class: "sv-card decision", dataset: { clientEventId: scan.client_event_id } },
    h("p", {}, h("strong", {}, word("action", scan.action)), " ", h("code", {}, visibleCode(scan.raw_code || "")), " — ", scan.message || scan.error_code || ""),
    item ? h("p", { class: "decision-item" }, item) : null,
    // who scanned, then on which device: a supervisor asks the operator, not the handheld
    h("p", { class: "note decision-who" }, [dateTimeText(scan.occurred_at), scan.user, scan.device, context]
      .filter(Boolean).join(" · ")),
    partial ? h("p", { class: "note" }, t("back_order_help")) : null,
    h("div", { class: "row" }, note, ...buttons), message);
}
