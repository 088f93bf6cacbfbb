"use strict";
const $ = (s) => document.querySelector(s);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"}[c]));
const enc = encodeURIComponent;
let topic = "";
async function api(path, opts) {
  const r = await fetch(path, opts);
  const body = r.headers.get("content-type")?.includes("json") ? await r.json() : null;
  if (!r.ok) throw new Error(body && body.error ? body.error.message : r.statusText);
  return body;
}
function show(view) {
  for (const v of ["search-view", "docs-view", "doc-view", "link-view"]) $("#" + v).hidden = v !== view;
}
async function loadDocs() {
  const docs = await api("/documents");
  const tb = $("#doc-table tbody"), types = new Set();
  tb.innerHTML = "";
  for (const d of docs) {
    const label = esc(d.number || d.id);
    $("#f-doc").insertAdjacentHTML("beforeend", `<option value="${esc(d.id)}">${label}</option>`);
    $("#l-target").insertAdjacentHTML("beforeend", `<option value="${esc(d.id)}">${label} — ${esc((d.title || "").slice(0, 60))}</option>`);
    if (d.type) types.add(d.type);
    tb.insertAdjacentHTML("beforeend", `<tr><td><a href="#doc/${enc(d.id)}">${label}</a></td><td>${esc(d.type)}</td><td>${esc(d.date)}</td><td>${esc(d.title)}</td><td>${d.clauses}</td></tr>`);
  }
  for (const t of types) $("#f-type").insertAdjacentHTML("beforeend", `<option>${esc(t)}</option>`);
  const topics = await api("/topics");
  $("#facets").innerHTML = topics.filter((t) => t.clauses > 0).map((t) =>
    `<button type="button" class="facet" data-topic="${esc(t.topic)}" title="${esc(t.name)}">${esc(t.name.split(",")[0])} (${t.clauses})</button>`).join("");
  for (const b of document.querySelectorAll(".facet")) b.addEventListener("click", () => {
    topic = topic === b.dataset.topic ? "" : b.dataset.topic;
    for (const x of document.querySelectorAll(".facet")) x.classList.toggle("on", x.dataset.topic === topic);
    if ($("#q").value) runSearch(); else browseTopic();
  });
}
async function browseTopic() {
  if (!topic) return;
  const rows = await api(`/topics/${enc(topic)}?k=30`);
  $("#status").textContent = `${rows.length} điều khoản thuộc chủ đề này (xếp theo mức độ liên quan)`;
  $("#results").innerHTML = rows.map((r) => `<li><div class="doc"><a href="#doc/${enc(r.doc_id)}/${enc(r.address)}">${esc(r.doc_id)}</a> — mục ${esc(r.address)}</div><div class="crumb">${esc(r.breadcrumb)}</div><div>${esc(r.heading)}</div></li>`).join("");
}
async function runSearch(ev) {
  if (ev) ev.preventDefault();
  const p = new URLSearchParams({ q: $("#q").value, k: $("#f-k").value || 10 });
  const add = (k, v) => { if (v) p.append(k, v); };
  add("doc", $("#f-doc").value); add("type", $("#f-type").value); add("issuer", $("#f-issuer").value);
  add("year_from", $("#f-from").value); add("year_to", $("#f-to").value); add("topic", topic);
  $("#status").textContent = "Đang tìm…";
  try {
    const res = await api("/search?" + p);
    $("#status").textContent = (res.restored ? `Tìm theo: «${res.restored}» — ` : "") +
      (res.hits.length ? `${res.hits.length} kết quả` : "Không tìm thấy kết quả phù hợp.");
    $("#results").innerHTML = res.hits.map((h) => `<li>
      <div class="doc"><a href="#doc/${enc(h.doc_id)}/${enc(h.address)}">${esc(h.doc_type || "")} ${esc(h.doc_number || h.doc_id)}</a> — mục ${esc(h.address)}</div>
      <div class="crumb">${esc(h.breadcrumb)} · trang ${h.page}</div>
      <div>${h.snippet}</div>
      <div>${h.tags.map((t) => `<span class="tag">${esc(t.topic)}</span>`).join("")}</div></li>`).join("");
  } catch (e) { $("#status").textContent = "Lỗi: " + e.message; }
}
async function openDoc(id, address) {
  show("doc-view");
  const d = await api("/documents/" + enc(id));
  const m = d.metadata;
  const refs = d.references.filter((r) => r.number || r.title);
  // a reference as a link: to the cited clause of an indexed document, else to the document, else plain text
  const refLink = (r) => {
    const label = esc((r.number || r.title) + (r.address ? " · " + r.address : ""));
    if (!r.target_id) return label;
    return `<a class="ref" href="#doc/${enc(r.target_id)}${r.address ? "/" + enc(r.address) : ""}">${label}</a>`;
  };
  const byClause = {};
  for (const r of refs) if (r.clause) (byClause[r.clause] = byClause[r.clause] || []).push(r);
  $("#doc-view").innerHTML = `<h2>${esc(m.type)} ${esc(m.number || "")}</h2>
    <p><b>Trích yếu:</b> ${esc(m.title)}<br><b>Cơ quan ban hành:</b> ${esc(m.issuer)} · <b>Ngày:</b> ${esc(m.date)} · <b>Người ký:</b> ${esc(m.signer || "—")}</p>
    ${d.referenced_by.length ? `<p><b>Được thực hiện / dẫn chiếu bởi:</b> ${d.referenced_by.map((r) => `<a href="#doc/${enc(r.doc_id)}${r.clause ? "/" + enc(r.clause) : ""}">${esc(r.doc_id)}${r.clause ? " · " + esc(r.clause) : ""}</a> (${r.relation === "implements" ? "thực hiện" : "dẫn chiếu"}${r.address ? " mục " + esc(r.address) : ""})`).join(", ")}</p>` : ""}
    ${refs.length ? `<details><summary>Văn bản được dẫn chiếu (${refs.length})</summary><ul>${refs.map((r) => `<li>${refLink(r)} — ${r.relation === "implements" ? "thực hiện" : r.relation === "based_on" ? "căn cứ" : "dẫn chiếu"} ${r.clause ? "(mục " + esc(r.clause) + ")" : ""}</li>`).join("")}</ul></details>` : ""}
    <h3>Cấu trúc văn bản</h3>
    ${d.clauses.map((c) => `<div class="clause lvl${Math.min(c.level, 5)}" id="c-${esc(c.address)}"><span class="addr">${esc(c.address)}</span>${esc(c.text.length > 500 ? c.text.slice(0, 500) + "…" : c.text)} ${c.tags.map((t) => `<span class="tag" title="${t.score}">${esc(t.topic)}</span>`).join("")}${(byClause[c.address] || []).map((r) => ` <span class="cites">→ ${refLink(r)}</span>`).join("")}</div>`).join("")}`;
  if (address) { const el = document.getElementById("c-" + address); if (el) { el.scrollIntoView(); el.style.background = "#fff6c8"; } }
}
function colour(n) { return n === 0 ? "#f3d6d6" : n === 1 ? "#cfe8d5" : n <= 3 ? "#8fd0a0" : "#3f9d5a"; }
async function showCoverage(target) {
  const cov = await api("/coverage/" + enc(target));
  const rows = cov.rows.filter((r) => r.level <= 2);
  $("#cov-title").hidden = false;
  $("#coverage").innerHTML = `<p class="legend">Số nhiệm vụ thực hiện:<span style="background:${colour(0)}"></span>chưa có<span style="background:${colour(1)}"></span>1<span style="background:${colour(2)}"></span>2–3<span style="background:${colour(5)}"></span>nhiều hơn</p>
    <div class="cov">${rows.map((r) => `<span class="lbl">${esc(r.address)}</span><span class="h" style="background:${colour(r.confirmed + r.suggested)}" title="${esc(r.heading)}">${esc(r.heading.slice(0, 120))}</span><span class="n">${r.confirmed + r.suggested}</span>`).join("")}</div>
    ${cov.uncovered.length ? `<p><b>Chưa có nhiệm vụ thực hiện:</b> ${cov.uncovered.map(esc).join(", ")}</p>` : ""}`;
}
async function decide(id, action, btn) {
  const rec = await api(`/links/${id}/${action}`, { method: "POST" });
  const div = btn.closest(".sugg");
  div.classList.remove("confirmed", "rejected");
  div.classList.add(rec.status);
  showCoverage(rec.target_doc);
}
async function runLink(ev) {
  ev.preventDefault();
  const fd = new FormData();
  fd.append("file", $("#l-file").files[0]);
  if ($("#l-target").value) fd.append("target", $("#l-target").value);
  fd.append("top", $("#l-top").value || 3);
  $("#l-status").textContent = "Đang phân tích chương trình…";
  try {
    const res = await api("/link/upload", { method: "POST", body: fd });
    $("#l-status").textContent = `${res.tasks.length} nhiệm vụ của ${res.programme} được liên kết với ${(res.targets || [res.target]).join(", ")}.`;
    const q = `programme=${enc(res.programme)}&target=${enc(res.target)}`;
    $("#l-xlsx").href = `/export/links?format=xlsx&${q}`; $("#l-csv").href = `/export/links?format=csv&${q}`;
    $("#l-actions").hidden = false; $("#l-table").hidden = false;
    $("#l-table tbody").innerHTML = res.tasks.map((t) => `<tr><td><b>${esc(t.address || t.id)}</b> ${esc(t.text.slice(0, 400))}</td><td>${t.suggestions.map((s) => `
      <div class="sugg ${esc(s.status)}"><a href="#doc/${enc(s.doc_id || res.target)}/${enc(s.address)}">${(res.targets || []).length > 1 ? esc(s.doc_id) + " · " : ""}${esc(s.address)}</a>${s.reason === "citation" ? ' <span class="tag">trích dẫn</span>' : ""} <span class="crumb">${esc(s.heading.slice(0, 140))}</span>
      <button class="small ok" data-id="${s.link_id}" data-a="confirm">Xác nhận</button><button class="small no" data-id="${s.link_id}" data-a="reject">Loại</button></div>`).join("")}</td></tr>`).join("");
    for (const b of document.querySelectorAll("#l-table button")) b.addEventListener("click", () => decide(b.dataset.id, b.dataset.a, b));
    showCoverage(res.target);
  } catch (e) { $("#l-status").textContent = "Lỗi: " + e.message; }
}
function route() {
  const h = decodeURIComponent(location.hash.slice(1));
  if (h.startsWith("doc/")) { const [, id, addr] = h.split("/"); openDoc(id, addr); }
  else if (h === "docs") show("docs-view");
  else if (h === "link") show("link-view");
  else show("search-view");
}
$("#search-form").addEventListener("submit", runSearch);
$("#link-form").addEventListener("submit", runLink);
window.addEventListener("hashchange", route);
loadDocs().then(route);
