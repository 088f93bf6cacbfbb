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
    target_id: str | None = Field(default=None, description="id of the referenced document when it is indexed")


class IncomingReference(BaseModel):
    doc_id: str
    number: str | None = None
    title: str | None = None
    clause: str | None = None
    relation: str


class DocumentOut(BaseModel):
    id: str
    source: str
    metadata: dict
    clauses: list[ClauseOut]
    references: list[ReferenceOut]
    referenced_by: list[IncomingReference]
    warnings: list[str] = []


class ClauseDetail(ClauseOut):
    doc_id: str
    doc_number: str | None = None
    doc_title: str | None = None


class Health(BaseModel):
    status: str
    documents: int
    clauses: int
    embedder: str
