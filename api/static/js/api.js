// The API client and the small DOM helpers every view shares. Errors carry the server's (Vietnamese) message.
export const $ = (s, root = document) => root.querySelector(s);
export const $$ = (s, root = document) => [...root.querySelectorAll(s)];
export const enc = encodeURIComponent;
export const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

export class ApiError extends Error {}

export async function api(path, opts) {
  let r;
  try {
    r = await fetch(path, opts);
  } catch {
    throw new ApiError("Không kết nối được máy chủ; kiểm tra mạng rồi thử lại.");
  }
  const body = r.headers.get("content-type")?.includes("json") ? await r.json() : null;
  if (!r.ok) throw new ApiError(body?.error?.message || `Máy chủ trả lỗi ${r.status}`);
  return body;
}

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
