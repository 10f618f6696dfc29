// Users (admins only): who may sign in and with which role. An admin creates a user with a first password, changes
// a role, sets a new password, deactivates and reactivates; each change signs that user out of every device. All
// through /api/v1/users, whose refusals are shown in the server's words. Admins cannot deactivate or demote
// themselves (the server refuses it too): their own card says so instead of offering it.
import { h, replaceChildren } from "../dom.js";
import { labelled, t } from "../i18n.js";
import { session } from "../session.js";
import { ApiError, call, card, dateText, layout, loading } from "./common.js";

const ROLES = ["operator", "supervisor", "admin"];
const NAME = "[A-Za-z0-9._@\\-]{1,64}";   // as the server's (api/auth.py)
const MIN_PASSWORD = 8;

export default {
  title: "sv_users",
  back: "#/sv",
  render(main) {
    const body = layout(main, "#/sv/users", { roles: ["admin"], refusal: "usr_admins_only" });
    if (!body) return {};
    const refresh = (notice) => loading(body, () => view(refresh, notice));
    refresh();
    return {};
  },
};

const refusal = (error) => (error instanceof ApiError ? error.message : t("sv_not_done", { reason: error.message }));

async function view(refresh, notice) {
  const users = await call("/api/v1/users");
  const message = h("p", { id: "users-message", role: "status", class: notice ? "ok" : null }, notice || "");
  const say = (error) => {
    message.className = "error";
    message.textContent = refusal(error);
    message.scrollIntoView({ block: "nearest" });
  };
  const passwordBox = h("div", { id: "user-password" });
  const change = async (user, body, done) => {
    try {
      await call(`/api/v1/users/${encodeURIComponent(user.username)}`, { method: "PATCH", body });
      refresh(done);
    } catch (error) {
      say(error);
      return false;
    }
    return true;
  };
  // The card opens above the list; Cancel closes it, sending nothing (the password typed goes with it), and gives
  // the focus back to the button that opened it.
  const askPassword = (user, opener) => {
    const close = () => {
      replaceChildren(passwordBox);
      opener?.focus();
    };
    replaceChildren(passwordBox, card(labelled(t("usr_new_password"), user.username), passwordForm(user, change, close)));
    passwordBox.querySelector("input").focus();
  };
  return [
    message,
    passwordBox,
    h("div", { class: "sv-grid sv-grid-3-2" },
      card(t("usr_list"), h("p", { class: "note" }, t("usr_help")),
        h("ul", { class: "user-list", id: "users" }, users.map((user) => userCard(user, change, askPassword)))),
      card(t("usr_create"), createForm(refresh))),
  ];
}

