// The outbox: every scan, written to IndexedDB before any network call, in scan order.
// States: pending → sent (applied, looked up, or waiting for a supervisor) | refused → dismissed; a held scan a
// supervisor rejects goes from sent to refused.
// Nothing leaves the outbox silently: a refused scan stays "to resolve" until the operator acts.
import { inStore, request } from "./store.js";
import { uuid4 } from "./ids.js";

const KEEP_SENT = 200; // enough history for the queue screen; older sent scans are dropped
const changes = new EventTarget();

export function onOutboxChange(listener) {
  changes.addEventListener("change", listener);
  return () => changes.removeEventListener("change", listener);
}

function changed() {
  changes.dispatchEvent(new Event("change"));
}

export async function addScan(scan) {
  const record = { ...scan, state: "pending", queued_at: new Date().toISOString(), status: null, answer: null };
  record.seq = await inStore("scans", "readwrite", (store) => request(store.add(record)));
  changed();
  return record;
}

export async function scansIn(state, limit) {
  return inStore("scans", "readonly", (store) =>
    request(store.index("by_state").getAll(IDBKeyRange.only(state), limit)));
}

// The pending scans this user may send: their own, and those queued before scans were signed (no user).
// A shared handheld keeps another operator's scans until that operator signs in again.
export async function sendableBy(username, limit) {
  const pending = await scansIn("pending");
  return pending.filter((scan) => !scan.user || scan.user === username).slice(0, limit);
}

// The signed-in user takes over a scan left by someone who will not sign in here again: it is sent as theirs.
export async function takeOver(seq, username) {
  await inStore("scans", "readwrite", async (store) => {
    const record = await request(store.get(seq));
    if (record?.state === "pending") await request(store.put({ ...record, user: username, taken_from: record.user }));
  });
  changed();
}

export async function counts() {
  return inStore("scans", "readonly", async (store) => {
    const index = store.index("by_state");
    const [pending, refused] = await Promise.all(
      ["pending", "refused"].map((state) => request(index.count(IDBKeyRange.only(state)))));
    return { pending, refused };
  });
}

// Records the server's final answer for scans, in one transaction.
export async function settle(answers) {
  if (!answers.length) return;
  await inStore("scans", "readwrite", async (store) => {
    for (const { seq, state, status, body } of answers) {
      const record = await request(store.get(seq));
      if (!record || record.state !== "pending") continue;
      Object.assign(record, { state, status, answer: body, settled_at: new Date().toISOString() });
      await request(store.put(record));
    }
  });
  await pruneSent();
  changed();
}

async function pruneSent() {
  await inStore("scans", "readwrite", async (store) => {
    const keys = await request(store.index("by_state").getAllKeys(IDBKeyRange.only("sent")));
    for (const seq of keys.slice(0, Math.max(0, keys.length - KEEP_SENT))) await request(store.delete(seq));
  });
}

export async function dismiss(seq) {
  await inStore("scans", "readwrite", async (store) => {
    const record = await request(store.get(seq));
    if (record?.state === "refused") await request(store.put({ ...record, state: "dismissed" }));
  });
  changed();
}

// Held for a supervisor (202) and not known to be decided yet.
export async function heldScans() {
  return (await scansIn("sent")).filter((scan) => !scan.decision && (scan.status === 202 || scan.answer?.outcome === "pending"));
}

// A supervisor's decisions on held scans ({client_event_id, outcome, message, decision_note, decided_at} rows of
// GET /scans): an accepted scan stays sent; a rejected one goes to "To resolve", since the goods set aside wait
// for the operator. Answers the records changed here.
export async function recordDecisions(rows) {
  const byId = new Map(rows.map((row) => [row.client_event_id, row]));
  const changedRecords = [];
  await inStore("scans", "readwrite", async (store) => {
    for (const record of await request(store.index("by_state").getAll(IDBKeyRange.only("sent")))) {
      const row = byId.get(record.client_event_id);
      if (record.decision || !row || row.outcome === "pending") continue;
      const decision = { outcome: row.outcome, note: row.decision_note || "", decided_at: row.decided_at };
      const updated = { ...record, decision, answer: { ...record.answer, outcome: row.outcome, message: row.message } };
      if (row.outcome === "rejected") updated.state = "refused";
      await request(store.put(updated));
      changedRecords.push(updated);
    }
  });
  if (changedRecords.length) changed();
  return changedRecords;
}

// Refusals set aside at once (a morning of test mistakes need not be dismissed one by one): the ones listed, which
// the operator was asked about, not one refused since.
export async function dismissAll(seqs) {
  await inStore("scans", "readwrite", async (store) => {
    for (const seq of seqs) {
      const record = await request(store.get(seq));
      if (record?.state === "refused") await request(store.put({ ...record, state: "dismissed" }));
    }
  });
  changed();
}

// A refused scan tried again once the cause is fixed: a new event (the old id would replay the old
// refusal) that keeps the time the goods were really scanned.
export async function retry(seq) {
  const old = await inStore("scans", "readonly", (store) => request(store.get(seq)));
  if (!old || old.state !== "refused") return null;
  await dismiss(seq);
  const { client_event_id, code, occurred_at, action, context, device } = old;
  return addScan({ client_event_id: uuid4(), code, occurred_at, action, context, device, retry_of: client_event_id });
}
