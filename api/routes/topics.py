from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from api.deps import IndexDep, SettingsDep
from api.schemas import TopicClause, TopicOut
from docsearch.tagging import load_taxonomy

router = APIRouter(tags=["topics"])


@router.get("/topics", response_model=list[TopicOut])
def topics(index: IndexDep, settings: SettingsDep) -> list[TopicOut]:
    counts = index.store.topic_counts()
    return [TopicOut(topic=t.id, name=t.name, clauses=counts.get(t.id, (0, 0))[0], documents=counts.get(t.id, (0, 0))[1])
            for t in load_taxonomy(settings.taxonomy).topics]


@router.get("/topics/{topic}", response_model=list[TopicClause])
def topic_clauses(topic: Annotated[str, Path(max_length=100)], index: IndexDep, settings: SettingsDep,
                  k: Annotated[int, Query(ge=1, le=500)] = 50,
                  doc: Annotated[str | None, Query(max_length=200)] = None) -> list[TopicClause]:
    if load_taxonomy(settings.taxonomy).get(topic) is None:
        raise HTTPException(404, f"no topic '{topic}'")
    rows = index.store.topic_clauses(topic, limit=k, doc=doc)
    info = index.store.clause_rows([c for c, _ in rows])
    return [TopicClause(clause_id=c, score=s, doc_id=info[c]["doc_id"], address=info[c]["address"],
                        breadcrumb=info[c]["breadcrumb"], heading=info[c]["heading"][:300]) for c, s in rows if c in info]
