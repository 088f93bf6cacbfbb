"""The jobs staff ask for, in one place: ingest, parse, tag, search, documents and clauses, topics, linking,
coverage, export, decisions. The CLI commands and the API routes are adapters of a few lines over these functions
(and both print or send the same `docsearch.views` models), so the two cannot disagree: which targets a programme
is linked to and whether it is indexed first, how an upload is read (size limit, OCR language, a re-numbered file
replacing its old entry), which clauses count for coverage, what an export contains.

Every function takes the index it works on; the ones that write need a writable one (`Index(..., writable=True)`).
Errors are DocsearchError subclasses with a message a person can read: NotFoundError (404 in the API),
InvalidRequestError (422), IngestError (the file and the reason)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from docsearch import accounts
from docsearch.config import get_settings
from docsearch.errors import IngestError, InvalidRequestError, NotFoundError
from docsearch.index import Index
from docsearch.index.cache import EmbeddingCache
from docsearch.ingest.normalize import fold, match_form
from docsearch.linking.coverage import CoverageRow, coverage
from docsearch.linking.export import STATUS_WORDS, coverage_docx, links_docx, rows_for, search_xlsx, to_csv, to_xlsx
from docsearch.linking.link import TaskLinks, find_targets, link_tasks
from docsearch.linking.tasks import Task, programme_tasks
from docsearch.model import Document, Reference, Tag
from docsearch.pipeline import IngestReport, collect_files, index_document, ingest_files, read_file
from docsearch.structure.citations import citation_phrase, nearest_existing
from docsearch.structure.passages import passages
from docsearch.tagging import Tagger, get_tagger, load_taxonomy
from docsearch.text.vocabulary import TASK_SECTION_RE
from docsearch.views import (
    AuditOut,
    ClauseDetail,
    ClauseOut,
    CoverageOut,
    CoverageRowOut,
    DecisionOut,
    DocumentOut,
    DocumentSummary,
    Health,
    HitOut,
    IncomingReference,
    IngestOut,
    LinkedTask,
    LinkRecord,
    LinkResponse,
    PastedFrom,
    ReferenceOut,
    SearchOut,
    SessionOut,
    SuggestionOut,
    TagOut,
    TaskOut,
    TopicClause,
    TopicOut,
    UserOut,
)

STATUSES = ("suggested", "confirmed", "rejected")


@dataclass
class LinkResult:
    programme: str  # id under which the suggestions are stored
    targets: list[str]
    links: list[TaskLinks] = field(default_factory=list)


@dataclass
class TaskInput:
    """One task of a plain list: its text and, when the client knows it, the programme group it belongs to (tasks
    of one group vote together for the branch they carry out; a task without a group stands alone)."""

    text: str
    group: str | None = None
    group_heading: str = ""


# -- ingest, parse, tag --------------------------------------------------------------------------------------
def tagger_for(index: Index) -> Tagger:
    """The topic tagger, sharing the index's embedder and embedding cache."""
    return get_tagger(embedder=index.embedder, cache=index.cache)


def files_to_ingest(paths: Iterable[str | Path]) -> list[Path]:
    """The readable files in these files and folders (hidden folders skipped), in a stable order."""
    return collect_files(paths)


def ingest_paths(index: Index, paths: Iterable[str | Path], tags: bool = True,
                 progress: Callable[[Path], None] | None = None, actor: str | None = None) -> IngestReport:
    """Ingest files and folders (a batch: one bad file is reported and the rest go on). `index` writable."""
    paths = list(paths)
    files = collect_files(paths)
    if not files:
        raise InvalidRequestError("không tìm thấy tệp PDF, DOCX, HTML hay văn bản nào trong "
                                  + ", ".join(str(p) for p in paths))
    return ingest_files(index, files, tagger=tagger_for(index) if tags else None, progress=progress, actor=actor)


