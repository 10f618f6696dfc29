// Charts with uPlot (npm "uplot", self-hosted in /vendor/uplot/ by pwa/tools/copy-vendor.mjs): canvas,
// fast with thousands of points, ~50 KB minified. Loaded on the first chart only, so the scanning screens
// never pay for it. Each chart says what it drew in data-points (non-empty values per series) for tests
// and for anyone reading the page without the canvas.
import { h } from "../dom.js";
import { language, t } from "../i18n.js";

export const COLORS = {
  brand: "#0b6e4f", blue: "#2f6fba", orange: "#c77c12", red: "#c0262d", grey: "#7b8794", purple: "#7a4fb5",
  light: "rgba(11, 110, 79, .18)",
};

let loadingUPlot = null;
function uPlotModule() {
  loadingUPlot ??= (async () => {
    if (!document.getElementById("uplot-css")) {
      document.head.append(h("link", { rel: "stylesheet", href: "/vendor/uplot/uPlot.min.css", id: "uplot-css" }));
    }
    return (await import("/vendor/uplot/uPlot.esm.js")).default;
  })();
  return loadingUPlot;
}

const live = new Set();

// Disposes every chart drawn so far (a view calls this when it is left).
export function disposeCharts() {
  for (const chart of live) chart.dispose();
  live.clear();
}

const countOf = (values) => values.filter((v) => v !== null && v !== undefined && !Number.isNaN(v)).length;

/**
 * A chart that draws itself once it is in the page and follows its container's width.
 * spec: {id, x: [..] (seconds since epoch when time), time: true|false, height, xLabel, yLabel,
 *        xFormat(v) → text, yFormat(v) → text, onPick(index),
 *        series: [{label, values, color, type: "line"|"step"|"bars"|"points"|"area", align: -1|0|1, dash, width}]}
 */
export function chart(spec) {
  const element = h("div", { class: "chart", id: spec.id, role: "img", "aria-label": spec.label || spec.id,
    dataset: { points: spec.series.map((s) => countOf(s.values)).join(","), drawn: "false" } });
  let plot = null;
  let disposed = false;
  const observer = new ResizeObserver(async () => {
    const width = Math.floor(element.clientWidth);
    if (!width || disposed) return;
    if (plot) {
      plot.setSize({ width, height: spec.height || 260 });
      return;
    }
    plot = "drawing";
    const uPlot = await uPlotModule();
    if (disposed) return;
    plot = new uPlot(options(uPlot, spec, width), [spec.x, ...spec.series.map((s) => s.values)], element);
    element._uplot = plot;
    element.dataset.drawn = "true";
  });
  observer.observe(element);
  const handle = {
    element,
    dispose() {
      disposed = true;
      observer.disconnect();
      if (plot && plot !== "drawing") plot.destroy();
    },
  };
  live.add(handle);
  return element;
}

