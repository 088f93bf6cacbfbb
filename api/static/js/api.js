// The API client and the small DOM helpers every view shares. Errors carry the server's (Vietnamese) message.
export const $ = (s, root = document) => root.querySelector(s);
export const $$ = (s, root = document) => [...root.querySelectorAll(s)];
export const enc = encodeURIComponent;
export const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

export class ApiError extends Error {
  constructor(message, status) { super(message); this.status = status; }
}

// the session: a token from POST /login/access-token, kept for this browser tab only
export const session = {
  get token() { return sessionStorage.getItem("ds-token"); },
  get user() { return sessionStorage.getItem("ds-user"); },
  get role() { return sessionStorage.getItem("ds-role") || ""; },
  can(role) { const order = ["viewer", "editor", "admin"]; return order.indexOf(this.role) >= order.indexOf(role); },
  set(s) { sessionStorage.setItem("ds-token", s.access_token); sessionStorage.setItem("ds-user", s.user); sessionStorage.setItem("ds-role", s.role); },
  clear() { for (const k of ["ds-token", "ds-user", "ds-role"]) sessionStorage.removeItem(k); },
};

export async function api(path, opts = {}) {
  const headers = new Headers(opts.headers || {});
  if (session.token) headers.set("Authorization", "Bearer " + session.token);
  let r;
  try {
    r = await fetch(path, { ...opts, headers });
  } catch {
    throw new ApiError("Không kết nối được máy chủ; kiểm tra mạng rồi thử lại.", 0);
  }
  const body = r.headers.get("content-type")?.includes("json") ? await r.json() : null;
  if (r.status === 401 && session.token) session.clear();  // the session ran out: log in again
  if (!r.ok) throw new ApiError(body?.error?.message || `Máy chủ trả lỗi ${r.status}`, r.status);
  return body;
}

// "2024-12-22" → "22/12/2024", as documents write dates
export const vnDate = (iso) => (iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso || "");

// One error path for every view: the message goes to the view's status line, never a blank page.
export async function guarded(statusEl, work) {
  try {
    return await work();
  } catch (e) {
    statusEl.textContent = "Lỗi: " + (e instanceof ApiError ? e.message : "đã có sự cố trên trang (" + e.message + ")");
    statusEl.classList.add("error");
    return undefined;
  }
}

// Text with the given (start, end) ranges wrapped in <mark>, built as DOM nodes: nothing from the server is parsed
// as HTML.
export function marked(text, ranges) {
  const frag = document.createDocumentFragment();
  let pos = 0;
  for (const [s, e] of ranges || []) {
    if (s < pos || e > text.length) continue;
    frag.append(text.slice(pos, s));
    const m = document.createElement("mark");
    m.textContent = text.slice(s, e);
    frag.append(m);
    pos = e;
  }
  frag.append(text.slice(pos));
  return frag;
}
