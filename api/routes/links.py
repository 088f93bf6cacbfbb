from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, UploadFile
from fastapi.responses import Response

from api.deps import IndexDep, writer
from api.schemas import CoverageOut, CoverageRowOut, LinkRecord, LinkRequest, LinkResponse, SuggestionOut, TaskOut
from api.upload import save_upload
from docsearch import service
from docsearch.errors import DocsearchError, IngestError, NotFoundError
from docsearch.linking.coverage import coverage
from docsearch.linking.export import rows_for, to_csv, to_xlsx
from docsearch.service import TaskInput

router = APIRouter(tags=["linking"])


def _response(index, result) -> LinkResponse:
    stored = {}
    for target in result.targets:
        for r in index.store.links("task_doc=? AND target_doc=?", (result.programme, target)):
            stored[(r["task_address"], target, r["clause_address"])] = r
    tasks = []
    for tl in result.links:
        key = tl.task.address or tl.task.id
        suggestions = []
        for s in tl.suggestions:
            row = stored.get((key, s.doc_id or result.targets[0], s.address), {})
            suggestions.append(SuggestionOut(link_id=row.get("id"), status=row.get("status", "suggested"), **{
                f: getattr(s, f) for f in ("address", "clause_id", "score", "breadcrumb", "heading", "snippet",
                                           "doc_id", "reason")}))
        tasks.append(TaskOut(id=tl.task.id, address=tl.task.address, group=tl.task.group, text=tl.task.text,
                             suggestions=suggestions))
    return LinkResponse(programme=result.programme, target=result.targets[0], targets=result.targets, tasks=tasks)


@router.post("/link", response_model=LinkResponse)
def link_task_list(req: LinkRequest) -> LinkResponse:
    """Link a list of tasks to the clauses of one or several target documents. A task is a plain text, or
    `{text, group, group_heading}`: tasks of one group vote together; a plain text stands alone (its position in
    the list means nothing)."""
    items = [TaskInput(text=t) if isinstance(t, str) else TaskInput(text=t.text, group=t.group,
                                                                     group_heading=t.group_heading)
             for t in req.tasks]
    targets = req.target_ids()
    if not targets:
        raise HTTPException(422, "no target document given")
    with writer() as w:
        try:
            result = service.link_task_list(w, items, targets, top=req.top)
        except NotFoundError as exc:
            raise HTTPException(404, str(exc)) from None
        except DocsearchError as exc:
            raise HTTPException(422, str(exc)) from None
        return _response(w, result)


@router.post("/link/upload", response_model=LinkResponse)
async def link_programme(file: Annotated[UploadFile, File(description="the action programme (PDF, DOCX, HTML, TXT)")],
                         target: Annotated[str | None, Form(max_length=200)] = None,
                         top: Annotated[int, Form(ge=1, le=20)] = 5) -> LinkResponse:
    """Upload an action programme: it is indexed, and its tasks are linked to the document(s) it implements (or
    `target`)."""
    from docsearch.structure import parse_file
    from docsearch.tagging import get_tagger

    path, name = await save_upload(file)
    try:
        doc = parse_file(str(path))
        doc.source = name
    except IngestError as exc:
        raise HTTPException(422, f"{name}: {exc.reason}") from None
    finally:
        path.unlink(missing_ok=True)
    with writer() as w:
        try:
            result = service.link_programme(w, doc, [target] if target else None, top=top,
                                            tagger=get_tagger(embedder=w.embedder, cache=w.cache))
        except NotFoundError as exc:
            raise HTTPException(404, str(exc)) from None
        except DocsearchError as exc:
            raise HTTPException(422, f"{name}: {exc}") from None
        return _response(w, result)


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
    task_leaves = service.task_leaves(rows)
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