function userCard(user, change, askPassword) {
  const own = user.username === session()?.username;
  // A new role or a deactivation signs the user out everywhere: one arrow key on the list or one click must not do
  // it. The card says what will happen and waits for a second click; keeping it puts the list back.
  const confirmBox = h("div", { class: "user-confirm-box" });
  const confirm = (question, yes, apply, keep = () => {}) => replaceChildren(confirmBox,
    h("div", { class: "confirm user-confirm", role: "alertdialog" }, h("p", {}, question),
      h("div", { class: "row" },
        h("button", { type: "button", class: "danger", onClick: () => { replaceChildren(confirmBox); apply(); } }, yes),
        h("button", { type: "button", onClick: () => { replaceChildren(confirmBox); keep(); } }, t("usr_keep")))));
  const role = h("select", { name: "role", class: "user-role", "aria-label": labelled(t("usr_role"), user.username),
    disabled: own, onChange() {
      const chosen = role.value;
      const named = { user: user.username, role: t(`role_${chosen}`) };
      confirm(t("usr_role_confirm", named), t("usr_role_yes", named), async () => {
        if (!await change(user, { role: chosen }, t("usr_role_changed", named))) role.value = user.role;
      }, () => { role.value = user.role; });
    } }, ROLES.map((r) => h("option", { value: r, selected: r === user.role }, t(`role_${r}`))));
  const toggle = user.active
    ? h("button", { type: "button", class: "danger user-deactivate", disabled: own,
      onClick: () => confirm(t("usr_deactivate_confirm", { user: user.username }), t("usr_deactivate"),
        () => change(user, { active: false }, t("usr_deactivated", { user: user.username }))) }, t("usr_deactivate"))
    : h("button", { type: "button", class: "primary user-reactivate",
      onClick: () => change(user, { active: true }, t("usr_reactivated", { user: user.username })) }, t("usr_reactivate"));
  const passwordButton = h("button", { type: "button", class: "user-password",
    onClick: () => askPassword(user, passwordButton) }, t("usr_set_password"));
  return h("li", { class: `sv-card user${user.active ? "" : " user-inactive"}`, dataset: { user: user.username } },
    h("p", { class: "user-head" }, h("strong", { class: "user-name" }, user.username),
      " ", h("span", { class: `user-state ${user.active ? "ok" : "warn"}` }, t(user.active ? "usr_active" : "usr_inactive")),
      own ? h("span", { class: "note user-you" }, ` · ${t("usr_you")}`) : null),
    h("label", { class: "field" }, t("usr_role"), role),
    h("div", { class: "row" }, passwordButton, toggle),
    confirmBox,
    h("p", { class: "note" }, own ? t("usr_own_help") : labelled(t("usr_since"), dateText(user.created_at))));
}

function passwordInput(name) {
  return h("input", { type: "password", name, required: true, minlength: MIN_PASSWORD, maxlength: 256,
    autocomplete: "new-password" });
}

function passwordForm(user, change, close) {
  const own = user.username === session()?.username;
  const password = passwordInput("password");
  const submit = h("button", { type: "submit", class: "primary" }, t("usr_set_password_now"));
  const cancel = h("button", { type: "button", class: "user-password-cancel", onClick() {
    password.value = "";
    close();
  } }, t("usr_cancel"));
  return h("form", { class: "user-password-form", async onSubmit(event) {
    event.preventDefault();
    submit.disabled = cancel.disabled = true;   // once sent, cancelling would not take it back
    const done = await change(user, { password: password.value }, t(own ? "usr_own_password_set" : "usr_password_set",
      { user: user.username }));
    if (!done) submit.disabled = cancel.disabled = false;
  } },
  h("label", { class: "field" }, t("password"), password,
    h("small", {}, t(own ? "usr_own_password_help" : "usr_password_help", { n: MIN_PASSWORD, user: user.username }))),
  h("div", { class: "row user-password-actions" }, submit, cancel));
}

function createForm(refresh) {
  const name = h("input", { name: "username", id: "user-new-name", required: true, pattern: NAME, maxlength: 64,
    autocomplete: "off", autocapitalize: "none", spellcheck: false });
  const role = h("select", { name: "role", id: "user-new-role" },
    ROLES.map((r) => h("option", { value: r }, t(`role_${r}`))));
  const password = passwordInput("password");
  password.id = "user-new-password";
  const message = h("p", { id: "user-new-message", role: "status" });
  const submit = h("button", { type: "submit", class: "primary" }, t("usr_create_now"));
  return h("form", { id: "user-new", async onSubmit(event) {
    event.preventDefault();
    submit.disabled = true;
    message.className = "";
    message.textContent = "";
    try {
      const user = await call("/api/v1/users", { method: "POST",
        body: { username: name.value.trim(), role: role.value, password: password.value } });
      refresh(t("usr_created", { user: user.username, role: t(`role_${user.role}`) }));
    } catch (error) {
      message.className = "error";
      message.textContent = refusal(error);
      submit.disabled = false;
    }
  } },
  h("label", { class: "field" }, t("usr_name"), name, h("small", {}, t("usr_name_help"))),
  h("label", { class: "field" }, t("usr_role"), role),
  h("label", { class: "field" }, t("usr_first_password"), password, h("small", {}, t("usr_first_password_help", { n: MIN_PASSWORD }))),
  submit, message);
}