def ingest_document(index: Index, doc: Document, actor: str | None = None) -> IngestOut:
    """Index a parsed document (an upload: read by `parse` before the write lock is taken) and publish it.
    `index` writable."""
    tagger = tagger_for(index)
    retagged = index.retag_if_stale(tagger)
    added = index_document(index, doc, tagger=tagger, actor=actor)
    if added or retagged:
        index.commit()
    return IngestOut(id=doc.id, added=added, clauses=len(doc.clauses), warnings=doc.warnings)


def parse(path: str | Path, name: str | None = None) -> Document:
    """Read one file into a document (metadata, clause tree, references) with the configured limits; `name`: the
    name its sender knows it by (an upload), used as its source and in any error."""
    try:
        doc = read_file(path)
    except IngestError as exc:
        if name is None:
            raise
        raise IngestError(name, exc.reason, en=exc.en_reason) from None
    if name is not None:
        doc.source = name
    return doc


def standalone_tagger() -> Tagger:
    """A tagger without an index (docsearch tag): its embeddings cached in the shared cache file."""
    default = Path.home() / ".cache" / "docsearch" / "embeddings.sqlite"
    return get_tagger(cache=EmbeddingCache(get_settings().cache_path(default)))


def tag_text(text: str, tagger: Tagger | None = None) -> list[Tag]:
    return (tagger or standalone_tagger()).tag_text(text)


def tag_document(doc: Document, tagger: Tagger | None = None) -> Document:
    """Tag a parsed document (its clauses and the document) in place, without indexing it."""
    tagger = tagger or standalone_tagger()
    vectors = tagger.cache.embed(tagger.embedder, passages(doc), "passage")
    tagger.tag_document(doc, vectors=vectors)
    return doc


# -- search ----------------------------------------------------------------------------------------------------
def search(index: Index, query: str, k: int = 10, mode: str = "hybrid", doc: list[str] | None = None,
           doc_type: str | None = None, issuer: str | None = None, year_from: int | None = None,
           year_to: int | None = None, topic: str | None = None, address: str | None = None) -> SearchOut:
    s = get_settings()
    if not query.strip():
        raise InvalidRequestError("câu truy vấn trống")
    if len(query) > s.max_query_chars:
        raise InvalidRequestError(f"câu truy vấn dài quá {s.max_query_chars} ký tự")
    if not 1 <= k <= s.max_k:
        raise InvalidRequestError(f"k phải từ 1 đến {s.max_k} (DOCSEARCH_MAX_K)")
    if mode not in ("hybrid", "bm25", "dense"):
        raise InvalidRequestError(f"chế độ tìm '{mode}' không có (hybrid, bm25, dense)")
    hits = index.search(query, k=k, mode=mode, doc=doc, doc_type=doc_type, issuer=issuer, year_from=year_from,
                        year_to=year_to, topic=topic, address_prefix=address)
    docs = {d["id"]: d for d in index.documents()}
    pasted = None
    if hits.pasted_from:
        src, address = hits.pasted_from
        pasted = PastedFrom(doc_id=src, doc_number=docs.get(src, {}).get("number"), address=address)
    return SearchOut(query=query, k=k, restored=hits.restored, pasted_from=pasted,
                     named_documents=[DocumentSummary.model_validate(docs[i]) for i in hits.doc_ids if i in docs], hits=[
        HitOut.model_validate({**asdict(h), "heading": h.heading[:300]}) for h in hits])


# -- documents and clauses -----------------------------------------------------------------------------------
def documents(index: Index) -> list[DocumentSummary]:
    return [DocumentSummary.model_validate(d) for d in index.documents()]


def _document_info(index: Index, doc_id: str) -> dict:
    info = index.store.document_info(doc_id)
    if info is None:
        raise NotFoundError(f"không có văn bản '{doc_id}' trong chỉ mục (docsearch list cho biết các mã)")
    return info


