// Dashboard: the figures a buyer looks at first, today's work, suppliers' reliability and a live feed of
// scans and exceptions (pushed by the server, no polling).
import { h, replaceChildren, visibleCode } from "../dom.js";
import { t } from "../i18n.js";
import { call, callList, card, dateText, isoDay, layout, loading, money, num, pct, table, tile, word } from "./common.js";
import { liveEvents } from "./live.js";
import { disposeCharts } from "./charts.js";

const FEED_LENGTH = 60;
const KIND = { receipt: "receptions", pick: "picks", shipment: "shipments" };

export default {
  title: "sv_dashboard",
  back: "#/",
  render(main) {
    const body = layout(main, "#/sv");
    if (!body) return {};
    const tiles = h("div", { class: "tiles", id: "sv-kpis" });
    const todayBox = h("div", { class: "tiles", id: "sv-today" });
    const latePos = h("div", { id: "sv-late-pos" });
    const suppliers = h("div", { id: "sv-suppliers" });
    const feedState = h("span", { class: "live-state", id: "live-state" }, t("live_connecting"));
    const feed = h("ol", { class: "feed", id: "live-feed" });
    const feedEmpty = h("p", { class: "note", id: "live-empty" }, t("live_waiting"));
    body.append(
      tiles,
      h("div", { class: "sv-grid" },
        card(t("today"), todayBox),
        card(h("span", {}, t("live_feed"), " ", feedState), feedEmpty, feed)),
      h("div", { class: "sv-grid sv-grid-2-3" }, card(t("late_pos"), latePos), card(t("supplier_otif"), suppliers)));

    loading(tiles, () => kpiTiles());
    loading(todayBox, () => todayTiles());
    loading(latePos, () => latePurchaseOrders());
    loading(suppliers, () => supplierTable());

    let refreshTimer = null;
    function refreshSoon() { // several movements in a burst: one refresh
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => {
        todayTiles().then((built) => replaceChildren(todayBox, built)).catch(() => {});
        latePurchaseOrders().then((built) => replaceChildren(latePos, built)).catch(() => {});
        refreshPending();
      }, 3000);
    }

    const stream = liveEvents({
      onState(state) {
        feedState.textContent = t(`live_${state}`);
        feedState.className = `live-state live-${state}`;
      },
      onEvent(event) {
        if (event.kind === "scan" || event.kind === "exception") {
          feedEmpty.hidden = true;
          feed.prepend(feedItem(event));
          while (feed.children.length > FEED_LENGTH) feed.lastElementChild.remove();
          // a scan held for a supervisor, or one decided: the waiting count changes (it stayed at 0 till a reload)
          if (event.outcome === "pending" || event.kind === "exception") refreshPending();
        } else {
          refreshSoon();
        }
      },
    });
    return {
      destroy() {
        stream.stop();
        clearTimeout(refreshTimer);
        disposeCharts();
      },
    };
  },
};

// The "waiting for a decision" tile, counted again.
async function refreshPending() {
  const pending = await callList("/api/v1/scans?outcome=pending&limit=1").catch(() => null);
  const figure = document.getElementById("kpi-pending");
  if (!pending || !figure) return;
  figure.textContent = num(pending.total);
  figure.closest(".tile")?.classList.toggle("tile-warn", pending.total > 0);
}

async function kpiTiles() {
  const [kpis, replenishment, pending, backOrders] = await Promise.all([
    call("/api/v1/analytics/kpis"), call("/api/v1/replenishment"),
    callList("/api/v1/scans?outcome=pending&limit=1").catch(() => null),
    callList("/api/v1/sales-orders?status=part_shipped&per_page=1").catch(() => null)]);
  const atReorder = replenishment.items.filter((item) => item.mode === "push").length;
  return [
    tile(t("stock_value"), money(kpis.stock_value), { id: "kpi-stock-value" }),
    tile(t("turnover"), t("sv_per_year", { n: num(kpis.turnover, 1) }), { id: "kpi-turnover" }),
    tile(t("at_reorder_point"), num(atReorder), { id: "kpi-at-reorder", href: "#/sv/replenishment",
      tone: atReorder ? "warn" : null, detail: t("lines_n", { n: replenishment.items.length }) }),
    // Both lead to the products behind their figure, on the stock screen.
    tile(t("stockouts_now"), num(kpis.out_of_stock_now), { id: "kpi-stockouts", href: "#/sv/stock?only=out_of_stock",
      tone: kpis.out_of_stock_now ? "bad" : "good" }),
    tile(t("dormant"), num(kpis.dormant), { id: "kpi-dormant", href: "#/sv/stock?only=dormant",
      detail: money(kpis.dormant_value) }),
    pending ? tile(t("pending_decisions"), num(pending.total), { id: "kpi-pending", href: "#/sv/decisions",
      tone: pending.total ? "warn" : null }) : null,
    // Customers still owed part of an order shipped in part.
    backOrders ? tile(t("so_show_part_shipped"), num(backOrders.total), { id: "kpi-back-orders",
      href: "#/sv/sales-orders?status=part_shipped", tone: backOrders.total ? "warn" : null }) : null,
  ];
}

