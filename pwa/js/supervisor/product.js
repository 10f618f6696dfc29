// One product: stock over time from the ledger (receptions and shipments marked), demand history with the
// forecast, the policy explained step by step, push or pull and why, and the buyer's overrides.
import { h } from "../dom.js";
import { labelled, language, t } from "../i18n.js";
import { ApiError, call, card, dateText, days, decimalText, layout, loading, methodText, num, pct, readDecimal,
  serverText, table, tile, word } from "./common.js";
import { chart, COLORS, disposeCharts, seconds } from "./charts.js";
import { ownWeightHelp } from "./lead-times.js";

const OVERRIDABLE = ["order_quantity", "safety_stock", "reorder_point", "order_up_to"];
const TARGETS = ["fill_rate_target", "cycle_service_target"];   // typed and shown in %, stored as shares
const TARGET_DIGITS = 2;    // the form takes up to 99.99 %
const [TARGET_MIN, TARGET_MAX] = [50, 99.99];   // (in %: what the form took as type=number min and max)
const INPUTS = ["demand_mean", "lead_time_mean", "lead_time_sd"];   // what the computation starts from
const WEEK = 7 * 86400;
const FORECAST_WEEKS = 8;
const PART_WEEK_FILL = "rgba(47, 111, 186, .35)";   // COLORS.blue, lighter: a week the history holds in part

export default {
  title: "sv_product",
  back: "#/sv",
  render(main, { params }) {
    const body = layout(main, null);
    if (!body) return {};
    const sku = (params.get("sku") || "").trim();
    const show = (notice) => loading(body, () => view(sku, notice, show));
    if (sku) show();
    else body.append(h("p", { class: "note" }, t("sv_find_product")));
    return { destroy: disposeCharts };
  },
};

async function view(sku, notice, reload) {
  disposeCharts();
  const path = `/api/v1/products/${encodeURIComponent(sku)}`;
  const [product, policy, stock, movements] = await Promise.all([
    call(path), call(`${path}/policy`), call(`/api/v1/stock?product=${encodeURIComponent(sku)}&per_page=500`),
    ledger(sku)]);
  document.getElementById("title").textContent = `${product.sku} · ${product.name}`;
  const onHand = stock.items.reduce((sum, row) => sum + Number(row.qty), 0);
  const p = policy.policy || {};
  const lt = policy.lead_time || {};
  const demand = policy.demand || {};
  const periodic = p.review_period_days !== null && p.review_period_days !== undefined;
  // What the list plans with (the server's): the estimate, or the buyer's forced lead time.
  const planned = { ...lt, ...policy.lead_time_planned, forced: policy.lead_time_planned?.source === "forced" };

  const header = card(`${product.name} (${product.sku})`,
    h("div", { class: "tiles" },
      tile(t("on_hand_now"), num(onHand, 2), { id: "product-on-hand" }),
      tile(t("mode"), word("mode", policy.mode), { id: "product-mode", tone: policy.mode === "push" ? "good" : "warn",
        detail: t(policy.mode) }),
      periodic ? tile(t("order_up_to"), num(p.order_up_to, 1), { id: "product-rop" })
        : tile(t("reorder_point"), num(p.reorder_point, 1), { id: "product-rop" }),
      tile(t("safety_stock"), num(p.safety_stock, 1), { id: "product-ss" }),
      periodic ? tile(t("review_period"), t("sv_days", { n: p.review_period_days }), { id: "product-q",
        detail: t("next_review", { date: dateText(policy.next_review) }) })
        : tile(t("order_quantity"), num(p.order_quantity, 1), { id: "product-q" }),
      tile(t("lead_time_used"), days(planned.mean), { id: "product-lt", href: product.supplier ? `#/sv/lead-times?supplier=${encodeURIComponent(product.supplier)}` : null,
        detail: leadTimeDetail(lt, planned) }),
      tile(t("demand_class"), [classText(demand.class), ` · ${t("abc_class")} ${demand.abc ?? "–"}`],
        { tone: "text",
          detail: [methodName(demand.forecast_method), ` · ${num(demand.daily_mean, 2)} / ${t("day")}`] })),
    h("p", { class: "reason", id: "product-reason" }, h("strong", {}, labelled(t("reason"), "")),
      serverText(policy.reason)),
    // Day one: nothing sold yet, so nothing to keep in stock; a buyer who knows the demand says it below.
    demand.weekly?.length && demand.weekly.every((week) => !week.qty) && !product.policy_overrides?.demand_mean
      ? h("p", { class: "note warn", id: "product-no-history" }, t("no_demand_history")) : null,
    h("p", { class: "note", id: "product-lt-note" }, serverText(language() === "fr" ? lt.note_fr : lt.note_en),
      // (the server's note of a pooled estimate gives its weight as n/(n+5): in plain words too)
      ["shrunk_to_supplier", "supplier_pool"].includes(lt.source)
        ? h("small", { class: "help", id: "product-lt-weight-help" }, " ", ownWeightHelp()) : null));

  return [
    header,
    card(t("stock_over_time"), ...stockChart(movements, p)),
    card(t("demand_history"), ...demandChart(demand)),
    card(t("policy_steps"), stepsTable(policy.steps || []), declaredTable(p, policy.if_declared || {}, lt,
      product.policy_overrides?.lead_time_mean)),
    card(t("overrides"), overridesForm(product, p, notice, reload,
      { demand_mean: demand.daily_mean, lead_time_mean: lt.mean, lead_time_sd: lt.sd })),
  ];
}

