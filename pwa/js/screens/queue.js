// The sync queue: what waits to be sent, what the server refused (with the reason and what to do), what
// went through. A refused scan stays here until the operator scans it again or dismisses it.
import { h, replaceChildren, visibleCode } from "../dom.js";
import { age, t } from "../i18n.js";
import { dismiss, dismissAll, onOutboxChange, retry, scansIn, takeOver } from "../outbox.js";
import { session } from "../session.js";
import { flush, onSyncStatus, refreshDecisions, syncStatus } from "../sync.js";
import { messageOf, nextStepOf } from "../api.js";

export default {
  title: "queue_title",
  render(main) {
    const status = h("p", { class: "note", id: "sync-status" });
    const resolve = h("section", { id: "to-resolve" });
    const pending = h("section", { id: "pending" });
    const sent = h("section", { id: "sent" });
    main.append(h("button", { class: "primary wide", id: "send-now", onClick: () => flush() }, t("send_now")),
      status, resolve, pending, sent);

    let latest = 0;
    let confirming = false; // "Dismiss all" was tapped: how many, and are you sure?
    async function refresh() {
      const mine = ++latest;
      const [refused, waiting, done] = await Promise.all([scansIn("refused"), scansIn("pending"), scansIn("sent")]);
      if (mine !== latest) return; // a later change is being read: an older read must not be painted over it
      replaceChildren(resolve, h("h2", {}, `${t("to_resolve")} (${refused.length})`),
        dismissAllControl(refused),
        refused.length ? refused.map(refusedItem) : h("p", { class: "note" }, t("nothing_to_resolve")));
      replaceChildren(pending, h("h2", {}, `${t("pending")} (${waiting.length})`),
        waiting.length ? h("ol", {}, waiting.map(waitingItem)) : h("p", { class: "note" }, t("nothing_pending")));
      replaceChildren(sent, h("h2", {}, `${t("sent")} (${done.length})`),
        h("ol", {}, done.slice(-30).reverse().map((scan) => scanItem(scan, decisionText(scan) || messageOf(scan.answer)))));
      showStatus();
    }

    // A refusal dismissed is gone from the device for good: all of them at once only once the operator has read how
    // many. The ones counted are the ones dismissed (a refusal coming in meanwhile is counted again).
    function dismissAllControl(refused) {
      if (refused.length < 2) {
        confirming = false;
        return null;
      }
      if (!confirming) {
        return h("button", { class: "wide", id: "dismiss-all", onClick: () => { confirming = true; refresh(); } },
          t("dismiss_all"));
      }
      const seqs = refused.map((scan) => scan.seq);
      return h("div", { class: "confirm", id: "dismiss-all-confirm", role: "alertdialog" },
        h("p", {}, t("dismiss_all_confirm", { n: seqs.length })),
        h("div", { class: "row" },
          h("button", { class: "danger", id: "dismiss-all-yes", onClick: () => { confirming = false; dismissAll(seqs); } },
            t("dismiss_all_yes", { n: seqs.length })),
          h("button", { id: "dismiss-all-no", onClick: () => { confirming = false; refresh(); } }, t("keep_them"))));
    }

    function showStatus() {
      const { problem, nextTryAt } = syncStatus();
      const parts = [];
      if (problem) parts.push(t("last_problem", { problem: t(`problem_${problem}`) }));
      if (nextTryAt) parts.push(t("next_try", { when: t("in_seconds", { n: Math.max(0, Math.round((nextTryAt - Date.now()) / 1000)) }) }));
      status.textContent = parts.join(" · ");
    }

    const stopOutbox = onOutboxChange(refresh);
    const stopStatus = onSyncStatus(showStatus);
    refresh();
    refreshDecisions(); // held scans a supervisor decided since the last sync
    return { destroy() { stopOutbox(); stopStatus(); } };
  },
};

// Another operator's scan waits for them to sign in on this device; the one signed in may take it over.
function waitingItem(scan) {
  const me = session()?.username;
  if (!scan.user || scan.user === me) return scanItem(scan);
  return h("li", { class: "scan-item other-user", dataset: { state: scan.state, eventId: scan.client_event_id } },
    h("div", {}, h("b", {}, t(scan.action)), " ", h("code", {}, visibleCode(scan.code))),
    h("small", {}, `${age(scan.occurred_at)} · ${t("waits_for_user", { user: scan.user })}`),
    h("button", { class: "take-over", onClick: async () => { await takeOver(scan.seq, me); flush(); } },
      t("send_as_me")));
}

function scanItem(scan, detail = "") {
  return h("li", { class: "scan-item", dataset: { state: scan.state, eventId: scan.client_event_id } },
    h("div", {}, h("b", {}, t(scan.action)), " ", h("code", {}, visibleCode(scan.code))),
    h("small", {}, age(scan.occurred_at), detail ? ` · ${detail}` : ""));
}

// A label the server could not read (a wrong check digit, a malformed GS1 string) reads the same every time it
// is sent: only another label or the code typed by hand can pass. Other refusals may pass once fixed at the desk.
function unreadable(scan) {
  return scan.status === 422 && scan.answer?.error?.field === "code";
}

// A held scan's fate once a supervisor decided, with what was done (accepted: the server's answer, e.g. "SO-1
// shipped (6 units, 2 kept on back-order).", which says what became of the rest) and the note left for the operator.
// A rejected scan's answer is shown as its refusal, above this.
function decisionText(scan, { withAnswer = true } = {}) {
  if (!scan.decision) return "";
  const rejected = scan.decision.outcome === "rejected";
  const answer = withAnswer && !rejected ? messageOf(scan.answer) : "";
  return [t(rejected ? "decision_rejected" : "decision_accepted"), answer,
    scan.decision.note ? t("supervisor_note", { note: scan.decision.note }) : ""].filter(Boolean).join(" · ");
}

function refusedItem(scan) {
  return h("article", { class: "refused", dataset: { eventId: scan.client_event_id } },
    h("ol", {}, scanItem(scan)),
    h("p", { class: "error" }, messageOf(scan.answer)),
    scan.decision ? h("p", { class: "decision" }, decisionText(scan))
      : h("p", {}, t("next_step", { step: nextStepOf(scan.status, scan.answer, scan.action) })),
    h("div", { class: "row" },
      unreadable(scan) || scan.decision ? null
        : h("button", { class: "primary resend", onClick: async () => { await retry(scan.seq); flush(); } }, t("scan_again")),
      h("button", { class: "dismiss", onClick: () => dismiss(scan.seq) }, t("dismiss"))));
}