// Today's receptions, picks and shipments, counted from the ledger (movements that happened today).
async function todayTiles() {
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  // Order lines worked on today (a line received in 20 scans is one line), and units.
  const totals = { receptions: [new Set(), 0], picks: [new Set(), 0], shipments: [new Set(), 0] };
  let after = null;
  for (let page = 0; page < 50; page += 1) {
    const query = new URLSearchParams({ since: midnight.toISOString(), limit: "1000" });
    if (after !== null) query.set("after_id", after);
    const answer = await call(`/api/v1/movements?${query}`);
    for (const m of answer.items) {
      const key = KIND[m.kind];
      if (key && new Date(m.occurred_at) >= midnight) {
        totals[key][0].add(m.po_line_id ?? m.so_line_id ?? `movement ${m.id}`);
        totals[key][1] += Number(m.qty);
      }
    }
    after = answer.next_after_id;
    if (after === null || after === undefined || !answer.items.length) break;
  }
  return Object.entries(totals).map(([key, [worked, units]]) => [key, worked.size, units]).map(([key, lines, units]) =>
    tile(t(key), num(lines), { id: `today-${key}`, detail: t("lines_units", {
      lines: t("n_lines", { n: lines, count: num(lines) }), units: t("n_units", { n: units, count: num(units) }) }) }));
}

async function latePurchaseOrders() {
  const today = isoDay(new Date());
  // The server judges "still waiting for goods" per line: a partly received order is late too.
  const page = await call(`/api/v1/purchase-orders?overdue_on=${today}&per_page=500`);
  const late = page.items.sort((a, b) => a.promised_date.localeCompare(b.promised_date));
  const daysLate = (po) => Math.round((new Date(`${today}T00:00:00`) - new Date(`${po.promised_date}T00:00:00`)) / 86400000);
  // The status is the furthest step of any line ('put away' once one line is on the shelves): what is still to come
  // says why the order is late.
  const leftToReceive = (po) => `${t("n_units", { n: Number(po.left), count: num(po.left, 3) })} · ${
    t("lines_left_of", { n: po.lines, left: num(po.lines_left), lines: num(po.lines) })}`;
  // Received or put away (a line's step) yet late: some units came, others not; the furthest step in a title.
  const lateState = (po) => (["received", "put_away"].includes(po.status)
    ? h("span", { title: t("po_furthest_step", { step: word("status", po.status) }) },
      t("po_partly_received", { left: num(po.left, 3) }))
    : word("status", po.status));
  return [
    h("p", { class: "big-figure", id: "late-count" }, num(page.total)),
    table([
      { label: t("po"), value: (po) => h("a", { href: `#/sv/lead-times?po=${encodeURIComponent(po.number)}` }, po.number) },
      { label: t("promised"), value: (po) => dateText(po.promised_date) },
      { label: t("status"), value: lateState },
      { label: t("left_to_receive"), value: leftToReceive, align: "num" },
      { label: t("value_to_come"), value: (po) => money(po.value_left), align: "num" },
      { label: "", value: (po) => t("late_by", { n: daysLate(po) }), align: "num" },
    ], late, { id: "late-table", rowProps: (po) => ({ dataset: { po: po.number } }) }),
  ];
}

// A measured delivery longer than the declared one stands out.
function late(measured, declared, text) {
  return measured > declared ? h("strong", { class: "late-figure" }, text) : text;
}

async function supplierTable() {
  const suppliers = await call("/api/v1/analytics/suppliers");
  const meter = (share) => h("span", { class: "meter-cell" },
    h("meter", { min: 0, max: 1, low: 0.8, high: 0.95, optimum: 1, value: share ?? 0 }), " ", pct(share));
  return table([
    { label: t("supplier"), value: (s) => h("a", { href: `#/sv/lead-times?supplier=${encodeURIComponent(s.supplier)}` }, s.name) },
    { label: t("otif"), value: (s) => meter(s.reliability?.otif) },
    { label: h("span", { title: t("supplier_fill_rate_help") }, t("supplier_fill_rate")), value: (s) => pct(s.reliability?.fill_rate), align: "num" },
    { label: t("declared"), value: (s) => t("sv_days", { n: num(s.declared_days, 1) }), align: "num" },
    // Like with like: the declared lead time promises a delivery (order sent → dock); the total the plan uses
    // also counts the order taking and the put-away.
    { label: h("span", { title: t("delivery_help") }, t("delivery_p50")), align: "num",
      value: (s) => late(s.delivery?.p50, s.declared_days, t("sv_days", { n: num(s.delivery?.p50, 1) })) },
    { label: h("span", { title: t("delivery_help") }, t("delivery_p90")), value: (s) => t("sv_days", { n: num(s.delivery?.p90, 1) }), align: "num" },
    { label: h("span", { title: t("total_lead_time_help") }, t("measured_p90")), value: (s) => t("sv_days", { n: num(s.lead_time?.p90, 1) }), align: "num" },
  ], suppliers, { id: "supplier-table" });
}

function feedItem(event) {
  const when = new Date(event.occurred_at || event.recorded_at || event.at || Date.now());
  const code = event.raw_code || event.code;
  const outcome = event.outcome || (event.kind === "exception" ? "exception" : "");
  const words = [word("action", event.action), event.sku, event.message || event.reason || event.error?.message].filter(Boolean).join(" · ");
  return h("li", { class: `feed-item feed-${event.kind} outcome-${outcome || "none"}`,
    dataset: { eventId: event.event_id ?? "", clientEventId: event.client_event_id ?? "" } },
  h("time", { datetime: when.toISOString() }, when.toLocaleTimeString()),
  h("span", { class: "feed-outcome" }, word("outcome", outcome || event.kind)),
  code ? h("code", {}, visibleCode(String(code))) : null,
  h("span", { class: "feed-words" }, words),
  event.device || event.user ? h("small", {}, event.user || "", event.device ? ` @ ${event.device}` : "") : null);
}
