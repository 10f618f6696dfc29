// Sign in: user name and password for a bearer token. The device name labels every scan it sends.
import { h } from "../dom.js";
import { labelled, t } from "../i18n.js";
import { api, NetworkError } from "../api.js";
import { saveSession } from "../session.js";
import { settings } from "../settings.js";

export default {
  title: "sign_in",
  public: true,
  render(main, { notice } = {}) {
    const message = h("p", { class: "error", role: "alert", id: "sign-in-error" }, notice || "");
    const username = h("input", { name: "username", id: "username", autocomplete: "username", required: true, autocapitalize: "none" });
    const password = h("input", { name: "password", id: "password", type: "password", autocomplete: "current-password", required: true });
    const submit = h("button", { type: "submit", class: "primary wide" }, t("sign_in"));
    main.append(h("form", { class: "sign-in", id: "sign-in-form", onSubmit },
      h("img", { src: "/icons/icon.svg", alt: "", class: "logo", width: 96, height: 96 }),
      h("label", { class: "field" }, t("username"), username),
      h("label", { class: "field" }, t("password"), password),
      submit, message));
    username.focus();

    async function onSubmit(event) {
      event.preventDefault();
      submit.disabled = true;
      message.textContent = t("signing_in");
      try {
        const { status, body } = await api("/api/v1/auth/tokens", {
          method: "POST", body: { username: username.value.trim(), password: password.value, device: settings().device },
        });
        if (status === 201) {
          saveSession(body);
          location.hash = "#/";
          return;
        }
        message.textContent = labelled(t("sign_in_failed"), body?.error?.message || status);
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        message.textContent = t("sign_in_offline");
      } finally {
        submit.disabled = false;
      }
    }
    return {};
  },
};
