// IndexedDB, promise-shaped. Two stores: "scans" (the outbox, in scan order) and "cache" (last synced
// answers, for look-ups without network).

const DB_NAME = "tendu";
const VERSION = 1;
let opening = null;

function open() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      const scans = db.createObjectStore("scans", { keyPath: "seq", autoIncrement: true });
      scans.createIndex("by_state", "state");
      scans.createIndex("by_event", "client_event_id", { unique: true });
      db.createObjectStore("cache", { keyPath: "key" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// Runs work(store) in one transaction and resolves once it is durable ("complete"), not merely queued.
export async function inStore(name, mode, work) {
  const db = await open();
  const transaction = db.transaction(name, mode, { durability: "strict" });
  const finished = new Promise((resolve, reject) => {
    transaction.oncomplete = resolve;
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error("transaction aborted"));
  });
  try {
    const result = await work(transaction.objectStore(name));
    await finished;
    return result;
  } catch (error) {
    try { transaction.abort(); } catch { /* already finished */ }
    throw error;
  }
}

export const request = done;

export async function cacheGet(key) {
  return inStore("cache", "readonly", (store) => done(store.get(key)));
}

export async function cachePut(key, value) {
  return inStore("cache", "readwrite", (store) => done(store.put({ key, value, saved_at: new Date().toISOString() })));
}
