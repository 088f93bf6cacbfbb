// The document view: metadata, references both ways, the clause tree (collapsible) with tags and their evidence,
// a permalink and a "copy citation" button per clause.
import { $, api, enc, esc, guarded, vnDate } from "./api.js";

const relation = (r) => (r === "implements" ? "thực hiện" : r === "based_on" ? "căn cứ" : "dẫn chiếu");

// a reference as a link: to the cited clause of an indexed document, else to the document, else plain text
function refLink(r) {
  const label = esc((r.number || r.title) + (r.address ? " · " + r.address : ""));
  if (!r.target_id) return label;
  return `<a class="ref" href="#/doc/${enc(r.target_id)}${r.address ? "/" + enc(r.address) : ""}">${label}</a>`;
}

function clauseHtml(c, docId, children, byClause) {
  const text = c.text.length > 600 ? c.text.slice(0, 600) + "…" : c.text;
  const tags = c.tags.map((t) => `<span class="tag" title="${esc((t.evidence || []).join("; ") || "điểm " + t.score.toFixed(2))}">${esc(t.topic)}${t.evidence && t.evidence.length ? ` <small>(${esc(t.evidence.slice(0, 2).join(", "))})</small>` : ""}</span>`).join("");
  const cites = (byClause[c.address] || []).map((r) => ` <span class="cites">→ ${refLink(r)}</span>`).join("");
  const tools = `<span class="tools"><a class="permalink" href="#/doc/${enc(docId)}/${enc(c.address)}" title="Đường dẫn tới điều khoản này">#</a> <button type="button" class="small copy" data-citation="${esc(c.citation)}" title="${esc(c.citation)}">Sao chép trích dẫn</button></span>`;
  const body = `<span class="addr">${esc(c.address)}</span>${esc(text)} ${tags}${cites} ${tools}`;
  const kids = children[c.address] || [];
  if (!kids.length) return `<div class="clause" id="c-${esc(c.address)}">${body}</div>`;
  return `<details class="clause" id="c-${esc(c.address)}" open><summary>${body}</summary><div class="children">${kids.map((k) => clauseHtml(k, docId, children, byClause)).join("")}</div></details>`;
}

async function copyCitation(btn) {
  const text = btn.dataset.citation;
  try {
    await navigator.clipboard.writeText(text);
  } catch {  // no clipboard permission (plain http): select the text so Ctrl+C copies it
    const area = document.createElement("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  btn.textContent = "Đã sao chép";
  $("#copied").textContent = text;
  setTimeout(() => { btn.textContent = "Sao chép trích dẫn"; }, 2000);
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
    const children = {};
    const roots = [];
    for (const c of d.clauses) (c.parent ? (children[c.parent] ||= []) : roots).push(c);
    view.innerHTML = `<h2>${esc(m.type)} ${esc(m.number || "")}</h2>
      <p><b>Trích yếu:</b> ${esc(m.title)}<br><b>Cơ quan ban hành:</b> ${esc(m.issuer)} · <b>Ngày:</b> ${esc(vnDate(m.date))} · <b>Người ký:</b> ${esc(m.signer || "—")}
      ${d.added_by ? `<br><small>Nạp bởi ${esc(d.added_by)} ngày ${esc(vnDate(d.added))}</small>` : ""}</p>
      ${d.referenced_by.length ? `<p><b>Được thực hiện / dẫn chiếu bởi:</b> ${d.referenced_by.map((r) => `<a href="#/doc/${enc(r.doc_id)}${r.clause ? "/" + enc(r.clause) : ""}">${esc(r.doc_id)}${r.clause ? " · " + esc(r.clause) : ""}</a> (${relation(r.relation)}${r.address ? " mục " + esc(r.address) : ""})`).join(", ")}</p>` : ""}
      ${refs.length ? `<details><summary>Văn bản được dẫn chiếu (${refs.length})</summary><ul>${refs.map((r) => `<li>${refLink(r)} — ${relation(r.relation)} ${r.clause ? "(mục " + esc(r.clause) + ")" : ""}</li>`).join("")}</ul></details>` : ""}
      <h3>Cấu trúc văn bản <button type="button" class="small" id="fold-all">Thu gọn tất cả</button> <button type="button" class="small" id="open-all">Mở tất cả</button></h3>
      <p id="copied" class="crumb" aria-live="polite"></p>
      <div class="tree">${roots.map((c) => clauseHtml(c, d.id, children, byClause)).join("")}</div>`;
    for (const b of view.querySelectorAll("button.copy")) b.addEventListener("click", (ev) => { ev.preventDefault(); copyCitation(b); });
    $("#fold-all").addEventListener("click", () => view.querySelectorAll("details.clause").forEach((x) => { x.open = false; }));
    $("#open-all").addEventListener("click", () => view.querySelectorAll("details.clause").forEach((x) => { x.open = true; }));
    if (address) {
      const el = document.getElementById("c-" + address);
      if (el) {
        for (let p = el.parentElement; p; p = p.parentElement) if (p.tagName === "DETAILS") p.open = true;
        el.scrollIntoView();
        el.classList.add("target");
      }
    }
  });
}
