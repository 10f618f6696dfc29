// Calls to /api/v1 with the bearer token and the operator's language. Answers {status, body, headers} for any
// HTTP status (errors are data here); a network failure throws NetworkError.
import { clearSession, session } from "./session.js";
import { language, t } from "./i18n.js";

export class NetworkError extends Error {}

export async function api(path, { method = "GET", body, timeoutMs = 15000 } = {}) {
  const headers = { "Accept": "application/json", "Accept-Language": language() };
  const current = session();
  if (current) headers.Authorization = `Bearer ${current.token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store", signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new NetworkError(error.message);
  }
  const data = await response.json().catch(() => null);
  if (response.status === 401 && current) clearSession();
  return { status: response.status, body: data, headers: response.headers };
}

// The operator-facing sentence for an answer: the scan's own message, else the error's.
export function messageOf(body) {
  return body?.message || body?.error?.message || "";
}

// "What to do next" for a refusal: the server's hint when it gives one, else one chosen by code, action, status.
export function nextStepOf(status, body, action) {
  const hint = body?.error?.details?.next_step || body?.next_step;
  if (hint) return hint;
  // The refusal's code says more than its status: an unknown order is not an unknown product.
  const byCode = {
    unknown_purchase_order: "step_unknown_order", unknown_sales_order: "step_unknown_order",
    unknown_location: "step_unknown_location", not_a_bin: "step_unknown_location",
    not_a_dock: "step_unknown_location", not_a_dispatch: "step_unknown_location",
    nothing_to_ship: "step_order_state", order_closed: "step_order_state", lot_required: "step_choose_lot",
    whole_units_required: "step_whole_units", implausible_quantity: "step_misread_count",
    bad_check_digit: "step_bad_check_digit", // typing it gives the same refusal: "type it by hand" would lead nowhere
  }[body?.error?.code];
  // A count has no order: its conflicts are about the bin and the item.
  const byAction = action === "count" && status === 409 ? "step_409_count" : null;
  const key = byCode || byAction || { 409: "step_409", 422: "step_422", 404: "step_404", 403: "step_403" }[status] || "step_default";
  return t(key);
}
