// Feedback an operator cannot miss, gloves on, in a noisy dock: a full-screen colour flash with the
// product and count in large type, a beep and a vibration. Kinds: ok, queued, error.
import { settings } from "./settings.js";

const TONES = { ok: [[1046, 0.09]], queued: [[660, 0.12]], error: [[220, 0.18], [0, 0.06], [196, 0.28]] };
const VIBRATIONS = { ok: [60], queued: [40, 60, 40], error: [200, 100, 200] };
const SHOWN_MS = { ok: 900, queued: 1400, error: 4000 };
let audio = null;
let hideTimer = null;

export function feedback(kind, { title, big = "", detail = "" }) {
  flash(kind, title, big, detail);
  if (settings().sound) beep(kind);
  if (settings().vibration && navigator.vibrate) navigator.vibrate(VIBRATIONS[kind]);
}

function flash(kind, title, big, detail) {
  const overlay = document.getElementById("flash");
  overlay.className = `flash flash-${kind}`;
  overlay.querySelector(".flash-title").textContent = title;
  overlay.querySelector(".flash-big").textContent = big;
  overlay.querySelector(".flash-detail").textContent = detail;
  overlay.hidden = false;
  clearTimeout(hideTimer);
  hideTimer = setTimeout(() => { overlay.hidden = true; }, SHOWN_MS[kind]);
}

export function hideFlash() {
  clearTimeout(hideTimer);
  document.getElementById("flash").hidden = true;
}

function beep(kind) {
  try {
    audio ??= new AudioContext();
    let at = audio.currentTime;
    for (const [frequency, seconds] of TONES[kind]) {
      if (frequency) {
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.type = "square";
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.15, at);
        gain.gain.exponentialRampToValueAtTime(0.001, at + seconds);
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start(at);
        oscillator.stop(at + seconds);
      }
      at += seconds;
    }
  } catch { /* no audio device: the flash and vibration remain */ }
}
