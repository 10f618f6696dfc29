// Valuation and flows: stock value over time (weighted average cost), value in and out per week, the
// dormant stock, the ABC split of the cost of goods sold, and the value at the end of a chosen day, per product.
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { call, card, dateText, isoDay, layout, loading, money, num, pct, productLink, table, tile } from "./common.js";
import { chart, COLORS, disposeCharts, seconds } from "./charts.js";

export default {
  title: "sv_valuation",
  back: "#/sv",
  render(main) {
    const body = layout(main, "#/sv/valuation");
    if (!body) return {};
    loading(body, view);
    return { destroy: disposeCharts };
  },
};

async function view() {
  const [kpis, flows, history] = await Promise.all([call("/api/v1/analytics/kpis"),
    call("/api/v1/analytics/flows?bucket=week"), call("/api/v1/analytics/valuation/history?bucket=week")]);
  // The value at the end of each week, and today: the whole period, the same 12 months as the flows beside it (the
  // server folds the year's ledger in one pass whatever is drawn; 53 points are nothing for the chart). A ledger
  // younger than that starts at its first week with stock: months of zero before it would say nothing.
  const first = history.findIndex((point) => point.value !== 0);
  const points = first > 0 ? history.slice(first - 1) : history;
  const ends = points.map((point) => point.at);
  const values = points.map((point) => point.value);

  // Both charts cover the server's default period: a year to today (its last day is the curve's last point).
  const period = { since: dateText(kpis.since), until: dateText(points.at(-1)?.at ?? kpis.until),
    first: dateText(points[0]?.at) };
  const products = kpis.products || [];
  // The server's period ends before 'until' (tomorrow): say the last day counted, as the charts do.
  const last = new Date(`${kpis.until}T00:00:00`);
  last.setDate(last.getDate() - 1);
  const counted = `${dateText(kpis.since)} → ${dateText(isoDay(last))}`;
  const dormant = products.filter((p) => p.dormant).sort((a, b) => b.value - a.value);
  return [
    h("div", { class: "tiles", id: "val-kpis" },
      tile(t("stock_value"), money(kpis.stock_value), { id: "val-stock-value" }),
      tile(t("cogs"), money(kpis.cogs), { detail: counted }),
      tile(t("turnover"), t("sv_per_year", { n: num(kpis.turnover, 1) })),
      tile(t("adjusted"), signedMoney(kpis.adjusted_value), { id: "val-adjusted", title: t("adjusted_help"),
        detail: counted, tone: kpis.adjusted_value < 0 ? "warn" : null }),
      tile(t("dormant"), num(kpis.dormant), { detail: money(kpis.dormant_value), tone: kpis.dormant ? "warn" : null })),
    h("div", { class: "sv-grid" },
      card(t("value_over_time"), chart({ id: "val-value", label: t("value_over_time"), time: true, height: 260, yMin: 0,
        x: ends.map(seconds), series: [{ label: t("stock_value"), values, type: "area", color: COLORS.brand }],
        yFormat: money }), h("p", { class: "note", id: "val-value-period" }, t(points.length < history.length ? "value_period_from_first" : "value_period", period))),
      card(t("flows_week"), chart({ id: "val-flows", label: t("flows_week"), time: true, height: 260, yMin: 0,
        x: flows.map((row) => seconds(row.period)),
        series: [
          { label: t("inflows"), values: flows.map((row) => row.in_value), type: "bars", color: COLORS.blue, align: -1, size: 0.4 },
          { label: t("outflows"), values: flows.map((row) => row.out_value), type: "bars", color: COLORS.orange, align: 1, size: 0.4 },
        ], yFormat: money }), h("p", { class: "note", id: "val-flows-period" }, t("flows_period", period)))),
    h("div", { class: "sv-grid" },
      card(t("abc_chart"), ...abc(products)),
      card(t("dormant_stock"), table([
        { label: t("sku"), value: (p) => productLink(p.sku) },
        { label: t("name"), value: (p) => p.name },
        { label: t("on_hand_now"), align: "num", value: (p) => num(p.on_hand, 1) },
        { label: t("value"), align: "num", value: (p) => money(p.value) },
        { label: t("days_since_outflow"), align: "num", value: (p) => num(p.days_since_outflow) },
      ], dormant, { id: "val-dormant" }),
      h("p", { class: "note", id: "val-dormant-rule" }, t("dormant_rule", { days: num(kpis.dormant_days) })))),
    valueAtDay(),
  ];
}

