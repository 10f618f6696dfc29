// The one scan call every way of scanning ends in (handheld, camera, typed): stamp the scan, store it
// in the outbox, then let the sync send it. Answers what the server said, or "queued" when offline.
import { addScan } from "./outbox.js";
import { answerFor, flushSoon } from "./sync.js";
import { nowWithZone, uuid4 } from "./ids.js";
import { settings } from "./settings.js";
import { session } from "./session.js";
import { feedback } from "./feedback.js";
import { messageOf, nextStepOf } from "./api.js";
import { formatNumber, t } from "./i18n.js";
import { wrongCheckDigit } from "./labels.js";

const GS = "\x1d";
const ANSWER_WAIT_MS = 6000; // past this the operator moves on; the answer lands in the queue screen

export async function submitScan({ code, action, context = {} }) {
  const misread = wrongCheckDigit(code);
  if (misread) { // nothing to keep: the same label reads the same way, online or not
    const message = t("wrong_check_digit", misread);
    return { state: "refused", status: 422, body: { message, error: { code: "bad_check_digit", message } },
      scan: { code, action, context } };
  }
  const scan = {
    client_event_id: uuid4(),
    occurred_at: nowWithZone(),
    code: withRealSeparators(code),
    action,
    context: withoutEmpty(context),
    device: settings().device,
    user: session()?.username, // kept on the device: the scan is sent with this user's token only
  };
  const record = await addScan(scan); // before any network call: from here on the scan cannot be lost
  const answer = answerFor(scan.client_event_id, ANSWER_WAIT_MS);
  flushSoon();
  return { scan: record, ...(await answer) }; // (record: the scan with its outbox seq)
}

// The scanner's configured FNC1 substitute becomes the real GS, so the server sees the true element string.
export function withRealSeparators(code) {
  const substitute = settings().fnc1Substitute;
  return substitute ? code.replaceAll(substitute, GS) : code;
}

function withoutEmpty(context) {
  return Object.fromEntries(Object.entries(context).filter(([, value]) => value !== undefined && value !== null && value !== ""));
}

// Flash, beep and vibrate for an answer; returns the kind shown (ok, queued, error).
export function showAnswer(answer, { big } = {}) {
  const { state, status, body, scan } = answer;
  if (state === "queued") {
    feedback("queued", { title: t("scan_queued"), detail: t("queued_detail") });
    return "queued";
  }
  if (state === "refused") {
    feedback("error", {
      title: t("scan_refused"), big: messageOf(body),
      detail: t("next_step", { step: nextStepOf(status, body, scan?.action) }),
    });
    return "error";
  }
  const pending = status === 202 || body?.outcome === "pending";
  feedback(pending ? "queued" : "ok", {
    title: pending ? t("scan_pending") : status === 200 ? t("scan_lookup") : t("scan_applied"),
    big: big ?? bigLine(body),
    detail: messageOf(body),
  });
  return pending ? "queued" : "ok";
}

// The product and its new count, as large as the screen allows; for an order's or a bin's label, its name.
export function bigLine(body) {
  const product = body?.product;
  if (!product) return body?.order?.number || (typeof body?.order === "string" ? body.order : body?.bin) || "";
  const line = (body.lines || []).find((candidate) => candidate.sku === product.sku);
  // a receipt: the units this scan booked, then where the line stands ("+20 × Wiper blade — 20 / 20")
  const booked = body.qty !== undefined ? `+${formatNumber(body.qty)} × ` : "";
  if (line) return `${booked}${product.name} — ${formatNumber(line.received)} / ${formatNumber(line.ordered)}`;
  // the quantity this scan moved, written as the server writes it ("2 × name"), not as a running total
  return body.qty !== undefined ? `${formatNumber(body.qty)} × ${product.name}` : product.name;
}
