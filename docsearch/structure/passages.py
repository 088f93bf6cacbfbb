"""The text of a clause that is embedded and the text that is indexed for BM25, read from the clause tree.

They live beside the structure because they are made of it: a bullet ("- Hoàn thiện thể chế …") means little
alone, so its ancestor headings give it its subject; the document's title goes into the embedded passage (it places
the clause among documents) but not into BM25 (where it would match in every clause of the document)."""

from __future__ import annotations

from docsearch.model import Clause, Document


def clause_context(doc: Document, clause: Clause, by_address: dict[str, Clause]) -> str:
    """Ancestor headings (first line, shortened), which give a bullet its subject."""
    parts = []
    parent = clause.parent
    while parent and parent in by_address:
        p = by_address[parent]
        parts.append(p.heading[:160])
        parent = p.parent
    return " / ".join(reversed(parts))


def _clause_body(clause: Clause) -> str:
    if clause.fields:
        return clause.text + " " + " ".join(f"{k}: {v}" for k, v in clause.fields.items())
    return clause.text


def tagged_text(clause: Clause) -> str:
    """What the topic tagger reads as the clause's own words: its text and, for a row of a task table, the values of
    its cells (the lead and partner agencies, the product). A task's agency says what field it belongs to ("Bộ Y
    tế"); the column names ("Cơ quan chủ trì", "Thời gian hoàn thành") say nothing and are left out."""
    if clause.fields:
        return " ".join([clause.text, *clause.fields.values()])
    return clause.text


def passage_text(doc: Document, clause: Clause, by_address: dict[str, Clause]) -> str:
    """What is embedded: the document's title, the ancestor headings, the clause (and its table fields)."""
    head = (doc.metadata.title or "")[:200]
    return "\n".join(x for x in (head, clause_context(doc, clause, by_address), _clause_body(clause)) if x)


def lexical_text(doc: Document, clause: Clause, by_address: dict[str, Clause]) -> str:
    """What the BM25 fields index: the ancestor headings and the clause (the title would match everywhere)."""
    return "\n".join(x for x in (clause_context(doc, clause, by_address), _clause_body(clause)) if x)


def passages(doc: Document) -> list[str]:
    """The embedded passage of every clause of a document, in order."""
    by_address = {c.address: c for c in doc.clauses}
    return [passage_text(doc, c, by_address) for c in doc.clauses]
