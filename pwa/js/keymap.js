// Which character a keydown stands for, as a scanner meant it.
// A scanner "presses keys": set up for a US QWERTY keyboard on a French AZERTY machine, the key it presses
// for "1" reads "&". With the "us-qwerty" layout we read the physical key (event.code) through the US map,
// which gives back what the scanner meant. With "auto" we take event.key (the server still repairs AZERTY).

export const GS = "\x1d";

const US_SYMBOLS = {
  Digit1: "1!", Digit2: "2@", Digit3: "3#", Digit4: "4$", Digit5: "5%", Digit6: "6^", Digit7: "7&",
  Digit8: "8*", Digit9: "9(", Digit0: "0)", Minus: "-_", Equal: "=+", BracketLeft: "[{", BracketRight: "]}",
  Backslash: "\\|", Semicolon: ";:", Quote: "'\"", Backquote: "`~", Comma: ",<", Period: ".>", Slash: "/?",
  Space: "  ",
};
const NUMPAD = { NumpadDivide: "/", NumpadMultiply: "*", NumpadSubtract: "-", NumpadAdd: "+", NumpadDecimal: "." };

// Ctrl+] is how a wedge scanner types GS (ASCII 29); some send the control character itself.
export function isGroupSeparator(event) {
  return event.key === GS || (event.ctrlKey && !event.altKey && (event.code === "BracketRight" || event.key === "]"));
}

export function characterOf(event, layout) {
  if (isGroupSeparator(event)) return GS;
  const altGraph = event.getModifierState?.("AltGraph");
  if (!altGraph && (event.ctrlKey || event.metaKey || event.altKey)) return null;
  if (layout === "us-qwerty" && !altGraph) {
    const fromKey = usCharacter(event);
    if (fromKey !== null) return fromKey;
  }
  return event.key.length === 1 ? event.key : null;
}

function usCharacter(event) {
  const { code, shiftKey } = event;
  if (/^Key[A-Z]$/.test(code)) {
    const upper = shiftKey !== Boolean(event.getModifierState?.("CapsLock"));
    return upper ? code[3] : code[3].toLowerCase();
  }
  if (/^Numpad[0-9]$/.test(code)) return code[6];
  if (code in NUMPAD) return NUMPAD[code];
  const pair = US_SYMBOLS[code];
  return pair ? pair[shiftKey ? 1 : 0] : null;
}
