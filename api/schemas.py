"""Pydantic models of every request and response."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class TagOut(BaseModel):
    topic: str
    score: float


class HitOut(BaseModel):
    clause_id: int
    doc_id: str
    doc_number: str | None = None
    doc_type: str | None = None
    doc_title: str | None = None
    address: str
    breadcrumb: str
    heading: str
    snippet: str
    score: float
    page: int = 1
    tags: list[TagOut] = []


class SearchOut(BaseModel):
    query: str
    k: int
    restored: str | None = Field(default=None, description="the query with its diacritics restored, when typed without")
    hits: list[HitOut]


class DocumentSummary(BaseModel):
    id: str
    source: str | None = None
    number: str | None = None
    type: str | None = None
    issuer: str | None = None
    date: str | None = None
    year: int | None = None
    title: str | None = None
    signer: str | None = None
    clauses: int = 0


class ClauseOut(BaseModel):
    id: int | None = None
    address: str
    label: str
    level: int
    heading: str
    text: str
    breadcrumb: str
    parent: str | None = None
    page: int = 1
    kind: str = "item"
    fields: dict[str, str] = {}
    tags: list[TagOut] = []


class ReferenceOut(BaseModel):
    text: str
    number: str | None = None
    doc_type: str | None = None
    title: str | None = None
    clause: str | None = None
    relation: str = "mentions"
    address: str | None = Field(default=None, description="the clause of the referenced document it cites")
    target_id: str | None = Field(default=None, description="id of the referenced document when it is indexed")
    target_clause_id: int | None = Field(default=None, description="id of the cited clause when it is indexed")


class IncomingReference(BaseModel):
    doc_id: str
    number: str | None = None
    title: str | None = None
    clause: str | None = None
    relation: str
    address: str | None = Field(default=None, description="the clause of this document that is cited")


class DocumentOut(BaseModel):
    id: str
    source: str
    metadata: dict
    clauses: list[ClauseOut]
    references: list[ReferenceOut]
    referenced_by: list[IncomingReference]
    warnings: list[str] = []


class LinkedTask(BaseModel):
    link_id: int
    task_doc: str
    task_address: str | None
    task_text: str
    status: str
    score: float


class ClauseDetail(ClauseOut):
    doc_id: str
    doc_number: str | None = None
    doc_title: str | None = None
    linked_tasks: list[LinkedTask] = []
    references: list[ReferenceOut] = Field(default=[], description="what this clause cites")
    cited_by: list[IncomingReference] = Field(default=[], description="clauses of other documents that cite this one")


class Health(BaseModel):
    status: str
    documents: int
    clauses: int
    embedder: str


class TopicOut(BaseModel):
    topic: str
    name: str
    clauses: int
    documents: int


class TopicClause(BaseModel):
    clause_id: int
    score: float
    doc_id: str
    address: str
    breadcrumb: str
    heading: str


class TaskIn(BaseModel):
    text: str = Field(max_length=20_000)
    group: str | None = Field(default=None, max_length=200,
                              description="programme group (tasks of one group vote together); none: the task stands alone")
    group_heading: str = Field(default="", max_length=2000, description="the group's heading, aligned by content")


class LinkRequest(BaseModel):
    tasks: list[str | TaskIn] = Field(min_length=1, max_length=2000,
                                      description="tasks: plain texts, or {text, group?, group_heading?}")
    target: str | list[str] = Field(description="id of the target document in the index, or several ids")
    top: int = Field(default=5, ge=1, le=20)

    def target_ids(self) -> list[str]:
        ids = [self.target] if isinstance(self.target, str) else list(self.target)
        return [t for t in ids if t.strip()][:20]


class SuggestionOut(BaseModel):
    link_id: int | None = None
    address: str
    clause_id: int
    score: float
    breadcrumb: str
    heading: str
    snippet: str
    status: str = "suggested"
    doc_id: str = ""
    reason: str = Field(default="text", description="'citation' when the task cites this clause, else 'text'")


class TaskOut(BaseModel):
    id: str
    address: str | None = None
    group: str | None = None
    text: str
    suggestions: list[SuggestionOut]


class LinkResponse(BaseModel):
    programme: str
    target: str
    targets: list[str] = []
    tasks: list[TaskOut]


class LinkRecord(BaseModel):
    id: int
    task_doc: str
    task_address: str | None
    task_text: str
    target_doc: str
    clause_address: str
    score: float
    status: str
    rank: int | None = None


class CoverageRowOut(BaseModel):
    address: str
    heading: str
    level: int
    confirmed: int
    suggested: int
    tasks: list[str]


class CoverageOut(BaseModel):
    doc_id: str
    rows: list[CoverageRowOut]
    uncovered: list[str] = Field(description="nhiệm vụ / giải pháp clauses no task carries out")
    most_covered: list[str]


class IngestOut(BaseModel):
    id: str
    added: bool
    clauses: int
    warnings: list[str] = []
