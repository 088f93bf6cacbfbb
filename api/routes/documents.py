from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Path, UploadFile

from api.deps import IndexDep, WriteAccess, writer
from api.schemas import (
    ClauseDetail,
    ClauseOut,
    DocumentOut,
    DocumentSummary,
    IncomingReference,
    IngestOut,
    LinkedTask,
    ReferenceOut,
    TagOut,
)
from api.upload import save_upload
from docsearch import service
from docsearch.errors import IngestError

router = APIRouter(tags=["documents"])


@router.get("/documents", response_model=list[DocumentSummary])
def list_documents(index: IndexDep) -> list[DocumentSummary]:
    return [DocumentSummary(**{k: d.get(k) for k in DocumentSummary.model_fields}) for d in index.store.documents()]


@router.get("/documents/{doc_id}", response_model=DocumentOut)
def get_document(doc_id: Annotated[str, Path(max_length=200)], index: IndexDep) -> DocumentOut:
    doc = index.store.document(doc_id)
    if doc is None:
        raise HTTPException(404, f"no document '{doc_id}'")
    ids = {c.address: index.store.clause_id(doc_id, c.address) for c in doc.clauses}
    incoming = [IncomingReference.model_validate(r) for r in
                index.store.incoming_references(doc.metadata.number, doc.metadata.title, doc_id)]
    from dataclasses import asdict

    return DocumentOut(
        id=doc.id, source=doc.source, metadata=asdict(doc.metadata), warnings=doc.warnings,
        clauses=[ClauseOut(id=ids[c.address], address=c.address, label=c.label, level=c.level, heading=c.heading,
                           text=c.text, breadcrumb=c.breadcrumb, parent=c.parent, page=c.page, kind=c.kind,
                           fields=c.fields, tags=[TagOut(topic=t.topic, score=t.score) for t in c.tags])
                 for c in doc.clauses],
        references=_references(index, doc.references),
        referenced_by=incoming,
    )


def _references(index, refs) -> list[ReferenceOut]:
    return [ReferenceOut(target_id=target, target_clause_id=clause_id, **{
        f: getattr(r, f) for f in ("text", "number", "doc_type", "title", "clause", "relation", "address")})
        for r, (target, clause_id) in zip(refs, service.reference_targets(index, refs))]


@router.get("/clauses/{clause_id}", response_model=ClauseDetail)
def get_clause(clause_id: Annotated[int, Path(ge=1, le=2**62)], index: IndexDep) -> ClauseDetail:
    rows = index.store.clause_rows([clause_id])
    if clause_id not in rows:
        raise HTTPException(404, f"no clause {clause_id}")
    r = rows[clause_id]
    tags = index.store.tags_for([clause_id]).get(clause_id, [])
    linked = [LinkedTask(link_id=x["id"], task_doc=x["task_doc"], task_address=x["task_address"], task_text=x["task_text"],
                         status=x["status"], score=x["score"])
              for x in index.store.links("target_doc=? AND clause_address=? AND (status='confirmed' OR rank=1)",
                                         (r["doc_id"], r["address"]))]
    info = index.store.document_info(r["doc_id"]) or {}
    cited_by = [IncomingReference.model_validate(x) for x in
                index.store.incoming_references(info.get("number"), info.get("title"), r["doc_id"])
                if x["address"] and (x["address"] == r["address"] or x["address"].startswith(r["address"] + "."))]
    return ClauseDetail(linked_tasks=linked, references=_references(index, index.store.references(r["doc_id"], r["address"])),
                        cited_by=cited_by, id=r["id"], doc_id=r["doc_id"], doc_number=r["doc_number"], doc_title=r["doc_title"],
                        address=r["address"], label=r["label"], level=r["level"], heading=r["heading"], text=r["text"],
                        breadcrumb=r["breadcrumb"], parent=r["parent"], page=r["page"] or 1, kind=r["kind"],
                        fields=r["fields"], tags=[TagOut(topic=t.topic, score=t.score) for t in tags])


@router.post("/documents", response_model=IngestOut, status_code=201)
async def upload_document(_: WriteAccess, file: Annotated[UploadFile, File(description="PDF, DOCX, HTML or TXT")]) -> IngestOut:
    """Upload and ingest a document (needs X-API-Key)."""
    from docsearch.structure import parse_file
    from docsearch.tagging import get_tagger

    path, name = await save_upload(file)
    try:
        doc = parse_file(str(path))
    except IngestError as exc:
        raise HTTPException(422, f"{name}: {exc.reason}") from None
    finally:
        path.unlink(missing_ok=True)
    doc.source = name
    with writer() as w:
        added = w.add(doc, tagger=get_tagger(embedder=w.embedder, cache=w.cache))
        if added:
            w.commit()
    return IngestOut(id=doc.id, added=added, clauses=len(doc.clauses), warnings=doc.warnings)


@router.delete("/documents/{doc_id}", status_code=204)
def delete_document(doc_id: Annotated[str, Path(max_length=200)], _: WriteAccess) -> None:
    """Remove a document and its links (needs X-API-Key)."""
    with writer() as w:
        if not w.remove(doc_id):
            raise HTTPException(404, f"no document '{doc_id}'")
        w.commit()
