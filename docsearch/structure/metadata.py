"""Header block, title and signature → Metadata (số ký hiệu, loại, cơ quan ban hành, ngày, trích yếu, người ký,
địa danh)."""

from __future__ import annotations

import datetime
import re

from docsearch.model import Metadata
from docsearch.structure.patterns import SEPARATOR_RE, is_mostly_upper
from docsearch.text.vocabulary import HEADING_TYPES, SYMBOL_TYPES

NUMBER_RE = re.compile(
    r"(?<![\w/])(\d{1,5}(?:/\d{4})?[-/](?:[A-ZĐ][A-Za-zĐđ0-9]*)(?:[-/][A-ZĐ][A-Za-zĐđ0-9]*)*)(?![\w/])"
)
_NUMBER_LINE_RE = re.compile(r"^(?:Luật\s+|Bộ luật\s+|Pháp lệnh\s+)?[Ss]ố\s*:?\s*" + NUMBER_RE.pattern)
DATE_WORDS_RE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
DATE_SLASH_RE = re.compile(r"ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", re.I)
PLACE_DATE_RE = re.compile(r"^([A-ZĐÀ-Ỹ][^\W\d_]*(?:\s+[A-ZĐÀ-Ỹ][^\W\d_]*){0,3})\s*,\s*ngày\s+\d", re.U)

DOC_TYPES = HEADING_TYPES
_SYMBOL_TYPES = SYMBOL_TYPES
# issuing bodies written in capitals, with their usual spelling
KNOWN_BODIES = {
    "BỘ CHÍNH TRỊ": "Bộ Chính trị",
    "BAN BÍ THƯ": "Ban Bí thư",
    "BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG": "Ban Chấp hành Trung ương Đảng",
    "BAN CHẤP HÀNH TRUNG ƯƠNG": "Ban Chấp hành Trung ương Đảng",
    "QUỐC HỘI": "Quốc hội",
    "ỦY BAN THƯỜNG VỤ QUỐC HỘI": "Ủy ban Thường vụ Quốc hội",
    "UỶ BAN THƯỜNG VỤ QUỐC HỘI": "Ủy ban Thường vụ Quốc hội",
    "CHÍNH PHỦ": "Chính phủ",
    "THỦ TƯỚNG CHÍNH PHỦ": "Thủ tướng Chính phủ",
    "ĐẢNG ĐOÀN QUỐC HỘI": "Đảng đoàn Quốc hội",
    "BAN THƯỜNG VỤ TỈNH ỦY": "Ban Thường vụ Tỉnh ủy",
    "BAN THƯỜNG VỤ THÀNH ỦY": "Ban Thường vụ Thành ủy",
    "BAN CÁN SỰ ĐẢNG CHÍNH PHỦ": "Ban cán sự đảng Chính phủ",
    "ỦY BAN KIỂM TRA TRUNG ƯƠNG": "Ủy ban Kiểm tra Trung ương",
    "VĂN PHÒNG TRUNG ƯƠNG ĐẢNG": "Văn phòng Trung ương Đảng",
}
_IGNORE_HEADER = ("ĐẢNG CỘNG SẢN VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA", "VIỆT NAM")
_PROPER = [
    "Bộ Chính trị", "Ban Bí thư", "Ban Chấp hành Trung ương", "Trung ương", "Quốc hội", "Chính phủ",
    "Thủ tướng", "Việt Nam", "Nhà nước", "Đảng", "Nhân dân", "Mặt trận Tổ quốc", "Hội đồng nhân dân",
    "Ủy ban nhân dân", "Tỉnh ủy", "Thành ủy", "Quảng Ninh", "Hà Nội", "Thành phố Hồ Chí Minh",
]
_PROPER_RE = re.compile("|".join(re.escape(p.lower()) for p in sorted(_PROPER, key=len, reverse=True)))
_DOCREF_RE = re.compile(r"\b(nghị quyết|kết luận|chỉ thị|quyết định|nghị định|chương trình hành động|luật)(\s+(?:số\s+)?\d|\s+của)")
_ROLE_RE = re.compile(r"^(?:K?T\.?\s*)?(?:PHÓ\s+)?(?:CHỦ TỊCH|TỔNG BÍ THƯ|BÍ THƯ|THỦ TƯỚNG|BỘ TRƯỞNG|TRƯỞNG BAN|CHÁNH VĂN PHÒNG|GIÁM ĐỐC)")
_SIGNER_SKIP_RE = re.compile(r"^[\[(].*[\])]$|^(?:đã ký|Đã ký)$")
_NAME_RE = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+)(?:\s+[A-ZĐÀ-Ỹ][a-zđà-ỹ]+){1,4}$")


