"""What the service returns: the pydantic models the API sends as JSON and the CLI prints with --json, so the two
show the same thing. Built from the store's rows and the library's dataclasses with `model_validate`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class View(BaseModel):
    """Base of the views: built from dataclasses and row dicts alike."""

    model_config = ConfigDict(from_attributes=True)


class TagOut(View):
    topic: str
    score: float
    evidence: list[str] = Field(default=[], description="the words or the similarity that gave the tag")


class HitOut(View):
    clause_id: int
    doc_id: str
    doc_number: str | None = None
    doc_type: str | None = None
    doc_title: str | None = None
    address: str
    breadcrumb: str
    heading: str
    snippet: str = Field(description="the snippet as HTML, terms in <mark> (for clients that want markup)")
    snippet_text: str = Field(default="", description="the snippet as plain text")
    highlights: list[tuple[int, int]] = Field(default=[], description="(start, end) of each query term in snippet_text")
    score: float
    page: int = 1
    tags: list[TagOut] = []


class DocumentSummary(View):
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
    added: str | None = None
    added_by: str | None = Field(default=None, description="the account that uploaded it")


class PastedFrom(View):
    doc_id: str
    doc_number: str | None = None
    address: str


class SearchOut(View):
    query: str
    k: int
    restored: str | None = Field(default=None, description="the query with its diacritics restored, when typed without")
    named_documents: list[DocumentSummary] = Field(default=[], description="indexed documents the query names "
                                                                          "('NQ 57', 'Luật Đất đai'), or those the "
                                                                          "programme it was pasted from implements: "
                                                                          "shown first")
    pasted_from: PastedFrom | None = Field(default=None, description="the indexed clause the query was copied from "
                                                                    "(a task pasted from a programme)")
    hits: list[HitOut]


class ClauseOut(View):
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
    citation: str = Field(default="", description="the phrase staff cite the clause with ('điểm a khoản 2 Mục III "
                                                   "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị')")


class ReferenceOut(View):
    text: str
    number: str | None = None
    doc_type: str | None = None
    title: str | None = None
    clause: str | None = None
    relation: str = "mentions"
    address: str | None = Field(default=None, description="the clause of the referenced document it cites")
    target_id: str | None = Field(default=None, description="id of the referenced document when it is indexed")
    target_clause_id: int | None = Field(default=None, description="id of the cited clause when it is indexed")


class IncomingReference(View):
    doc_id: str
    number: str | None = None
    title: str | None = None
    clause: str | None = None
    relation: str
    address: str | None = Field(default=None, description="the clause of this document that is cited")


class DocumentOut(View):
    id: str
    source: str
    metadata: dict
    clauses: list[ClauseOut]
    references: list[ReferenceOut]
    referenced_by: list[IncomingReference]
    warnings: list[str] = []
    added: str | None = None
    added_by: str | None = None


class LinkedTask(View):
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


class Health(View):
    status: str
    documents: int
    clauses: int
    embedder: str
    engine: str = "local"  # where search runs: local or milvus
    store: str = "sqlite"  # where the documents live: sqlite or postgresql


class TopicOut(View):
    topic: str
    name: str
    clauses: int
    documents: int


class TopicClause(View):
    clause_id: int
    score: float
    doc_id: str
    address: str
    breadcrumb: str
    heading: str


class SuggestionOut(View):
    link_id: int | None = None
    decided_by: str | None = None
    address: str
    clause_id: int
    score: float
    breadcrumb: str
    heading: str
    snippet: str
    status: str = "suggested"
    doc_id: str = ""
    reason: str = Field(default="text", description="'citation' when the task cites this clause, else 'text'")


class TaskOut(View):
    id: str
    address: str | None = None
    group: str | None = None
    text: str
    suggestions: list[SuggestionOut]


class LinkResponse(View):
    programme: str
    target: str
    targets: list[str] = []
    tasks: list[TaskOut]


class LinkRecord(View):
    id: int
    updated: str | None = None
    decided_by: str | None = Field(default=None, description="the account that confirmed or rejected it")
    task_doc: str
    task_address: str | None
    task_text: str
    target_doc: str
    clause_address: str
    score: float
    status: str
    rank: int | None = None


class CoverageRowOut(View):
    address: str
    heading: str
    level: int
    confirmed: int
    suggested: int
    tasks: list[str]


class CoverageOut(View):
    doc_id: str
    rows: list[CoverageRowOut]
    uncovered: list[str] = Field(description="nhiệm vụ / giải pháp clauses no task carries out")
    most_covered: list[str]


class IngestOut(View):
    id: str
    added: bool
    clauses: int
    warnings: list[str] = []


class DecisionOut(LinkRecord):
    pass


class AuditOut(View):
    id: int
    at: str
    actor: str | None
    action: str = Field(description="upload, delete, confirmed, rejected, link, user-add, user-remove, token-add …")
    target: str | None = None
    detail: str | None = None


class UserOut(View):
    name: str
    role: str
    created: str | None = None
    active: bool = True


class SessionOut(View):
    access_token: str
    token_type: str = "bearer"
    user: str
    role: str
