// Copies the browser files of our npm dependencies (zxing-wasm, uPlot, Swagger UI) into pwa/vendor/, so the app
// serves them from its own origin (never a CDN). Runs after `npm ci`; pwa/vendor/ is generated, hence git-ignored.
import { cpSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const zxing = join(root, "node_modules", "zxing-wasm", "dist");
const target = join(root, "pwa", "vendor", "zxing-wasm");

if (!existsSync(zxing)) {
  console.error("copy-vendor: node_modules/zxing-wasm is missing; run `npm ci` at the repository root.");
  process.exit(1);
}
rmSync(target, { recursive: true, force: true });
// The reader's ES module imports "../share.js": keep that layout. The .wasm sits beside it and the app
// points zxing at it with locateFile.
for (const file of ["es/reader/index.js", "es/share.js", "reader/zxing_reader.wasm"]) {
  mkdirSync(dirname(join(target, file)), { recursive: true });
  cpSync(join(zxing, file), join(target, file));
}
cpSync(join(root, "node_modules", "zxing-wasm", "LICENSE"), join(target, "LICENSE"));
console.log(`copy-vendor: zxing-wasm reader copied to ${target}`);

// uPlot draws the supervisor views' charts (canvas, ~50 KB, no dependencies): its ES module and stylesheet.
const uplot = join(root, "node_modules", "uplot");
const uplotTarget = join(root, "pwa", "vendor", "uplot");
if (!existsSync(uplot)) {
  console.error("copy-vendor: node_modules/uplot is missing; run `npm ci` at the repository root.");
  process.exit(1);
}
rmSync(uplotTarget, { recursive: true, force: true });
mkdirSync(uplotTarget, { recursive: true });
for (const file of ["dist/uPlot.esm.js", "dist/uPlot.min.css", "LICENSE"]) {
  cpSync(join(uplot, file), join(uplotTarget, file.replace("dist/", "")));
}
console.log(`copy-vendor: uPlot copied to ${uplotTarget}`);

// Swagger UI for the API documentation page (/api/docs), served from our own origin like the rest: a CDN script on
// the app's origin could read the bearer token the app keeps there.
const swagger = join(root, "node_modules", "swagger-ui-dist");
const swaggerTarget = join(root, "pwa", "vendor", "swagger-ui");
if (!existsSync(swagger)) {
  console.error("copy-vendor: node_modules/swagger-ui-dist is missing; run `npm ci` at the repository root.");
  process.exit(1);
}
rmSync(swaggerTarget, { recursive: true, force: true });
mkdirSync(swaggerTarget, { recursive: true });
for (const file of ["swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "LICENSE"]) {
  cpSync(join(swagger, file), join(swaggerTarget, file));
}
console.log(`copy-vendor: Swagger UI copied to ${swaggerTarget}`);
