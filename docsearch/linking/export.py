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


def _status(status: str) -> str:
    return {"suggested": "Đề xuất", "confirmed": "Đã xác nhận", "rejected": "Đã loại"}.get(status, status)


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
        ws.append(r)
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


def _csv_safe(v):
    """A CSV cell starting with = + - @ (or a tab / carriage return before one) would be run as a formula by a
    spreadsheet program: it is written with a leading apostrophe, as OWASP advises."""
    if isinstance(v, str) and v.lstrip("\t\r")[:1] in ("=", "+", "-", "@"):
        return "'" + v
    return v
