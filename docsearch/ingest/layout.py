"""Positioned lines (from a PDF text layer or OCR) → paragraphs in reading order.

A line is a paragraph start when it follows a larger vertical gap, is indented, follows a short line, or is
centred; otherwise it continues the paragraph above (a line wrapped mid-sentence). Running headers and
footers (the same text at the top or bottom of many pages) and page numbers are dropped.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    is_table_row: bool = False


_PAGE_NUMBER_RE = re.compile(r"^(?:[-–—]\s*)?(?:trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*[-–—])?$", re.I)
_MARKER_RE = re.compile(
    r"^(?:[IVXLC]+\s*[.\-–]|[A-Z]\s*[.\-–]\s|\d{1,3}(?:\.\d{1,3})*\s*[.)\-–]|[a-zđ]\s*\)|[-+•]\s|Điều\s+\d+|Chương\s+[IVXLC\d]+|Mục\s+\d+|PHỤ LỤC|Phụ lục|DANH MỤC|Nơi nhận)"
)


def _digits_blind(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def drop_running_lines(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Remove page numbers and text repeated at the top or bottom of many pages."""
    n = len(pages)
    counts: Counter[str] = Counter()
    for lines, h in zip(pages, heights):
        seen = set()
        for ln in lines:
            if ln.is_table_row:
                continue
            if ln.top < 0.09 * h or ln.bottom > 0.91 * h:
                key = _digits_blind(ln.text)
                if key not in seen:
                    counts[key] += 1
                    seen.add(key)
    repeated = {k for k, c in counts.items() if n >= 3 and c >= max(3, n // 2)}
    out = []
    for lines, h in zip(pages, heights):
        kept = []
        for ln in lines:
            edge = ln.top < 0.09 * h or ln.bottom > 0.91 * h
            if edge and not ln.is_table_row:
                if _PAGE_NUMBER_RE.match(ln.text.strip()) or _digits_blind(ln.text) in repeated:
                    continue
            kept.append(ln)
        out.append(kept)
    return out


def paragraphs(lines: list[Line], page_width: float) -> list[str]:
    """Join the wrapped lines of one page into paragraphs."""
    body = [ln for ln in lines if not ln.is_table_row and len(ln.text) > 20]
    if not lines:
        return []
    left = min((ln.x0 for ln in body), default=min(ln.x0 for ln in lines))
    right = max((ln.x1 for ln in body), default=max(ln.x1 for ln in lines))
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:]) if b.top - a.top > 0]
    pitch = statistics.median(pitches) if pitches else 14.0
    width = max(right - left, 1.0)
    out: list[str] = []
    prev: Line | None = None
    for ln in lines:
        text = ln.text.strip()
        if not text:
            continue
        if ln.is_table_row or prev is None or prev.is_table_row:
            out.append(text)
            prev = ln
            continue
        gap = ln.top - prev.top
        indented = ln.x0 > left + 0.025 * width
        prev_short = prev.x1 < right - 0.08 * width
        centred = ln.x0 > left + 0.1 * width and ln.x1 < right - 0.1 * width
        big_gap = gap > 1.35 * pitch or gap < 0
        prev_text = out[-1] if out else ""
        marker_break = bool(_MARKER_RE.match(text)) and (
            prev_text.endswith((".", ";", ":", "!", "?")) or prev_text.isupper()
        )
        if big_gap or indented or prev_short or centred or marker_break or " | " in text or " | " in prev_text:
            out.append(text)
        else:
            out[-1] = prev_text + " " + text
        prev = ln
    return out
