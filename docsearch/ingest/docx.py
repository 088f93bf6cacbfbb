"""DOCX with python-docx: paragraphs and tables in document order (the header block is a table).

Two-column layout tables (header block, signature block) keep each cell's lines; task tables (three or more
columns, or a first column of STT numbers) become one line per row with cells joined by " | "."""

from __future__ import annotations

import re
import zipfile

from docsearch.errors import IngestError

MAX_UNZIPPED = 200 * 1024 * 1024  # bytes: larger inflated content is treated as a zip bomb
MAX_RATIO = 200  # inflated / compressed
_STT_RE = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*)\.?$|^(?:TT|STT)$", re.I)


def _check_zip(path: str) -> None:
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise IngestError(path, "tệp không phải DOCX hợp lệ (không phải gói zip)",
                          en="the file is not a valid DOCX (it is not a zip archive)") from exc
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if total > MAX_UNZIPPED or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
            raise IngestError(
                path,
                f"tệp DOCX bung ra {total // (1024 * 1024)} MB từ {packed // 1024} KB: bị từ chối (zip bomb)",
                en=f"the DOCX inflates to {total // (1024 * 1024)} MB from {packed // 1024} KB: refused as a zip bomb",
            )
        if "word/document.xml" not in zf.namelist():
            raise IngestError(path, "gói zip này không phải tệp Word (thiếu word/document.xml)",
                              en="the zip archive is not a Word document (no word/document.xml)")


def _cell_text(cell) -> str:
    return "\n".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


def _table_lines(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells = []
        prev = None
        for c in row.cells:
            if prev is not None and c._tc is prev:  # merged cells repeat
                continue
            prev = c._tc
            cells.append(c)
        rows.append(cells)
    n_cols = max((len(r) for r in rows), default=0)
    first_col = [(_cell_text(r[0]) if r else "") for r in rows]
    is_task_table = n_cols >= 3 or sum(bool(_STT_RE.match(t)) for t in first_col if t) >= 2
    lines = []
    for cells in rows:
        texts = [_cell_text(c) for c in cells]
        if not any(texts):
            continue
        if is_task_table:
            lines.append(" | ".join(" ".join(t.split()) for t in texts))
        else:
            lines.append(" | ".join(texts))
    return lines


def extract_docx(path: str) -> tuple[list[str], list[str]]:
    """Return (pages as text, warnings). Pages follow the page breaks Word recorded, when it recorded any."""
    _check_zip(path)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(path)
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(path, f"tệp DOCX bị hỏng, không đọc được ({type(exc).__name__})",
                          en=f"the DOCX is corrupt and cannot be read ({type(exc).__name__})") from exc
    pages: list[list[str]] = [[]]
    for el in document.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(el, document)
            xml = el.xml
            if 'w:type="page"' in xml or "lastRenderedPageBreak" in xml:
                if pages[-1]:
                    pages.append([])
            text = para.text.strip()
            if text:
                pages[-1].append(text)
        elif tag == "tbl":
            pages[-1].extend(_table_lines(Table(el, document)))
    texts = ["\n".join(p) for p in pages]
    if not any(t.strip() for t in texts):
        raise IngestError(path, "tệp DOCX không có chữ", en="the DOCX contains no text")
    return texts, []
