// Lead times of one supplier: declared against measured, each stage's distribution, the trend, OTIF and
// fill rate; every number leads to the purchase-order lines behind it, and each order to its events.
// The figures are the server's (/analytics/lead-times); the charts are drawn from its lines as it measures
// them (/analytics/lead-times/lines: each line's steps and stages, DESIGN §4).
import { h, replaceChildren } from "../dom.js";
import { labelled, t } from "../i18n.js";
import { call, card, dateText, dateTimeText, days, layout, loading, num, pct, productLink, reasonForm, table, tile, word } from "./common.js";
import { chart, COLORS, disposeCharts, histogram, seconds } from "./charts.js";
import { supplierForm } from "./supplier-form.js";

const STAGES = ["order_delay", "supplier_delay", "transport_delay", "reception_delay"];
const MAX_LINES = 1000;
// The credibility weight of a product's own receptions, as server/domain/leadtime.py sets it: n / (n + k) with
// k = SHRINKAGE_K, and its own figures alone from FULL_CREDIBILITY_N receptions on.
export const SHRINKAGE_K = 5;
export const FULL_CREDIBILITY_N = 30;
const details = new Map(); // PO number → detail, for the orders opened from the lines

export default {
  title: "sv_lead_times",
  back: "#/sv",
  render(main, { params }) {
    const body = layout(main, "#/sv/lead-times");
    if (!body) return {};
    const show = (notice) => loading(body, () => view(params.get("supplier"), params.get("po"), notice, show));
    show();
    return { destroy: disposeCharts };
  },
};

// "Own weight" and "(weight n/(n+5))" in plain words, with the weight for a few receptions as examples.
export function ownWeightHelp() {
  const weight = (n) => pct(n / (n + SHRINKAGE_K));
  return t("lt_weight_help", { k: SHRINKAGE_K, one: weight(1), five: weight(5), fifteen: weight(15),
    full: FULL_CREDIBILITY_N });
}

