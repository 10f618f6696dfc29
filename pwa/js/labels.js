// Tendu's own labels, TL:<TYPE>:<VALUE> (bins and documents), recognised on the device so a screen can
// set its context (the order, the bin) even offline. The server reads them again; it has the last word.

const LABEL = /^(?:\][A-Za-z][0-9])?TL:(LOC|PO|SO|PRD):([A-Za-z0-9._/-]{1,64})$/i; // 64: as the server

// A UPC-A, EAN-13 or GTIN-14 (plain, or with its scanner's ]E0 / ]I1 prefix), or 8 digits, whose check digit is
// wrong: a misread the server would refuse anyway, told at once even offline. { expected, read } or null.
// 8 digits are read as the server reads them (server/domain/barcodes/gtin.py): an EAN-8, or a UPC-E when they
// start with 0 or 1 — always after ]E0, and without a prefix when only the UPC-E check digit is right; ]E4 says
// EAN-8. A refusal gives the EAN-8 check digit unless the code was announced as a UPC-E.
const GTIN = /^(?:\]E0|\]I1)?(\d{12,14})$/;
const EIGHT = /^(\]E0|\]E4)?(\d{8})$/;

export function wrongCheckDigit(code) {
  const text = code.trim();
  const digits = GTIN.exec(text)?.[1];
  if (digits) return verdict(checkDigit(digits.slice(0, -1)), digits);
  const eight = EIGHT.exec(text);
  if (!eight) return null;
  const [, prefix, short] = eight;
  const upce = "01".includes(short[0]) && prefix !== "]E4" ? checkDigit(upcABody(short)) : null;
  if (upce !== null && (prefix === "]E0" || upce === Number(short[7]))) return verdict(upce, short);
  return verdict(checkDigit(short.slice(0, 7)), short);
}

function verdict(expected, digits) {
  const read = Number(digits.at(-1));
  return expected === read ? null : { expected, read };
}

// GS1 mod 10: weights 3 and 1 from the rightmost digit of the body.
function checkDigit(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

// The 11 digits of the UPC-A a UPC-E stands for (number system, 6 digits; the check digit aside): where the
// zeros were suppressed depends on the last of the 6.
function upcABody(upce) {
  const system = upce[0];
  const [a, b, c, d, e, last] = upce.slice(1, 7);
  if ("012".includes(last)) return `${system}${a}${b}${last}0000${c}${d}${e}`;
  if (last === "3") return `${system}${a}${b}${c}00000${d}${e}`;
  if (last === "4") return `${system}${a}${b}${c}${d}00000${e}`;
  return `${system}${a}${b}${c}${d}${e}0000${last}`;
}

export function readLabel(code) {
  const match = LABEL.exec(code.trim());
  return match ? { type: match[1].toUpperCase(), value: match[2].toUpperCase() } : null;
}
