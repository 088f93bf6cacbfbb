from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, UploadFile
from fastapi.responses import Response

from api.deps import IndexDep, writer
from api.schemas import CoverageOut, CoverageRowOut, LinkRecord, LinkRequest, LinkResponse, SuggestionOut, TaskOut
from api.upload import save_upload
from docsearch.errors import DocsearchError, IngestError
from docsearch.linking.coverage import coverage
from docsearch.linking.export import rows_for, to_csv, to_xlsx
from docsearch.linking.link import find_target, link_tasks
from docsearch.linking.tasks import Task, programme_tasks

router = APIRouter(tags=["linking"])


def _response(index, programme: str, target: str, links) -> LinkResponse:
    stored = {(r["task_address"], r["clause_address"]): r for r in
              index.store.links("task_doc=? AND target_doc=?", (programme, target))}
    tasks = []
    for tl in links:
        key = tl.task.address or tl.task.id
        tasks.append(TaskOut(id=tl.task.id, address=tl.task.address, group=tl.task.group, text=tl.task.text, suggestions=[
            SuggestionOut(link_id=stored.get((key, s.address), {}).get("id"), address=s.address, clause_id=s.clause_id,
                          score=s.score, breadcrumb=s.breadcrumb, heading=s.heading, snippet=s.snippet,
                          status=stored.get((key, s.address), {}).get("status", "suggested"))
            for s in tl.suggestions]))
    return LinkResponse(programme=programme, target=target, tasks=tasks)


@router.post("/link", response_model=LinkResponse)
def link_task_list(req: LinkRequest, index: IndexDep) -> LinkResponse:
    """Link a list of task texts to the clauses of a target resolution."""
    if index.store.document(req.target) is None:
        raise HTTPException(404, f"no document '{req.target}' in the index")
    programme = "danh-sach-" + hashlib.sha1("\n".join(req.tasks).encode()).hexdigest()[:10]
    tasks = [Task(id=str(i + 1), text=t.strip()[:5000], address=str(i + 1)) for i, t in enumerate(req.tasks) if t.strip()]
    if not tasks:
        raise HTTPException(422, "no task text given")
    with writer() as w:
        links = link_tasks(w, tasks, req.target, top=req.top)
        w.store.save_suggestions(programme, req.target, links)
        return _response(w, programme, req.target, links)


@router.post("/link/upload", response_model=LinkResponse)
async def link_programme(file: Annotated[UploadFile, File(description="the action programme (PDF, DOCX, HTML, TXT)")],
                         target: Annotated[str | None, Form(max_length=200)] = None,
                         top: Annotated[int, Form(ge=1, le=20)] = 5) -> LinkResponse:
    """Upload an action programme: its tasks are linked to the resolution it implements (or `target`)."""
    from docsearch.structure import parse_file

    path, name = await save_upload(file)
    try:
        doc = parse_file(str(path))
        doc.source = name
    except IngestError as exc:
        raise HTTPException(422, f"{name}: {exc.reason}") from None
    finally:
        path.unlink(missing_ok=True)
    with writer() as w:
        target_id = target or find_target(w, doc)
        if target_id is None:
            implements = [r.number for r in doc.references if r.relation == "implements" and r.number]
            raise HTTPException(422, ("the programme implements " + ", ".join(implements) + ", which is not in the index"
                                      if implements else "the programme names no resolution; choose the target"))
        if w.store.document(target_id) is None:
            raise HTTPException(404, f"no document '{target_id}' in the index")
        tasks = programme_tasks(doc)
        if not tasks:
            raise HTTPException(422, f"{name}: no tasks found (no nhiệm vụ / giải pháp part and no task table)")
        links = link_tasks(w, tasks, target_id, top=top)
        w.store.save_suggestions(doc.id, target_id, links)
        return _response(w, doc.id, target_id, links)


def _set_status(link_id: int, status: str) -> LinkRecord:
    with writer() as w:
        row = w.store.set_link_status(link_id, status)
    if row is None:
        raise HTTPException(404, f"no link {link_id}")
    return LinkRecord(**row)


@router.post("/links/{link_id}/confirm", response_model=LinkRecord)
def confirm(link_id: Annotated[int, Path(ge=1, le=2**62)]) -> LinkRecord:
    return _set_status(link_id, "confirmed")


@router.post("/links/{link_id}/reject", response_model=LinkRecord)
def reject(link_id: Annotated[int, Path(ge=1, le=2**62)]) -> LinkRecord:
    return _set_status(link_id, "rejected")


@router.get("/links", response_model=list[LinkRecord])
def list_links(index: IndexDep, programme: Annotated[str | None, Query(max_length=200)] = None,
               target: Annotated[str | None, Query(max_length=200)] = None,
               status: Annotated[str | None, Query(pattern="^(suggested|confirmed|rejected)$")] = None) -> list[LinkRecord]:
    where, args = ["1=1"], []
    for col, val in (("task_doc", programme), ("target_doc", target), ("status", status)):
        if val:
            where.append(f"{col}=?")
            args.append(val)
    return [LinkRecord(**r) for r in index.store.links(" AND ".join(where), tuple(args))]


@router.get("/coverage/{doc_id}", response_model=CoverageOut)
def coverage_of(doc_id: Annotated[str, Path(max_length=200)], index: IndexDep) -> CoverageOut:
    if index.store.document(doc_id) is None:
        raise HTTPException(404, f"no document '{doc_id}'")
    rows = coverage(index, doc_id)
    import re

    from docsearch.ingest.normalize import fold

    sections = {r.address for r in rows if "." not in r.address and re.search(r"nhiem vu|giai phap", fold(r.heading.lower()))}
    parents = {r.address.rsplit(".", 1)[0] for r in rows if "." in r.address}
    task_leaves = [r for r in rows if r.address.split(".")[0] in sections and r.address not in parents and r.address not in sections]
    uncovered = [r.address for r in task_leaves if r.total == 0]
    most = [r.address for r in sorted(task_leaves, key=lambda r: -r.total) if r.total > 0][:5]
    return CoverageOut(doc_id=doc_id, uncovered=uncovered, most_covered=most, rows=[
        CoverageRowOut(address=r.address, heading=r.heading[:300], level=r.level, confirmed=r.confirmed,
                       suggested=r.suggested, tasks=r.tasks[:50]) for r in rows])


@router.get("/export/links")
def export_links(index: IndexDep, format: Annotated[str, Query(pattern="^(xlsx|csv)$")] = "xlsx",
                 programme: Annotated[str | None, Query(max_length=200)] = None,
                 target: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    where, args = ["status != 'rejected'"], []
    for col, val in (("task_doc", programme), ("target_doc", target)):
        if val:
            where.append(f"{col}=?")
            args.append(val)
    links = index.store.links(" AND ".join(where), tuple(args))
    crumbs = {}
    for r in links:
        cid = index.store.clause_id(r["target_doc"], r["clause_address"])
        crumbs[r["id"]] = index.store.clause_rows([cid]).get(cid, {}).get("breadcrumb", "") if cid else ""
    rows = rows_for([{**r, "breadcrumb": crumbs[r["id"]]} for r in links], target or "")
    for row, r in zip(rows, links):
        row[3] = r["target_doc"]
    if format == "csv":
        return Response(to_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="lien-ket-nhiem-vu.csv"'})
    return Response(to_xlsx(rows), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="lien-ket-nhiem-vu.xlsx"'})


__all__ = ["router", "DocsearchError"]
