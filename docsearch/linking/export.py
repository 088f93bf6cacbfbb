"""Export the task → clause table to CSV and XLSX. Texts from documents are written as text, never as
formulas: XLSX cells are typed as strings, CSV cells that a spreadsheet would run get a leading apostrophe."""

from __future__ import annotations

import csv
import io

COLUMNS = ["Mã nhiệm vụ", "Nhiệm vụ", "Thuộc mục", "Văn bản được thực hiện", "Điều khoản", "Trích dẫn", "Điểm", "Hạng",
           "Trạng thái"]


def rows_for(links, target_label: str) -> list[list]:
    """links: TaskLinks list, or dict rows from the store."""
    rows = []
    for tl in links:
        if isinstance(tl, dict):
            rows.append([tl["task_address"] or "", tl["task_text"], tl.get("group") or "", target_label,
                         tl["clause_address"], tl.get("breadcrumb") or "", round(tl["score"], 4), tl.get("rank") or "",
                         _status(tl["status"])])
            continue
        for rank, s in enumerate(tl.suggestions, start=1):
            rows.append([tl.task.address or tl.task.id, tl.task.text, tl.task.group or "", target_label, s.address,
                         s.breadcrumb, s.score, rank, _status(getattr(s, "status", "suggested"))])
    return rows


STATUS_WORDS = {"suggested": "Đề xuất", "confirmed": "Đã xác nhận", "rejected": "Đã loại"}


def _status(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def to_csv(rows: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    w.writerows([[_csv_safe(v) for v in r] for r in rows])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens Vietnamese CSV correctly


def to_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "Liên kết nhiệm vụ"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="A40E12")
    for r in rows:
        ws.append([_cell(v) for v in r])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":  # a text that starts with "=" is text here, never a formula
                cell.data_type = "s"
    widths = [14, 70, 12, 18, 14, 30, 8, 6, 14]
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(65 + i)].width = w
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(v):
    """A value a worksheet can hold: control characters (which Excel's format forbids) removed from text."""
    if isinstance(v, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", v)
    return v


def _csv_safe(v):
    """A CSV cell starting with = + - @ (or a tab / carriage return before one) would be run as a formula by a
    spreadsheet program: it is written with a leading apostrophe, as OWASP advises."""
    if isinstance(v, str) and v.lstrip("\t\r")[:1] in ("=", "+", "-", "@"):
        return "'" + v
    return v


# -- Word (DOCX) -------------------------------------------------------------------------------------------------
def _docx_base(title_lines: list[str], subtitle: str):
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    d = Docx()
    section = d.sections[0]  # A4, the margins of Vietnamese administrative documents (left 3 cm, others 2 cm)
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    style = d.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    for k, line in enumerate(title_lines):
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(line)
        run.bold = k < 2
    if subtitle:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(subtitle).italic = True
    return d


def _table(d, header: list[str], rows: list[list[str]], widths_cm: list[float]):
    from docx.shared import Cm

    t = d.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for r in rows:
        cells = t.add_row().cells
        for cell, text in zip(cells, r):
            cell.text = str(text)
    t.autofit = False  # fixed widths: Word and LibreOffice both keep the task column wide
    for col, w in zip(t.columns, widths_cm):
        col.width = Cm(w)
    for row in t.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)
    return t


def _save(d) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def links_docx(programme: dict, targets: list[dict], tasks: list[dict]) -> bytes:
    """The linking table as an appendix of the programme, in the layout offices use: a header block naming the
    programme (số ký hiệu) and the document(s) it implements, then STT | Nhiệm vụ | Điều khoản được thực hiện |
    Trạng thái. `tasks`: {task, address, clauses: [citation phrase], status} in the programme's order."""
    label = (f"{programme.get('type') or 'Chương trình'} số {programme['number']}" if programme.get("number")
             else programme.get("title") or programme.get("id", ""))
    implemented = "; ".join(f"{t.get('type') or 'Văn bản'} số {t.get('number') or t.get('id')}" for t in targets)
    d = _docx_base(["PHỤ LỤC", "BẢNG ĐỐI CHIẾU NHIỆM VỤ VỚI ĐIỀU KHOẢN ĐƯỢC THỰC HIỆN"],
                   f"(Kèm theo {label}, thực hiện {implemented})")
    rows = [[str(i), t["task"], "\n".join(t["clauses"]) or "—", t["status"]] for i, t in enumerate(tasks, 1)]
    _table(d, ["STT", "Nhiệm vụ", "Điều khoản được thực hiện", "Trạng thái"], rows, [1.3, 7.4, 5.0, 2.3])
    return _save(d)


def coverage_docx(document: dict, rows: list[dict], uncovered: list[dict]) -> bytes:
    """The coverage of a resolution: every clause with the number of tasks that carry it out, then the clauses of
    its nhiệm vụ / giải pháp sections no task carries out. rows / uncovered: {address, heading, confirmed,
    suggested, tasks}."""
    label = f"{document.get('type') or 'Văn bản'} số {document.get('number') or document.get('id')}"
    d = _docx_base(["BÁO CÁO MỨC ĐỘ BAO QUÁT", f"CÁC ĐIỀU KHOẢN CỦA {label.upper()}"],
                   (document.get("title") or "")[:300])
    table = [[r["address"], r["heading"][:300], f"{r['confirmed']} / {r['suggested']}", ", ".join(r["tasks"][:20])]
             for r in rows]
    _table(d, ["Điều khoản", "Nội dung", "Xác nhận / đề xuất", "Nhiệm vụ thực hiện"], table, [2.2, 7.5, 2.3, 4.0])
    d.add_paragraph()
    d.add_paragraph().add_run(f"Điều khoản nhiệm vụ, giải pháp chưa có nhiệm vụ thực hiện ({len(uncovered)})").bold = True
    for r in uncovered:
        d.add_paragraph(f"{r['address']}: {r['heading'][:300]}", style="List Bullet")
    if not uncovered:
        d.add_paragraph("Không có: mọi điều khoản nhiệm vụ, giải pháp đều có nhiệm vụ thực hiện.")
    return _save(d)


SEARCH_COLUMNS = ["STT", "Văn bản", "Điều khoản", "Trích dẫn", "Nội dung", "Điểm"]


def search_xlsx(query: str, hits: list[dict]) -> bytes:
    """Search results as a spreadsheet: the query on top, one row per clause with its citation phrase."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Kết quả tìm kiếm"
    ws.append(["Tìm kiếm:", _cell(query)])
    ws.append([])
    ws.append(SEARCH_COLUMNS)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for i, h in enumerate(hits, 1):
        ws.append([_cell(v) for v in (i, h["document"], h["address"], h["citation"], h["text"][:30000],
                                      round(h["score"], 4))])
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":  # text from documents is never a formula
                cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, w in zip("ABCDEF", [6, 18, 12, 40, 90, 8]):
        ws.column_dimensions[col].width = w
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
