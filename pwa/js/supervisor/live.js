// The live feed: Server-Sent Events from /api/v1/events/stream (named events scan, exception, movement,
// order_event; JSON data; every event and heartbeat carries a resumable id).
//
// Read with fetch() rather than EventSource, for three reasons: the token goes in the Authorization header
// (not in a URL that ends up in logs); every reconnection — ours too, not only the browser's — sends
// Last-Event-ID, so the server resumes exactly where the stream stopped, however long the cut; and a silent
// half-open connection (Wi-Fi gone without a FIN) is noticed by a watchdog and reopened. Events already
// shown are skipped by id, so none is shown twice.
import { language } from "../i18n.js";
import { session } from "../session.js";

const STREAM = "/api/v1/events/stream";
const SILENCE_MS = 45000;     // the server sends a heartbeat every 15 s: three missed, the line is dead
const MAX_RETRY_MS = 30000;
const MAX_REMEMBERED = 2000;

export function liveEvents({ onEvent, onState }) {
  let lastId = null;
  let serverRetry = 2000;
  let retry = 1000;
  let stopped = false;
  let controller = null;
  let wake = null;
  const seen = new Set();

  const goOffline = () => controller?.abort();
  const goOnline = () => wake?.();
  window.addEventListener("offline", goOffline);
  window.addEventListener("online", goOnline);

  function pause(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => { clearTimeout(timer); resolve(); };
    });
  }

  async function run() {
    while (!stopped) {
      const current = session();
      if (!current) return;
      onState(lastId === null ? "connecting" : "reconnecting");
      controller = new AbortController();
      let watchdog = null;
      const feed = () => { clearTimeout(watchdog); watchdog = setTimeout(() => controller.abort(), SILENCE_MS); };
      try {
        if (!navigator.onLine) throw new Error("offline");
        const headers = { Accept: "text/event-stream", Authorization: `Bearer ${current.token}`, "Accept-Language": language() };
        if (lastId !== null) headers["Last-Event-ID"] = lastId;
        feed();
        const response = await fetch(STREAM, { headers, cache: "no-store", signal: controller.signal });
        if (!response.ok || !(response.headers.get("Content-Type") || "").startsWith("text/event-stream")) {
          throw new Error(`HTTP ${response.status}`);
        }
        onState("connected");
        retry = 1000;
        await read(response.body, feed);
        if (!stopped) await pause(serverRetry); // the server ended the stream on purpose: come back as it asked
        continue;
      } catch {
        // cut, refused or offline: try again after a backoff (at once when the browser is back online)
      } finally {
        clearTimeout(watchdog);
      }
      if (stopped) return;
      onState("reconnecting");
      await pause(retry);
      retry = Math.min(retry * 2, MAX_RETRY_MS);
    }
  }

  // The text/event-stream format (HTML Living Standard, "Server-sent events"): fields per line, an empty
  // line dispatches; "id" is remembered even without data; comments start with ":".
  async function read(body, alive) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let event = { type: "", data: [], id: null };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      alive();
      buffer += value;
      const lines = buffer.split(/\r\n|\n|\r/);
      buffer = lines.pop(); // an incomplete last line waits for the next chunk
      for (const line of lines) {
        if (line === "") {
          if (event.id !== null) lastId = event.id;
          if (event.data.length) dispatch(event.type || "message", event.data.join("\n"), event.id ?? lastId);
          event = { type: "", data: [], id: null };
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        let text = colon === -1 ? "" : line.slice(colon + 1);
        if (text.startsWith(" ")) text = text.slice(1);
        if (field === "event") event.type = text;
        else if (field === "data") event.data.push(text);
        else if (field === "id" && !text.includes("\0")) event.id = text;
        else if (field === "retry" && /^\d+$/.test(text)) serverRetry = Number(text);
      }
    }
  }

  function dispatch(type, text, id) {
    if (id) {
      if (seen.has(id)) return;
      seen.add(id);
      if (seen.size > MAX_REMEMBERED) seen.delete(seen.values().next().value);
    }
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      return;
    }
    if (!data.kind) data.kind = type;
    onEvent({ ...data, event_id: id || null });
  }

  run();
  return {
    stop() {
      stopped = true;
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
      controller?.abort();
      wake?.();
    },
  };
}
