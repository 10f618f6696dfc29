// What the desk's two order forms share (sales-order-form.js, purchase-order-form.js): a button opening the form
// (the view stays the list it was until an order is to be typed), one submission at a time (a double click sends
// once), sent by its button only, and the answer said beside the button: a refusal in the server's words with the
// field it names pointed out, nothing typed lost.
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { ApiError, card } from "./common.js";

// fields: the order's own fields (partner, date), above its lines (order-lines.js); send(say): reads the form, posts
// the order and says how it went; first(): the field to type in when the form opens.
export function orderForm({ id, openLabel, title, submitLabel, fields, lines, send, first }) {
  const open = h("button", { type: "button", class: "primary", id: `${id}-open`, "aria-expanded": "false",
    "aria-controls": `${id}-card` }, openLabel);
  const close = h("button", { type: "button", class: "oe-close", id: `${id}-close` }, t("oe_close"));
  // A plain button, not a submit one: an Enter typed in a field (to pick a product from the list, to go on to the
  // next line) must not send an order half typed. The button itself answers Enter and Space.
  const submit = h("button", { type: "button", class: "primary", id: `${id}-submit` }, submitLabel);
  const message = h("div", { id: `${id}-message`, class: "oe-message" });
  const say = (tone, ...texts) => replaceChildren(message, texts.flat().map((text) =>
    h("p", { class: tone, role: tone === "error" ? "alert" : "status" }, text)));
  let busy = false;

  submit.addEventListener("click", async () => {
    if (busy) return;    // a second click while the first is on its way
    busy = true;
    submit.disabled = true;
    submit.textContent = t("creating");
    say("note");
    try {
      await send(say);
    } finally {
      busy = false;
      submit.disabled = false;
      submit.textContent = submitLabel;
      if (document.activeElement === document.body) submit.focus();  // (disabled, it lost the keyboard's focus)
    }
  });
  const form = h("form", { id: `${id}-form`, class: "order-form", novalidate: true,
    onSubmit: (event) => event.preventDefault() },
  h("div", { class: "oe-fields" }, fields), lines.element, h("div", { class: "sv-actions" }, submit, message));

  const box = card(title, form);
  box.id = `${id}-card`;
  box.hidden = true;
  box.querySelector("h2").append(" ", close);
  const show = (shown) => {
    box.hidden = !shown;
    open.hidden = shown;
    open.setAttribute("aria-expanded", String(shown));
    (shown ? first() : open).focus();
  };
  open.addEventListener("click", () => show(true));
  close.addEventListener("click", () => show(false));
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.target.list) show(false);   // (Escape in a list field closes its list)
  });
  return { element: h("div", { class: "order-entry", id: `${id}-entry` }, open, box), say };
}

// A refusal or a failure, as words: the server's own for a refusal; for a request that got no answer, that it may or
// may not have been made (``unsure``: what to do about it).
export function failure(error, unsure) {
  return error instanceof ApiError ? t("sv_not_done", { reason: error.message })
    : `${t("sv_not_done", { reason: error.message })} ${unsure}`;
}

// Whether the order's id is done with: refused, nothing was made under it, so the corrected order gets a new one.
// Without an answer it may have been made: the same id sent again returns it (the server replays, never twice).
export function refusedForGood(error) {
  return error instanceof ApiError && error.status < 500 && error.body?.error?.code !== "client_event_id_reused";
}

// The field a refusal names, pointed out: the partner or date field ({name: input}), else the line (order-lines.js).
export function pointOut(error, sent, own, lines) {
  const body = error instanceof ApiError ? error.body?.error : null;
  if (!body) return;
  const input = own[body.field];
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
  } else {
    lines.mark(body, sent);
  }
}