// Under the lead-time tile: the p50 and p90 the plan uses; when the buyer forced them, labelled so, with the
// estimate's own figures after, labelled as measured (or declared, when nothing was measured).
function leadTimeDetail(lt, planned) {
  const declared = `${t("lt_declared_short")} ${days(lt.declared_days)}`;
  if (!planned.forced) return h("span", { id: "product-lt-detail" }, `p50 ${days(lt.p50)} · p90 ${days(lt.p90)} · ${declared}`);
  const estimated = lt.source === "declared" ? t("lt_declared_short") : t("lt_measured_short");
  return h("span", { id: "product-lt-detail" },
    h("span", { id: "product-lt-planned" }, labelled(t("lt_forced_short"), `p50 ${days(planned.p50)} · p90 ${days(planned.p90)}`)),
    h("br"),
    h("span", { id: "product-lt-measured" }, labelled(estimated, `p50 ${days(lt.p50)} · p90 ${days(lt.p90)}`),
      lt.source === "declared" ? "" : ` · ${declared}`));
}

// The product's whole ledger, oldest first.
async function ledger(sku) {
  const items = [];
  let after = null;
  for (let page = 0; page < 100; page += 1) {
    const query = new URLSearchParams({ product: sku, limit: "1000" });
    if (after !== null) query.set("after_id", after);
    const answer = await call(`/api/v1/movements?${query}`);
    items.push(...answer.items);
    after = answer.next_after_id;
    if (after === null || after === undefined || !answer.items.length) break;
  }
  return items;
}

// Stock level after each movement: in (no source) adds, out (no destination) removes, moves between
// places change nothing in total. Sorted by when it happened, not when the server heard of it.
function stockChart(movements, policy) {
  const sorted = [...movements].sort((a, b) => new Date(a.occurred_at) - new Date(b.occurred_at) || a.id - b.id);
  const x = [];
  const level = [];
  const receptions = [];
  const shipments = [];
  let total = 0;
  for (const m of sorted) {
    const qty = Number(m.qty);
    if (m.to_location && !m.from_location) total += qty;
    else if (m.from_location && !m.to_location) total -= qty;
    x.push(seconds(m.occurred_at));
    level.push(total);
    receptions.push(m.kind === "receipt" ? total : null);
    shipments.push(m.kind === "shipment" ? total : null);
  }
  if (x.length) { // the level holds until now
    x.push(Date.now() / 1000);
    level.push(total);
    receptions.push(null);
    shipments.push(null);
  }
  const series = [
    { label: t("stock"), values: level, type: "step", color: COLORS.brand, fill: COLORS.light },
    { label: t("receptions"), values: receptions, type: "points", color: COLORS.blue, size: 9 },
    { label: t("shipments"), values: shipments, type: "points", color: COLORS.orange, size: 7 },
  ];
  if (policy.reorder_point !== null && policy.reorder_point !== undefined) {
    series.push({ label: t("reorder_point_today"), values: x.map(() => policy.reorder_point), color: COLORS.red, dash: [6, 4], width: 1.5 });
  }
  if (policy.order_up_to !== null && policy.order_up_to !== undefined) {
    series.push({ label: t("order_up_to_today"), values: x.map(() => policy.order_up_to), color: COLORS.red, dash: [6, 4], width: 1.5 });
  }
  if (policy.safety_stock !== null && policy.safety_stock !== undefined) {
    series.push({ label: t("safety_stock_today"), values: x.map(() => policy.safety_stock), color: COLORS.purple, dash: [2, 4], width: 1.5 });
  }
  // Today's levels are drawn across the whole period: their past values are not kept, so the legend and a note
  // say they are today's, not what they were when the stock moved.
  const levels = series.length > 3;
  return [chart({ id: "product-stock", label: t("stock_over_time"), time: true, height: 300, x, series, yMin: 0,
    yFormat: (v) => num(v, 1) }), levels ? h("p", { class: "note", id: "product-stock-note" }, t("stock_levels_today_note")) : null];
}

