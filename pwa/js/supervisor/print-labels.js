// Labels: pick products (by search, by supplier, all shown) and bins, then print them as an A4 PDF sheet, or one as
// a PNG for a label printer, both made by the server (/api/v1/labels). A preview shows one label as it will print on
// the chosen sheet; what cannot be labelled (a code too long for Code 128 at that size…) is said in the server's words.
// On a narrow screen (one column: the sheet card after up to 200 rows of the list) the print button, and what came
// of it, stay in a bar at the bottom of the screen with the selection's count; on a desk they sit in the sheet card.
import { h, replaceChildren } from "../dom.js";
import { labelled, t } from "../i18n.js";
import { ApiError, call, card, fetchFile, layout, num } from "./common.js";

const SHOWN = 200;           // rows a search shows; more: narrow it
const NARROW = "(max-width: 899.98px)";   // one column: .sv-grid-3-2 has two from 900 px (supervisor.css)
const MAX_ITEMS = 500;       // items of one sheet request (api/labels.py)
// The server's A4 sheets (server/labels.py GRIDS): name → label width, height (mm) and labels per sheet.
const GRIDS = { "3x8": [70, 37, 24], "2x7": [99.1, 38.1, 14], "3x7": [63.5, 38.1, 21], "4x10": [48.5, 25.4, 40] };
const SYMBOLOGIES = ["", "code128", "qrcode", "datamatrix"];   // "": the server's choice (GS1-128 for a GTIN)
const KINDS = {
  products: { path: "/api/v1/products", key: (p) => p.sku, detail: (p) => p.supplier || "" },
  locations: { path: "/api/v1/locations", key: (l) => l.code, detail: (l) => t(`lbl_kind_${l.kind}`) },
};

export default {
  title: "sv_labels",
  back: "#/sv",
  render(main) {
    const body = layout(main, "#/sv/labels");
    if (!body) return {};
    const screen = labelsScreen();
    body.append(screen.element);
    return { destroy: screen.destroy };
  },
};

const refusal = (error) => (error instanceof ApiError ? error.message : t("sv_not_done", { reason: error.message }));
const id = (kind, key) => `${kind}\u0000${key}`;

