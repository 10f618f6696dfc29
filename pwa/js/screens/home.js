// Home: the six jobs as big buttons. A code scanned here is looked up.
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { session } from "../session.js";

const ACTIONS = [
  ["receive", "#/receive"], ["put_away", "#/put-away"], ["pick", "#/pick"],
  ["ship", "#/ship"], ["count", "#/count"], ["lookup", "#/lookup"],
];

export default {
  title: "home",
  render(main, { navigate }) {
    const user = session();
    main.append(
      h("nav", { class: "actions" }, ACTIONS.map(([key, href]) =>
        h("a", { class: `action action-${key}`, href, id: `go-${key}` }, t(key)))),
      h("nav", { class: "secondary" },
        h("a", { href: "#/queue", id: "go-queue" }, t("queue")), h("a", { href: "#/settings", id: "go-settings" }, t("settings"))),
      ...(["supervisor", "admin"].includes(user?.role)   // (append() would write a null out as "null")
        ? [h("nav", { class: "secondary" }, h("a", { href: "#/sv", id: "go-supervision" }, t("supervision")))] : []),
      h("p", { class: "note" }, user ? t("hello", { user: user.username, role: t(`role_${user.role}`) }) : ""));
    return { onCode: (code) => navigate("#/lookup", { initialCode: code }) };
  },
};
