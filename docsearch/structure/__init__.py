"""Structure: normalised text → Document (metadata, clause tree, references)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from docsearch.model import Clause, Document
from docsearch.structure.clauses import read_clauses
from docsearch.structure.metadata import read_metadata
from docsearch.structure.references import document_references

__all__ = ["parse_text", "parse_file", "doc_id_for", "PIPELINE_VERSION"]

# part of every content hash: documents indexed by an older pipeline are processed again on the next ingest
PIPELINE_VERSION = "4"  # 4: references carry the clause they cite


def doc_id_for(number: str | None, source: str) -> str:
    """A stable, URL-safe id: the số ký hiệu when there is one, else the file name."""
    base = number or Path(source).stem
    slug = re.sub(r"[^\w.-]+", "-", base.replace("/", "-")).strip("-")
    return slug or "document"


def parse_text(text: str, source: str = "<text>", warnings: list[str] | None = None, ocr: bool = False) -> Document:
    """Read the structure of normalised text; `ocr`: some of it was read by OCR (digits OCR confuses are then
    checked against the numbering's sequence)."""
    parsed = read_clauses(text, ocr=ocr)
    warns = list(warnings or []) + parsed.warnings
    meta = read_metadata(parsed.header, parsed.tail, [], warns)
    clauses = parsed.clauses
    if not clauses:
        body = "\n".join(line for line in text.replace("\f", "\n").split("\n") if line.strip())
        clauses = [
            Clause(address="1", label="1", level=1, heading=body.split("\n", 1)[0][:200], text=body,
                   breadcrumb="1", page=1, line=1, kind="item")
        ]
        warns.append("không nhận ra cấu trúc (phần, mục, điều hay khoản đánh số): đọc cả văn bản như một điều khoản")
    refs = document_references(parsed.header, meta.title, clauses, meta.number)
    doc = Document(
        id=doc_id_for(meta.number, source),
        source=source,
        metadata=meta,
        clauses=clauses,
        references=refs,
        text=text,
        warnings=warns,
        content_hash=hashlib.sha256(f"{PIPELINE_VERSION}\n{source}\n{text}".encode()).hexdigest(),
    )
    return doc


def parse_file(path: str, max_bytes: int | None = None, ocr_lang: str = "vie") -> Document:
    """Extract and parse one file; raises IngestError naming the file and the reason."""
    from docsearch.ingest import DEFAULT_MAX_BYTES, extract

    ex = extract(path, max_bytes=max_bytes or DEFAULT_MAX_BYTES, ocr_lang=ocr_lang)
    doc = parse_text(ex.text, source=Path(path).name, warnings=ex.warnings, ocr=ex.ocr)
    return doc