def document(index: Index, doc_id: str) -> DocumentOut:
    """A document with its clause tree, tags, the references it makes and the ones made to it."""
    doc = index.store.document(doc_id)
    if doc is None:
        raise NotFoundError(f"không có văn bản '{doc_id}' trong chỉ mục (docsearch list cho biết các mã)")
    ids = {c["address"]: c["id"] for c in index.store.clause_tree(doc_id)}
    row = index.store.document_info(doc_id)
    incoming = index.store.incoming_references(doc.metadata.number, doc.metadata.title, doc_id)
    return DocumentOut(
        id=doc.id, source=doc.source, metadata=asdict(doc.metadata), warnings=doc.warnings,
        clauses=[ClauseOut.model_validate({**asdict(c), "id": ids.get(c.address), "citation": citation_phrase(c.address, row),
                                           "tags": [TagOut.model_validate(t) for t in c.tags]}) for c in doc.clauses],
        references=references(index, doc.references),
        referenced_by=[IncomingReference.model_validate(r) for r in incoming],
        added=(row or {}).get("added"), added_by=(row or {}).get("added_by"))


def clause(index: Index, clause_id: int) -> ClauseDetail:
    """One clause with its tags, the tasks linked to it, what it cites and what cites it."""
    rows = index.store.clause_rows([clause_id])
    if clause_id not in rows:
        raise NotFoundError(f"không có điều khoản {clause_id}")
    r = rows[clause_id]
    tags = index.store.tags_for([clause_id]).get(clause_id, [])
    linked = [LinkedTask(link_id=x["id"], task_doc=x["task_doc"], task_address=x["task_address"],
                         task_text=x["task_text"], status=x["status"], score=x["score"])
              for x in index.store.links(target=r["doc_id"], clause_address=r["address"], counted=True)]
    info = index.store.document_info(r["doc_id"]) or {}
    cited_by = [IncomingReference.model_validate(x) for x in
                index.store.incoming_references(info.get("number"), info.get("title"), r["doc_id"])
                if x["address"] and (x["address"] == r["address"] or x["address"].startswith(r["address"] + "."))]
    return ClauseDetail.model_validate({
        **r, "page": r["page"] or 1, "citation": citation_phrase(r["address"], info), "tags": [TagOut.model_validate(t) for t in tags], "linked_tasks": linked,
        "references": references(index, index.store.references(r["doc_id"], r["address"])), "cited_by": cited_by})


def reference_targets(index: Index, refs: list[Reference]) -> list[tuple[str | None, int | None]]:
    """For each reference: the indexed document it names (by số ký hiệu, or a law by its title) and the id of the
    clause it cites there, when both are indexed."""
    by_number = {d["number"]: d["id"] for d in index.documents() if d.get("number")}
    by_title = {match_form(d["title"]): d["id"] for d in index.documents() if d.get("title")}
    clauses: dict[str, dict[str, int]] = {}  # target → address → clause id, read once per target
    out = []
    for r in refs:
        target = by_number.get(r.number) if r.number else None
        if target is None and r.title:
            target = by_title.get(match_form(r.title))
        clause_id = None
        if target and r.address:
            if target not in clauses:
                clauses[target] = {c["address"]: c["id"] for c in index.store.clause_tree(target)}
            found = nearest_existing(r.address, clauses[target].keys())
            clause_id = clauses[target].get(found) if found else None
        out.append((target, clause_id))
    return out


def references(index: Index, refs: list[Reference]) -> list[ReferenceOut]:
    return [ReferenceOut.model_validate({**asdict(r), "target_id": target, "target_clause_id": clause_id})
            for r, (target, clause_id) in zip(refs, reference_targets(index, refs))]


def remove_document(index: Index, doc_id: str, actor: str | None = None) -> None:
    """Remove a document, its clauses and its links, and publish. `index` writable."""
    if not index.remove(doc_id, actor=actor):
        raise NotFoundError(f"không có văn bản '{doc_id}' trong chỉ mục")
    index.commit()


