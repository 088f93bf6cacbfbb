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

SUPPORTED = (".pdf", ".docx", ".html", ".htm", ".txt", ".doc", ".rtf", ".odt", ".jpg", ".jpeg", ".png", ".tif", ".tiff")
DEFAULT_MAX_BYTES = 100 * 1024 * 1024


@dataclass
class Extracted:
    text: str  # normalised; pages separated by "\f"
    kind: str  # pdf | docx | html | text | image
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    ocr: bool = False  # some pages were read by OCR


def extract(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES, ocr_lang: str = "vie") -> Extracted:
    """Read one file into normalised text."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise IngestError(name, "không có tệp này", en="no such file")
    if not p.is_file():
        raise IngestError(name, "không phải một tệp thông thường", en="not a regular file")
    size = p.stat().st_size
    if size == 0:
        raise IngestError(name, "tệp rỗng (0 byte)", en="the file is empty")
    if size > max_bytes:
        mb, limit = f"{size / 1024 / 1024:.0f}", f"{max_bytes / 1024 / 1024:.0f}"
        raise IngestError(name, f"tệp nặng {mb} MB, quá giới hạn {limit} MB",
                          en=f"the file is {mb} MB, over the {limit} MB limit")
    with open(p, "rb") as fh:
        head = fh.read(8192)
    kind = sniff(head)
    suffix = p.suffix.lower()
    warnings: list[str] = []
    encoding = None
    ocr = False
    if kind == "pdf":
        from docsearch.ingest.pdf import extract_pdf

        pages, warnings, ocr_pages = extract_pdf(name, ocr_lang=ocr_lang)
        ocr = ocr_pages > 0
    elif kind in ("ole", "rtf", "odt"):  # Word 97–2003, RTF, OpenDocument: converted to DOCX by LibreOffice
        import shutil

        from docsearch.config import get_settings
        from docsearch.ingest.docx import extract_docx
        from docsearch.ingest.office import convert_to_docx

        converted, work = convert_to_docx(name, kind, timeout=get_settings().office_timeout)
        try:
            pages, warnings = extract_docx(str(converted))
        except IngestError as exc:
            raise IngestError(name, exc.reason, en=exc.en_reason) from None
        finally:
            shutil.rmtree(work, ignore_errors=True)
        kind = "docx"
    elif kind in ("png", "jpeg", "tiff"):  # a scan or a photo of a document
        from docsearch.config import get_settings
        from docsearch.ingest.ocr import ocr_image_file

        pages, warnings = ocr_image_file(name, lang=ocr_lang, max_pages=get_settings().max_image_pages)
        kind = "image"
        ocr = True
    elif kind == "zip":
        if suffix not in (".docx", ".docm", ""):
            warnings.append(f"tên tệp là {suffix} nhưng nội dung là gói zip; đọc như DOCX")
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
            raise IngestError(name, "tên tệp là .pdf nhưng nội dung là văn bản thuần, không phải PDF",
                              en="named .pdf but the content is plain text, not a PDF")
        if suffix == ".docx":
            raise IngestError(name, "tên tệp là .docx nhưng nội dung là văn bản thuần, không phải tệp Word",
                              en="named .docx but the content is plain text, not a Word document")
        text, encoding = decode(p.read_bytes(), name)
        pages = text.split("\f")
    else:
        named = suffix in (".pdf", ".docx", ".txt", ".html", ".doc", ".odt", ".rtf")
        vi = (f"tên tệp là {suffix} nhưng nội dung là {describe(kind)}" if named else f"nội dung tệp là {describe(kind)}")
        en = (f"named {suffix} but the content is {describe(kind, 'en')}" if named
              else f"the content is {describe(kind, 'en')}")
        raise IngestError(name, f"{vi}; docsearch đọc PDF, DOCX, DOC, ODT, RTF, HTML, văn bản và ảnh chụp (JPEG, PNG, TIFF)",
                          en=f"{en}; docsearch reads PDF, DOCX, DOC, ODT, RTF, HTML, text and images (JPEG, PNG, TIFF)")
    pages = [clean_text(pg) for pg in pages]
    text = "\f".join(pages)
    if not text.strip():
        raise IngestError(name, "không đọc được chữ nào trong tệp", en="no text could be extracted")
    return Extracted(text=text, kind=kind, encoding=encoding, warnings=warnings, ocr=ocr)