// Units asked for per calendar week, Monday to Sunday, each at its Monday (at order time: the history the plan read,
// zeros included), and the forecast's weekly demand ahead. Not what was shipped: shipments lag the orders and cut
// them where stock was short. The year of history starts and ends mid-week unless today is a Monday: those weeks
// hold only some of their days, so they are lighter bars of their own, their days said in the tooltip and the note
// (a short bar is not a drop in demand).
function demandChart(demand) {
  const x = [];
  const whole = [];
  const part = [];
  const forecast = [];
  const cut = new Map();   // x of a partial week → its days in the history
  const weekly = demand.daily_mean === null || demand.daily_mean === undefined ? null : demand.daily_mean * 7;
  for (const week of demand.weekly || []) {
    const at = seconds(week.start);
    const partial = week.days < 7;
    x.push(at);
    whole.push(partial ? null : week.qty);
    part.push(partial ? week.qty : null);
    forecast.push(null);
    if (partial) cut.set(at, week.days);
  }
  const start = x.length ? x[x.length - 1] + WEEK : Date.now() / 1000;
  if (weekly !== null && x.length) forecast[forecast.length - 1] = weekly;
  for (let i = 1; i <= FORECAST_WEEKS; i += 1) {
    x.push(start + (i - 1) * WEEK);
    whole.push(null);
    part.push(null);
    forecast.push(weekly);
  }
  const partOf = (at) => t("part_week_days", { n: cut.get(at) });
  const dayOf = (at) => new Date(at * 1000)
    .toLocaleDateString(language(), { day: "numeric", month: "short", year: "numeric" });
  const weekText = (at) => t("week_of", { day: dayOf(at) });
  const series = [{ label: t("asked_week"), values: whole, type: "bars", color: COLORS.blue }];
  if (cut.size) {
    series.push({ label: t("asked_part_week"), values: part, type: "bars", color: COLORS.blue, fill: PART_WEEK_FILL });
  }
  series.push({ label: demand.forecast_method ? labelled(t("forecast"), methodText(demand.forecast_method)) : t("forecast"),
    values: forecast, color: COLORS.orange, dash: [6, 4], points: true, spanGaps: true });
  const note = t("demand_weeks") + (cut.size
    ? t("demand_weeks_cut", { weeks: [...cut.keys()].map((at) => t("cut_week", { day: dayOf(at), days: partOf(at) }))
      .join(" · ") })
    : "");
  return [chart({ id: "product-demand", label: t("demand_history"), time: true, height: 240, x, yMin: 0, series,
    xFormat: (at) => (cut.has(at) ? `${weekText(at)} (${partOf(at)})` : weekText(at)), yFormat: (v) => num(v, 1) }),
  h("p", { class: "note", id: "product-demand-note" }, note)];
}

// A demand class ("lumpy") in words ("sporadique" in French), what it means in its title.
function classText(code) {
  if (!code) return "–";
  return h("span", { id: "product-class", title: word("variability_help", code) || null, dataset: { code } },
    word("variability", code));
}

// A forecasting method in words, its code in the title ("ses_0.2": exponential smoothing, α 0.2).
function methodName(code) {
  if (!code) return "–";
  return h("span", { id: "product-method", title: code }, methodText(code));
}

// The mode step's rule, "ABC A × lumpy × critical", in the reader's words.
function ruleText(formula) {
  return formula.replace(/\b(smooth|erratic|intermittent|lumpy|no_demand)\b/g, (code) => word("variability", code))
    .replace(/\bcritical\b/g, t("sv_critical"));
}

// A service target in % as the buyer types it (the API sends a share: 0.95 → "95%", "95 %" in French); the mode
// and what is stocked in words.
function stepValue({ name, value }) {
  if (typeof value === "string" && name === "mode") return word("mode", value);
  if (typeof value === "string" && name === "stocking") return word("stocking", value);
  if (typeof value === "number" && TARGETS.includes(name)) return pct(value, TARGET_DIGITS);
  if (typeof value === "number") return num(value, Math.abs(value) < 10 ? 3 : 1);
  if (value === null || value === undefined) return "–";
  return String(value);
}

function stepsTable(steps) {
  return h("ol", { class: "steps", id: "policy-steps" }, steps.map((step) => h("li", { dataset: { step: step.name } },
    h("div", { class: "step-head" }, h("strong", {}, word("step", step.name)), " = ", h("span", { class: "step-value" }, stepValue(step))),
    step.formula
      ? h("code", { class: "step-formula" }, step.name === "mode" ? ruleText(step.formula) : step.formula) : null,
    step.note ? h("p", { class: "step-note" }, serverText(step.note)) : null,
    h("small", {}, serverText(step.source)))));
}

