// Tendu's own labels, TL:<TYPE>:<VALUE> (bins and documents), recognised on the device so a screen can
// set its context (the order, the bin) even offline. The server reads them again; it has the last word.

const LABEL = /^(?:\][A-Za-z][0-9])?TL:(LOC|PO|SO|PRD):([A-Za-z0-9._/-]{1,40})$/i;

export function readLabel(code) {
  const match = LABEL.exec(code.trim());
  return match ? { type: match[1].toUpperCase(), value: match[2].toUpperCase() } : null;
}
