// Operator preferences, kept on the device (localStorage): they belong to the phone, not to the user.

const KEY = "tendu.settings";
const listeners = new Set();

const DEFAULTS = {
  language: "auto",     // auto (from the browser) | en | fr
  fnc1Substitute: "",   // what the scanner sends instead of GS (ASCII 29), e.g. "~" or "|"; "" = none
  keyboardLayout: "auto", // auto | us-qwerty (scanner set up for a US keyboard, read by physical key)
  sound: true,
  vibration: true,
  device: "",
};

let current = load();

function load() {
  try {
    return { ...DEFAULTS, ...JSON.parse(localStorage.getItem(KEY) || "{}") };
  } catch {
    return { ...DEFAULTS };
  }
}

export function settings() {
  if (!current.device) update({ device: `web-${Math.random().toString(36).slice(2, 8)}` });
  return current;
}

export function update(changes) {
  current = { ...current, ...changes };
  localStorage.setItem(KEY, JSON.stringify(current));
  for (const listener of listeners) listener(current);
}

export function onSettingsChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