function options(uPlot, spec, width) {
  const hasBars = spec.series.some((s) => s.type === "bars");
  const xs = spec.x.filter((v) => v !== null);
  let xRange;
  if (hasBars && xs.length) {
    const step = xs.length > 1 ? Math.min(...xs.slice(1).map((v, i) => v - xs[i])) : (spec.time ? 86400 * 7 : 1);
    xRange = [Math.min(...xs) - step * 0.6, Math.max(...xs) + step * 0.6];
  }
  // (uPlot's own words for an unlabelled series are English: "Time", "Value")
  const series = [{ label: spec.xLabel || spec.xAxisLabel || (spec.time ? t("sv_date") : "\u00a0"),
    value: spec.xFormat ? (u, v) => (v === null ? "–" : spec.xFormat(v)) : spec.time ? (u, v) => dayText(v) : undefined }];
  for (const s of spec.series) {
    const color = s.color || COLORS.brand;
    const entry = { label: s.label || t("sv_value"), stroke: color, width: s.width ?? 2, spanGaps: s.spanGaps ?? false,
      value: spec.yFormat ? (u, v) => (v === null ? "–" : spec.yFormat(v)) : undefined };
    if (s.dash) entry.dash = s.dash;
    if (s.type === "bars") {
      entry.paths = uPlot.paths.bars({ size: [s.size ?? 0.7, 64], align: s.align ?? 0 });
      entry.fill = s.fill || color;
      entry.points = { show: false };
      entry.width = 0;
    } else if (s.type === "step") {
      entry.paths = uPlot.paths.stepped({ align: 1 });
      entry.points = { show: false };
      if (s.fill) entry.fill = s.fill;
    } else if (s.type === "points") {
      entry.paths = () => null;
      entry.points = { show: true, size: s.size ?? 8, stroke: color, fill: s.fill || color, width: 1 };
    } else if (s.type === "area") {
      entry.fill = s.fill || COLORS.light;
      entry.points = { show: false };
    } else {
      entry.points = { show: s.points ?? false };
    }
    series.push(entry);
  }
  const axisFont = "12px system-ui, sans-serif";
  const span = xs.length ? Math.max(...xs) - Math.min(...xs) : 0;
  const tickStyle = span > 300 * 86400 ? { month: "short", year: "2-digit" } : { day: "numeric", month: "short" };
  const axes = [
    { font: axisFont, space: spec.time ? 72 : 50, // room for "sept. 26", the longest French month tick
      values: spec.xFormat && !spec.time ? (u, values) => values.map((v) => spec.xFormat(v))
        : spec.time ? (u, values) => distinctTicks(values.map((v) => tickText(v, tickStyle))) : undefined,
      label: spec.xAxisLabel, labelFont: axisFont },
    { font: axisFont, size: (u, values) => valueAxisSize(values, axisFont), label: spec.yLabel, labelFont: axisFont,
      values: spec.yFormat ? (u, values) => values.map((v) => spec.yFormat(v)) : undefined },
  ];
  const hooks = {};
  if (spec.onPick) {
    hooks.ready = [(u) => u.over.addEventListener("click", () => {
      if (u.cursor.idx !== null && u.cursor.idx !== undefined) spec.onPick(u.cursor.idx);
    })];
  }
  return {
    width, height: spec.height || 260, series, axes, hooks,
    scales: { x: { time: Boolean(spec.time), ...(xRange ? { range: () => xRange } : {}) },
      y: spec.yMin === undefined ? {} : { range: (u, min, max) => [spec.yMin, Math.max(max, spec.yMin + 1) * 1.05] } },
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false }, points: { size: 8 } },
    fmtDate: (template) => uPlot.fmtDate(template, language() === "fr" ? FRENCH_NAMES : undefined),
  };
}

// As wide as the widest label, beside its ticks (10 px) and their gap (5 px): a fixed 64 px cut "€150,000" to
// "150,000". uPlot asks before it has labels (values null): the former width.
let measuring = null;
function valueAxisSize(values, font) {
  if (!values || !values.length) return 64;
  measuring ??= document.createElement("canvas").getContext("2d");
  measuring.font = font;
  const widest = Math.max(...values.map((text) => measuring.measureText(String(text ?? "")).width));
  return Math.max(40, Math.ceil(widest) + 18);
}

// Dates in the reader's order and words (uPlot's default ticks are American: 11/27).
function dayText(secs) {
  return secs === null ? "–" : new Intl.DateTimeFormat(language(), { dateStyle: "medium" }).format(new Date(secs * 1000));
}

function tickText(secs, style) {
  return new Intl.DateTimeFormat(language(), style).format(new Date(secs * 1000));
}

const FRENCH_NAMES = {
  MMMM: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
  MMM: ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
  WWWW: ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
  WWW: ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
};

// Seconds since the epoch, as uPlot's time axis wants.
export const seconds = (iso) => new Date(iso.length === 10 ? `${iso}T00:00:00` : iso).getTime() / 1000;

// Histogram of ``values`` in ``bins`` equal bins: {x: centres, counts, edges}.
export function histogram(values, bins = 12) {
  const clean = values.filter((v) => Number.isFinite(v));
  if (!clean.length) return { x: [], counts: [], edges: [] };
  const min = Math.min(...clean);
  const max = Math.max(...clean);
  const width = max > min ? (max - min) / bins : 1;
  const count = max > min ? bins : 1;
  const counts = new Array(count).fill(0);
  for (const v of clean) counts[Math.min(count - 1, Math.floor((v - min) / width))] += 1;
  const edges = Array.from({ length: count + 1 }, (_, i) => min + i * width);
  return { x: counts.map((_, i) => min + (i + 0.5) * width), counts, edges };
}

// Weekly ticks written as months repeat a month: each is written once, where it starts.
function distinctTicks(texts) {
  return texts.map((text, i) => (i > 0 && text === texts[i - 1] ? "" : text));
}
