// Tendu's own labels, TL:<TYPE>:<VALUE> (bins and documents), recognised on the device so a screen can
// set its context (the order, the bin) even offline. The server reads them again; it has the last word.

const LABEL = /^(?:\][A-Za-z][0-9])?TL:(LOC|PO|SO|PRD):([A-Za-z0-9._/-]{1,64})$/i; // 64: as the server

// A code its scanner announced as a GTIN (]E0 EAN/UPC, ]E4 EAN-8, ]I0/]I1 ITF) whose check digit is wrong: a
// misread the server would refuse anyway, told at once even offline. { expected, read } or null.
// Bare digits are not judged here: without a prefix they may be the company's own code (a bin "10020304", an
// article code in Code 128), which only the server knows; it refuses them unless it has that exact code.
// 8 digits are read as the server reads them (server/domain/barcodes/gtin.py): after ]E0 a UPC-E when they start
// with 0 or 1, else an EAN-8; ]E4 says EAN-8.
const GTIN = /^(?:\]E0|\]I[01])(\d{12,14})$/;
const EIGHT = /^(\]E0|\]E4)(\d{8})$/;

export function wrongCheckDigit(code) {
  const text = code.trim();
  const digits = GTIN.exec(text)?.[1];
  if (digits) return verdict(checkDigit(digits.slice(0, -1)), digits);
  const eight = EIGHT.exec(text);
  if (!eight) return null;
  const [, prefix, short] = eight;
  if (prefix === "]E0" && "01".includes(short[0])) return verdict(checkDigit(upcABody(short)), short);
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
