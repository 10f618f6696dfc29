// Pieces shared by the scanning screens: the context kept across reloads (the order, the bin) and the
// list of the last scans with their outcome.
import { h, replaceChildren, visibleCode } from "../dom.js";
import { api, messageOf } from "../api.js";
import { labelled, t } from "../i18n.js";
import { feedback } from "../feedback.js";

export function loadContext(screen) {
  try {
    return JSON.parse(localStorage.getItem(`tendu.context.${screen}`) || "{}");
  } catch {
    return {};
  }
}

export function saveContext(screen, context) {
  localStorage.setItem(`tendu.context.${screen}`, JSON.stringify(context));
}

// A mistake the device can see by itself (no order scanned yet…): said at once, nothing recorded.
// Whether a place label scanned names a place the server knows. Only a "no" from the server counts:
// offline, or with the server busy, the label is taken as scanned (the scans that follow will say).
export async function placeIsKnown(code) {
  if (!navigator.onLine) return true;
  try {
    const response = await api(`/api/v1/lookup?code=${encodeURIComponent(code)}`, { timeoutMs: 3000 });
    return response.status !== 404;
  } catch {
    return true;
  }
}

// A bin's own code scanned bare, without its TL:LOC: label (codes printed before Tendu: "A-01", "10020304"):
// the bin's code when the server knows it as a bin, else null. Online only: offline, the bin label is needed.
export async function bareBin(code) {
  if (!navigator.onLine) return null;
  try {
    const { status, body } = await api(`/api/v1/lookup?code=${encodeURIComponent(code)}`, { timeoutMs: 3000 });
    return status === 200 && body?.kind === "location" && body.location?.kind === "bin" ? body.location.code : null;
  } catch {
    return null;
  }
}

// No bin yet, and the code scanned is none: offline, only a Tendu bin label could have been recognised.
export function needBinFirst() {
  operatorError(t(navigator.onLine ? "need_bin_first" : "need_bin_label_offline"));
}

// The bin a scan's answer names: a bin code scanned bare where items go is looked up, not booked (server side).
export function answeredBin(answer) {
  return answer.body?.outcome === "looked_up" ? answer.body.bin || null : null;
}

export function operatorError(message) {
  feedback("error", { title: t("scan_refused"), big: message });
}

export function recentScans() {
  const items = [];
  const list = h("ol", { class: "recent", id: "recent-scans" });
  return {
    element: list,
    add(code, answer) {
      // A scan held for a supervisor is neither done nor refused: it is shown as waiting.
      const held = answer.status === 202 || answer.body?.outcome === "pending";
      const label = answer.state === "queued" ? t("scan_queued")
        : answer.state === "refused" ? labelled(t("scan_refused"), messageOf(answer.body))
          : held ? labelled(t("scan_pending"), messageOf(answer.body))
            : messageOf(answer.body) || t("scan_applied");
      const kind = held && answer.state !== "refused" ? "pending" : answer.state;
      items.unshift(h("li", { class: `recent-${kind}` }, h("code", {}, visibleCode(code)), " ", label));
      items.length = Math.min(items.length, 8);
      replaceChildren(list, items);
    },
  };
}

export function contextBar(...entries) {
  return h("dl", { class: "context" }, entries.flatMap(([label, value, id]) => [h("dt", {}, label), h("dd", { id }, value || "—")]));
}
