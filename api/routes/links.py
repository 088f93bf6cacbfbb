"""Linking: a task list or an uploaded programme, confirm/reject, stored links, coverage, export — adapters over
docsearch.service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, UploadFile
from fastapi.responses import Response

from api.deps import EditorAccess, IndexDep, ReadAccess, WriterDep, writer
from api.schemas import LinkRequest
from api.upload import save_upload
from docsearch import service
from docsearch.views import CoverageOut, LinkRecord, LinkResponse

router = APIRouter(tags=["linking"])

MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@router.post("/link", response_model=LinkResponse)
def link_task_list(req: LinkRequest, user: EditorAccess, w: WriterDep) -> LinkResponse:
    """Link a list of tasks to the clauses of one or several target documents. A task is a plain text, or
    `{text, group, group_heading}`: tasks of one group vote together; a plain text stands alone (its position in
    the list means nothing)."""
    return service.link_view(w, service.link_task_list(w, req.task_inputs(), req.target_ids(), top=req.top,
                                                       actor=user.name))


@router.post("/link/upload", response_model=LinkResponse)
async def link_programme(user: EditorAccess,
                         file: Annotated[UploadFile, File(description="the action programme (PDF, DOCX, DOC, HTML, TXT)")],
                         target: Annotated[str | None, Form(max_length=200)] = None,
                         top: Annotated[int, Form(ge=1, le=20)] = 5) -> LinkResponse:
    """Upload an action programme: it is indexed, and its tasks are linked to the document(s) it implements (or
    `target`)."""
    path, name = await save_upload(file)
    try:
        doc = service.parse(path, name)  # read before taking the write lock
    finally:
        path.unlink(missing_ok=True)
    with writer() as w:
        return service.link_view(w, service.link_programme(w, doc, [target] if target else None, top=top,
                                                            actor=user.name))


@router.post("/links/{link_id}/confirm", response_model=LinkRecord)
def confirm(link_id: Annotated[int, Path(ge=1, le=2**62)], user: EditorAccess, w: WriterDep) -> LinkRecord:
    return service.set_link_status(w, link_id, "confirmed", actor=user.name)


@router.post("/links/{link_id}/reject", response_model=LinkRecord)
def reject(link_id: Annotated[int, Path(ge=1, le=2**62)], user: EditorAccess, w: WriterDep) -> LinkRecord:
    return service.set_link_status(w, link_id, "rejected", actor=user.name)


@router.get("/links", response_model=list[LinkRecord])
def list_links(_: ReadAccess, index: IndexDep, programme: Annotated[str | None, Query(max_length=200)] = None,
               target: Annotated[str | None, Query(max_length=200)] = None,
               status: Annotated[str | None, Query(pattern="^(suggested|confirmed|rejected)$")] = None) -> list[LinkRecord]:
    return service.links(index, programme=programme, target=target, status=status)


@router.get("/coverage/{doc_id}", response_model=CoverageOut)
def coverage_of(_: ReadAccess, doc_id: Annotated[str, Path(max_length=200)], index: IndexDep) -> CoverageOut:
    return service.coverage_of(index, doc_id)


@router.get("/export/links")
def export_links(_: ReadAccess, index: IndexDep, format: Annotated[str, Query(pattern="^(xlsx|csv|docx)$")] = "xlsx",
                 programme: Annotated[str | None, Query(max_length=200)] = None,
                 target: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    """The task → clause table: XLSX or CSV (every link not rejected), or DOCX (the appendix of one programme)."""
    data = service.export_links(index, format, programme=programme, target=target)
    return Response(data, media_type=MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="lien-ket-nhiem-vu.{format}"'})


@router.get("/export/coverage/{doc_id}")
def export_coverage(_: ReadAccess, doc_id: Annotated[str, Path(max_length=200)], index: IndexDep) -> Response:
    """The coverage of a resolution as a Word report."""
    return Response(service.export_coverage_docx(index, doc_id), media_type=MEDIA["docx"],
                    headers={"Content-Disposition": 'attachment; filename="bao-quat.docx"'})
