// Device settings: scanner quirks (FNC1 substitute, keyboard layout), sound, vibration, language.
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { settings, update } from "../settings.js";
import { clearSession } from "../session.js";
import { SHELL_VERSION } from "../version.js";

export default {
  title: "settings_title",
  render(main) {
    const current = settings();
    const saved = h("p", { class: "note", role: "status" });
    const field = (label, control, help) => h("label", { class: "field" }, label, control, help ? h("small", {}, help) : null);
    const select = (name, value, options) => h("select", { name },
      options.map(([optionValue, label]) => h("option", { value: optionValue, selected: optionValue === value }, label)));
    const toggle = (name, value) => h("input", { type: "checkbox", name, checked: value });

    const form = h("form", { class: "settings", id: "settings-form", onChange: save, onSubmit: (event) => { event.preventDefault(); save(); } },
      field(t("language"), select("language", current.language, [["auto", t("language_auto")], ["fr", "Français"], ["en", "English"]])),
      field(t("fnc1_substitute"), h("input", { name: "fnc1Substitute", value: current.fnc1Substitute, maxLength: 8, autocomplete: "off" }), t("fnc1_help")),
      field(t("keyboard_layout"), select("keyboardLayout", current.keyboardLayout, [["auto", t("layout_auto")], ["us-qwerty", t("layout_us")]]), t("layout_help")),
      h("label", { class: "check" }, toggle("sound", current.sound), t("sound")),
      h("label", { class: "check" }, toggle("vibration", current.vibration), t("vibration")),
      field(t("device_name"), h("input", { name: "device", value: current.device, maxLength: 64, autocomplete: "off" })),
      saved);
    main.append(form,
      h("button", { class: "wide danger", id: "sign-out", onClick: signOut }, t("sign_out")),
      h("p", { class: "note" }, `${t("version")} ${SHELL_VERSION}`));

    function save() {
      const data = new FormData(form);
      const languageChanged = data.get("language") !== settings().language;
      update({
        language: data.get("language"), fnc1Substitute: data.get("fnc1Substitute"),
        keyboardLayout: data.get("keyboardLayout"), sound: data.has("sound"), vibration: data.has("vibration"),
        device: data.get("device").trim() || settings().device,
      });
      saved.textContent = t("saved");
      if (languageChanged) window.dispatchEvent(new CustomEvent("tendu:relabel"));
    }

    async function signOut() {
      const { api } = await import("../api.js");
      await api("/api/v1/auth/tokens/current", { method: "DELETE" }).catch(() => {});
      clearSession({ chosen: true });
    }
    return {};
  },
};
