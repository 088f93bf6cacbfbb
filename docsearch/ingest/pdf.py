"""PDF with pdfplumber: text in reading order, wrapped lines joined, running headers/footers and page numbers
dropped, the two-column header block kept as "left | right", tables as rows of cells. Pages without a text
layer go through OCR."""

from __future__ import annotations

import logging

from docsearch.errors import IngestError
from docsearch.ingest.layout import Line, drop_running_lines, paragraphs

log = logging.getLogger(__name__)

COLUMN_GAP = 30.0  # points of empty space between two words that makes them separate columns


def _words_to_lines(words: list[dict]) -> list[Line]:
    words = sorted(words, key=lambda w: (round(w["top"]), w["x0"]))
    rows: list[list[dict]] = []
    for w in words:
        if rows and abs(rows[-1][0]["top"] - w["top"]) <= 3.0:
            rows[-1].append(w)
        else:
            rows.append([w])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        parts = [row[0]["text"]]
        for a, b in zip(row, row[1:]):
            parts.append(" | " if b["x0"] - a["x1"] > COLUMN_GAP else " ")
            parts.append(b["text"])
        lines.append(
            Line(
                "".join(parts),
                row[0]["x0"],
                row[-1]["x1"],
                min(w["top"] for w in row),
                max(w["bottom"] for w in row),
            )
        )
    return lines


def _inside(word: dict, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    cx = (word["x0"] + word["x1"]) / 2
    cy = (word["top"] + word["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _join_cell(text: str) -> str:
    out = ""
    for part in text.split("\n"):
        part = " ".join(part.split())
        if not part:
            continue
        # "QĐ-" + "TTg": a number symbol wrapped at its hyphen joins without a space
        out = out + part if out.endswith("-") and len(out) > 1 and out[-2] != " " else (out + " " + part).strip()
    return out


def _table_rows(table) -> list[list[str]]:
    rows = []
    for row in table.extract():
        cells = [_join_cell(c or "") for c in row]
        if any(cells):
            rows.append(cells)
    return rows


def _password_error(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's errors: look through the wrapper for a password or encryption error."""
    seen = [exc, *[a for a in exc.args if isinstance(a, BaseException)], exc.__cause__, exc.__context__]
    return any(e is not None and ("password" in (type(e).__name__ + str(e)).lower()
                                  or "encrypt" in str(e).lower()) for e in seen)


def extract_pdf(path: str, ocr_lang: str = "vie") -> tuple[list[str], list[str], int]:
    """Return (pages as text, warnings, how many pages were read by OCR)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    warnings: list[str] = []
    try:
        pdf = pdfplumber.open(path)
    except PDFPasswordIncorrect as exc:
        raise IngestError(path, "tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi thử lại",
                              en="the PDF is password-protected (password); remove the password and try again") from exc
    except Exception as exc:  # pdfminer raises many types for broken files
        if _password_error(exc):
            raise IngestError(path, "tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi thử lại",
                              en="the PDF is password-protected (password); remove the password and try again") from exc
        raise IngestError(path, f"tệp PDF bị hỏng hoặc thiếu phần cuối, không đọc được ({type(exc).__name__})",
                          en=f"the PDF is corrupt or truncated and cannot be read ({type(exc).__name__})") from exc
    with pdf:
        try:
            n_pages = len(pdf.pages)
        except Exception as exc:
            msg = str(exc).lower()
            if "password" in msg or "encrypt" in msg:
                raise IngestError(path, "tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi thử lại",
                              en="the PDF is password-protected (password); remove the password and try again") from exc
            raise IngestError(path, f"tệp PDF bị hỏng hoặc thiếu phần cuối, không đọc được ({type(exc).__name__})",
                          en=f"the PDF is corrupt or truncated and cannot be read ({type(exc).__name__})") from exc
        if n_pages == 0:
            raise IngestError(path, "tệp PDF không có trang nào", en="the PDF has no pages")
        page_lines: list[list[Line]] = []
        heights: list[float] = []
        widths: list[float] = []
        scanned: list[int] = []
        prev_table_open = False
        for i, page in enumerate(pdf.pages):
            try:
                chars = page.chars
                if not chars:
                    scanned.append(i)
                    page_lines.append([])
                    heights.append(float(page.height))
                    widths.append(float(page.width))
                    prev_table_open = False
                    continue
                tables = [t for t in page.find_tables() if len(t.rows) >= 2 or len(t.columns) >= 3]
                bboxes = [t.bbox for t in tables]
                words = [w for w in page.extract_words(keep_blank_chars=False) if not any(_inside(w, b) for b in bboxes)]
                lines = _words_to_lines(words)
                for t in tables:
                    rows = _table_rows(t)
                    if not rows:
                        continue
                    top = t.bbox[1]
                    for k, cells in enumerate(rows):
                        if k == 0 and prev_table_open and not cells[0] and page_lines and top < 0.2 * page.height:
                            # a row split over a page break: its rest continues the last row of the last page
                            last = next((ln for ln in reversed(page_lines[-1]) if ln.is_table_row), None)
                            if last is not None:
                                old = last.text.split(" | ")
                                merged = [
                                    (a + " " + b).strip() for a, b in zip(old + [""] * (len(cells) - len(old)), cells)
                                ]
                                last.text = " | ".join(merged)
                                continue
                        lines.append(Line(" | ".join(cells), t.bbox[0], t.bbox[2], top + k * 0.01, top + k * 0.01, True))
                lines.sort(key=lambda ln: ln.top)
                prev_table_open = bool(tables) and max(b[3] for b in bboxes) > 0.8 * page.height
                page_lines.append(lines)
                heights.append(float(page.height))
                widths.append(float(page.width))
            except IngestError:
                raise
            except Exception as exc:
                warnings.append(f"không đọc được trang {i + 1} ({type(exc).__name__}); đã bỏ qua")
                page_lines.append([])
                heights.append(792.0)
                widths.append(612.0)
        if scanned:
            from docsearch.ingest.ocr import ocr_pdf_pages

            ocr_lines = ocr_pdf_pages(pdf, scanned, path, lang=ocr_lang)
            for i, (lines, h, w) in ocr_lines.items():
                page_lines[i] = lines
                heights[i] = h
                widths[i] = w
            warnings.append(f"{len(scanned)} trang không có lớp chữ, đã được đọc bằng OCR")
    page_lines = drop_running_lines(page_lines, heights)
    pages = ["\n".join(paragraphs(lines, w)) for lines, w in zip(page_lines, widths)]
    if not any(p.strip() for p in pages):
        raise IngestError(path, "tệp PDF không có chữ (nhận dạng ký tự OCR cũng không tìm thấy)",
                          en="the PDF contains no text (and OCR found none)")
    return pages, warnings, len(scanned)
