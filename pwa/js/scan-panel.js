// The block every scanning screen shows: what to scan next, and the two ways besides the handheld —
// camera and typing (for damaged labels). All three end in the screen's onCode(code, source).
import { h, replaceChildren } from "./dom.js";
import { t } from "./i18n.js";
import { CameraScanner } from "./camera.js";
import { isGroupSeparator } from "./keymap.js";

const VISIBLE_GS = "\u241d"; // the server reads "␝" as GS: typed by hand with Ctrl+]

export function scanPanel({ onCode, prompt = "" }) {
  let camera = null;
  const promptLine = h("p", { class: "prompt", id: "scan-prompt" }, prompt);
  const input = h("input", {
    id: "manual-code", name: "code", autocomplete: "off", autocapitalize: "characters", spellcheck: "false",
    enterkeyhint: "send", "aria-label": t("code"),
    onKeydown: (event) => {
      if (!isGroupSeparator(event)) return;
      event.preventDefault();
      input.setRangeText(VISIBLE_GS, input.selectionStart, input.selectionEnd, "end");
    },
  });
  const form = h("form", {
    class: "manual", hidden: true,
    onSubmit: (event) => {
      event.preventDefault();
      const code = input.value.trim();
      if (!code) return;
      input.value = "";
      onCode(code, "manual");
    },
  }, input, h("button", { type: "submit", class: "primary" }, t("ok")));

  const video = h("video", { playsInline: true, muted: true, autoplay: true });
  const cameraNote = h("p", { class: "note" });
  const torchButton = h("button", { type: "button", hidden: true, onClick: toggleTorch }, t("torch"));
  const cameraBox = h("div", { class: "camera", hidden: true }, video, cameraNote,
    h("div", { class: "row" }, torchButton, h("button", { type: "button", onClick: stopCamera }, t("stop_camera"))));

  const element = h("section", { class: "scan-panel" }, promptLine,
    h("div", { class: "row" },
      h("button", { type: "button", id: "camera-button", onClick: startCamera }, t("camera")),
      h("button", { type: "button", id: "type-button", onClick: showManual }, t("type_code"))),
    form, cameraBox);

  function showManual() {
    form.hidden = !form.hidden;
    if (!form.hidden) input.focus();
  }

  async function startCamera() {
    if (camera) return;
    cameraBox.hidden = false;
    cameraNote.textContent = t("camera_starting");
    camera = new CameraScanner(video, (code) => onCode(code, "camera"));
    try {
      await camera.start();
      cameraNote.textContent = "";
      torchButton.hidden = !camera.torchAvailable;
    } catch (error) {
      stopCamera();
      cameraBox.hidden = false;
      cameraNote.textContent = t("camera_failed", { reason: error.message || error.name });
    }
  }

  async function toggleTorch() {
    const on = !torchButton.classList.contains("on");
    await camera?.setTorch(on).catch(() => {});
    torchButton.classList.toggle("on", on);
  }

  function stopCamera() {
    camera?.stop();
    camera = null;
    cameraBox.hidden = true;
  }

  return {
    element,
    setPrompt(text) { replaceChildren(promptLine, text); },
    destroy: stopCamera,
  };
}
