// Exports and import: every table as CSV (downloaded with the bearer token, so no token in a URL), each also "for
// Excel (FR)" (?dialect=excel-fr: what French Excel opens by a double click), and a CSV import of suppliers,
// customers, locations, products, barcodes or opening stock with the server's row-by-row report.
import { h, replaceChildren } from "../dom.js";
import { language, t } from "../i18n.js";
import { session } from "../session.js";
import { card, layout, num, table } from "./common.js";

const TABLES = ["products", "locations", "suppliers", "customers", "stock", "movements", "purchase-orders",
  "sales-orders", "purchase-order-events", "sales-order-events", "scans"];
// kind, its label, the columns the server requires, then the others it reads (server/services/imports.py), in the
// order of the matching export: the help under the form and the empty file to fill in.
// In the order a new warehouse imports them: suppliers before the products naming them, bins before the stock.
const KINDS = [
  ["suppliers", "import_suppliers", ["code"],
    ["name", "email", "declared_lead_time_days", "review_period_days", "ordering_cost", "active"]],
  ["customers", "import_customers", ["code"], ["name", "email", "active"]],
  ["locations", "import_locations", ["code"], ["name", "kind", "parent", "walk_order", "active"]],
  ["products", "import_products", ["sku"],
    ["name", "unit", "unit_cost", "supplier", "moq", "pack_multiple", "critical", "active", "barcodes"]],
  ["barcodes", "import_barcodes", ["sku", "code"], ["pack_qty"]],
  ["opening-stock", "import_opening_stock", ["sku", "location", "qty"], ["lot", "expiry", "unit_cost"]],
];

export default {
  title: "sv_data",
  back: "#/sv",
  render(main) {
    const body = layout(main, "#/sv/data");
    if (!body) return {};
    body.append(h("div", { class: "sv-grid" }, card(t("exports"), exportsList()), card(t("import_csv"), importForm())));
    return {};
  },
};

async function authorised(path, options = {}) {
  return fetch(path, { ...options, cache: "no-store",
    headers: { Authorization: `Bearer ${session()?.token}`, "Accept-Language": language(), ...(options.headers || {}) } });
}

// Each table twice: as programs read it (the API's default), and as French Excel opens it, beside it rather than
// behind a switch, so that whoever wants one sees the other is there.
function exportsList() {
  const status = h("p", { role: "status", id: "export-status" });
  async function download(name, query) {
    status.textContent = t("sv_loading");
    try {
      const response = await authorised(`/api/v1/exports/${name}.csv${query}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      const filename = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "")?.[1] || `tendu-${name}.csv`;
      const link = h("a", { href: url, download: filename });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      status.textContent = filename;
    } catch (error) {
      status.textContent = t("sv_failed", { reason: error.message });
    }
  }
  return [h("ul", { class: "exports", id: "exports" }, TABLES.map((name) => h("li", {},
    h("button", { type: "button", class: "link", dataset: { table: name }, onClick: () => download(name, "") },
      `${name}.csv`),
    h("button", { type: "button", class: "link excel-fr", dataset: { table: name, dialect: "excel-fr" },
      "aria-label": t("export_excel_fr_label", { table: `${name}.csv` }),
      onClick: () => download(name, "?dialect=excel-fr") }, t("export_excel_fr"))))),
  h("p", { class: "note", id: "export-excel-fr-note" }, t("export_excel_fr_note")), status];
}

function importForm() {
  const help = h("div", { id: "import-help", class: "note" });
  const kind = h("select", { name: "kind", id: "import-kind",
    onChange: () => replaceChildren(help, kindHelp(KINDS.find(([value]) => value === kind.value))) },
  KINDS.map(([value, key]) => h("option", { value }, t(key))));
  replaceChildren(help, kindHelp(KINDS[0]));
  const file = h("input", { type: "file", name: "file", id: "import-file", accept: ".csv,text/csv", required: true });
  const partial = h("input", { type: "checkbox", name: "partial", id: "import-partial" });
  const submit = h("button", { type: "submit", class: "primary" }, t("import_run"));
  // What the file would do (names and costs it would overwrite, rows refused), before it does it.
  const check = h("button", { type: "submit", id: "import-check", value: "check" }, t("import_check"));
  const report = h("div", { id: "import-report", "aria-live": "polite" });
  return h("form", { class: "import", id: "import-form", async onSubmit(event) {
    event.preventDefault();
    if (!file.files.length) return;
    const form = new FormData();
    form.append("file", file.files[0]);
    const query = new URLSearchParams();
    if (partial.checked) query.set("partial", "true");
    if (event.submitter === check) query.set("dry_run", "true");
    submit.disabled = check.disabled = true;
    replaceChildren(report, h("p", { class: "note" }, t("sv_loading")));
    try {
      const response = await authorised(`/api/v1/imports/${kind.value}${query.size ? `?${query}` : ""}`,
        { method: "POST", body: form });
      const body = await response.json().catch(() => null);
      replaceChildren(report, renderReport(response.status, body));
    } catch (error) {
      replaceChildren(report, h("p", { class: "error" }, t("sv_not_done", { reason: error.message })));
    } finally {
      submit.disabled = check.disabled = false;
    }
  } },
  h("label", { class: "field" }, t("import_kind"), kind),
  help,
  h("label", { class: "field" }, t("import_file"), file),
  h("label", { class: "check" }, partial, h("span", {}, t("import_partial"))),
  h("p", { class: "note" }, t("import_partial_help")),
  h("div", { class: "row" }, submit, check), report);
}

// What a file of this kind holds, and an empty one with its header to fill in.
function kindHelp([value, , required, optional]) {
  const names = (columns) => columns.flatMap((column, i) => [i ? ", " : "", h("code", {}, column)]);
  const header = [...required, ...optional].join(",") + "\r\n";
  return [
    h("p", { id: "import-columns" }, t("import_required_columns"), " ", names(required), ". ",
      t("import_other_columns"), " ", names(optional), "."),
    h("p", { id: "import-kind-note" }, t(`import_note_${value.replace("-", "_")}`)),
    h("p", {}, h("button", { type: "button", class: "link", id: "import-template", onClick() {
      const url = URL.createObjectURL(new Blob([header], { type: "text/csv" }));
      const link = h("a", { href: url, download: `tendu-${value}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } }, t("import_template"))),
  ];
}

