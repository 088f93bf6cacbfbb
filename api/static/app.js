"use strict";
const $ = (s) => document.querySelector(s);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"}[c]));
async function api(path) {
  const r = await fetch(path);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error ? body.error.message : r.statusText);
  return body;
}
function show(view) {
  for (const v of ["search-view", "docs-view", "doc-view"]) $("#" + v).hidden = v !== view;
}
async function loadDocs() {
  const docs = await api("/documents");
  const sel = $("#f-doc"), types = new Set();
  const tb = $("#doc-table tbody");
  tb.innerHTML = "";
  for (const d of docs) {
    sel.insertAdjacentHTML("beforeend", `<option value="${esc(d.id)}">${esc(d.number || d.id)}</option>`);
    if (d.type) types.add(d.type);
    tb.insertAdjacentHTML("beforeend", `<tr><td><a href="#doc/${encodeURIComponent(d.id)}">${esc(d.number || d.id)}</a></td><td>${esc(d.type)}</td><td>${esc(d.date)}</td><td>${esc(d.title)}</td><td>${d.clauses}</td></tr>`);
  }
  for (const t of types) $("#f-type").insertAdjacentHTML("beforeend", `<option>${esc(t)}</option>`);
}
async function runSearch(ev) {
  if (ev) ev.preventDefault();
  const p = new URLSearchParams({ q: $("#q").value, k: $("#f-k").value || 10 });
  const add = (k, v) => { if (v) p.append(k, v); };
  add("doc", $("#f-doc").value); add("type", $("#f-type").value); add("issuer", $("#f-issuer").value);
  add("year_from", $("#f-from").value); add("year_to", $("#f-to").value); add("topic", $("#f-topic").value);
  $("#status").textContent = "Đang tìm…";
  try {
    const res = await api("/search?" + p);
    $("#status").textContent = res.hits.length ? `${res.hits.length} kết quả` : "Không tìm thấy kết quả phù hợp.";
    $("#results").innerHTML = res.hits.map((h) => `<li>
      <div class="doc"><a href="#doc/${encodeURIComponent(h.doc_id)}/${encodeURIComponent(h.address)}">${esc(h.doc_type || "")} ${esc(h.doc_number || h.doc_id)}</a> — mục ${esc(h.address)}</div>
      <div class="crumb">${esc(h.breadcrumb)} · trang ${h.page}</div>
      <div>${h.snippet}</div>
      <div>${h.tags.map((t) => `<span class="tag">${esc(t.topic)}</span>`).join("")}</div></li>`).join("");
  } catch (e) { $("#status").textContent = "Lỗi: " + e.message; }
}
async function openDoc(id, address) {
  show("doc-view");
  const d = await api("/documents/" + encodeURIComponent(id));
  const m = d.metadata;
  const refs = d.references.filter((r) => r.number || r.title);
  $("#doc-view").innerHTML = `<h2>${esc(m.type)} ${esc(m.number || "")}</h2>
    <p><b>Trích yếu:</b> ${esc(m.title)}<br><b>Cơ quan ban hành:</b> ${esc(m.issuer)} · <b>Ngày:</b> ${esc(m.date)} · <b>Người ký:</b> ${esc(m.signer || "—")}</p>
    ${d.referenced_by.length ? `<p><b>Được thực hiện / dẫn chiếu bởi:</b> ${d.referenced_by.map((r) => `<a href="#doc/${encodeURIComponent(r.doc_id)}">${esc(r.doc_id)}</a> (${esc(r.relation)})`).join(", ")}</p>` : ""}
    ${refs.length ? `<details><summary>Văn bản được dẫn chiếu (${refs.length})</summary><ul>${refs.map((r) => `<li>${r.target_id ? `<a href="#doc/${encodeURIComponent(r.target_id)}">${esc(r.number || r.title)}</a>` : esc(r.number || r.title)} — ${esc(r.relation)} ${r.clause ? "(mục " + esc(r.clause) + ")" : ""}</li>`).join("")}</ul></details>` : ""}
    <h3>Cấu trúc văn bản</h3>
    ${d.clauses.map((c) => `<div class="clause lvl${Math.min(c.level, 5)}" id="c-${esc(c.address)}"><span class="addr">${esc(c.address)}</span>${esc(c.text.length > 400 ? c.text.slice(0, 400) + "…" : c.text)} ${c.tags.map((t) => `<span class="tag">${esc(t.topic)}</span>`).join("")}</div>`).join("")}`;
  if (address) { const el = document.getElementById("c-" + address); if (el) { el.scrollIntoView(); el.style.background = "#fff6c8"; } }
}
function route() {
  const h = decodeURIComponent(location.hash.slice(1));
  if (h.startsWith("doc/")) { const [, id, addr] = h.split("/"); openDoc(id, addr); }
  else if (h === "docs") show("docs-view");
  else show("search-view");
}
$("#search-form").addEventListener("submit", runSearch);
window.addEventListener("hashchange", route);
loadDocs().then(route);
