"""Line patterns of Vietnamese administrative documents (Party style, law style, appendices)."""

from __future__ import annotations

import re

ROMAN = r"(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
ROMAN_RE = re.compile(rf"^({ROMAN})\s*[.\-–:]\s*(.*)$")
LETTER_SECTION_RE = re.compile(r"^([A-ZĐ])\s*[.\-–]\s+(\S.*)$")
NUM2_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})(?:\.(\d{1,2}))?(?:\s*[.\-–)]\s*|\s+)(?=[^\W\d_]|[\"“(])(.*)$")
NUM_RE = re.compile(r"^(\d{1,3})\s*[.\-–)]\s*(?=[^\W\d_]|[\"“(‘])(.*)$")
LETTER_RE = re.compile(r"^([a-zđ])\s*\)\s*(.*)$")
LETTER_ALT_RE = re.compile(r"^([a-zđ])\s*[.\-–]\s+(?=[A-ZĐÀ-Ỹ])(.*)$")
DASH_RE = re.compile(r"^[-–—](?![-–—_=])\s*(.*)$")
PLUS_RE = re.compile(r"^\+\s*(.*)$")
DIEU_RE = re.compile(r"^Điều\s+(\d{1,4}[a-zđ]?)\s*(?:[.:]\s*(.*)|$)")
CHUONG_RE = re.compile(r"^(?:Chương|CHƯƠNG)\s+([IVXLC]+|\d+)(?:\s*[.:\-–]\s*|\s+|$)(.*)$")
MUC_RE = re.compile(r"^(?:Mục|MỤC)\s+(\d+|[IVXLC]+)(?:\s*[.:\-–]\s*|\s+|$)(.*)$")
PHULUC_RE = re.compile(r"^(?:PHỤ LỤC|Phụ lục|PHỤ LỤC SỐ|Phụ lục số)\s*([IVXLC]+|\d+)?\s*[.:\-–]?\s*(.*)$")
DANHMUC_RE = re.compile(r"^DANH MỤC\b")
SEPARATOR_RE = re.compile(r"^[\s\-–—_=*.~|]{3,}$")
NOINHAN_RE = re.compile(r"^Nơi nhận\s*:?", re.I)
SIGN_RE = re.compile(r"^(?:T/M|TM\.|TM\s|KT\.|KT\s|Q\.\s|TL\.|TUQ\.|THAY MẶT)", re.I)
CLOSING_RE = re.compile(
    r"^(?:(?:Nghị quyết|Kết luận|Chỉ thị|Quy định|Kế hoạch|Chương trình|Thông báo) này (?:được )?phổ biến đến"
    r"|(?:Luật|Bộ luật|Pháp lệnh|Nghị quyết) này (?:đã )?được .{0,200}thông qua)",
    re.I,
)
CAPTION_RE = re.compile(r"^\((?:Kèm theo|Ban hành kèm theo)", re.I)
TABLE_HEADER_FIRST = {"tt", "stt", "số tt", "số thứ tự"}


def is_mostly_upper(text: str, threshold: float = 0.7) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= threshold
