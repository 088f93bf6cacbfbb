// The page: loads the document list into the views' selectors, routes #doc/ID/ADDRESS, #docs, #link.
import { showAccount, login, showAudit, upload } from "./account.js";
import { $, api, enc, esc, guarded, vnDate } from "./api.js";
import { openDoc } from "./document.js";
import { runLink } from "./linking.js";
import { loadFacets, runSearch } from "./search.js";

function show(view) {
  for (const v of ["search-view", "docs-view", "doc-view", "link-view", "login-view", "upload-view", "audit-view"]) $("#" + v).hidden = v !== view;
}

async function loadDocs() {
  await guarded($("#status"), async () => {
    const docs = await api("/documents");
    const tb = $("#doc-table tbody");
    const types = new Set();
    tb.innerHTML = "";
    for (const sel of ["#f-doc", "#l-target"]) for (const o of [...$(sel).options].slice(1)) o.remove();
    $("#empty").hidden = docs.length > 0;
    for (const d of docs) {
      const label = esc(d.number || d.id);
      $("#f-doc").insertAdjacentHTML("beforeend", `<option value="${esc(d.id)}">${label}</option>`);
      $("#l-target").insertAdjacentHTML("beforeend", `<option value="${esc(d.id)}">${label} — ${esc((d.title || "").slice(0, 60))}</option>`);
      if (d.type) types.add(d.type);
      tb.insertAdjacentHTML("beforeend", `<tr><td><a href="#/doc/${enc(d.id)}">${label}</a></td><td>${esc(d.type)}</td><td>${esc(vnDate(d.date))}</td><td>${esc(d.title)}</td><td>${d.clauses}</td></tr>`);
    }
    for (const t of types) $("#f-type").insertAdjacentHTML("beforeend", `<option>${esc(t)}</option>`);
  });
  await loadFacets();
}

// #/doc/57-NQ-TW/III.2 (also #doc/…), #docs, #link, #login, #upload, #audit
function route() {
  const h = decodeURIComponent(location.hash.slice(1)).replace(/^\//, "");
  if (h.startsWith("doc/")) {
    const [, id, ...addr] = h.split("/");
    show("doc-view");
    openDoc(id, addr.join("/"));
  } else if (h === "docs") show("docs-view");
  else if (h === "link") show("link-view");
  else if (h === "login") show("login-view");
  else if (h === "upload") show("upload-view");
  else if (h === "audit") { show("audit-view"); showAudit(); }
  else show("search-view");
}

$("#search-form").addEventListener("submit", runSearch);
$("#link-form").addEventListener("submit", runLink);
$("#login-form").addEventListener("submit", login);
$("#upload-form").addEventListener("submit", (ev) => upload(ev, loadDocs));
showAccount();
window.addEventListener("hashchange", route);
loadDocs().then(route);
