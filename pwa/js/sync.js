// Sends the outbox to the server, oldest first, through the batch endpoint; retries with backoff.
// Idempotency makes this safe: a scan sent twice (a reload mid-request, a lost answer) is applied once.
import { api, NetworkError } from "./api.js";
import { heldScans, recordDecisions, sendableBy, settle } from "./outbox.js";
import { session } from "./session.js";
import { feedback } from "./feedback.js";
import { t } from "./i18n.js";

const BATCH_MAX = 500;                 // the server's limit per batch
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];
const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);
const WIRE_FIELDS = ["client_event_id", "code", "occurred_at", "action", "context", "device"];

const waiters = new Map();             // client_event_id → resolve(answer)
const status = { failures: 0, nextTryAt: null, problem: null };
const statusEvents = new EventTarget();
let running = false;
let again = false;
let retryTimer = null;

export function syncStatus() {
  return { ...status };
}

export function onSyncStatus(listener) {
  statusEvents.addEventListener("change", listener);
  return () => statusEvents.removeEventListener("change", listener);
}

// Resolves with the server's answer for one scan, or {state: "queued"} if none came within ms.
export function answerFor(clientEventId, ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiters.delete(clientEventId);
      resolve({ state: "queued" });
    }, ms);
    waiters.set(clientEventId, (answer) => {
      clearTimeout(timer);
      waiters.delete(clientEventId);
      resolve(answer);
    });
  });
}

// How often a device with scans held for a supervisor asks whether they were decided, whatever screen is open
// (an operator on Pick or Ship would otherwise learn it at the next scan sent or visit of the queue).
const DECISIONS_EVERY_MS = 60_000;

export function startSync() {
  window.addEventListener("online", () => flush());
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && flush());
  setInterval(() => document.visibilityState === "visible" && refreshDecisions().catch(() => {}), DECISIONS_EVERY_MS);
  flush();
}

// After a new scan: send now, unless the server asked us to back off (a 503 storm is not helped by
// every scan of every phone hammering it); the retry timer will carry the scan.
export function flushSoon() {
  if (status.nextTryAt && status.problem !== "network" && Date.now() < status.nextTryAt) return;
  flush();
}

// Send now. Concurrent calls coalesce; across tabs a Web Lock keeps one sender at a time.
export async function flush() {
  if (running) {
    again = true;
    return;
  }
  running = true;
  clearTimeout(retryTimer);
  try {
    do {
      again = false;
      await withLock(drain);
    } while (again);
  } finally {
    running = false;
  }
}

function withLock(work) {
  return navigator.locks ? navigator.locks.request("tendu-outbox", work) : work();
}

async function drain() {
  const late = { refused: 0, held: 0 };
  try {
    await sendAll(late);
  } finally {
    announceLate(late);
  }
  await refreshDecisions();
}

// What supervisors decided on this operator's held scans: asked of the server while some wait on this device.
export async function refreshDecisions() {
  if (!navigator.onLine || !session() || !(await heldScans()).length) return;
  let response;
  try {
    response = await api("/api/v1/scans?mine=true&decided=true&limit=500", { timeoutMs: 5000 });
  } catch (error) {
    if (error instanceof NetworkError) return; // the next sync or visit of the queue asks again
    throw error;
  }
  if (response.status !== 200 || !Array.isArray(response.body)) return;
  const decided = await recordDecisions(response.body);
  if (!decided.length) return;
  const rejected = decided.filter((scan) => scan.decision.outcome === "rejected").length;
  const accepted = decided.length - rejected;
  // each decision said with what it is about (the order, else the code) and its note: one flash for all of them
  const each = decided.map((scan) => {
    const said = t("decision_of", { what: scan.context?.order || scan.code, outcome: t(`decided_${scan.decision.outcome}`) });
    return scan.decision.note ? `${said} — ${t("supervisor_note", { note: scan.decision.note })}` : said;
  });
  feedback(rejected ? "error" : "ok", {
    title: rejected && accepted
      ? t("decisions_mixed", { accepted: t("n_accepted", { n: accepted }), rejected: t("n_rejected", { n: rejected }) })
      : t(rejected ? "decision_rejected" : "decision_accepted"),
    big: t("decisions_came", { n: decided.length }),
    detail: [...each, rejected ? t("late_where") : ""].filter(Boolean).join(" · "),
  });
}

