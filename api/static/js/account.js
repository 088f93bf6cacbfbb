// Login and logout, the upload form (editors) and the audit trail (editors).
import { $, api, enc, esc, guarded, session, vnDate } from "./api.js";

export function showAccount() {
  const box = $("#account");
  if (session.user) {
    const roles = { viewer: "người xem", editor: "biên tập viên", admin: "quản trị viên" };
    box.innerHTML = `<span id="who">${esc(session.user)} (${esc(roles[session.role] || session.role)})</span> <a href="#" id="logout">Đăng xuất</a>`;
    $("#logout").addEventListener("click", (ev) => { ev.preventDefault(); session.clear(); showAccount(); location.hash = ""; });
  } else {
    box.innerHTML = `<a href="#login" id="login-link">Đăng nhập</a>`;
  }
  for (const el of document.querySelectorAll("[data-role]")) el.hidden = !session.can(el.dataset.role);
}

export async function login(ev) {
  ev.preventDefault();
  const status = $("#login-status");
  status.classList.remove("error");
  await guarded(status, async () => {
    const form = new URLSearchParams({ username: $("#login-name").value, password: $("#login-password").value });
    const s = await api("/login/access-token", { method: "POST", body: form });
    session.set(s);
    $("#login-password").value = "";
    showAccount();
    status.textContent = `Đã đăng nhập: ${s.user}.`;
    location.hash = "";
  });
}

export async function upload(ev, reload) {
  ev.preventDefault();
  const status = $("#u-status");
  status.classList.remove("error");
  const fd = new FormData();
  fd.append("file", $("#u-file").files[0]);
  status.textContent = "Đang nạp văn bản (đọc, phân tích cấu trúc, gắn chủ đề, lập chỉ mục)…";
  await guarded(status, async () => {
    const r = await api("/documents", { method: "POST", body: fd });
    status.innerHTML = `${r.added ? "Đã nạp" : "Đã có sẵn, không đổi"}: <a href="#/doc/${enc(r.id)}">${esc(r.id)}</a> — ${r.clauses} điều khoản.` +
      (r.warnings.length ? ` Lưu ý: ${r.warnings.map(esc).join("; ")}` : "");
    await reload();
  });
}

export async function showAudit() {
  const status = $("#a-status");
  status.classList.remove("error");
  status.textContent = "Đang tải nhật ký…";
  await guarded(status, async () => {
    const rows = await api("/audit?limit=300");
    const words = { upload: "nạp văn bản", delete: "xoá văn bản", confirmed: "xác nhận", rejected: "loại", suggested: "đặt lại đề xuất",
      link: "chạy liên kết", login: "đăng nhập", "user-add": "thêm tài khoản", "user-update": "sửa tài khoản", "user-remove": "xoá tài khoản", "token-add": "cấp khóa API" };
    status.textContent = `${rows.length} mục gần nhất`;
    $("#audit-table tbody").innerHTML = rows.map((r) => `<tr><td>${esc(vnDate(r.at))} ${esc(r.at.slice(11, 19))}</td><td>${esc(r.actor)}</td><td>${esc(words[r.action] || r.action)}</td><td>${esc(r.target)}</td><td>${esc(r.detail)}</td></tr>`).join("");
  });
}