def sentence_case(text: str) -> str:
    """"VỀ PHÁT TRIỂN KHOA HỌC" → "Về phát triển khoa học", keeping numbers such as 10-NQ/TW and the usual proper
    nouns (Bộ Chính trị, Việt Nam, …)."""
    words = []
    for w in text.split():
        words.append(w if NUMBER_RE.fullmatch(w.strip(",.;")) else w.lower())
    out = " ".join(words)
    out = _PROPER_RE.sub(lambda m: _restore(m.group(0)), out)
    out = _DOCREF_RE.sub(lambda m: m.group(1).capitalize() + m.group(2), out)
    return out[:1].upper() + out[1:] if out else out


def _restore(lower: str) -> str:
    for p in _PROPER:
        if p.lower() == lower:
            return p
    return lower


def body_name(upper: str) -> str:
    key = " ".join(upper.split()).upper()
    if key in KNOWN_BODIES:
        return KNOWN_BODIES[key]
    return sentence_case(upper) if is_mostly_upper(upper) else upper


def _iso(d: str, m: str, y: str, warnings: list[str] | None = None) -> str | None:
    """ISO date of a day, month and year as written; None (and a warning) when no such calendar day exists
    ("31 tháng 2", month 13) or the year is outside 1900–2100."""
    try:
        day, month, year = int(d), int(m), int(y)
        if not 1900 <= year <= 2100:
            raise ValueError("year out of range")
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        if warnings is not None:
            warnings.append(f"ngày không hợp lệ '{d}/{m}/{y}': bỏ qua, ngày ban hành để trống")
        return None


def find_date(text: str, warnings: list[str] | None = None) -> str | None:
    m = DATE_WORDS_RE.search(text) or DATE_SLASH_RE.search(text)
    return _iso(*m.groups(), warnings=warnings) if m else None


def _split_cells(lines: list[str]) -> list[str]:
    out = []
    for ln in lines:
        for cell in ln.split(" | "):
            for part in cell.split("\n"):
                part = part.strip()
                if part and not SEPARATOR_RE.match(part):
                    out.append(part)
    return out


