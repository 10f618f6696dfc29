// A supplier's settings, where its lead times are judged: the declared lead time (the promise, used until
// measurements replace it) and the review period (empty: its products are reviewed every day against a
// reorder point; R: ordered from every R days, up to a level S) and the cost of one order (empty: orders
// cover four weeks of demand; set: the economic order quantity).
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { ApiError, call } from "./common.js";

export function supplierForm(supplier, notice, reload) {
  const field = (name, attrs) => h("input", { name, id: `supplier-${name}`, ...attrs });
  const declared = field("declared_lead_time_days", { type: "number", min: 0, max: 365, step: "any", required: true,
    value: supplier.declared_lead_time_days });
  const review = field("review_period_days", { type: "number", min: 1, max: 365, step: 1,
    value: supplier.review_period_days ?? "", placeholder: t("review_daily") });
  const cost = field("ordering_cost", { type: "number", min: 0.01, max: 1000000, step: "any",
    value: supplier.ordering_cost ?? "" });
  const email = field("email", { type: "email", maxlength: 200, value: supplier.email ?? "" });
  const active = field("active", { type: "checkbox", checked: supplier.active });
  const message = h("p", { id: "supplier-message", role: "status", class: notice ? "ok" : null }, notice || "");
  const save = h("button", { type: "submit", class: "primary" }, t("save_supplier"));
  return h("form", { class: "supplier-settings", id: "supplier-form", async onSubmit(event) {
    event.preventDefault();
    save.disabled = true;
    message.className = "";
    message.textContent = "";
    const body = { declared_lead_time_days: Number(declared.value), email: email.value || null,
      review_period_days: review.value === "" ? null : Number(review.value),
      ordering_cost: cost.value === "" ? null : Number(cost.value), active: active.checked };
    try {
      await call(`/api/v1/suppliers/${encodeURIComponent(supplier.code)}`, { method: "PATCH", body });
      reload(t("supplier_saved"));
    } catch (error) {
      message.className = "error";
      message.textContent = error instanceof ApiError ? error.message : t("sv_failed", { reason: error.message });
      save.disabled = false;
    }
  } },
  h("label", { class: "field" }, t("declared_lead_time"), declared),
  h("label", { class: "field" }, t("review_period"), review, h("small", {}, t("review_help"))),
  h("label", { class: "field" }, t("ordering_cost"), cost, h("small", {}, t("ordering_cost_help"))),
  h("label", { class: "field" }, t("email"), email),
  h("label", { class: "check" }, active, t("supplier_active")),
  save, message);
}