def health(index: Index) -> Health:
    n_docs, n_clauses = index.store.counts()
    return Health(status="ok", documents=n_docs, clauses=n_clauses, embedder=index.embedder.name,
                  engine=index.store.engine, store=index.store.dialect)


# -- topics ------------------------------------------------------------------------------------------------------
def topics(index: Index) -> list[TopicOut]:
    counts = index.store.topic_counts()
    return [TopicOut(topic=t.id, name=t.name, clauses=counts.get(t.id, (0, 0))[0],
                     documents=counts.get(t.id, (0, 0))[1]) for t in load_taxonomy(get_settings().taxonomy).topics]


def topic_clauses(index: Index, topic: str, k: int = 50, doc: str | None = None) -> list[TopicClause]:
    if load_taxonomy(get_settings().taxonomy).get(topic) is None:
        raise NotFoundError(f"không có chủ đề '{topic}' (docsearch topics liệt kê các chủ đề)")
    rows = index.store.topic_clauses(topic, limit=k, doc=doc)
    info = index.store.clause_rows([c for c, _ in rows])
    return [TopicClause(clause_id=c, score=s, doc_id=info[c]["doc_id"], address=info[c]["address"],
                        breadcrumb=info[c]["breadcrumb"], heading=info[c]["heading"][:300])
            for c, s in rows if c in info]


def retag(index: Index) -> int:
    """Tag every stored document again after the taxonomy was edited. `index` writable."""
    return index.retag(tagger_for(index))


# -- linking -----------------------------------------------------------------------------------------------------
def _check_targets(index: Index, targets: list[str]) -> None:
    for t in targets:
        _document_info(index, t)


def programme_targets(index: Index, programme: Document, targets: list[str] | None) -> list[str]:
    """The given targets, else the indexed documents the programme says it implements."""
    if targets:
        _check_targets(index, targets)
        return list(dict.fromkeys(targets))
    found = find_targets(index, programme)
    if found:
        return found
    implements = [r.number for r in programme.references if r.relation == "implements" and r.number]
    if implements:
        raise InvalidRequestError(f"chương trình thực hiện {', '.join(implements)}, văn bản này chưa có trong chỉ "
                                  "mục; hãy nạp nó trước, hoặc chọn văn bản đích")
    raise InvalidRequestError("chương trình không nêu văn bản nào mà nó thực hiện; hãy chọn văn bản đích")


def link_programme(index: Index, programme: Document, targets: list[str] | None = None, top: int = 5,
                   tagger: Tagger | None = None, actor: str | None = None) -> LinkResult:
    """Index the programme (so its tasks can be read and searched beside the resolution), find its targets, link
    every task and store the suggestions (decisions already taken are kept). `index` must be writable."""
    if index.add(programme, tagger=tagger if tagger is not None else tagger_for(index), actor=actor):
        index.commit()
    target_ids = programme_targets(index, programme, targets)
    tasks = programme_tasks(programme)
    if not tasks:
        raise InvalidRequestError(f"{programme.source}: không tìm thấy nhiệm vụ nào (không có phần nhiệm vụ / giải "
                                  "pháp, không có bảng nhiệm vụ)")
    links = link_tasks(index, tasks, target_ids, top=top)
    index.store.save_suggestions(programme.id, target_ids[0], links)
    if actor is not None:
        index.store.record(actor, "link", programme.id, f"{len(tasks)} nhiệm vụ → {', '.join(target_ids)}")
    return LinkResult(programme.id, target_ids, links)


def link_programme_file(index: Index, path: str | Path, targets: list[str] | None = None, top: int = 5,
                        name: str | None = None, actor: str | None = None) -> LinkResponse:
    """Read a programme file (named `name` by its sender, when uploaded) and link it: `link_programme`, as the
    view the page and the CLI show."""
    return link_view(index, link_programme(index, parse(path, name), targets, top=top, actor=actor))