async function sendAll(late) {
  while (navigator.onLine && session()) {
    const batch = await sendableBy(session().username, BATCH_MAX);
    if (!batch.length) return succeeded();
    let answers;
    try {
      answers = await send(batch);
    } catch (error) {
      if (error instanceof NetworkError) return failed("network");
      throw error;
    }
    if (answers.problem) return failed(answers.problem);
    await settle(answers.final);
    countLate(late, answers.final);
    answers.final.forEach(notify);
    if (answers.retryLater) return failed("server");
  }
  if (!navigator.onLine) failed("network");
}

async function send(batch) {
  const response = await api("/api/v1/scans/batch", { method: "POST", body: { scans: batch.map(wire) } });
  if (response.status === 401) return { problem: "auth" };
  if (RETRYABLE.has(response.status)) return { problem: "server" };
  const results = response.status === 200 ? response.body?.results : null;
  // A batch refused as a whole (one malformed scan) must not block the queue: send one by one.
  return results ? answersOf(batch, results) : oneByOne(batch);
}

function wire(scan) {
  return Object.fromEntries(WIRE_FIELDS.map((field) => [field, scan[field]]));
}

function finalState(status) {
  if (status >= 200 && status < 300) return "sent";
  if (RETRYABLE.has(status) || status === 401) return null;
  return "refused";
}

function answersOf(batch, results) {
  const byEventId = new Map(batch.map((scan) => [scan.client_event_id, scan]));
  const final = [];
  let retryLater = false;
  for (const { client_event_id, status, body } of results) {
    const scan = byEventId.get(client_event_id);
    const state = finalState(status);
    if (!scan) continue;
    if (state) final.push({ seq: scan.seq, client_event_id, scan, state, status, body });
    else retryLater = true;
  }
  return { final, retryLater };
}

async function oneByOne(batch) {
  const final = [];
  for (const scan of batch) {
    const response = await api("/api/v1/scans", { method: "POST", body: wire(scan) });
    const state = finalState(response.status);
    if (!state) return { final, retryLater: true };
    final.push({ seq: scan.seq, client_event_id: scan.client_event_id, scan, state, status: response.status, body: response.body });
  }
  return { final, retryLater: false };
}

// Answers nobody is waiting for (the scan was said "saved on this device"): their refusals and holds would
// otherwise only change the header badge, minutes after the operator moved on.
function countLate(late, final) {
  for (const { client_event_id, state, status, body } of final) {
    if (waiters.has(client_event_id)) continue; // the screen shows this one itself
    if (state === "refused") late.refused += 1;
    else if (status === 202 || body?.outcome === "pending") late.held += 1;
  }
}

function announceLate({ refused, held }) {
  if (!refused && !held) return;
  const parts = [refused ? t("late_refused", { n: refused }) : null, held ? t("late_held", { n: held }) : null];
  feedback(refused ? "error" : "queued", {
    title: refused ? t("scan_refused") : t("scan_pending"), big: parts.filter(Boolean).join(" "),
    detail: t("late_where"),
  });
}

// Tells the scan's waiter, and any screen showing running totals (answers may come long after the scan).
function notify({ client_event_id, scan, state, status, body }) {
  waiters.get(client_event_id)?.({ state, status, body });
  window.dispatchEvent(new CustomEvent("tendu:answer", { detail: { scan, state, status, body } }));
}

function succeeded() {
  Object.assign(status, { failures: 0, nextTryAt: null, problem: null });
  statusEvents.dispatchEvent(new Event("change"));
}

function failed(problem) {
  status.problem = problem;
  // No answer can come before the next try: the scans waiting for one are saved on this device, and the
  // operator is told so now rather than after ANSWER_WAIT_MS (he would scan again).
  for (const resolve of [...waiters.values()]) resolve({ state: "queued" });
  if (problem === "network" && !navigator.onLine) {
    status.nextTryAt = null; // the "online" event will wake us up
  } else if (problem !== "auth") {
    const base = BACKOFF_MS[Math.min(status.failures, BACKOFF_MS.length - 1)];
    const delay = base / 2 + Math.random() * base / 2; // jitter: phones coming back together spread out
    status.failures += 1;
    status.nextTryAt = Date.now() + delay;
    retryTimer = setTimeout(() => flush(), delay);
  }
  statusEvents.dispatchEvent(new Event("change"));
}