// The column in code, then the server's message without the "column: " it starts with (it read "code code : …").
function problem(row) {
  const message = row.field && /^\S+ ?: /.test(row.message) && row.message.startsWith(row.field)
    ? row.message.replace(/^\S+ ?: /, "") : row.message;
  return [row.field ? h("code", {}, row.field) : null, " ", message];
}

function renderReport(status, body) {
  if (!body || !Array.isArray(body.refused)) {
    return h("p", { class: "error", role: "alert" }, t("sv_not_done", { reason: body?.error?.message || `HTTP ${status}` }));
  }
  const bad = body.refused.length;
  const unchanged = body.unchanged || 0;
  const counted = (key, n) => t(key, { n, count: num(n) });
  // Rows already as the file says are not "imported": a re-import that changed nothing says so.
  const summary = body.dry_run && status === 200  // (a check the file would fail whole says so as an import does)
    ? h("p", { class: "note", id: "import-summary" }, t("import_would", {
      imported: counted("import_imported", body.imported), unchanged: counted("import_unchanged", unchanged),
      refused: counted("import_refused", bad) }))
    : body.applied
    ? h("p", { class: bad ? "warn" : "ok", id: "import-summary" },
      t(unchanged ? "import_done_unchanged" : "import_done", { imported: counted("import_imported", body.imported),
        unchanged: counted("import_unchanged", unchanged), refused: counted("import_refused", bad) }))
    : h("p", { class: "error", id: "import-summary" }, counted("import_nothing", bad));
  const shown = [h("h3", {}, t("import_report")), summary,
    table([
      { label: t("row"), align: "num", value: (row) => num(row.line) },
      { label: t("problem"), value: problem },
    ], body.refused, { id: "import-refused", empty: "" })];
  // A file not in UTF-8 read as Windows-1252 (French Excel's default CSV): said above the rows, it concerns them all.
  const all = Array.isArray(body.warnings) ? body.warnings : [];
  shown.splice(2, 0, ...all.filter((w) => w.field === "file").map((w) =>
    h("p", { class: "warn", id: "import-encoding", dataset: { warning: w.warning } }, w.message)));
  // Rows imported (or that would be) with a code to check: digits kept as the company's own code, no valid GTIN.
  const warnings = all.filter((w) => w.field !== "file");
  if (warnings.length) {
    shown.push(h("p", { class: "warn", id: "import-warnings-summary" }, counted("import_warnings", warnings.length)),
      table([
        { label: t("row"), align: "num", value: (row) => num(row.line) },
        { label: t("import_warning"), value: problem },
      ], warnings, { id: "import-warnings", empty: "" }));
  }
  return shown;
}