def list_tasks(items: list[TaskInput]) -> list[Task]:
    """Tasks of a plain list: numbered by position for display, grouped only as the client says."""
    out = []
    for i, item in enumerate(items):
        text = item.text.strip()[:5000]
        if text:
            out.append(Task(id=str(i + 1), text=text, address=None, group=(item.group or None),
                            group_heading=item.group_heading))
    return out


def link_task_list(index: Index, items: list[TaskInput], targets: list[str], top: int = 5,
                   actor: str | None = None) -> LinkResult:
    """Link a plain list of tasks (typed or pasted by staff) to the target documents and store the suggestions
    under an id made from the texts. `index` must be writable."""
    if not targets:
        raise InvalidRequestError("chưa chọn văn bản đích")
    _check_targets(index, targets)
    tasks = list_tasks(items)
    if not tasks:
        raise InvalidRequestError("chưa có nhiệm vụ nào")
    programme = "danh-sach-" + hashlib.sha1("\n".join(t.text for t in tasks).encode()).hexdigest()[:10]
    links = link_tasks(index, tasks, targets, top=top)
    index.store.save_suggestions(programme, targets[0], links)
    if actor is not None:
        index.store.record(actor, "link", programme, f"{len(tasks)} nhiệm vụ → {', '.join(targets)}")
    return LinkResult(programme, list(targets), links)


def link_view(index: Index, result: LinkResult) -> LinkResponse:
    """The suggestions of a linking run with the stored link ids and statuses (a decision taken earlier shows)."""
    stored = {}
    for target in result.targets:
        for r in index.store.links(programme=result.programme, target=target):
            stored[(r["task_address"], target, r["clause_address"])] = r
    tasks = []
    for tl in result.links:
        key = tl.task.address or tl.task.id
        suggestions = []
        for s in tl.suggestions:
            row = stored.get((key, s.doc_id or result.targets[0], s.address), {})
            suggestions.append(SuggestionOut.model_validate({
                **asdict(s), "doc_id": s.doc_id or "", "link_id": row.get("id"),
                "status": row.get("status", "suggested"), "decided_by": row.get("decided_by")}))
        tasks.append(TaskOut(id=tl.task.id, address=tl.task.address, group=tl.task.group, text=tl.task.text,
                             suggestions=suggestions))
    return LinkResponse(programme=result.programme, target=result.targets[0], targets=result.targets, tasks=tasks)


def set_link_status(index: Index, link_id: int, status: str, actor: str | None = None) -> LinkRecord:
    """Confirm or reject a suggested link (or set it back to suggested); records who did. `index` writable."""
    if status not in STATUSES:
        raise InvalidRequestError(f"trạng thái '{status}' không hợp lệ ({', '.join(STATUSES)})")
    row = index.store.set_link_status(link_id, status, actor=actor)
    if row is None:
        raise NotFoundError(f"không có liên kết {link_id}")
    return LinkRecord.model_validate(row)


def links(index: Index, programme: str | None = None, target: str | None = None,
          status: str | None = None) -> list[LinkRecord]:
    if status is not None and status not in STATUSES:
        raise InvalidRequestError(f"trạng thái '{status}' không hợp lệ ({', '.join(STATUSES)})")
    return [LinkRecord.model_validate(r) for r in index.store.links(programme=programme, target=target, status=status)]


def decisions(index: Index, include_suggested: bool = False) -> list[DecisionOut]:
    """Every link a person decided (confirmed or rejected); every stored link with include_suggested."""
    return [DecisionOut.model_validate(r) for r in index.store.decisions(include_suggested=include_suggested)]


