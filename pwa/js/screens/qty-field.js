// The quantity of the next item scan on Reception, Put-away and Picking: how many of what is scanned (units, or
// packs for a carton's code: 3 cartons of 12 are 36 units, as the server multiplies), then back to 1.
// Like the count's field: a text field with a decimal keypad ("1,5" keeps its comma), Enter leaves it, and a
// handheld's burst fired while it has focus is a scan, not digits typed into it (data-scan-through, wedge.js).
import { h } from "../dom.js";
import { formatNumber, language, t } from "../i18n.js";
import { operatorError } from "./common.js";

const MAX_QTY = 1_000_000; // the server's limit (server/domain/movements.py MAX_QTY), of the multiplier and the units
const ONE = "1";

export function qtyField() {
  let focusing = false;
  const input = h("input", {
    id: "scan-qty", type: "text", inputmode: "decimal", autocomplete: "off", enterkeyhint: "done", value: ONE,
    "data-scan-through": "number", "aria-describedby": "scan-qty-hint",
    onKeydown: (event) => event.key === "Enter" && input.blur(),
    // What is typed replaces the 1 (or the number just focused), not follows it: selected on focus, and on a tap
    // while the field shows 1 again after a scan (it kept the focus); the tap's mouseup would put the caret back.
    onFocus: () => { input.select(); focusing = true; },
    onMouseup: (event) => {
      if (focusing || input.value === ONE) {
        event.preventDefault();
        input.select();
      }
      focusing = false;
    },
    onInput: armed,
    onBlur: armed,
  });
  const element = h("label", { class: "field big-number qty-field", id: "scan-qty-field" },
    h("span", {}, t("qty_label")), input, h("small", { id: "scan-qty-hint" }, t("qty_for_next_scan")));

  function armed() {
    element.classList.toggle("armed", input.value.trim() !== ONE);
  }

  function set(text) {
    input.value = text;
    armed();
    if (document.activeElement === input) input.select();
  }

  return {
    element,
    // The quantity for the scan being made, taken off the field (the next scan is 1 again, even one fired before
    // this one's answer): { text, value, qty }, qty being for the scan's context (none for 1: what a scan without
    // one moves), or null when the device refused it (said; the field keeps it to fix).
    take() {
      const text = input.value;
      const { value, error: unread } = readNumber(text);
      const error = unread ? `qty_${unread}` : value <= 0 ? "qty_not_positive" : value > MAX_QTY ? "qty_too_large"
        : Number(value.toFixed(3)) !== value ? "qty_decimals" : null;
      if (error) {
        operatorError(t(error, { value: text.trim(), max: formatNumber(MAX_QTY) }));
        return null;
      }
      set(ONE);
      return { text, value, qty: value === 1 ? undefined : value };
    },
    // After the answer: a scan refused, or that named a bin rather than an item, did not use the quantity; it is
    // given back unless the operator typed another meanwhile.
    answered(taken, answer) {
      const unused = answer.state === "refused" || answer.body?.outcome === "looked_up";
      if (unused && input.value.trim() === ONE) set(taken.text);
    },
  };
}

// A number as typed: "1,5" and "1.5" are both 1.5 (spaces between thousands ignored). { value }, or { error }: empty,
// not_a_number, or ambiguous — in English "1,000" may mean a thousand: refused rather than read as 1.
export function readNumber(text) {
  const typed = text.replace(/\s/g, "");
  if (language() === "en" && /^[+-]?\d+,\d{3}$/.test(typed)) return { error: "ambiguous" };
  const value = typed.replace(",", ".");
  if (value === "") return { error: "empty" };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) return { error: "not_a_number" };
  return { value: Number(value) };
}
