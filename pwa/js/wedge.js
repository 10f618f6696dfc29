// Handheld scanners in keyboard-wedge mode type a whole code in a burst (a few ms per key) and end it
// with Enter or Tab. This capture layer listens to the whole document, recognises such bursts when no
// text field has focus, and hands the code over. Slower, human typing is never swallowed.
// A field marked data-scan-through (a quantity typed just before scanning the item) lets a burst through
// too: its keys land in the field as they come, and when a long enough burst ends, the field gets back the
// value it had before and the code goes to the screen as a scan. In a number's field (data-scan-through="number")
// a burst with a character no number has (a letter, a colon) is a scan from MIN_LENGTH on: short item codes too.
import { characterOf, GS } from "./keymap.js";

const MAX_GAP_MS = 60;       // scanners: 1–20 ms between keys; people rarely stay under 60 ms
const MIN_LENGTH = 3;        // shorter bursts are keyboard shortcuts or chance
const MIN_IN_FIELD = 6;      // in a field: no one types six characters at scanner speed (EAN-8 has 8)
const TERMINATORS = new Set(["Enter", "Tab", "NumpadEnter"]);

export function startWedge({ onScan, layout }) {
  let buffer = "";
  let lastAt = 0;
  let altCode = null;        // digits of an Alt+0029 sequence typed on the numeric keypad
  let before = null;         // the scan-through field's value when the burst began

  const reset = () => { buffer = ""; altCode = null; };

  function onKeyDown(event) {
    const field = typingInField(event.target) ? event.target : null;
    if (field && !("scanThrough" in field.dataset)) return reset();
    const now = event.timeStamp;
    const continuing = buffer !== "" && now - lastAt <= MAX_GAP_MS;
    if (buffer && !continuing) reset();
    if (!buffer) before = field ? field.value : null;

    if (TERMINATORS.has(event.key)) {
      if (buffer.length >= (field ? minInField(field, buffer) : MIN_LENGTH)) {
        event.preventDefault(); // an Enter from the scanner must not also press a focused button
        event.stopPropagation();
        if (field) field.value = before;
        const code = buffer;
        reset();
        onScan(code);
      } else {
        reset();
      }
      return;
    }
    if (event.altKey && /^Numpad[0-9]$/.test(event.code)) {
      altCode = (altCode ?? "") + event.code.slice(6);
      lastAt = now;
      return;
    }
    const char = characterOf(event, layout());
    if (char === null) return;  // Shift, arrows…: neither part of a code nor a reason to reset
    // mid-burst: keep keys from scrolling or clicking (in a field they go in, and are taken back at the end)
    if (!field && (continuing || char === GS)) event.preventDefault();
    buffer += char;
    lastAt = now;
  }

  function onKeyUp(event) {
    if (event.key === "Alt" && altCode !== null) {
      if (Number(altCode) === 29) {
        buffer += GS;
        lastAt = event.timeStamp;
      }
      altCode = null;
    }
  }

  document.addEventListener("keydown", onKeyDown, true);
  document.addEventListener("keyup", onKeyUp, true);
  return () => {
    document.removeEventListener("keydown", onKeyDown, true);
    document.removeEventListener("keyup", onKeyUp, true);
  };
}

function minInField(field, burst) {
  return field.dataset.scanThrough === "number" && /[^\d.,\s+-]/.test(burst) ? MIN_LENGTH : MIN_IN_FIELD;
}

function typingInField(target) {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT") return true;
  if (target.tagName !== "INPUT") return false;
  return !["button", "checkbox", "radio", "submit", "reset", "range", "color", "file"].includes(target.type);
}