function labelsScreen() {
  const selected = new Map();   // id → { kind, key, name }
  const urls = new Set();
  const blobUrl = (blob) => {
    const url = URL.createObjectURL(blob);
    urls.add(url);
    return url;
  };
  let shown = [];               // the rows of the last search, { kind, key, name, detail }
  let previewed = null;         // the item last previewed, redrawn when the sheet or the symbology changes

  // --- choosing -------------------------------------------------------------------------------------------------
  const kind = h("select", { id: "lbl-kind", name: "kind", "aria-label": t("lbl_what") },
    h("option", { value: "products" }, t("lbl_products")), h("option", { value: "locations" }, t("lbl_bins")));
  const q = h("input", { id: "lbl-q", name: "q", type: "search", maxlength: 100, autocomplete: "off",
    placeholder: t("lbl_search_hint"), "aria-label": t("lbl_search_hint") });
  const supplier = h("select", { id: "lbl-supplier", name: "supplier", "aria-label": t("supplier") },
    h("option", { value: "" }, t("lbl_all_suppliers")));
  call("/api/v1/suppliers?active=true&per_page=500").then((page) => supplier.append(
    ...page.items.map((s) => h("option", { value: s.code }, `${s.name} (${s.code})`)))).catch(() => {});
  const results = h("div", { id: "lbl-results" });
  const count = h("p", { class: "note", id: "lbl-count", role: "status" });
  const selectShown = h("button", { type: "button", id: "lbl-select-shown", onClick() {
    for (const row of shown) selected.set(id(row.kind, row.key), row);
    drawResults();
    drawSelection();
  } }, t("lbl_select_shown"));

  async function search() {
    const what = KINDS[kind.value];
    const query = new URLSearchParams({ active: "true", per_page: String(SHOWN) });
    if (q.value.trim()) query.set("q", q.value.trim());
    if (kind.value === "products" && supplier.value) query.set("supplier", supplier.value);
    replaceChildren(results, h("p", { class: "note sv-loading" }, t("sv_loading")));
    count.textContent = "";
    try {
      const page = await call(`${what.path}?${query}`);
      shown = page.items.map((row) => ({ kind: kind.value, key: what.key(row), name: row.name || "", detail: what.detail(row) }));
      count.textContent = page.total > shown.length ? t("lbl_some_shown", { shown: num(shown.length), total: num(page.total) })
        : t("lbl_all_shown", { n: shown.length, count: num(shown.length) });
      drawResults();
    } catch (error) {
      shown = [];
      replaceChildren(results, h("p", { class: "error", role: "alert" }, t("sv_failed", { reason: error.message })));
    }
  }

  function drawResults() {
    if (!shown.length) {
      replaceChildren(results, h("p", { class: "note" }, t("lbl_nothing_found")));
      return;
    }
    const products = shown[0].kind === "products";
    replaceChildren(results, h("div", { class: "sv-scroll" }, h("table", { class: "sv-table", id: "lbl-table" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("lbl_print")), h("th", { scope: "col" }, products ? t("sku") : t("lbl_code")),
        h("th", { scope: "col" }, t("name")), h("th", { scope: "col", class: "lbl-detail" }, products ? t("supplier") : t("lbl_kind")), h("th", {}))),
      h("tbody", {}, shown.map((row) => {
        const box = h("input", { type: "checkbox", checked: selected.has(id(row.kind, row.key)),
          "aria-label": labelled(t("lbl_print"), row.key), onChange() {
            if (box.checked) selected.set(id(row.kind, row.key), row);
            else selected.delete(id(row.kind, row.key));
            drawSelection();
          } });
        return h("tr", { dataset: { key: row.key } }, h("td", {}, box), h("td", { class: "lbl-key" }, h("code", {}, row.key)),
          h("td", {}, row.name), h("td", { class: "lbl-detail" }, row.detail),
          h("td", {}, h("button", { type: "button", class: "link lbl-preview-button", onClick: () => preview(row) }, t("lbl_preview"))));
      })))));
  }

  // --- the sheet ------------------------------------------------------------------------------------------------
  const grid = h("select", { id: "lbl-grid", name: "grid" }, Object.entries(GRIDS).map(([name, [width, height]]) =>
    h("option", { value: name }, t("lbl_grid", { grid: name.replace("x", " × "), width: num(width, 1), height: num(height, 1) }))));
  const start = h("input", { id: "lbl-start", name: "start_cell", type: "number", min: 1, max: 24, step: 1, value: "1", required: true });
  const copies = h("input", { id: "lbl-copies", name: "copies", type: "number", min: 1, max: 500, step: 1, value: "1", required: true });
  const symbology = h("select", { id: "lbl-symbology", name: "symbology" },
    SYMBOLOGIES.map((value) => h("option", { value }, t(`lbl_sym_${value || "auto"}`))));
  const selection = h("ul", { class: "lbl-selected", id: "lbl-selected" });
  const summary = h("p", { id: "lbl-summary" });
  const message = h("p", { id: "lbl-message", role: "status" });
  const pdf = h("p", { id: "lbl-pdf-box" });
  // form=: the button submits the sheet wherever it stands (in the bar on a phone).
  const print = h("button", { type: "submit", class: "primary", id: "lbl-print", form: "lbl-sheet" }, t("lbl_print_sheet"));
  const actions = h("div", { class: "lbl-actions" }, print, message, pdf);
  const barSummary = h("p", { class: "lbl-bar-summary", "aria-hidden": "true" });   // (#lbl-summary says it to all)
  const bar = h("div", { class: "lbl-bar", id: "lbl-bar" }, barSummary);
  grid.addEventListener("change", () => {
    start.max = GRIDS[grid.value][2];
    if (Number(start.value) > GRIDS[grid.value][2]) start.value = "1";
    if (previewed) preview(previewed);
  });
  symbology.addEventListener("change", () => previewed && preview(previewed));

  function drawSelection() {
    const items = [...selected.values()];
    const products = items.filter((item) => item.kind === "products").length;
    summary.textContent = items.length ? t("lbl_selected", { products: num(products), bins: num(items.length - products) })
      : t("lbl_none_selected");
    barSummary.textContent = summary.textContent;
    print.disabled = !items.length;
    replaceChildren(selection, items.map((item) => h("li", { dataset: { key: item.key } },
      h("code", {}, item.key), h("span", {}, item.name),
      h("button", { type: "button", class: "link", "aria-label": labelled(t("lbl_remove"), item.key), onClick() {
        selected.delete(id(item.kind, item.key));
        drawSelection();
        drawResults();
      } }, "×"))));
  }

  const sheetForm = h("form", { id: "lbl-sheet", async onSubmit(event) {
    event.preventDefault();
    const items = [...selected.values()];
    message.className = "";
    message.textContent = "";
    if (items.length > MAX_ITEMS) {
      message.className = "error";
      message.textContent = t("lbl_too_many", { n: MAX_ITEMS });
      return;
    }
    print.disabled = true;
    replaceChildren(pdf);
    message.textContent = t("lbl_making");
    try {
      const body = { items: items.map(({ kind: k, key }) => ({ kind: k, key, copies: Number(copies.value) })),
        grid: grid.value, start_cell: Number(start.value) };
      if (symbology.value) body.symbology = symbology.value;
      const url = blobUrl(await fetchFile("/api/v1/labels/sheet", { method: "POST", body }));
      const labels = items.length * Number(copies.value);
      const link = h("a", { href: url, download: "tendu-labels.pdf", id: "lbl-pdf", target: "_blank", rel: "noopener" },
        t("lbl_pdf_ready", { n: labels, count: num(labels) }));
      replaceChildren(pdf, link);
      message.textContent = "";
      link.click();
    } catch (error) {
      message.className = "error";
      message.textContent = refusal(error);
    } finally {
      print.disabled = !selected.size;
    }
  } },
  summary, selection,
  h("div", { class: "lbl-options" },
    h("label", { class: "field" }, t("lbl_sheet_kind"), grid),
    h("label", { class: "field" }, t("lbl_start_cell"), start, h("small", {}, t("lbl_start_help"))),
    h("label", { class: "field" }, t("lbl_copies"), copies),
    h("label", { class: "field" }, t("lbl_symbology"), symbology, h("small", {}, t("lbl_symbology_help")))));

  // --- one label ------------------------------------------------------------------------------------------------
  const previewBox = h("div", { id: "lbl-preview" }, h("p", { class: "note" }, t("lbl_preview_help")));
  let previewRun = 0;
  async function preview(row) {
    previewed = row;
    const mine = ++previewRun;
    const [width, height] = GRIDS[grid.value];
    const query = new URLSearchParams({ width_mm: width, height_mm: height });
    if (symbology.value) query.set("symbology", symbology.value);
    replaceChildren(previewBox, h("p", { class: "note sv-loading" }, t("sv_loading")));
    try {
      const url = blobUrl(await fetchFile(`/api/v1/labels/${row.kind}/${encodeURIComponent(row.key)}.png?${query}`));
      if (mine !== previewRun) return;
      const image = h("img", { id: "lbl-preview-img", src: url, alt: labelled(t("lbl_label_of"), row.key),
        dataset: { key: row.key } });
      replaceChildren(previewBox, h("p", {}, h("code", {}, row.key), ` ${row.name}`), image,
        h("p", {}, h("a", { href: url, download: `${row.key}.png`, id: "lbl-png" }, t("lbl_download_png"))),
        h("p", { class: "note" }, t("lbl_png_help", { width: num(width, 1), height: num(height, 1) })));
      previewBox.scrollIntoView({ block: "nearest" });
    } catch (error) {
      if (mine !== previewRun) return;
      replaceChildren(previewBox, h("p", { class: "error", id: "lbl-preview-error", role: "alert", dataset: { key: row.key } },
        labelled(row.key, refusal(error))));
    }
  }

  kind.addEventListener("change", () => {
    supplier.hidden = kind.value !== "products";
    search();
  });
  supplier.addEventListener("change", search);
  drawSelection();
  search();

  // The same button and message move between the sheet card and the bar as the screen turns or the window narrows.
  const narrow = matchMedia(NARROW);
  const place = () => {
    (narrow.matches ? bar : sheetForm).append(actions);
    bar.hidden = !narrow.matches;
  };
  narrow.addEventListener("change", place);
  place();

  // The bar last: sticky at the bottom of the screen while any of the grid above it is in view.
  const element = h("div", { class: "lbl-screen" }, h("div", { class: "sv-grid sv-grid-3-2" },
    card(t("lbl_choose"),
      h("form", { class: "lbl-search", id: "lbl-search", onSubmit(event) { event.preventDefault(); search(); } },
        kind, supplier, q, h("button", { type: "submit" }, t("lbl_search"))),
      h("div", { class: "sv-actions" }, selectShown, count), results),
    h("div", {}, card(t("lbl_sheet"), sheetForm), card(t("lbl_preview_title"), previewBox))), bar);
  return { element, destroy() {
    narrow.removeEventListener("change", place);
    for (const url of urls) URL.revokeObjectURL(url);
  } };
}