async function view(chosen, poNumber, notice, reload) {
  const suppliers = await call("/api/v1/analytics/suppliers");
  let focusPo = null;
  if (poNumber) {
    focusPo = await orderDetail(poNumber, true);
    chosen = focusPo.supplier;
  }
  const code = chosen || suppliers[0]?.supplier;
  const picker = h("select", { id: "lt-supplier", "aria-label": t("supplier"), onChange(event) {
    location.hash = `#/sv/lead-times?supplier=${encodeURIComponent(event.target.value)}`;
  } }, suppliers.map((s) => h("option", { value: s.supplier, selected: s.supplier === code }, `${s.name} (${s.supplier})`)));
  if (!code) return [picker, h("p", { class: "note" }, t("sv_none"))];

  const [measured, lines, settings] = await Promise.all([
    call(`/api/v1/analytics/lead-times?supplier=${encodeURIComponent(code)}`),
    call(`/api/v1/analytics/lead-times/lines?supplier=${encodeURIComponent(code)}&limit=${MAX_LINES}`),
    call(`/api/v1/suppliers/${encodeURIComponent(code)}`)]);
  const summary = measured.suppliers[0] || suppliers.find((s) => s.supplier === code) || {};
  const drill = h("div", { id: "lt-drill" });
  const drillCard = card(null, drill);
  drillCard.hidden = true;
  const showLines = (title, chosenLines) => {
    drillCard.hidden = false;
    replaceChildren(drill, h("h3", {}, title), linesTable(chosenLines, drill));
    drill.scrollIntoView({ block: "nearest", behavior: "smooth" });
  };

  const r = summary.reliability || {};
  const lt = summary.lead_time || {};
  const figures = h("div", { class: "tiles", id: "lt-figures" },
    tile(t("declared"), days(summary.declared_days), { id: "lt-declared" }),
    tile(t("delivery_p50"), days(summary.delivery?.p50), { id: "lt-delivery", title: t("delivery_help"),
      detail: `p90 ${days(summary.delivery?.p90)}`, tone: summary.delivery?.p50 > summary.declared_days ? "warn" : null }),
    tile(t("measured_p50"), days(lt.p50), { id: "lt-p50", title: t("total_lead_time_help"), detail: `${t("mean")} ${days(lt.mean)}` }),
    tile(t("measured_p90"), days(lt.p90), { id: "lt-p90", title: t("total_lead_time_help") }),
    h("button", { type: "button", class: "tile tile-button", id: "lt-n", onClick: () => showLines(t("lt_lines"), lines.filter((line) => line.total !== null)) },
      h("span", { class: "tile-label" }, t("receptions_n")), h("strong", { class: "tile-value" }, num(lt.n))),
    tile(t("otif"), pct(r.otif), { id: "lt-otif", tone: r.otif < 0.8 ? "bad" : "good", detail: `${t("on_time")} ${pct(r.on_time)} · ${t("in_full")} ${pct(r.in_full)}` }),
    h("div", { class: "tile", title: t("supplier_fill_rate_help") }, h("span", { class: "tile-label" }, t("supplier_fill_rate")),
      h("strong", { class: "tile-value", id: "lt-fill-rate" }, pct(r.fill_rate))),
    tile(t("lateness"), days(r.lateness?.mean_days_late_when_late), { id: "lt-lateness",
      detail: h("span", { id: "lt-late-share" }, t("late_share_of_lines", { share: pct(r.lateness?.late_share) })) }));

  const stageCards = STAGES.map((stage) => stageChart(stage, summary.stages?.[stage] || {}, lines, showLines));
  const measuredLines = lines.filter((line) => line.total !== null);
  const trend = chart({
    id: "lt-trend", label: t("lt_trend"), time: true, height: 280, yLabel: t("days"), yMin: 0,
    x: measuredLines.map((line) => seconds(line.available)),
    series: [
      { label: t("lt_total"), values: measuredLines.map((line) => line.total), type: "points", color: COLORS.blue },
      { label: t("declared"), values: measuredLines.map(() => summary.declared_days ?? null), color: COLORS.orange, dash: [6, 4], spanGaps: true },
      { label: "p90", values: measuredLines.map(() => lt.p90 ?? null), color: COLORS.red, dash: [2, 4], spanGaps: true },
    ],
    yFormat: (v) => num(v, 1),
    onPick: (index) => showLines(`${t("po")} ${measuredLines[index].po}`, [measuredLines[index]]),
  });

  const focus = focusPo ? card(`${t("po")} ${focusPo.number}`, orderView(focusPo)) : null;
  return [
    h("div", { class: "sv-toolbar" }, picker, h("span", { class: "note" }, t("lt_drill_hint"))),
    focus,
    card(`${t("lt_declared_vs_measured")} — ${summary.name || code}`, figures),
    h("div", { class: "sv-grid sv-grid-4" }, stageCards),
    card(t("lt_trend"), trend, h("p", { class: "note" }, t("lt_sample_note", { n: num(lines.length) }))),
    card(t("lt_products"), productsTable(measured.products, lines, showLines),
      h("p", { class: "note", id: "lt-weight-help" }, ownWeightHelp())),
    drillCard,
    card(t("supplier_settings"), supplierForm(settings, notice, reload)),
  ];
}

function stageChart(stage, stats, lines, showLines) {
  // As the server: only lines available in stock count (an open order's first stages would bias them low).
  const withValue = lines.filter((line) => line.available && line.stages[stage] !== null);
  const bins = histogram(withValue.map((line) => line.stages[stage]), 10);
  const label = t(`lt_stage_${stage}`);
  const spread = bins.edges.length ? bins.edges[bins.edges.length - 1] - bins.edges[0] : 0;
  const digits = spread < 1 ? 2 : 1;
  const element = chart({
    id: `lt-stage-${stage}`, label, height: 200, x: bins.x, xFormat: (v) => num(v, digits), xAxisLabel: t("days"),
    series: [{ label: t("sv_count"), values: bins.counts, type: "bars", color: COLORS.brand }],
    yFormat: (v) => num(v),
    onPick(index) {
      const [low, high] = [bins.edges[index], bins.edges[index + 1]];
      const last = index === bins.counts.length - 1;
      showLines(labelled(label, `${num(low, digits)} – ${num(high, digits)} ${t("days")}`),
        withValue.filter((line) => line.stages[stage] >= low && (last ? line.stages[stage] <= high : line.stages[stage] < high)));
    },
  });
  return card(label, element, h("p", { class: "stage-stats", id: `lt-stats-${stage}` },
    h("button", { type: "button", class: "link", onClick: () => showLines(label, withValue) }, `n = ${num(stats.n)}`),
    ` · p50 ${days(stats.p50)} · p90 ${days(stats.p90)} · ${t("mean")} ${days(stats.mean)}`));
}

