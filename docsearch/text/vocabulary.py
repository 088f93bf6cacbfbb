"""Vietnamese vocabulary of policy documents, apart from the logic that uses it (as bm25s keeps its stopwords
apart): the words that name a task section, the words of a citation, roman numerals. General knowledge of how
these documents are written, nothing taken from an evaluation set."""

from __future__ import annotations

import re

# the letters that carry a Vietnamese diacritic (a range like [à-ỹ] would also take Greek and Cyrillic)
MARKED_LETTERS = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
MARKS_RE = re.compile(f"[{MARKED_LETTERS}{MARKED_LETTERS.upper()}]")

# a part of a resolution or programme that holds tasks: "NHIỆM VỤ, GIẢI PHÁP", "NHIỆM VỤ CỤ THỂ", "PHÂN CÔNG
# NHIỆM VỤ" (matched on accent-folded lower-case text)
TASK_SECTION_RE = re.compile(r"nhiem vu|giai phap|phan cong", re.I)
# a programme's table of indicators (chỉ tiêu) is not a task table
INDICATOR_TABLE_RE = re.compile(r"chi tieu", re.I)

ROMAN = r"(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(label: str) -> int | None:
    """"XIV" → 14; None when the label is not a roman numeral."""
    s = label.strip().upper()
    if not s or not re.fullmatch(ROMAN, s):
        return None
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN_VALUES[ch]
        total += -v if i + 1 < len(s) and _ROMAN_VALUES[s[i + 1]] > v else v
    return total


def ordinal(label: str) -> int | None:
    """The number a clause label stands for: "3", "3.", "III" → 3; letters and dashes have none."""
    label = label.strip().rstrip(".")
    if label.isdigit():
        return int(label)
    return roman_value(label)


# -- citations of a clause inside a text ("điểm b khoản 2 Mục III Nghị quyết số 57-NQ/TW", "Điều 5 Luật Đất đai")
# the smallest unit first: điểm (a letter), then khoản / mục / nhiệm vụ (a number), then Điều (law style) or
# Mục / Phần (a roman section, Party style)
POINT_WORDS = r"điểm|tiết"
ITEM_WORDS = r"khoản|mục|tiểu mục|nhiệm vụ|giải pháp|ý"
ARTICLE_WORD = r"Điều"
SECTION_WORDS = r"Mục|Phần|phần|mục"
# -- document types ------------------------------------------------------------------------------------------
# each type with the symbol it has in a số ký hiệu ("57-NQ/TW", "03/NQ-CP", "08-QĐi/TW", "27/2023/QH15")
DOCUMENT_TYPE_SYMBOLS: dict[str, str] = {
    "Nghị quyết": "NQ", "Kết luận": "KL", "Chỉ thị": "CT", "Quyết định": "QĐ", "Kế hoạch": "KH", "Nghị định": "NĐ",
    "Thông tư": "TT", "Thông báo": "TB", "Hướng dẫn": "HD", "Chương trình": "CTr", "Luật": "QH", "Báo cáo": "BC",
    "Công điện": "CĐ", "Đề án": "ĐA", "Tờ trình": "TTr", "Quy định": "QĐi", "Công văn": "CV",
}
# types whose số ký hiệu carries no symbol of their own
UNSYMBOLED_TYPES = ("Bộ luật", "Hiến pháp", "Pháp lệnh", "Thông tư liên tịch", "Lệnh")
ALL_DOCUMENT_TYPES = (*DOCUMENT_TYPE_SYMBOLS, *UNSYMBOLED_TYPES)
# the symbol → type map a số ký hiệu is read with
SYMBOL_TYPES: dict[str, str] = {sym: name for name, sym in DOCUMENT_TYPE_SYMBOLS.items()}
# the type lines of a document's heading ("NGHỊ QUYẾT", "KẾ HOẠCH")
HEADING_TYPES = frozenset(t.upper() for t in ALL_DOCUMENT_TYPES)
# words that start the name of a document right after a citation ("… Mục III Nghị quyết số 57-NQ/TW")
DOCUMENT_TYPES = ("Nghị quyết", "Kết luận", "Chỉ thị", "Quyết định", "Kế hoạch", "Chương trình", "Luật", "Bộ luật",
                  "Nghị định", "Thông tư", "Quy định", "Hiến pháp", "Pháp lệnh", "Thông báo", "Hướng dẫn")
# types a reference to another document is recognised by ("Nghị quyết số 18-NQ/TW", "Luật Đất đai"), and those
# also written by their symbol in running text ("NQ 57", "KL 34")
REFERENCE_TYPES = ("Nghị quyết", "Kết luận", "Chỉ thị", "Quyết định", "Nghị định", "Thông tư", "Kế hoạch", "Quy định",
                   "Công văn", "Hướng dẫn", "Luật")
SYMBOLS_IN_TEXT = ("NQ", "KL", "CT", "QĐ", "NĐ", "KH")