// The value at the end of a chosen day (today unless changed), product by product: what hovering the weekly curve
// cannot say for a day between two week ends, nor for each product.
function valueAtDay() {
  const today = isoDay(new Date());
  const input = h("input", { type: "date", id: "val-at", name: "at", max: today, value: today, required: true });
  const result = h("div", { id: "val-at-result" });
  const show = () => loading(result, () => valuedAt(input.value, today));
  input.addEventListener("change", () => { if (input.value) show(); });
  show();
  return card(t("val_at"), h("label", { class: "field val-at-field" }, t("val_at_day"), input), result);
}

async function valuedAt(day, today) {
  // Today is asked without a day: the value now, whatever the desk's time zone against the server's days (UTC). A
  // day after that is the server's to refuse, in its words.
  const answer = await call(day === today ? "/api/v1/analytics/valuation"
    : `/api/v1/analytics/valuation?at=${encodeURIComponent(day)}`);
  return [
    h("div", { class: "tiles" }, tile(t("val_at_value", { date: dateText(day) }), money(answer.value), { id: "val-at-value" })),
    table([
      { label: t("sku"), value: (p) => productLink(p.sku) },
      { label: t("name"), value: (p) => p.name },
      { label: t("val_at_qty"), align: "num", value: (p) => num(p.qty, 3) },
      { label: h("span", { title: t("stock_wac_help") }, t("stock_wac")), align: "num", value: (p) => money(p.wac, 2) },
      { label: t("value"), align: "num", value: (p) => money(p.value) },
    ], answer.products, { id: "val-at-table", empty: t("val_at_none") }),
  ];
}

// A difference says its sign: "+120 €" found, "−1 234 €" written off.
function signedMoney(value) {
  const euros = Math.round(value ?? 0);
  const text = money(Math.abs(euros));
  return euros > 0 ? `+${text}` : euros < 0 ? `\u2212${text}` : text;
}

// Pareto of the cost of goods sold: items by decreasing COGS; A up to 80 % of the total, B up to 95 %.
function abc(products) {
  const sorted = [...products].sort((a, b) => (b.cogs || 0) - (a.cogs || 0));
  const total = sorted.reduce((sum, p) => sum + (p.cogs || 0), 0);
  const x = [0];
  const cumulative = [0];
  const classes = [null];
  const counts = { A: 0, B: 0, C: 0 };
  let running = 0;
  sorted.forEach((p, index) => {
    const before = total ? running / total : 0;
    running += p.cogs || 0;
    const klass = before < 0.8 ? "A" : before < 0.95 ? "B" : "C";
    counts[klass] += 1;
    x.push(((index + 1) / sorted.length) * 100);
    cumulative.push(total ? (running / total) * 100 : 0);
    classes.push(klass);
  });
  const shares = { A: x.map(() => null), B: x.map(() => null), C: x.map(() => null) };
  for (let i = 1; i < x.length; i += 1) { // each class's segment starts where the previous one ends
    shares[classes[i]][i] = cumulative[i];
    shares[classes[i]][i - 1] = cumulative[i - 1];
  }
  return [
    chart({ id: "val-abc", label: t("abc_chart"), height: 260, x, yMin: 0, xFormat: (v) => pct(v / 100),
      xAxisLabel: t("share_items"),
      series: [
        { label: t("abc_a"), values: shares.A, type: "area", color: COLORS.brand, fill: "rgba(11,110,79,.25)" },
        { label: t("abc_b"), values: shares.B, type: "area", color: COLORS.blue, fill: "rgba(47,111,186,.25)" },
        { label: t("abc_c"), values: shares.C, type: "area", color: COLORS.grey, fill: "rgba(123,135,148,.25)" },
      ], yFormat: (v) => pct(v / 100) }),
    h("p", { class: "note", id: "val-abc-counts" }, t("abc_counts", { a: counts.A, b: counts.B, c: counts.C })),
  ];
}
