from __future__ import annotations

from fastapi import APIRouter, HTTPException

from api.deps import IndexDep
from api.schemas import ClauseDetail, ClauseOut, DocumentOut, DocumentSummary, IncomingReference, ReferenceOut, TagOut

router = APIRouter(tags=["documents"])


@router.get("/documents", response_model=list[DocumentSummary])
def list_documents(index: IndexDep) -> list[DocumentSummary]:
    return [DocumentSummary(**{k: d.get(k) for k in DocumentSummary.model_fields}) for d in index.store.documents()]


@router.get("/documents/{doc_id}", response_model=DocumentOut)
def get_document(doc_id: str, index: IndexDep) -> DocumentOut:
    doc = index.store.document(doc_id)
    if doc is None:
        raise HTTPException(404, f"no document '{doc_id}'")
    by_number = {d["number"]: d["id"] for d in index.store.documents() if d.get("number")}
    ids = {c.address: index.store.clause_id(doc_id, c.address) for c in doc.clauses}
    incoming = []
    if doc.metadata.number:
        for row in index.store.db.execute(
                "SELECT doc_id, number, title, clause, relation FROM refs WHERE number=? AND doc_id<>?",
                (doc.metadata.number, doc_id)):
            incoming.append(IncomingReference(doc_id=row[0], number=row[1], title=row[2], clause=row[3], relation=row[4]))
    from dataclasses import asdict

    return DocumentOut(
        id=doc.id, source=doc.source, metadata=asdict(doc.metadata), warnings=doc.warnings,
        clauses=[ClauseOut(id=ids[c.address], address=c.address, label=c.label, level=c.level, heading=c.heading,
                           text=c.text, breadcrumb=c.breadcrumb, parent=c.parent, page=c.page, kind=c.kind,
                           fields=c.fields, tags=[TagOut(topic=t.topic, score=t.score) for t in c.tags])
                 for c in doc.clauses],
        references=[ReferenceOut(text=r.text, number=r.number, doc_type=r.doc_type, title=r.title, clause=r.clause,
                                 relation=r.relation, target_id=by_number.get(r.number)) for r in doc.references],
        referenced_by=incoming,
    )


@router.get("/clauses/{clause_id}", response_model=ClauseDetail)
def get_clause(clause_id: int, index: IndexDep) -> ClauseDetail:
    rows = index.store.clause_rows([clause_id])
    if clause_id not in rows:
        raise HTTPException(404, f"no clause {clause_id}")
    r = rows[clause_id]
    tags = index.store.tags_for([clause_id]).get(clause_id, [])
    return ClauseDetail(id=r["id"], doc_id=r["doc_id"], doc_number=r["doc_number"], doc_title=r["doc_title"],
                        address=r["address"], label=r["label"], level=r["level"], heading=r["heading"], text=r["text"],
                        breadcrumb=r["breadcrumb"], parent=r["parent"], page=r["page"] or 1, kind=r["kind"],
                        fields=r["fields"], tags=[TagOut(topic=t.topic, score=t.score) for t in tags])
