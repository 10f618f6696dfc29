// The lines of an order being typed on the desk (a sales order, a purchase order): a product by SKU or name, a
// quantity and a unit price or cost typed the reader's way ("12,5" in French), and per line what the form says
// about it (what is available and the date to promise; the line's value). Nothing is checked here that the server
// checks: a quantity of 0, a fraction of a piece, an unknown product are refused by the server, in its words, and
// the line it names is pointed out.
import { h, replaceChildren } from "../dom.js";
import { language, t } from "../i18n.js";
import { decimalText, readDecimal } from "./common.js";
import { picker } from "./pickers.js";

// Money to the cent, as the replenishment view writes unit costs (money() rounds to the euro).
export function cents(value) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return "–";
  return new Intl.NumberFormat(language(), { style: "currency", currency: "EUR", minimumFractionDigits: 2,
    maximumFractionDigits: 2 }).format(Number(value));
}

const ASK_AFTER_MS = 350;   // the info of a line is asked for once the typing pauses, not at every key

// id: the form's prefix ("so", "po"); priceKey: "unit_price" or "unit_cost"; priceLabel: its words;
// defaultPrice(product): the price a chosen product fills in (null: left empty); describe(product, qty): what to
// show on the line (a node, or a promise of one), product null until one is chosen.
export function orderLines({ id, priceKey, priceLabel, defaultPrice = () => null, describe }) {
  const body = h("tbody");
  const total = h("span", { id: `${id}-total` });
  const rows = [];
  let made = 0;

  const numberOf = (row) => rows.indexOf(row) + 1;
  const showTotal = () => {
    let sum = 0;
    let priced = false;
    for (const row of rows) {
      const qty = readDecimal(row.qty.value).value;
      const price = readDecimal(row.price.value).value;
      if (qty > 0 && price !== null && price !== undefined) {
        sum += qty * price;
        priced = true;
      }
    }
    total.textContent = priced ? cents(sum) : "–";
  };
  const refreshInfo = async (row) => {
    const mine = ++row.asked;
    const qty = readDecimal(row.qty.value).value;
    const shown = await describe(row.product, qty);
    if (mine === row.asked && rows.includes(row)) replaceChildren(row.info, shown);
  };
  const later = (row) => {
    clearTimeout(row.timer);
    row.timer = setTimeout(() => refreshInfo(row), ASK_AFTER_MS);
  };
  const choose = async (row) => {
    const found = await row.picker.resolve();
    row.product = found && found.name ? found : null;
    row.name.textContent = row.product ? row.product.name : "";
    // The product's own price or cost fills an empty field, or replaces the one it filled for another product;
    // one the user typed stays.
    const price = row.product ? defaultPrice(row.product) : null;
    if (row.autoPrice || row.price.value.trim() === "") {
      row.price.value = price === null || price === undefined ? "" : decimalText(price);
      row.autoPrice = row.price.value !== "";
    }
    showTotal();
    refreshInfo(row);
  };
  const renumber = () => rows.forEach((row) => {
    const n = numberOf(row);
    row.number.textContent = String(n);
    row.picker.input.setAttribute("aria-label", `${t("oe_line_n", { n })} – ${t("product")}`);
    row.qty.setAttribute("aria-label", `${t("oe_line_n", { n })} – ${t("qty")}`);
    row.price.setAttribute("aria-label", `${t("oe_line_n", { n })} – ${priceLabel}`);
    row.remove.setAttribute("aria-label", t("oe_remove_line", { n }));
  });

  function add() {
    made += 1;
    const row = { asked: 0, product: null, autoPrice: false,
      picker: picker({ path: "/api/v1/products", key: "sku", id: `${id}-product-${made}`, className: "ol-product" }),
      qty: h("input", { class: "ol-qty", inputmode: "decimal", autocomplete: "off", maxlength: 20 }),
      price: h("input", { class: "ol-price", inputmode: "decimal", autocomplete: "off", maxlength: 20 }),
      number: h("span"), name: h("small", { class: "ol-name" }), info: h("td", { class: "ol-info" }),
      remove: h("button", { type: "button", class: "link ol-remove" }, "×") };
    row.picker.input.addEventListener("change", () => choose(row));
    row.qty.addEventListener("input", () => { showTotal(); later(row); });
    row.price.addEventListener("input", () => { row.autoPrice = false; showTotal(); });
    row.remove.addEventListener("click", () => {
      const at = rows.indexOf(row);
      rows.splice(at, 1);
      row.tr.remove();
      if (!rows.length) add();
      renumber();
      showTotal();
      (rows[at] || rows[rows.length - 1]).picker.input.focus();
    });
    row.tr = h("tr", { class: "ol-line" },
      h("td", { class: "num ol-number" }, row.number),
      h("td", { class: "ol-product-cell" }, row.picker.input, row.picker.list, row.name),
      h("td", { class: "num" }, row.qty),
      h("td", { class: "num" }, row.price),
      row.info,
      h("td", {}, row.remove));
    rows.push(row);
    body.append(row.tr);
    renumber();
    refreshInfo(row);
    return row;
  }

  const addButton = h("button", { type: "button", class: "ol-add", id: `${id}-add-line`,
    onClick: () => add().picker.input.focus() }, t("oe_add_line"));
  add();

  const element = h("div", { class: "ol" },
    h("div", { class: "sv-scroll" }, h("table", { class: "sv-table ol-table", id: `${id}-lines` },
      h("thead", {}, h("tr", {}, h("th", { scope: "col", class: "num" }, "#"),
        h("th", { scope: "col" }, t("oe_product")), h("th", { scope: "col", class: "num" }, t("qty")),
        h("th", { scope: "col", class: "num" }, priceLabel), h("th", { scope: "col" }, t(`oe_info_${id}`)),
        h("th", { scope: "col", "aria-label": t("oe_remove") }))),
      body)),
    h("div", { class: "ol-foot" }, addButton, h("span", {}, `${t("oe_order_value")} `, total)));

  // Lines with something typed, as the API takes them, and the rows they come from (to point out the one the server
  // refuses); a number that cannot be read is said here, naming its line.
  async function read() {
    const lines = [];
    const from = [];
    const problems = [];
    for (const row of rows) {
      if (!row.picker.input.value.trim() && !row.qty.value.trim() && !row.price.value.trim()) continue;
      const n = numberOf(row);
      const found = await row.picker.resolve();
      const line = { product: found ? found.sku : row.picker.input.value.trim() };
      for (const [input, key, label] of [[row.qty, "qty", t("qty")], [row.price, priceKey, priceLabel]]) {
        const typed = readDecimal(input.value);
        if (typed.error) {
          problems.push(t(typed.error, { field: `${t("oe_line_n", { n })} – ${label}`, typed: input.value.trim() }));
          input.setAttribute("aria-invalid", "true");
        } else if (typed.value !== null) {
          line[key] = typed.value;
        }
      }
      lines.push(line);
      from.push(row);
    }
    return { lines, from, problems };
  }

  function unmark() {
    for (const row of rows) {
      for (const input of [row.picker.input, row.qty, row.price]) input.removeAttribute("aria-invalid");
      row.tr.classList.remove("refused");
    }
  }

  // The line a refusal names ("lines.1.qty", or "lines.qty" with the product's SKU): marked and focused.
  function mark(error, sent) {
    const field = error?.field || "";
    const at = /^lines\.(\d+)\.(\w+)$/.exec(field);
    let row = at ? sent.from[Number(at[1])] : null;
    let key = at ? at[2] : field.split(".").pop();
    if (!row && field.startsWith("lines.") && error?.details?.sku) {
      const index = sent.lines.findIndex((line) => line.product.toLowerCase() === error.details.sku.toLowerCase());
      row = sent.from[index] || null;
    }
    if (!row || !rows.includes(row)) return false;
    const input = { product: row.picker.input, qty: row.qty, [priceKey]: row.price }[key] || row.picker.input;
    row.tr.classList.add("refused");
    input.setAttribute("aria-invalid", "true");
    input.focus();
    return true;
  }

  function reset() {
    for (const row of rows.splice(0)) row.tr.remove();
    add();
    showTotal();
  }

  return { element, read, mark, unmark, reset, first: () => rows[0].picker.input };
}
