// The signed-in user's bearer token. Kept in localStorage so a reload or a dead battery does not sign
// the operator out in the middle of a reception; the server decides how long a token lives.

const KEY = "tendu.session";

export function session() {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) || "null");
    if (value && new Date(value.expires_at) > new Date()) return value;
  } catch { /* unreadable: treat as signed out */ }
  return null;
}

export function saveSession({ token, role, username, expires_at }) {
  localStorage.setItem(KEY, JSON.stringify({ token, role, username, expires_at }));
}

// ``chosen``: the operator signed out himself (no "your session has ended" notice).
export function clearSession({ chosen = false } = {}) {
  localStorage.removeItem(KEY);
  window.dispatchEvent(new CustomEvent("tendu:signed-out", { detail: { chosen } }));
}