// The policy shown above (on the measured lead time, or the buyer's) against the same on the supplier's promise.
function declaredTable(policy, declared, lt, forcedLeadTime) {
  const forced = forcedLeadTime !== undefined && forcedLeadTime !== null;
  const rows = [
    [t("lead_time_used"), days(forced ? forcedLeadTime : lt.mean), days(declared.lead_time_mean)],
    [t("safety_stock"), num(policy.safety_stock, 1), num(declared.safety_stock, 1)],
    [t("reorder_point"), num(policy.reorder_point, 1), num(declared.reorder_point, 1)],
    [t("order_up_to"), num(policy.order_up_to, 1), num(declared.order_up_to, 1)],
  ];
  return [h("h3", {}, t("if_declared")), table([
    { label: "", value: (row) => row[0] }, { label: word("source", forced ? "forced" : lt.source), align: "num", value: (row) => row[1] },
    { label: t("declared"), align: "num", value: (row) => row[2] }], rows, { id: "if-declared" })];
}

// A figure typed in the overrides form: a text field with a decimal keypad, not type=number, which drops the comma
// of a French "92,5" (→ 925) and refuses in the browser's own bubble; a figure it cannot take is said here.
function figureInput(name, value, placeholder) {
  return h("input", { type: "text", inputmode: "decimal", autocomplete: "off", name, id: `override-${name}`,
    value: decimalText(value), placeholder });
}

// What the buyer typed, as the API wants it: {overrides} or {error: words, input} for the first figure it cannot take.
function readOverrides(fields, mode) {
  const overrides = {};
  for (const { name, input, label, target } of fields) {
    const typed = input.value.trim();
    const read = readDecimal(typed);
    const refuse = (key) => ({ error: t(key, { field: label, typed }), input });
    if (read.error) return refuse(read.error);
    if (read.value === null) continue;
    if (target) {
      if (!(read.value >= TARGET_MIN && read.value <= TARGET_MAX)) return refuse("override_target_range");
      overrides[name] = Number((read.value / 100).toFixed(TARGET_DIGITS + 2));
    } else {
      if (read.value < 0) return refuse("override_negative");
      overrides[name] = read.value;
    }
  }
  if (mode.value) overrides.mode = mode.value;
  return { overrides };
}

function overridesForm(product, policy, notice, reload, measured) {
  const current = product.policy_overrides || {};
  const fields = [
    ...INPUTS.map((name) => ({ name, label: t(`forced_${name}`),
      input: figureInput(name, current[name], labelled(t("measured"), num(measured[name], 2))) })),
    ...OVERRIDABLE.map((name) => ({ name, label: t(name),
      input: figureInput(name, current[name], labelled(t("computed"), num(policy[name], 1))) })),
    ...TARGETS.map((name) => ({ name, target: true, label: `${word("step", name)} (%)`,
      input: figureInput(name,
        current[name] === undefined ? undefined : Number((current[name] * 100).toFixed(TARGET_DIGITS)),
        `${policy.service_kind}_target` === name
          ? labelled(t("computed"), pct(policy.service_target, TARGET_DIGITS)) : "") })),
  ];
  const mode = h("select", { name: "mode", id: "override-mode" },
    h("option", { value: "" }, labelled(t("computed"), word("mode", policy.mode))),
    ["push", "pull"].map((value) => h("option", { value, selected: current.mode === value }, word("mode", value))));
  const message = h("p", { id: "override-message", role: "status", class: notice ? "ok" : null }, notice || "");
  const save = h("button", { type: "submit", class: "primary" }, t("save_overrides"));
  const say = (words) => {
    message.className = "error";
    message.textContent = words;
  };
  return h("form", { class: "overrides", id: "overrides-form", noValidate: true, async onSubmit(event) {
    event.preventDefault();
    message.className = "";      // the last save's "Saved" must not stand for this one
    message.textContent = "";
    for (const { input } of fields) input.removeAttribute("aria-invalid");
    const { overrides, error, input } = readOverrides(fields, mode);
    if (error) {
      input.setAttribute("aria-invalid", "true");
      say(error);
      input.focus();
      return;
    }
    save.disabled = true;
    try {
      await call(`/api/v1/products/${encodeURIComponent(product.sku)}`, { method: "PATCH", body: { policy_overrides: overrides } });
      reload(t("overrides_saved"));
    } catch (error) {
      say(error instanceof ApiError ? error.message : t("sv_failed", { reason: error.message }));
      save.disabled = false;
    }
  } },
  h("p", { class: "note" }, t("override_help")),
  h("div", { class: "override-grid" },
    fields.map(({ label, input }) => h("label", { class: "field" }, label, input)),
    h("label", { class: "field" }, t("mode"), mode)),
  save, message);
}
