"""Ingest: a file's bytes → normalised text with pages (form feeds separate pages).

The kind is decided by content, not by the file name; every failure is an IngestError naming the file and
the reason."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from docsearch.errors import IngestError
from docsearch.ingest.normalize import clean_text
from docsearch.ingest.sniff import describe, sniff

SUPPORTED = (".pdf", ".docx", ".html", ".htm", ".txt")
DEFAULT_MAX_BYTES = 100 * 1024 * 1024


@dataclass
class Extracted:
    text: str  # normalised; pages separated by "\f"
    kind: str  # pdf | docx | html | text
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)


def extract(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES, ocr_lang: str = "vie") -> Extracted:
    """Read one file into normalised text."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise IngestError(name, "no such file")
    if not p.is_file():
        raise IngestError(name, "not a regular file")
    size = p.stat().st_size
    if size == 0:
        raise IngestError(name, "the file is empty")
    if size > max_bytes:
        raise IngestError(
            name, f"the file is {size / 1024 / 1024:.0f} MB, over the {max_bytes / 1024 / 1024:.0f} MB limit"
        )
    with open(p, "rb") as fh:
        head = fh.read(8192)
    kind = sniff(head)
    suffix = p.suffix.lower()
    warnings: list[str] = []
    encoding = None
    if kind == "pdf":
        from docsearch.ingest.pdf import extract_pdf

        pages, warnings = extract_pdf(name, ocr_lang=ocr_lang)
    elif kind == "zip":
        if suffix not in (".docx", ".docm", ""):
            warnings.append(f"named {suffix} but the content is a zip archive; read as DOCX")
        from docsearch.ingest.docx import extract_docx

        pages, warnings2 = extract_docx(name)
        warnings += warnings2
        kind = "docx"
    elif kind == "html":
        from docsearch.ingest.html import extract_html

        pages, warnings = extract_html(p.read_bytes(), name)
    elif kind == "text":
        from docsearch.ingest.text import decode

        if suffix == ".pdf":
            raise IngestError(name, "named .pdf but the content is plain text, not a PDF")
        if suffix == ".docx":
            raise IngestError(name, "named .docx but the content is plain text, not a Word document")
        text, encoding = decode(p.read_bytes(), name)
        pages = text.split("\f")
    else:
        expected = {".pdf": "a PDF", ".docx": "a Word document", ".txt": "text", ".html": "HTML"}.get(suffix)
        what = f"named {suffix} but the content is {describe(kind)}" if expected else f"the content is {describe(kind)}"
        raise IngestError(name, f"{what}; docsearch reads PDF, DOCX, HTML and text files")
    pages = [clean_text(pg) for pg in pages]
    text = "\f".join(pages)
    if not text.strip():
        raise IngestError(name, "no text could be extracted")
    return Extracted(text=text, kind=kind if kind != "text" else "text", encoding=encoding, warnings=warnings)
