// The search view: query, filters, topic facets, results with the terms marked from the API's positions.
import { $, $$, api, enc, esc, guarded, marked, vnDate } from "./api.js";

let topic = "";

export async function loadFacets() {
  const status = $("#status");
  await guarded(status, async () => {
    const topics = await api("/topics");
    $("#facets").innerHTML = topics.filter((t) => t.clauses > 0).map((t) =>
      `<button type="button" class="facet" data-topic="${esc(t.topic)}" title="${esc(t.name)}">${esc(t.name.split(",")[0])} (${t.clauses})</button>`).join("");
    for (const b of $$(".facet")) b.addEventListener("click", () => {
      topic = topic === b.dataset.topic ? "" : b.dataset.topic;
      for (const x of $$(".facet")) x.classList.toggle("on", x.dataset.topic === topic);
      if ($("#q").value) runSearch(); else browseTopic();
    });
  });
}

async function browseTopic() {
  if (!topic) return;
  const status = $("#status");
  status.classList.remove("error");
  await guarded(status, async () => {
    const rows = await api(`/topics/${enc(topic)}?k=30`);
    status.textContent = `${rows.length} điều khoản thuộc chủ đề này (xếp theo mức độ liên quan)`;
    $("#results").innerHTML = rows.map((r) => `<li><div class="doc"><a href="#/doc/${enc(r.doc_id)}/${enc(r.address)}">${esc(r.doc_id)}</a> — mục ${esc(r.address)}</div><div class="crumb">${esc(r.breadcrumb)}</div><div>${esc(r.heading)}</div></li>`).join("");
  });
}

export async function runSearch(ev) {
  if (ev) ev.preventDefault();
  const p = new URLSearchParams({ q: $("#q").value, k: $("#f-k").value || 10 });
  const add = (k, v) => { if (v) p.append(k, v); };
  add("doc", $("#f-doc").value); add("type", $("#f-type").value); add("issuer", $("#f-issuer").value);
  add("year_from", $("#f-from").value); add("year_to", $("#f-to").value); add("topic", topic);
  const status = $("#status");
  status.classList.remove("error");
  status.textContent = "Đang tìm…";
  $("#results").replaceChildren();
  await guarded(status, async () => {
    const res = await api("/search?" + p);
    status.textContent = (res.restored ? `Tìm theo: «${res.restored}» — ` : "") +
      (res.hits.length ? `${res.hits.length} kết quả` : "Không tìm thấy kết quả phù hợp.");
    // a task pasted from an indexed programme: where the text is (a link to it), and that the clauses of what the
    // programme implements come first
    const src = res.pasted_from;
    const pasted = src ? `<li class="named"><div class="doc">Đoạn này có trong <a href="#/doc/${enc(src.doc_id)}/${enc(src.address)}">${esc(src.doc_number || src.doc_id)} · mục ${esc(src.address)}</a></div>` +
      (res.named_documents && res.named_documents.length ? `<div class="crumb">Các điều khoản của văn bản mà nó thực hiện được xếp trước.</div>` : "") + "</li>" : "";
    // a query that names a document ("NQ 57", "57-NQ/TW", "Luật Đất đai") shows that document first
    const named = (res.named_documents || []).map((d) => `<li class="named"><div class="doc">Văn bản: <a href="#/doc/${enc(d.id)}">${esc(d.type || "")} ${esc(d.number || d.id)}</a></div><div>${esc(d.title || "")}</div><div class="crumb">${esc(d.issuer || "")} · ${esc(vnDate(d.date))} · ${d.clauses} điều khoản</div></li>`).join("");
    $("#results").innerHTML = pasted + named + res.hits.map((h) => `<li class="hit">
      <div class="doc"><a href="#/doc/${enc(h.doc_id)}/${enc(h.address)}">${esc(h.doc_type || "")} ${esc(h.doc_number || h.doc_id)}</a> — mục ${esc(h.address)}</div>
      <div class="crumb">${esc(h.breadcrumb)} · trang ${h.page}</div>
      <div class="snip"></div>
      <div>${h.tags.map((t) => `<span class="tag">${esc(t.topic)}</span>`).join("")}</div></li>`).join("");
    $$("#results li.hit .snip").forEach((el, i) => el.append(marked(res.hits[i].snippet_text, res.hits[i].highlights)));
    $("#s-xlsx").href = "/export/search?" + p;
    $("#s-xlsx").hidden = !res.hits.length;
  });
}
