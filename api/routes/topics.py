"""Topics with their counts, and one topic's clauses — adapters over docsearch.service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import IndexDep, ReadAccess
from docsearch import service
from docsearch.views import TopicClause, TopicOut

router = APIRouter(tags=["topics"])


@router.get("/topics", response_model=list[TopicOut])
def topics(_: ReadAccess, index: IndexDep) -> list[TopicOut]:
    return service.topics(index)


@router.get("/topics/{topic}", response_model=list[TopicClause])
def topic_clauses(_: ReadAccess, topic: Annotated[str, Path(max_length=100)], index: IndexDep,
                  k: Annotated[int, Query(ge=1, le=500)] = 50,
                  doc: Annotated[str | None, Query(max_length=200)] = None) -> list[TopicClause]:
    return service.topic_clauses(index, topic, k=k, doc=doc)
