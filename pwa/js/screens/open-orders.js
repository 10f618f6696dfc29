// The open orders a screen works on, to tap one instead of knowing its number from paper. A tap hands the
// order's label to the screen's onCode: it does exactly what scanning that label does. Offline, the list last
// fetched on this device is shown with its age.
import { api, NetworkError } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { age, formatNumber, labelled, t, word } from "../i18n.js";
import { cacheGet, cachePut } from "../store.js";

// Oldest first: customers are served in the order they asked, and the oldest purchase order is the likeliest
// to be at the dock. A handheld shows a screenful; the rest come as these are done.
const SHOWN = 30;

// kind: "purchase-orders" | "sales-orders"; shows(order): whether this screen can work on it; title: a string key.
// onRelease: the screen forgets its order (the "Change order" button), and calls update(null).
// figure: what a row counts — "left" (units left to pick, or to receive) or "to_ship" (picked, waiting in dispatch:
// what the Ship screen cares about). note(order): a word more on a row, or null.
export function openOrders({ kind, title, onChoose, onRelease, shows = () => true, figure = "left",
  note = () => null }) {
  const element = h("section", { class: "open-orders", id: "open-orders" });
  let asked = 0; // the latest update wins over a list still on its way
  let listed = []; // the orders last shown (fresh or saved): an order's number typed from its paper names one
  let painted = null; // the list as last painted (orders, and whether fresh): repainted when a row's note changes

  async function list(mine) {
    replaceChildren(element, h("p", { class: "note" }, t("orders_loading")));
    const key = `open-orders:${kind}`;
    let fresh = null;
    let problem = t("offline");
    try { // (a short timeout: a spinner must not turn forever on a weak Wi-Fi)
      const { status, body } = await api(`/api/v1/${kind}?status=open&oldest_first=true&per_page=${SHOWN}`,
        { timeoutMs: 5000 });
      if (status === 200) fresh = body.items;
      else problem = t("server_unavailable");
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
    }
    if (fresh) await cachePut(key, fresh);
    const saved = fresh ? null : await cacheGet(key);
    if (mine !== asked) return;
    const orders = (fresh || saved?.value || []).filter(shows);
    listed = orders;
    painted = { orders, fresh, saved, problem };
    paint();
  }

  function paint() {
    const { orders, fresh, saved, problem } = painted;
    replaceChildren(element, h("h2", {}, t(title)),
      fresh ? null : h("p", { class: "note stale", id: "open-orders-stale" },
        labelled(problem, saved ? t("orders_saved", { age: age(saved.saved_at) }) : t("orders_not_saved"))),
      fresh || saved ? h("ul", { class: "open-orders-list" }, orders.length ? orders.map(row)
        : h("li", { class: "note" }, t("no_open_orders"))) : null);
  }

  // An order's status is its furthest line's step: "received" with 40 of 41 units still to come is received in part.
  const PARTLY = { "purchase-orders": ["received", "put_away"], "sales-orders": ["picked", "packed"] }[kind] || [];
  const status = (order) => (Number(order.left) > 0 && PARTLY.includes(order.status)
    ? t("status_partly", { status: word("status", order.status) }) : word("status", order.status));
  const row = (order) => h("li", {}, h("button", {
    type: "button", class: "open-order", dataset: { number: order.number }, onClick: () => onChoose(order.label),
  }, h("strong", {}, order.number), " ", order.partner, h("small", {},
    [status(order), labelled(t("lines"), order.lines), counted(order)].filter(Boolean).join(" · ")),
  note(order) ? h("small", { class: "order-note" }, note(order)) : null));
  // (a list saved by an older version has no to_ship: nothing is said rather than a wrong figure)
  const counted = (order) => (figure === "to_ship"
    ? (order.to_ship === undefined ? null : labelled(t("to_ship"), formatNumber(order.to_ship)))
    : labelled(t("left"), formatNumber(order.left)));

  return {
    element,
    // The label of the listed order whose number this is ("po-000001" typed from the delivery note), or null.
    labelFor(code) {
      const typed = String(code).trim().toUpperCase();
      return listed.find((order) => order.number.toUpperCase() === typed)?.label ?? null;
    },
    // The rows' notes may have changed (nothing fetched): the list as it is, painted again.
    repaint() {
      if (painted && element.querySelector(".open-orders-list")) paint();
    },
    // selected: the screen's order, if any; none: the list, fetched again.
    update(selected) {
      const mine = ++asked;
      if (!selected) return list(mine);
      replaceChildren(element, onRelease
        ? h("button", { type: "button", id: "change-order", onClick: onRelease }, t("change_order")) : null);
    },
  };
}
