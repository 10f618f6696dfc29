// Service worker: keeps the app shell on the device so Tendu opens without network.
// VERSION must equal SHELL_VERSION in js/version.js (a test checks): a new value makes browsers install
// the new shell beside the old one, and switch when the operator accepts the update (or on next start).
const VERSION = "2026.11.28-41";
const SHELL_CACHE = `tendu-shell-${VERSION}`;
// zxing-wasm (about 1 MB) and uPlot: not precached, fetched on first use (camera, first chart), kept until
// the next release.
const VENDOR_CACHE = `tendu-vendor-${VERSION}`;

const SHELL = [
  "/", "/manifest.webmanifest", "/css/app.css", "/css/supervisor.css",
  "/icons/icon.svg", "/icons/icon-192.png", "/icons/icon-512.png", "/icons/icon-maskable-512.png",
  "/icons/apple-touch-icon.png",
  "/js/api.js", "/js/app.js", "/js/camera.js", "/js/decoders.js", "/js/dom.js", "/js/feedback.js",
  "/js/i18n.js", "/js/ids.js", "/js/keymap.js", "/js/labels.js", "/js/outbox.js", "/js/scan-panel.js",
  "/js/scanner.js", "/js/session.js", "/js/settings.js", "/js/store.js", "/js/sync.js", "/js/updates.js",
  "/js/version.js", "/js/wedge.js",
  "/js/screens/common.js", "/js/screens/count.js", "/js/screens/home.js", "/js/screens/lookup.js",
  "/js/screens/open-orders.js", "/js/screens/pick.js", "/js/screens/put-away.js", "/js/screens/qty-field.js",
  "/js/screens/queue.js", "/js/screens/receive.js",
  "/js/screens/settings.js", "/js/screens/ship.js", "/js/screens/sign-in.js",
  "/js/supervisor/charts.js", "/js/supervisor/common.js", "/js/supervisor/dashboard.js", "/js/supervisor/data.js",
  "/js/supervisor/decisions.js", "/js/supervisor/lead-times.js", "/js/supervisor/live.js",
  "/js/supervisor/order-form.js", "/js/supervisor/order-lines.js", "/js/supervisor/pickers.js",
  "/js/supervisor/print-labels.js",
  "/js/supervisor/product.js", "/js/supervisor/purchase-order-form.js", "/js/supervisor/replenishment.js",
  "/js/supervisor/sales-order-form.js", "/js/supervisor/sales-orders.js", "/js/supervisor/stock.js",
  "/js/supervisor/strings.js",
  "/js/supervisor/supplier-form.js", "/js/supervisor/users.js", "/js/supervisor/valuation.js",
];

self.addEventListener("install", (event) => {
  // cache: "reload" skips the HTTP cache, so a release never precaches a stale file.
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) =>
    cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })))));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("tendu-") && name !== SHELL_CACHE && name !== VENDOR_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  // The API is never cached here: the app keeps its own offline data (outbox, last look-ups) in IndexedDB.
  if (event.request.method !== "GET" || url.origin !== location.origin || url.pathname.startsWith("/api/")
      || url.pathname === "/healthz") return;
  if (event.request.mode === "navigate") {
    event.respondWith(fromCache(SHELL_CACHE, "/", event.request));
  } else if (url.pathname.startsWith("/vendor/")) {
    event.respondWith(cachedOrFetched(VENDOR_CACHE, event.request));
  } else {
    event.respondWith(fromCache(SHELL_CACHE, url.pathname, event.request));
  }
});

async function fromCache(cacheName, key, request) {
  const cached = await caches.match(key, { cacheName, ignoreSearch: true });
  return cached || fetch(request);
}

async function cachedOrFetched(cacheName, request) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