function productsTable(products, lines, showLines) {
  return table([
    { label: t("sku"), value: (p) => productLink(p.sku) },
    { label: t("receptions_n"), align: "num", value: (p) => h("button", { type: "button", class: "link",
      onClick: () => showLines(p.sku, lines.filter((line) => line.sku === p.sku)) }, num(p.estimate.n)) },
    { label: t("lt_source"), value: (p) => word("source", p.estimate.source) },
    { label: h("span", { title: ownWeightHelp() }, t("lt_weight")), align: "num", value: (p) => pct(p.estimate.weight) },
    { label: t("mean"), align: "num", value: (p) => days(p.estimate.mean) },
    { label: "p50", align: "num", value: (p) => days(p.estimate.p50) },
    { label: "p90", align: "num", value: (p) => days(p.estimate.p90) },
  ], products, { id: "lt-products" });
}

function linesTable(lines, container) {
  return table([
    { label: t("po"), value: (line) => h("button", { type: "button", class: "link po-link", onClick: async () => {
      const detail = await orderDetail(line.po, true);
      container.append(card(`${t("po")} ${detail.number}`, orderView(detail)));
    } }, line.po) },
    { label: t("sku"), value: (line) => productLink(line.sku) },
    { label: t("ordered"), align: "num", value: (line) => num(line.ordered) },
    { label: t("received"), align: "num", value: (line) => num(line.received) },
    { label: t("need_detected"), value: (line) => dateText(line.need_detected) },
    ...STAGES.map((stage) => ({ label: t(`lt_stage_${stage}`).split(" (")[0], align: "num", value: (line) => num(line.stages[stage], 1) })),
    { label: t("sv_total"), align: "num", value: (line) => h("strong", {}, num(line.total, 1)) },
    { label: t("promised"), value: (line) => dateText(line.promised) },
    { label: t("available_at"), value: (line) => dateText(line.available) },
  ], lines, { id: "lt-lines", rowProps: (line) => ({ dataset: { po: line.po, sku: line.sku } }) });
}

function orderView(detail) {
  const view = h("div", { class: "po-detail", dataset: { po: detail.number } },
    h("p", {}, [labelled(t("supplier"), detail.supplier), labelled(t("status"), poStatus(detail)),
      labelled(t("promised"), dateText(detail.promised_date))].join(" · ")),
    table([
      { label: t("sku"), value: (line) => productLink(line.sku) },
      { label: t("name"), value: (line) => line.name },
      { label: t("ordered"), align: "num", value: (line) => num(line.ordered) },
      { label: t("received"), align: "num", value: (line) => num(line.received) },
    ], detail.lines),
    h("h3", {}, t("events")),
    h("ol", { class: "events" }, detail.events.map((event) => h("li", {},
      h("time", {}, dateTimeText(event.occurred_at)), " ", h("strong", {}, word("event", event.kind)),
      event.line_id ? ` (${t("line")} ${detail.lines.find((l) => l.line_id === event.line_id)?.sku || event.line_id})` : "",
      event.note ? ` — ${event.note}` : ""))),
    ["closed", "cancelled"].includes(detail.status) ? null : closeForm(detail, (closed) => view.replaceWith(orderView(closed))));
  return view;
}

// An order's status is its furthest line's step: "put away" with most of it still to come is put away in part, as
// the phone's open orders say it (screens/open-orders.js).
const PARTLY = ["received", "put_away"];
export function poStatus(detail) {
  const left = detail.lines.reduce((sum, line) => sum + Math.max(0, Number(line.left ?? line.ordered - line.received)), 0);
  return left > 0 && PARTLY.includes(detail.status)
    ? t("status_partly", { status: word("status", detail.status) }) : word("status", detail.status);
}

// The supplier will not deliver the rest.
function closeForm(detail, done) {
  return reasonForm({ path: `/api/v1/purchase-orders/${encodeURIComponent(detail.number)}/close`,
    className: "close-po", submitLabel: t("close_po"), reasonLabel: t("close_reason"), help: t("close_help"),
    done(closed) {
      details.set(detail.number, closed);
      done(closed);
    } });
}

async function orderDetail(number, fresh = false) {
  if (fresh || !details.has(number)) details.set(number, await call(`/api/v1/purchase-orders/${encodeURIComponent(number)}`));
  return details.get(number);
}


