// The linking view: upload a programme, review each task's suggested clauses, confirm or reject, coverage.
import { $, $$, api, enc, esc, guarded, session } from "./api.js";

const level = (n) => (n === 0 ? "none" : n === 1 ? "one" : n <= 3 ? "few" : "many");

async function showCoverage(target) {
  await guarded($("#l-status"), async () => {
    const cov = await api("/coverage/" + enc(target));
    const rows = cov.rows.filter((r) => r.level <= 2);
    $("#cov-title").hidden = false;
    $("#coverage").innerHTML = `<p class="legend">Số nhiệm vụ thực hiện:<span class="cov-none"></span>chưa có<span class="cov-one"></span>1<span class="cov-few"></span>2–3<span class="cov-many"></span>nhiều hơn</p>
      <div class="cov">${rows.map((r) => `<span class="lbl">${esc(r.address)}</span><span class="h cov-${level(r.confirmed + r.suggested)}" title="${esc(r.heading)}">${esc(r.heading.slice(0, 120))}</span><span class="n">${r.confirmed + r.suggested}</span>`).join("")}</div>
      ${cov.uncovered.length ? `<p><b>Chưa có nhiệm vụ thực hiện:</b> ${cov.uncovered.map(esc).join(", ")}</p>` : ""}`;
  });
}

async function decide(id, action, btn) {
  await guarded($("#l-status"), async () => {
    const rec = await api(`/links/${enc(id)}/${action}`, { method: "POST" });
    const div = btn.closest(".sugg");
    div.classList.remove("confirmed", "rejected");
    div.classList.add(rec.status);
    $(".who", div).textContent = rec.decided_by ? ` — ${rec.status === "confirmed" ? "xác nhận" : "loại"} bởi ${rec.decided_by}` : "";
    await showCoverage(rec.target_doc);
  });
}

export async function runLink(ev) {
  ev.preventDefault();
  const status = $("#l-status");
  status.classList.remove("error");
  const fd = new FormData();
  fd.append("file", $("#l-file").files[0]);
  if ($("#l-target").value) fd.append("target", $("#l-target").value);
  fd.append("top", $("#l-top").value || 3);
  status.textContent = "Đang phân tích chương trình…";
  await guarded(status, async () => {
    const res = await api("/link/upload", { method: "POST", body: fd });
    const targets = res.targets || [res.target];
    status.textContent = `${res.tasks.length} nhiệm vụ của ${res.programme} được liên kết với ${targets.join(", ")}.`;
    const q = `programme=${enc(res.programme)}&target=${enc(res.target)}`;
    $("#l-xlsx").href = `/export/links?format=xlsx&${q}`;
    $("#l-csv").href = `/export/links?format=csv&${q}`;
    $("#l-docx").href = `/export/links?format=docx&${q}`;
    $("#l-cov-docx").href = `/export/coverage/${enc(res.target)}`;
    $("#l-actions").hidden = false;
    $("#l-table").hidden = false;
    // a suggestion that was not stored (no link_id) can be read but not decided on
    const buttons = (s) => (s.link_id == null ? `<span class="crumb">(chưa lưu)</span>` : !session.can("editor") ? "" :
      `<button class="small ok" data-id="${s.link_id}" data-a="confirm">Xác nhận</button><button class="small no" data-id="${s.link_id}" data-a="reject">Loại</button>`);
    const who = (s) => `<span class="who crumb">${s.decided_by ? ` — ${s.status === "confirmed" ? "xác nhận" : "loại"} bởi ${esc(s.decided_by)}` : ""}</span>`;
    $("#l-table tbody").innerHTML = res.tasks.map((t) => `<tr><td><b>${esc(t.address || t.id)}</b> ${esc(t.text.slice(0, 400))}</td><td>${t.suggestions.map((s) => `
      <div class="sugg ${esc(s.status)}"><a href="#/doc/${enc(s.doc_id || res.target)}/${enc(s.address)}">${targets.length > 1 ? esc(s.doc_id) + " · " : ""}${esc(s.address)}</a>${s.reason === "citation" ? ' <span class="tag">trích dẫn</span>' : ""} <span class="crumb">${esc(s.heading.slice(0, 140))}</span>
      ${buttons(s)}${who(s)}</div>`).join("")}</td></tr>`).join("");
    for (const b of $$("#l-table button")) b.addEventListener("click", () => decide(b.dataset.id, b.dataset.a, b));
    await showCoverage(res.target);
  });
}
