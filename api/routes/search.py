from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api.deps import IndexDep, SettingsDep
from api.schemas import HitOut, SearchOut, TagOut

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchOut)
def search(
    index: IndexDep,
    settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, description="câu truy vấn (at most DOCSEARCH_MAX_QUERY_CHARS characters)")],
    k: Annotated[int, Query(ge=1, description="results (at most DOCSEARCH_MAX_K)")] = 10,
    mode: Annotated[str, Query(pattern="^(hybrid|bm25|dense)$")] = "hybrid",
    doc: Annotated[list[str] | None, Query()] = None,
    type: Annotated[str | None, Query(max_length=100)] = None,
    issuer: Annotated[str | None, Query(max_length=200)] = None,
    year_from: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    year_to: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    topic: Annotated[str | None, Query(max_length=100)] = None,
    address: Annotated[str | None, Query(max_length=100)] = None,
) -> SearchOut:
    if len(q) > settings.max_query_chars:
        raise HTTPException(422, f"query longer than {settings.max_query_chars} characters")
    if k > settings.max_k:
        raise HTTPException(422, f"k is over the limit of {settings.max_k} (DOCSEARCH_MAX_K)")
    hits = index.search(q, k=k, mode=mode, doc=doc, doc_type=type, issuer=issuer,
                        year_from=year_from, year_to=year_to, topic=topic, address_prefix=address)
    return SearchOut(query=q, k=k, restored=hits.restored, hits=[
        HitOut(clause_id=h.clause_id, doc_id=h.doc_id, doc_number=h.doc_number, doc_type=h.doc_type,
               doc_title=h.doc_title, address=h.address, breadcrumb=h.breadcrumb, heading=h.heading[:300],
               snippet=h.snippet, score=h.score, page=h.page,
               tags=[TagOut(topic=t["topic"], score=t["score"]) for t in h.tags]) for h in hits])