def task_leaves(rows: list[CoverageRow]) -> list[CoverageRow]:
    """The coverage rows that count: leaves of the resolution's nhiệm vụ / giải pháp sections."""
    sections = {r.address for r in rows if "." not in r.address and TASK_SECTION_RE.search(fold(r.heading.lower()))}
    parents = {r.address.rsplit(".", 1)[0] for r in rows if "." in r.address}
    return [r for r in rows if r.address.split(".")[0] in sections and r.address not in parents
            and r.address not in sections]


def coverage_of(index: Index, doc_id: str) -> CoverageOut:
    """How many tasks (confirmed, or suggested first) fall under each clause of a resolution; which clauses of its
    nhiệm vụ / giải pháp sections no task carries out."""
    _document_info(index, doc_id)
    rows = coverage(index.store.clause_tree(doc_id), index.store.links(target=doc_id, counted=True))
    leaves = task_leaves(rows)
    return CoverageOut(
        doc_id=doc_id, uncovered=[r.address for r in leaves if r.total == 0],
        most_covered=[r.address for r in sorted(leaves, key=lambda r: -r.total) if r.total > 0][:5],
        rows=[CoverageRowOut(address=r.address, heading=r.heading[:300], level=r.level, confirmed=r.confirmed,
                             suggested=r.suggested, tasks=r.tasks[:50]) for r in rows])


def export_links(index: Index, fmt: str = "xlsx", programme: str | None = None, target: str | None = None) -> bytes:
    """The task → clause table: every link not rejected as XLSX or CSV, with each clause's breadcrumb; or, as
    DOCX, the appendix offices attach to a programme (one row per task: the clauses it carries out)."""
    if fmt == "docx":
        if not programme:
            raise InvalidRequestError("bảng đối chiếu Word cần mã chương trình (programme)")
        return export_links_docx(index, programme, target)
    if fmt not in ("xlsx", "csv"):
        raise InvalidRequestError(f"định dạng '{fmt}' không có (xlsx, csv, docx)")
    stored = index.store.links(programme=programme, target=target, active=True)
    crumbs: dict[str, dict[str, str]] = {}
    for r in stored:
        if r["target_doc"] not in crumbs:
            crumbs[r["target_doc"]] = {c["address"]: c["breadcrumb"] for c in index.store.clause_tree(r["target_doc"])}
    labels = {t: (index.store.document_info(t) or {}).get("number") or t for t in crumbs}
    rows = rows_for([{**r, "breadcrumb": crumbs[r["target_doc"]].get(r["clause_address"], "")} for r in stored], "")
    for row, r in zip(rows, stored):
        row[3] = labels.get(r["target_doc"], r["target_doc"])
    return to_csv(rows) if fmt == "csv" else to_xlsx(rows)


def export_links_docx(index: Index, programme: str, target: str | None = None) -> bytes:
    """The appendix table of a programme: for each task, the clauses it carries out — those a person confirmed,
    else the first suggestion (marked Đề xuất) — as the phrases staff cite them with."""
    stored = index.store.links(programme=programme, target=target)
    if not stored:
        raise NotFoundError(f"chương trình '{programme}' chưa có liên kết nào (hãy chạy liên kết trước)")
    info = index.store.document_info(programme) or {"id": programme}
    targets = list(dict.fromkeys(r["target_doc"] for r in stored))
    target_info = {t: index.store.document_info(t) or {"id": t} for t in targets}
    tasks: dict[str, dict] = {}
    for r in stored:  # in the order the tasks were stored, i.e. the programme's order
        t = tasks.setdefault(r["task_address"] or r["task_text"][:60], {
            "task": r["task_text"], "address": r["task_address"] if r["task_doc"] == programme else None,
            "confirmed": [], "first": None, "rejected": 0})
        if r["status"] == "confirmed":
            t["confirmed"].append(r)
        elif r["status"] == "suggested" and r["rank"] == 1:
            t["first"] = r
        elif r["status"] == "rejected":
            t["rejected"] += 1

    def phrase(r: dict) -> str:
        doc = target_info[r["target_doc"]] if len(targets) > 1 else None
        return citation_phrase(r["clause_address"], doc)

    rows = []
    for t in tasks.values():
        chosen = t["confirmed"] or ([t["first"]] if t["first"] else [])
        status = "confirmed" if t["confirmed"] else "suggested" if t["first"] else "rejected"
        address = t["address"] if t["address"] and not t["address"].isdigit() else None
        rows.append({"task": t["task"], "address": address, "clauses": [phrase(r) for r in chosen],
                     "status": STATUS_WORDS[status]})
    return links_docx(info, [target_info[t] for t in targets], rows)


