"""GET /search over service.search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import IndexDep, ReadAccess
from docsearch import service
from docsearch.views import SearchOut

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchOut)
def search(
    _: ReadAccess,
    index: IndexDep,
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
    return service.search(index, q, k=k, mode=mode, doc=doc, doc_type=type, issuer=issuer, year_from=year_from,
                          year_to=year_to, topic=topic, address=address)


@router.get("/export/search")
def export_search(
    _: ReadAccess,
    index: IndexDep,
    q: Annotated[str, Query(min_length=1)],
    k: Annotated[int, Query(ge=1)] = 50,
    doc: Annotated[list[str] | None, Query()] = None,
    type: Annotated[str | None, Query(max_length=100)] = None,
    topic: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """Search results as XLSX, each clause with the phrase that cites it."""
    data = service.export_search(index, q, k=k, doc=doc, doc_type=type, topic=topic)
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="ket-qua-tim-kiem.xlsx"'})
