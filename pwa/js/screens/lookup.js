// Look-up: what a code is, how many, where, when more is coming. Offline, the last answer saved on this
// device is shown with its age.
import { h, replaceChildren, visibleCode } from "../dom.js";
import { age, formatDay, formatNumber, labelled, t, word } from "../i18n.js";
import { api, NetworkError } from "../api.js";
import { withRealSeparators } from "../scanner.js";
import { cacheGet, cachePut } from "../store.js";
import { feedback } from "../feedback.js";
import { scanPanel } from "../scan-panel.js";

export default {
  title: "lookup_title",
  render(main, { initialCode } = {}) {
    const panel = scanPanel({ onCode, prompt: t("lookup_prompt") });
    const result = h("section", { class: "lookup-result", id: "lookup-result" });
    main.append(panel.element, result);
    if (initialCode) onCode(initialCode);

    async function onCode(rawCode) {
      const code = withRealSeparators(rawCode);
      const key = `lookup:${code}`;
      try {
        const { status, body } = await api(`/api/v1/lookup?code=${encodeURIComponent(code)}&promise=true`);
        if (status !== 200) {
          feedback("error", { title: t("scan_refused"), big: body?.error?.message || String(status) });
          return replaceChildren(result, h("p", { class: "error" }, body?.error?.message || ""));
        }
        await cachePut(key, body);
        feedback("ok", { title: t("scan_lookup"), big: titleOf(body) });
        replaceChildren(result, view(body, code));
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        const cached = await cacheGet(key);
        if (!cached) {
          feedback("error", { title: t("offline"), big: t("no_cached_data") });
          return replaceChildren(result, h("p", { class: "error" }, t("no_cached_data")));
        }
        feedback("queued", { title: t("offline"), big: titleOf(cached.value) });
        replaceChildren(result, h("p", { class: "note stale", id: "lookup-age" }, t("cached_as_of", { age: age(cached.saved_at) })),
          view(cached.value, code));
      }
    }

    return { onCode, destroy: panel.destroy };
  },
};

function titleOf(found) {
  return found.product?.name || found.location?.code || found.order?.number || "";
}

function view(found, code) {
  const stock = found.stock;
  return h("div", {},
    h("h2", { class: "big" }, titleOf(found)),
    h("p", { class: "note" }, found.product?.sku || found.location?.name || word("status", found.order?.status), " · ", h("code", {}, visibleCode(code))),
    stock ? h("dl", { class: "figures" },
      figure(t("on_hand"), stock.on_hand), figure(t("reserved"), stock.reserved),
      figure(t("available"), stock.available), figure(t("on_order"), stock.on_order),
      stock.expected_date ? [h("dt", {}, t("expected")), h("dd", {}, formatDay(stock.expected_date))] : null) : null,
    found.promise ? h("p", { class: "promise", id: "lookup-promise" }, h("strong", {}, labelled(t("promise"), formatDay(found.promise.date))),
      " — ", found.promise.explanation) : null,
    stock?.by_location?.length ? h("div", {}, h("h3", {}, t("where")), table([t("bin"), t("lot"), t("expiry"), t("qty")],
      stock.by_location.map((row) => [row.location, row.lot || "", formatDay(row.expiry), formatNumber(row.qty)]))) : null,
    found.contents?.length ? h("div", {}, h("h3", {}, t("contents")), table([t("item"), t("lot"), t("expiry"), t("qty")],
      found.contents.map((row) => [`${row.name} (${row.sku})`, row.lot || "", formatDay(row.expiry), formatNumber(row.qty)]))) : null,
    found.kind === "location" && !found.contents?.length ? h("p", {}, t("nothing_here")) : null,
    found.lines?.length ? orderLines(found) : null);
}

// An order's lines and how far each is: its status alone is the furthest step of any line.
function orderLines(found) {
  if (found.kind === "sales_order") return salesLines(found);
  return h("div", { id: "lookup-lines" }, h("h3", {}, t("order")),
    table([t("item"), t("line_ordered"), t("line_received")], found.lines.map((line) => [
      `${line.name} (${line.sku})`, formatNumber(line.ordered), formatNumber(line.received)])));
}

// A sales order may ship in part: what shipped, and what the customer still waits for ("left", ordered − shipped −
// short). Six columns do not fit a 390 px phone: each line's item has its own row above its five figures.
// (A look-up saved by an older version has no shipped nor left: those cells stay empty.)
function salesLines(found) {
  const headings = [t("line_ordered"), t("line_picked"), t("line_short"), t("line_shipped"), t("line_left")];
  const figures = (line) => [line.ordered, line.picked, line.short, line.shipped, line.left]
    .map((value) => h("td", {}, value === undefined ? "" : formatNumber(value)));
  return h("div", { id: "lookup-lines" }, h("h3", {}, t("order")),
    h("table", { class: "order-lines sales" },
      h("thead", {}, h("tr", {}, headings.map((heading) => h("th", {}, heading)))),
      h("tbody", {}, found.lines.flatMap((line) => [
        h("tr", { class: "line-item", dataset: { sku: line.sku } },
          h("td", { colspan: headings.length }, `${line.name} (${line.sku})`)),
        h("tr", { class: "line-figures", dataset: { sku: line.sku } }, figures(line))]))));
}

function figure(label, value) {
  return [h("dt", {}, label), h("dd", {}, formatNumber(value))];
}

function table(headings, rows) {
  return h("table", {}, h("thead", {}, h("tr", {}, headings.map((heading) => h("th", {}, heading)))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((cell) => h("td", {}, cell))))));
}
