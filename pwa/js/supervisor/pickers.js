// A customer, a supplier or a product chosen on an order form by typing its code or its name: a text field with
// the list of active ones as suggestions (a datalist: the keyboard and the browser's own filtering, no widget to
// learn), and what was typed resolved to a code the way the desk's product finder does (common.js).
import { h, replaceChildren } from "../dom.js";
import { call, folded } from "./common.js";

// One load per path and page view: a form of twenty lines asks for the product list once.
const loaded = new Map();
function active(path) {
  if (!loaded.has(path)) {
    loaded.set(path, call(`${path}?active=true&per_page=500`).then((page) => page.items).catch(() => {
      loaded.delete(path);  // a failed load is tried again on the next focus
      return [];
    }));
  }
  return loaded.get(path);
}

// Forget the lists (a view opened again reads them afresh: a customer created meanwhile is offered).
export function forgetLists() {
  loaded.clear();
}

// The one item ``typed`` names: its code as typed, its code in any case, its whole name, else the only item whose
// name or code contains it (case and accents ignored, as the server's search does); null when none or several.
function named(items, typed, key) {
  const lower = folded(typed);
  const exact = items.find((item) => item[key] === typed);
  if (exact) return exact;
  const matches = (test) => items.filter(test);
  for (const found of [matches((item) => folded(item[key]) === lower),
    matches((item) => folded(item.name) === lower),
    matches((item) => folded(`${item[key]} ${item.name}`).includes(lower))]) {
    if (found.length === 1) return found[0];
    if (found.length > 1) return null;
  }
  return null;
}

// path: "/api/v1/customers"; key: the field holding the code ("code", "sku"). Answers the field, its list, and
// resolve(): the item typed, {[key]: typed} when nothing matches (the server then says it is unknown, in its
// words), or null when the field is empty.
export function picker({ path, key, id, label, className }) {
  const list = h("datalist", { id: `${id}-list` });
  const input = h("input", { id, class: className, list: list.id, autocomplete: "off", "aria-label": label,
    maxlength: 64, spellcheck: false });
  // A suggestion chosen from the list is a choice made: said at once, not when the field is left.
  input.addEventListener("input", (event) => {
    if (event.inputType === "insertReplacementText" || event.inputType === undefined) {
      input.dispatchEvent(new Event("change"));
    }
  });
  input.addEventListener("focus", async () => {
    replaceChildren(list, (await active(path)).map((item) => h("option", { value: item[key] }, item.name)));
  }, { once: true });
  async function resolve() {
    const typed = input.value.trim();
    if (!typed) return null;
    const known = named(await active(path), typed, key);
    if (known) return known;
    // More than the 500 listed, or one made since: the server's own search.
    const searched = await call(`${path}?q=${encodeURIComponent(typed)}&per_page=100`)
      .then((page) => page.items).catch(() => []);
    return named(searched, typed, key) || { [key]: typed };
  }
  return { input, list, resolve };
}
