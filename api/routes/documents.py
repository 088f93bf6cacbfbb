"""Documents and clauses: list, read, upload, delete — adapters over docsearch.service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, UploadFile

from api.deps import AdminAccess, EditorAccess, IndexDep, ReadAccess, WriterDep, writer
from api.upload import save_upload
from docsearch import service
from docsearch.views import ClauseDetail, DocumentOut, DocumentSummary, IngestOut

router = APIRouter(tags=["documents"])


@router.get("/documents", response_model=list[DocumentSummary])
def list_documents(_: ReadAccess, index: IndexDep) -> list[DocumentSummary]:
    return service.documents(index)


@router.get("/documents/{doc_id}", response_model=DocumentOut)
def get_document(_: ReadAccess, doc_id: Annotated[str, Path(max_length=200)], index: IndexDep) -> DocumentOut:
    return service.document(index, doc_id)


@router.get("/clauses/{clause_id}", response_model=ClauseDetail)
def get_clause(_: ReadAccess, clause_id: Annotated[int, Path(ge=1, le=2**62)], index: IndexDep) -> ClauseDetail:
    return service.clause(index, clause_id)


@router.post("/documents", response_model=IngestOut, status_code=201)
async def upload_document(user: EditorAccess, file: Annotated[UploadFile, File(
        description="PDF, DOCX, DOC, ODT, RTF, HTML, TXT, or a scan (JPEG, PNG, TIFF)")]) -> IngestOut:
    """Upload and ingest a document (editor)."""
    path, name = await save_upload(file)
    try:
        doc = service.parse(path, name)  # read (OCR, LibreOffice) before taking the write lock
    finally:
        path.unlink(missing_ok=True)
    with writer() as w:
        return service.ingest_document(w, doc, actor=user.name)


@router.delete("/documents/{doc_id}", status_code=204)
def delete_document(doc_id: Annotated[str, Path(max_length=200)], user: AdminAccess, w: WriterDep) -> None:
    """Remove a document and its links (admin)."""
    service.remove_document(w, doc_id, actor=user.name)
