// Tendu's own labels, TL:<TYPE>:<VALUE> (bins and documents), recognised on the device so a screen can
// set its context (the order, the bin) even offline. The server reads them again; it has the last word.

const LABEL = /^(?:\][A-Za-z][0-9])?TL:(LOC|PO|SO|PRD):([A-Za-z0-9._/-]{1,40})$/i;

// A UPC-A, EAN-13 or GTIN-14 (plain, or with its scanner's ]E0 / ]I1 prefix) whose check digit is wrong: a misread
// the server would refuse anyway, told at once even offline. { expected, read } or null. (8 digits are left to the
// server: an EAN-8 that fails may be a valid UPC-E.)
const GTIN = /^(?:\]E0|\]I1)?(\d{12,14})$/;

export function wrongCheckDigit(code) {
  const digits = GTIN.exec(code.trim())?.[1];
  if (!digits) return null;
  const body = digits.slice(0, -1);
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  const expected = (10 - (sum % 10)) % 10;
  const read = Number(digits.at(-1));
  return expected === read ? null : { expected, read };
}

export function readLabel(code) {
  const match = LABEL.exec(code.trim());
  return match ? { type: match[1].toUpperCase(), value: match[2].toUpperCase() } : null;
}
