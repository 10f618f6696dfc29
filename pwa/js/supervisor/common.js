// Pieces shared by the supervisor views: the tab bar, JSON calls that throw on errors, number formats,
// cards, KPI tiles and tables.
import { h, replaceChildren } from "../dom.js";
import { NetworkError, api, messageOf } from "../api.js";
import { language, t } from "../i18n.js";
import { nowWithZone, uuid4 } from "../ids.js";
import { session } from "../session.js";
import "./strings.js";

export const SUPERVISOR_ROLES = ["supervisor", "admin"];

export function isSupervisor() {
  return SUPERVISOR_ROLES.includes(session()?.role);
}

export class ApiError extends Error {
  constructor(status, body) {
    super(messageOf(body) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

// GET (or another method with a JSON body) that answers the body of a 2xx and throws ApiError otherwise.
export async function call(path, options = {}) {
  const { status, body } = await api(path, { timeoutMs: 60000, ...options });
  if (status < 200 || status >= 300) throw new ApiError(status, body);
  return body;
}

// A file the API makes (a PDF, a PNG), fetched with the bearer token (no token in a URL): answers the Blob of a 2xx
// and throws ApiError with the server's JSON refusal otherwise.
export async function fetchFile(path, { method = "GET", body } = {}) {
  let response;
  try {
    response = await fetch(path, { method, cache: "no-store", body: body === undefined ? undefined : JSON.stringify(body),
      headers: { Authorization: `Bearer ${session()?.token}`, "Accept-Language": language(),
        ...(body === undefined ? {} : { "Content-Type": "application/json" }) } });
  } catch (error) {
    throw new NetworkError(error.message);
  }
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  return response.blob();
}

// A list and how many match in all: a page's `total`, or the X-Total-Count header of a plain list (the scans). A
// view showing fewer than the total says so (`shownOf`).
export async function callList(path) {
  const { status, body, headers } = await api(path, { timeoutMs: 60000 });
  if (status < 200 || status >= 300) throw new ApiError(status, body);
  const items = Array.isArray(body) ? body : body?.items || [];
  const counted = headers?.get("X-Total-Count");
  const total = counted ? Number(counted) : Number(body?.total ?? items.length);
  return { items, total: Number.isFinite(total) ? total : items.length };
}

// "500 of 1,234 … shown": null when the whole list is shown.
export function shownOf(key, list, id) {
  return list.total > list.items.length
    ? h("p", { class: "note warn", id, role: "status" }, t(key, { shown: num(list.items.length), total: num(list.total) }))
    : null;
}

// --- formats ----------------------------------------------------------------------------------------
const formats = new Map();
function format(key, options) {
  const id = `${language()}|${key}`;
  if (!formats.has(id)) formats.set(id, new Intl.NumberFormat(language(), options));
  return formats.get(id);
}

export { word } from "../i18n.js"; // (the operator's screens name codes the same way)

// Whole euros, or cents with ``digits`` 2 (a unit cost of 0.45 € is not "0 €").
export function money(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  const decimals = digits ? { minimumFractionDigits: digits, maximumFractionDigits: digits } : { maximumFractionDigits: 0 };
  return format(`money${digits}`, { style: "currency", currency: "EUR", ...decimals }).format(value);
}

export function num(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return "–";
  return format(`n${digits}`, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(Number(value));
}

// A share as a percentage: "95%", "95 %" in French (a narrow no-break space); ``digits`` after the point at most.
export function pct(share, digits = 0) {
  if (share === null || share === undefined || Number.isNaN(share)) return "–";
  return format(`pct${digits}`, { style: "percent", maximumFractionDigits: digits }).format(share);
}

// A forecasting method's code ("ses_0.2", "tsb", "adida") in words: its smoothing constant written out (α 0,2 in
// French), the default one when the code names none; the code itself for a method without words yet.
const DEFAULT_ALPHA = 0.1;    // server/domain/forecast.py: ses, tsb, croston and sba without a suffix
export function methodText(code) {
  if (!code) return "–";
  const [, base, alpha] = /^([a-z]+)(?:_(\d+(?:\.\d+)?))?$/.exec(code) || [];
  const key = `method_${base}`;
  const text = base ? t(key, { alpha: num(alpha === undefined ? DEFAULT_ALPHA : Number(alpha), 3) }) : key;
  return text === key ? code : text;
}

// A sentence the server wrote in the reader's language, with French typography where it left it out: "38%" is
// "38 %" (a narrow no-break space, as pct() writes it).
export function serverText(text) {
  if (!text || language() !== "fr") return text || "";
  return text.replace(/(\d)[ \u00a0]?%/g, "$1\u202f%");
}

// A number as typed in a text field with a decimal keypad: "92,5" and "92.5" are both 92.5, spaces between
// thousands ignored (type=number drops a French comma: "92,5" became 925). Answers {value} (null when empty) or
// {error}: "override_not_number", or "override_ambiguous" for an English "1,000" (a thousand, or one?).
export function readDecimal(text) {
  const typed = String(text ?? "").replace(/[\s\u00a0\u202f]/g, "");
  if (typed === "") return { value: null };
  if (language() === "en" && /^[+-]?\d+,\d{3}$/.test(typed)) return { error: "override_ambiguous" };
  const value = typed.replace(",", ".");
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) return { error: "override_not_number" };
  return { value: Number(value) };
}

// A number as the reader writes it in a field: "92,5" in French, "92.5" in English, no thousands separator.
export function decimalText(value) {
  if (value === null || value === undefined || value === "") return "";
  return format("field", { maximumFractionDigits: 6, useGrouping: false }).format(Number(value));
}

export function days(value) {
  return value === null || value === undefined ? "–" : t("sv_days", { n: num(value, 1) });
}

export function dateText(iso) {
  if (!iso) return "–";
  const value = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  return value.toLocaleDateString(language(), { day: "numeric", month: "short", year: "numeric" });
}

export function dateTimeText(iso) {
  if (!iso) return "–";
  return new Date(iso).toLocaleString(language(), { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

export function isoDay(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

// --- layout -------------------------------------------------------------------------------------------
// [words, route, roles that see the tab (all supervision roles when left out)]
const TABS = [
  ["sv_dashboard", "#/sv"], ["sv_stock", "#/sv/stock"], ["sv_lead_times", "#/sv/lead-times"], ["sv_replenishment", "#/sv/replenishment"],
  ["sv_sales_orders", "#/sv/sales-orders"], ["sv_valuation", "#/sv/valuation"], ["sv_decisions", "#/sv/decisions"],
  ["sv_data", "#/sv/data"], ["sv_labels", "#/sv/labels"], ["sv_users", "#/sv/users", ["admin"]],
];

// The tab bar and a product finder above the view's body; answers the body element, or null (and says why) when
// the signed-in role may not see the view: ``roles`` who may, ``refusal`` the words for the others.
export function layout(main, active, { roles = SUPERVISOR_ROLES, refusal = "sv_not_allowed" } = {}) {
  const body = h("div", { class: "sv-body" });
  const role = session()?.role;
  if (!roles.includes(role)) {
    main.append(h("p", { class: "error", id: "sv-not-allowed", role: "alert" }, t(refusal)));
    return null;
  }
  main.append(h("nav", { class: "sv-tabs", "aria-label": t("supervision") },
    TABS.filter(([, , only]) => !only || only.includes(role)).map(([key, href]) => h("a", {
      href, id: `sv-tab-${href.split("/")[2] || "dashboard"}`, class: href === active ? "active" : null,
      "aria-current": href === active ? "page" : null,
    }, t(key))),
    productFinder()), body);
  return body;
}

let productList = null;
// Text as the server's search compares it (server/domain/search.py): no case, no accents, œ and æ spelt out, so
// that "equerre" typed names "Équerre" here as it finds it there.
export function folded(text) {
  return text.normalize("NFKD").toLowerCase().replace(/\p{M}/gu, "").replace(/œ/g, "oe").replace(/æ/g, "ae")
    .replace(/ß/g, "ss");
}

function productFinder() {
  const input = h("input", { id: "sv-find", list: "sv-products", placeholder: t("sv_find_product"), autocomplete: "off",
    "aria-label": t("sv_find_product") });
  const options = h("datalist", { id: "sv-products" });
  input.addEventListener("focus", async () => {
    productList ??= call("/api/v1/products?per_page=500").then((page) => page.items).catch(() => []);
    replaceChildren(options, (await productList).map((p) => h("option", { value: p.sku }, p.name)));
  }, { once: true });
  return h("form", { class: "sv-find", async onSubmit(event) {
    event.preventDefault();
    const typed = input.value.trim();
    if (!typed) return;
    // SKUs keep the customer's case ("vis-m6"): the one typed, else the one spelt so in any case; else a name
    // (the one spelt so, or the only product found); else as typed (the product page then says it is unknown).
    const products = await call(`/api/v1/products?q=${encodeURIComponent(typed)}&per_page=100`)
      .then((page) => page.items).catch(() => []);
    const lower = folded(typed);
    const named = products.filter((p) => folded(p.name) === lower);
    const sku = products.some((p) => p.sku === typed) ? typed
      : products.find((p) => folded(p.sku) === lower)?.sku
      ?? (named.length === 1 ? named[0].sku : products.length === 1 ? products[0].sku : null);
    if (!sku && products.length > 1) {
      location.hash = `#/sv/stock?q=${encodeURIComponent(typed)}`;  // several match: the stock list, searched
      return;
    }
    location.hash = `#/sv/product?sku=${encodeURIComponent(sku ?? typed)}`;
  } }, input, options, h("button", { type: "submit" }, t("sv_open")));
}

export function card(title, ...children) {
  return h("section", { class: "sv-card" }, title ? h("h2", {}, title) : null, ...children);
}

export function tile(label, value, { id, tone, href, detail, title } = {}) {
  const content = [h("span", { class: "tile-label" }, label), h("strong", { class: "tile-value", id }, value),
    detail ? h("small", {}, detail) : null];
  const props = { class: `tile${tone ? ` tile-${tone}` : ""}`, title: title || null };
  return href ? h("a", { ...props, href }, content) : h("div", props, content);
}

// columns: [{label, value(row) → node|text, align: "num"}]
export function table(columns, rows, { id, empty = t("sv_none"), rowProps } = {}) {
  if (!rows.length) return h("p", { class: "note", id }, empty);
  return h("div", { class: "sv-scroll" }, h("table", { class: "sv-table", id },
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { class: c.align || null, scope: "col" }, c.label)))),
    h("tbody", {}, rows.map((row) => h("tr", rowProps ? rowProps(row) : {},
      columns.map((c) => h("td", { class: c.align || null }, c.value(row))))))));
}

// An order ended for a reason (a purchase order closed, a sales order cancelled): one id per form, so a retry
// after a lost answer is a replay. A refusal is shown in the server's words; done(order) gets the order ended.
// ``more``: optional fields sent with the reason when filled in, [{ name, className, label, help }].
// The reason is required: said in the form itself. The browser's own check (``required`` alone) blocked the submit
// with a bubble that is gone in seconds or, in some browsers and installed apps, never shown ("nothing happens"),
// and let a reason of spaces through.
export function reasonForm({ path, className, submitLabel, reasonLabel, help, done, more = [] }) {
  const stamp = { client_event_id: uuid4(), occurred_at: nowWithZone() };
  const reason = h("input", { name: "reason", class: "close-reason", required: true, "aria-required": "true",
    maxlength: 200, onInput: () => reason.removeAttribute("aria-invalid") });
  const extras = more.map((field) => ({ ...field, input: h("input", { name: field.name, class: field.className, maxlength: 64 }) }));
  const message = h("p", { class: "close-message", role: "status" });
  const submit = h("button", { type: "submit" }, submitLabel);
  return h("form", { class: className, noValidate: true, async onSubmit(event) {
    event.preventDefault();
    if (!reason.value.trim()) {
      reason.setAttribute("aria-invalid", "true");
      message.className = "close-message error";
      message.textContent = t("reason_required");
      reason.focus();
      return;
    }
    message.className = "close-message";
    message.textContent = "";
    submit.disabled = true;
    const filled = Object.fromEntries(extras.filter(({ input }) => input.value.trim())
      .map(({ name, input }) => [name, input.value.trim()]));
    try {
      done(await call(path, { method: "POST", body: { ...stamp, reason: reason.value.trim(), ...filled } }));
    } catch (error) {
      message.className = "close-message error";
      message.textContent = error instanceof ApiError ? error.message : t("sv_failed", { reason: error.message });
      submit.disabled = false;
    }
  } }, h("label", { class: "field" }, reasonLabel, reason, h("small", {}, help)),
  extras.map(({ label, help: hint, input }) => h("label", { class: "field" }, label, input, hint ? h("small", {}, hint) : null)),
  submit, message);
}

export function productLink(sku, text = sku) {
  return h("a", { href: `#/sv/product?sku=${encodeURIComponent(sku)}`, class: "sku" }, text);
}

// Shows "Loading…" in ``container`` while ``work`` runs, then what it built or the error in plain words.
export async function loading(container, work) {
  replaceChildren(container, h("p", { class: "note sv-loading" }, t("sv_loading")));
  try {
    const built = await work();
    replaceChildren(container, built);
  } catch (error) {
    replaceChildren(container, h("p", { class: "error", role: "alert" }, t("sv_failed", { reason: error.message })));
    if (!(error instanceof ApiError) && error.name !== "NetworkError") console.error(error);
  }
}