def read_metadata(header: list[str], tail: list[str], first_lines: list[str],
                  warnings: list[str] | None = None) -> Metadata:
    """header: lines before the first clause; tail: Nơi nhận / signature / closing lines. An impossible date
    is left null and reported in `warnings`."""
    meta = Metadata()
    cells = _split_cells(header)
    # số ký hiệu
    for c in cells:
        m = _NUMBER_LINE_RE.match(c)
        if m:
            meta.number = m.group(1)
            break
    if meta.number is None:
        for c in cells[:4]:
            m = re.match(r"^(?:Nghị quyết|Kết luận|Chỉ thị|Quyết định|Kế hoạch|Quy định|Thông báo)\s+số\s+" + NUMBER_RE.pattern, c)
            if m:
                meta.number = m.group(1)
                break
    # place and date
    for c in cells:
        m = PLACE_DATE_RE.search(c.split(" | ")[-1])
        if m and (DATE_WORDS_RE.search(c) or DATE_SLASH_RE.search(c)):
            meta.place = m.group(1).strip()
            meta.date = find_date(c, warnings)
            break
    # type: the first header line that is a document type in capitals
    type_idx = None
    for i, c in enumerate(cells):
        u = c.upper().strip()
        if c == c.upper() and u in DOC_TYPES:
            meta.type = sentence_case(u)
            type_idx = i
            break
    if meta.type is None and cells:
        m = re.match(r"^(Nghị quyết|Kết luận|Chỉ thị|Quyết định|Kế hoạch|Quy định|Thông báo|Chương trình)\s+số", cells[0])
        if m:
            meta.type = m.group(1)
    if meta.type is None and meta.number:
        sym = re.split(r"[-/]", meta.number.split("/", 1)[-1] if "/" in meta.number else meta.number)
        for part in sym:
            if part in _SYMBOL_TYPES:
                meta.type = _SYMBOL_TYPES[part]
                break
    # issuer
    title_lines: list[str] = []
    if type_idx is not None:
        for c in cells[type_idx + 1:]:
            if (
                len(c) > 400
                or c.startswith(("Căn cứ", "Thực hiện", "Ngày ", "Theo đề nghị", "("))
                or (title_lines and c.rstrip().endswith((".", ":")))
                or c.upper() in KNOWN_BODIES and title_lines
            ):
                break
            if c.rstrip().endswith((".", ":")) and len(c) > 150:
                break
            title_lines.append(c)
    issuer = None
    explicit = None
    for t in title_lines:
        m = re.match(r"^(?:CỦA|của)\s+(.+?)(?:\s+(?:VỀ|về)\s+(.*))?$", t)
        if m:
            explicit = m.group(1)
            break
        m = re.match(r"^HỘI NGHỊ .*?(BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG)", t.upper())
        if m:
            explicit = m.group(1)
            break
    if explicit:
        issuer = body_name(explicit)
    if issuer is None and cells and meta.type is None or (issuer is None and not title_lines and cells):
        m = re.match(r"^(?:Nghị quyết|Kết luận|Chỉ thị|Quyết định|Kế hoạch)\s+số\s+\S+.*?\s+của\s+(Bộ Chính trị|Ban Bí thư|Ban Chấp hành Trung ương Đảng|Chính phủ|Quốc hội|Thủ tướng Chính phủ)", " ".join(cells[:3]))
        if m:
            issuer = m.group(1)
    if issuer is None:
        organs = []
        for c in cells[: (type_idx if type_idx is not None else 6)]:
            u = c
            for ign in _IGNORE_HEADER:
                u = u.replace(ign, "").strip()
            if u in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA"):
                continue
            if not u or not is_mostly_upper(u) or re.search(r"\d", u) or u.upper().startswith(("SỐ", "ĐỘC LẬP")) or u.upper() in DOC_TYPES:
                continue
            organs.append(u)
        if organs:
            issuer = body_name(organs[-1])
    meta.issuer = issuer
    # title (trích yếu)
    if title_lines:
        parts = []
        for t in title_lines:
            m = re.match(r"^(?:CỦA|của)\s+.+?\s+((?:VỀ|về)\s+.*)$", t)
            if m:
                parts.append(m.group(1))
                continue
            if re.match(r"^(?:CỦA|của)\s+", t) or t.upper().startswith("HỘI NGHỊ ") or t.upper() in KNOWN_BODIES:
                continue
            parts.append(t)
        title = " ".join(parts).strip()
        if title:
            title = sentence_case(title) if is_mostly_upper(title) else title[:1].upper() + title[1:]
            if meta.type in ("Luật", "Bộ luật") and not title.startswith(meta.type + " "):
                title = f"{meta.type} {title}"  # "LUẬT / ĐẤT ĐAI" → "Luật Đất đai"
            meta.title = title
    if meta.title is None:
        for c in cells[:3]:
            m = re.match(r"^(?:Nghị quyết|Kết luận|Chỉ thị|Quyết định|Kế hoạch)\s+số\s+\S+.*?\s+(về\s+.*)$", c)
            if m:
                meta.title = m.group(1)[:1].upper() + m.group(1)[1:]
                break
    # date fallbacks: title line ("ngày 11/01/2024"), then the adoption line of a law
    if meta.date is None:
        for c in cells[:4]:
            if meta.number and meta.number in c:
                meta.date = find_date(c, warnings)
                if meta.date:
                    break
    if meta.date is None:
        for t in tail:
            if "thông qua" in t:
                meta.date = find_date(t, warnings)
                break
    # signer: the last line of the signature block that reads as a person's name
    from docsearch.structure.patterns import SIGN_RE

    tail_cells = _split_cells(tail)
    start = next((i for i, t in enumerate(tail_cells) if SIGN_RE.match(t) or _ROLE_RE.match(t)), None)
    if start is not None:
        for t in tail_cells[start + 1:start + 8]:
            if _SIGNER_SKIP_RE.match(t) or is_mostly_upper(t):
                continue
            if _NAME_RE.match(t):
                meta.signer = t
            break
    return meta
