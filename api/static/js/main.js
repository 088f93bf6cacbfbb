// The page: loads the document list into the views' selectors, routes #doc/ID/ADDRESS, #docs, #link.
import { $, api, enc, esc, guarded } from "./api.js";
import { openDoc } from "./document.js";
import { runLink } from "./linking.js";
import { loadFacets, runSearch } from "./search.js";

function show(view) {
  for (const v of ["search-view", "docs-view", "doc-view", "link-view"]) $("#" + v).hidden = v !== view;
}

async function loadDocs() {
  await guarded($("#status"), async () => {
    const docs = await api("/documents");
    const tb = $("#doc-table tbody");
    const types = new Set();
    tb.innerHTML = "";
    if (!docs.length) $("#status").textContent = "Chỉ mục chưa có văn bản nào: hãy nạp văn bản (docsearch ingest THƯ_MỤC) rồi tải lại trang.";
    for (const d of docs) {
      const label = esc(d.number || d.id);
      $("#f-doc").insertAdjacentHTML("beforeend", `<option value="${esc(d.id)}">${label}</option>`);
      $("#l-target").insertAdjacentHTML("beforeend", `<option value="${esc(d.id)}">${label} — ${esc((d.title || "").slice(0, 60))}</option>`);
      if (d.type) types.add(d.type);
      tb.insertAdjacentHTML("beforeend", `<tr><td><a href="#doc/${enc(d.id)}">${label}</a></td><td>${esc(d.type)}</td><td>${esc(d.date)}</td><td>${esc(d.title)}</td><td>${d.clauses}</td></tr>`);
    }
    for (const t of types) $("#f-type").insertAdjacentHTML("beforeend", `<option>${esc(t)}</option>`);
  });
  await loadFacets();
}

function route() {
  const h = decodeURIComponent(location.hash.slice(1));
  if (h.startsWith("doc/")) {
    const [, id, addr] = h.split("/");
    show("doc-view");
    openDoc(id, addr);
  } else if (h === "docs") show("docs-view");
  else if (h === "link") show("link-view");
  else show("search-view");
}

$("#search-form").addEventListener("submit", runSearch);
$("#link-form").addEventListener("submit", runLink);
window.addEventListener("hashchange", route);
loadDocs().then(route);
