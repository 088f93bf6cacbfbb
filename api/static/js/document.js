// The document view: metadata, references both ways, the clause tree with tags and citations.
import { $, api, enc, esc, guarded } from "./api.js";

const relation = (r) => (r === "implements" ? "thực hiện" : r === "based_on" ? "căn cứ" : "dẫn chiếu");

// a reference as a link: to the cited clause of an indexed document, else to the document, else plain text
function refLink(r) {
  const label = esc((r.number || r.title) + (r.address ? " · " + r.address : ""));
  if (!r.target_id) return label;
  return `<a class="ref" href="#doc/${enc(r.target_id)}${r.address ? "/" + enc(r.address) : ""}">${label}</a>`;
}

export async function openDoc(id, address) {
  const view = $("#doc-view");
  view.innerHTML = `<p class="status" aria-live="polite">Đang mở văn bản…</p>`;
  await guarded($(".status", view), async () => {
    const d = await api("/documents/" + enc(id));
    const m = d.metadata;
    const refs = d.references.filter((r) => r.number || r.title);
    const byClause = {};
    for (const r of refs) if (r.clause) (byClause[r.clause] ||= []).push(r);
    view.innerHTML = `<h2>${esc(m.type)} ${esc(m.number || "")}</h2>
      <p><b>Trích yếu:</b> ${esc(m.title)}<br><b>Cơ quan ban hành:</b> ${esc(m.issuer)} · <b>Ngày:</b> ${esc(m.date)} · <b>Người ký:</b> ${esc(m.signer || "—")}</p>
      ${d.referenced_by.length ? `<p><b>Được thực hiện / dẫn chiếu bởi:</b> ${d.referenced_by.map((r) => `<a href="#doc/${enc(r.doc_id)}${r.clause ? "/" + enc(r.clause) : ""}">${esc(r.doc_id)}${r.clause ? " · " + esc(r.clause) : ""}</a> (${relation(r.relation)}${r.address ? " mục " + esc(r.address) : ""})`).join(", ")}</p>` : ""}
      ${refs.length ? `<details><summary>Văn bản được dẫn chiếu (${refs.length})</summary><ul>${refs.map((r) => `<li>${refLink(r)} — ${relation(r.relation)} ${r.clause ? "(mục " + esc(r.clause) + ")" : ""}</li>`).join("")}</ul></details>` : ""}
      <h3>Cấu trúc văn bản</h3>
      ${d.clauses.map((c) => `<div class="clause lvl${Math.min(c.level, 5)}" id="c-${esc(c.address)}"><span class="addr">${esc(c.address)}</span>${esc(c.text.length > 500 ? c.text.slice(0, 500) + "…" : c.text)} ${c.tags.map((t) => `<span class="tag" title="${t.score}">${esc(t.topic)}</span>`).join("")}${(byClause[c.address] || []).map((r) => ` <span class="cites">→ ${refLink(r)}</span>`).join("")}</div>`).join("")}`;
    if (address) {
      const el = document.getElementById("c-" + address);
      if (el) { el.scrollIntoView(); el.classList.add("target"); }
    }
  });
}
