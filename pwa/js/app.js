// Start-up: language, service worker, routing between screens, the scanner capture and the sync.
import { h, replaceChildren } from "./dom.js";
import { labelled, language, t } from "./i18n.js";
import { session } from "./session.js";
import { settings } from "./settings.js";
import { startWedge } from "./wedge.js";
import { startSync } from "./sync.js";
import { counts, onOutboxChange } from "./outbox.js";
import { hideFlash } from "./feedback.js";
import { watchForUpdates } from "./updates.js";
import signIn from "./screens/sign-in.js";
import home from "./screens/home.js";
import receive from "./screens/receive.js";
import putAway from "./screens/put-away.js";
import pick from "./screens/pick.js";
import ship from "./screens/ship.js";
import count from "./screens/count.js";
import lookup from "./screens/lookup.js";
import queue from "./screens/queue.js";
import settingsScreen from "./screens/settings.js";
import svDashboard from "./supervisor/dashboard.js";
import svStock from "./supervisor/stock.js";
import svLeadTimes from "./supervisor/lead-times.js";
import svProduct from "./supervisor/product.js";
import svReplenishment from "./supervisor/replenishment.js";
import svSalesOrders from "./supervisor/sales-orders.js";
import svValuation from "./supervisor/valuation.js";
import svDecisions from "./supervisor/decisions.js";
import svData from "./supervisor/data.js";
import svLabels from "./supervisor/print-labels.js";
import svUsers from "./supervisor/users.js";

const ROUTES = {
  "#/sign-in": signIn, "#/": home, "#/receive": receive, "#/put-away": putAway, "#/pick": pick,
  "#/ship": ship, "#/count": count, "#/lookup": lookup, "#/queue": queue, "#/settings": settingsScreen,
  // supervisor views (the server checks the role of every call; the views say so to other roles)
  "#/sv": svDashboard, "#/sv/stock": svStock, "#/sv/lead-times": svLeadTimes, "#/sv/product": svProduct,
  "#/sv/replenishment": svReplenishment, "#/sv/sales-orders": svSalesOrders, "#/sv/valuation": svValuation,
  "#/sv/decisions": svDecisions, "#/sv/data": svData, "#/sv/labels": svLabels, "#/sv/users": svUsers,
};

const main = document.getElementById("view");
let current = null;       // {route, screen, handle}
let routeOptions = {};    // passed once to the next screen (a code to look up, a notice)

function navigate(hash, options = {}) {
  routeOptions = options;
  if (location.hash === hash) show();
  else location.hash = hash;
}

function show() {
  const [path, query = ""] = location.hash.split("?"); // "#/sv/product?sku=X": route and its parameters
  const route = ROUTES[path] ? path : "#/";
  const screen = ROUTES[route];
  if (!screen.public && !session()) return navigate("#/sign-in");
  current?.handle?.destroy?.();
  hideFlash();
  document.documentElement.lang = language();
  document.getElementById("title").textContent = t(screen.title);
  document.getElementById("back").hidden = route === "#/" || route === "#/sign-in";
  main.replaceChildren();
  main.dataset.screen = route.slice(2).replaceAll("/", "-") || "home";
  const options = routeOptions;
  routeOptions = {};
  current = { route, screen, handle: screen.render(main, { ...options, navigate, params: new URLSearchParams(query) }) || {} };
}

let badgeReads = 0;
async function showQueueBadge() {
  const mine = ++badgeReads;
  const { pending, refused } = await counts();
  if (mine !== badgeReads) return; // a later change is being counted: never paint an older count over it
  const badge = document.getElementById("queue-badge");
  badge.textContent = refused ? `${pending} · ⚠ ${refused}` : String(pending);
  badge.className = `badge${refused ? " has-refused" : ""}${pending ? " has-pending" : ""}`;
  badge.title = `${labelled(t("pending"), pending)} · ${labelled(t("to_resolve"), refused)}`;
}

function showNetwork() {
  const status = document.getElementById("network");
  status.textContent = navigator.onLine ? t("online") : t("offline");
  status.className = navigator.onLine ? "network online" : "network offline";
}

function onScan(code) {
  if (current?.handle?.onCode) current.handle.onCode(code, "wedge");
  else if (session()) navigate("#/lookup", { initialCode: code });
}

function start() {
  settings();
  document.getElementById("back").addEventListener("click", () => navigate(current?.screen.back || "#/"));
  document.getElementById("flash").addEventListener("click", hideFlash);
  window.addEventListener("hashchange", show);
  window.addEventListener("tendu:signed-out", ({ detail }) =>
    navigate("#/sign-in", detail?.chosen ? {} : { notice: t("signed_out_notice") }));
  window.addEventListener("tendu:relabel", () => { show(); showNetwork(); });
  window.addEventListener("online", showNetwork);
  window.addEventListener("offline", showNetwork);
  onOutboxChange(showQueueBadge);
  startWedge({ onScan, layout: () => settings().keyboardLayout });
  showNetwork();
  showQueueBadge();
  show();
  startSync();
  watchForUpdates((apply) => {
    const banner = h("div", { class: "update-banner", id: "update-banner" }, t("update_ready"),
      h("button", { class: "primary", onClick: apply }, t("update_now")));
    replaceChildren(document.getElementById("updates"), banner);
  });
  document.body.dataset.ready = "true"; // for tests and monitoring: the shell is running
}

start();
