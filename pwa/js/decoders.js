// Barcodes in camera frames: the browser's BarcodeDetector where it exists, else zxing-wasm served from
// our own origin. Both give the code as a handheld would type it: AIM prefix + data, GS kept.
const GS = "\x1d";
const ZXING_DIR = "/vendor/zxing-wasm";
const ZXING_FORMATS = ["EANUPC", "ITF", "Code128", "DataBar", "DataMatrix", "QRCode"];

// BarcodeDetector names the symbology but drops the AIM identifier: rebuild it where the format is
// unambiguous. GS1 symbols are marked by some platforms with a leading GS; without it the symbol is sent as
// a plain one (]C0, ]d1, ]Q1): the server still recognises a GS1 element string by its content, and reads
// digits whose GTIN check digit fails as the company's own code (a bin "10020304" in Code 128), not a misread.
const NATIVE_AIM = { ean_13: "]E0", upc_a: "]E0", upc_e: "]E0", ean_8: "]E4", itf: "]I0" };
const NATIVE_GS1_AIM = { code_128: "]C1", data_matrix: "]d2", qr_code: "]Q3" };
const NATIVE_PLAIN_AIM = { code_128: "]C0", data_matrix: "]d1", qr_code: "]Q1" };

export async function createDetector() {
  return (await nativeDetector()) || (await zxingDetector());
}

async function nativeDetector() {
  if (!("BarcodeDetector" in globalThis)) return null;
  const formats = await globalThis.BarcodeDetector.getSupportedFormats().catch(() => []);
  if (!formats.length) return null; // present but without a platform decoder (desktop Linux)
  const detector = new globalThis.BarcodeDetector({ formats });
  return {
    name: "native",
    async detect(canvas) {
      return (await detector.detect(canvas)).map(({ rawValue, format }) => {
        if (NATIVE_AIM[format]) return NATIVE_AIM[format] + rawValue;
        if (NATIVE_GS1_AIM[format] && rawValue.startsWith(GS)) return NATIVE_GS1_AIM[format] + rawValue.slice(1);
        return (NATIVE_PLAIN_AIM[format] || "") + rawValue;
      });
    },
  };
}

async function zxingDetector() {
  const zxing = await import(`${ZXING_DIR}/es/reader/index.js`);
  // Without this zxing would fetch its .wasm from a CDN: point it at our copy.
  zxing.prepareZXingModule({
    overrides: {
      locateFile: (path, prefix) => (path.endsWith(".wasm") ? `${location.origin}${ZXING_DIR}/reader/${path}` : prefix + path),
    },
  });
  const options = { formats: ZXING_FORMATS, textMode: "Plain", tryHarder: true, maxNumberOfSymbols: 4 };
  return {
    name: "zxing",
    async detect(canvas) {
      const image = canvas.getContext("2d", { willReadFrequently: true }).getImageData(0, 0, canvas.width, canvas.height);
      const results = await zxing.readBarcodes(image, options);
      // "Plain" text keeps GS between GS1 fields; the symbology identifier (]d2, ]C1, ]E0…) is the AIM prefix.
      return results.filter((result) => result.isValid).map((result) => result.symbologyIdentifier + result.text);
    },
  };
}
