// Pieces shared by the scanning screens: the context kept across reloads (the order, the bin) and the
// list of the last scans with their outcome.
import { h, replaceChildren, visibleCode } from "../dom.js";
import { api, messageOf } from "../api.js";
import { cacheGet, cachePut } from "../store.js";
import { formatNumber, labelled, t } from "../i18n.js";
import { feedback } from "../feedback.js";
import { readLabel } from "../labels.js";

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

// The bins' codes, kept on the device: a bin scanned by its bare code ("A-01", "10020304", printed before Tendu)
// is told from an item at once, offline too (else, with a bin already set, it would be queued as an item and the
// next items booked to the old bin). Refreshed whenever a screen that takes bins opens online.
const BINS_KEY = "bins";
const BIN_PAGES = 40; // 500 a page: 20,000 bins at most
let bins = new Map(); // upper-case code → code

export async function loadBins() {
  try {
    bins = new Map((await cacheGet(BINS_KEY))?.value || []);
  } catch { /* no cache yet */ }
  if (!navigator.onLine) return;
  try {
    const found = [];
    for (let page = 1; page <= BIN_PAGES; page += 1) {
      const { status, body } = await api(`/api/v1/locations?active=true&per_page=500&page=${page}`, { timeoutMs: 10000 });
      if (status !== 200) return;
      for (const place of body.items) if (place.kind === "bin") found.push([place.code.toUpperCase(), place.code]);
      if (page * body.per_page >= body.total) break;
    }
    bins = new Map(found);
    await cachePut(BINS_KEY, found);
  } catch { /* unreachable: the list kept on the device serves */ }
}

// The bin a bare code names among the bins kept on the device, or null.
export function knownBin(code) {
  return bins.get(code.trim().toUpperCase()) || null;
}

// A code scanned where a bin is expected and not among the bins kept on the device (one created since): asked of
// the server. { bin } or { message } saying why it is no bin; offline, only the Tendu label can be recognised.
export async function binScanned(code) {
  const offline = { message: t("need_bin_label_offline") };
  if (!navigator.onLine) return offline;
  let answer;
  try {
    answer = await api(`/api/v1/lookup?code=${encodeURIComponent(code)}`, { timeoutMs: 3000 });
  } catch {
    return offline;
  }
  const { status, body } = answer;
  if (status === 200 && body?.kind === "location") {
    return body.location?.kind === "bin" ? { bin: body.location.code }
      : { message: t("not_a_bin_code", { code: body.location.code }) };
  }
  if (status === 200) return { message: t("need_bin_first") };           // an item, an order: the bin comes first
  if (status === 404 || status === 422) return { message: t("unknown_bin_code", { code: visibleCode(code.trim()) }) };
  return offline;
}

// A scan where a bin may be named: true when it set the bin (its TL:LOC label, or a bin's bare code the device
// knows or, with no bin set yet, the server does) or said why it could not; false when it is the screen's to send.
export async function tookBin(code, hasBin, setBin) {
  const label = readLabel(code);
  if (label?.type === "LOC") {
    if (await placeIsKnown(code)) setBin(label.value);
    else operatorError(t("unknown_place", { code: label.value }));
    return true;
  }
  const known = knownBin(code); // a bin by its bare code: switched to here, offline too
  if (known) {
    setBin(known);
    return true;
  }
  if (hasBin) return false;
  const { bin, message } = await binScanned(code);
  if (bin) setBin(bin);
  else operatorError(message);
  return true;
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
    add(code, answer, qty) {
      // A scan held for a supervisor is neither done nor refused: it is shown as waiting.
      const held = answer.status === 202 || answer.body?.outcome === "pending";
      const label = answer.state === "queued" ? t("scan_queued")
        : answer.state === "refused" ? labelled(t("scan_refused"), messageOf(answer.body))
          : held ? labelled(t("scan_pending"), messageOf(answer.body))
            : messageOf(answer.body) || t("scan_applied");
      const kind = held && answer.state !== "refused" ? "pending" : answer.state;
      // the quantity typed for the scan, with it ("× 20"): saved offline, the device can say nothing else of it
      items.unshift(h("li", { class: `recent-${kind}` }, h("code", {}, visibleCode(code)),
        qty === undefined ? null : h("b", { class: "recent-qty" }, ` × ${formatNumber(qty)}`), " ", label));
      items.length = Math.min(items.length, 8);
      replaceChildren(list, items);
    },
  };
}

export function contextBar(...entries) {
  return h("dl", { class: "context" }, entries.flatMap(([label, value, id]) => [h("dt", {}, label), h("dd", { id }, value || "—")]));
}