def export_coverage_docx(index: Index, doc_id: str) -> bytes:
    cov = coverage_of(index, doc_id)
    rows = [r.model_dump() for r in cov.rows]
    uncovered_addresses = set(cov.uncovered)
    uncovered = [r for r in rows if r["address"] in uncovered_addresses]
    return coverage_docx(_document_info(index, doc_id), rows, uncovered)


def export_search(index: Index, query: str, k: int = 50, **filters) -> bytes:
    """The results of a search as XLSX, each clause with the phrase that cites it."""
    out = search(index, query, k=k, **filters)
    docs = {d["id"]: d for d in index.documents()}
    hits = [{"document": h.doc_number or h.doc_id, "address": h.address,
             "citation": citation_phrase(h.address, docs.get(h.doc_id)), "text": h.snippet_text, "score": h.score}
            for h in out.hits]
    return search_xlsx(query, hits)



# -- accounts and the audit trail ------------------------------------------------------------------------------
def add_user(index: Index, name: str, role: str, password: str, actor: str) -> UserOut:
    """Create an account, or set an existing one's role and password."""
    user = accounts.add_user(index.store, name, role, password, actor)
    return UserOut(name=user.name, role=user.role)


def users(index: Index) -> list[UserOut]:
    return [UserOut.model_validate(u) for u in index.store.users()]


def remove_user(index: Index, name: str, actor: str) -> None:
    if not index.store.remove_user(name, actor):
        raise NotFoundError(f"không có tài khoản '{name}'")


def new_api_token(index: Index, name: str, label: str, actor: str) -> str:
    return accounts.new_api_token(index.store, name, label, actor)


def login(index: Index, name: str, password: str) -> SessionOut:
    """A session token for a name and password (the page's login); AuthError when they do not match."""
    user = accounts.authenticate(index.store, name, password)
    if user is None:
        raise accounts.AuthError("sai tên tài khoản hoặc mật khẩu", 401, en="wrong account name or password")
    s = get_settings()
    index.store.record(user.name, "login", user.name)
    return SessionOut(access_token=accounts.session_token(index.store, user, s.session_minutes, s.secret_key),
                      user=user.name, role=user.role)


def current_user(index: Index, bearer: str | None, api_key: str | None) -> accounts.User | None:
    """Who makes a request: the service key (DOCSEARCH_API_KEY, admin), a session or API token, or nobody."""
    import hmac

    s = get_settings()
    if api_key:
        if s.api_key and hmac.compare_digest(api_key.encode(), s.api_key.encode()):
            return accounts.User("khoa-dich-vu", "admin")
        user = accounts.user_for_token(index.store, api_key, s.secret_key)
        if user is None:
            raise accounts.AuthError("khóa API sai hoặc đã bị thu hồi", 401, en="wrong or revoked API key")
        return user
    if bearer:
        user = accounts.user_for_token(index.store, bearer, s.secret_key)
        if user is None:
            raise accounts.AuthError("phiên đăng nhập đã hết hạn hoặc không hợp lệ; hãy đăng nhập lại", 401,
                                     en="the session expired or is invalid; log in again")
        return user
    return None


def audit(index: Index, actor: str | None = None, action: str | None = None, limit: int = 200) -> list[AuditOut]:
    return [AuditOut.model_validate(r) for r in index.store.audit(actor=actor, action=action, limit=limit)]
