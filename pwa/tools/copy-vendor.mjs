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

// Copies ``files`` of node_modules/<pkg> flat into pwa/vendor/<dir> (a file's own folders dropped).
function copyFlat(pkg, dir, files, what) {
  const source = join(root, "node_modules", pkg);
  const into = join(root, "pwa", "vendor", dir);
  if (!existsSync(source)) {
    console.error(`copy-vendor: node_modules/${pkg} is missing; run \`npm ci\` at the repository root.`);
    process.exit(1);
  }
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  for (const file of files) cpSync(join(source, file), join(into, file.split("/").pop()));
  console.log(`copy-vendor: ${what} copied to ${into}`);
}

// uPlot draws the supervisor views' charts (canvas, ~50 KB, no dependencies): its ES module and stylesheet.
copyFlat("uplot", "uplot", ["dist/uPlot.esm.js", "dist/uPlot.min.css", "LICENSE"], "uPlot");

// Swagger UI for the API documentation page (/api/docs), served from our own origin like the rest: a CDN script on
// the app's origin could read the bearer token the app keeps there.
copyFlat("swagger-ui-dist", "swagger-ui",
  ["swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "LICENSE"], "Swagger UI");
