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
# words that start the name of a document right after a citation
DOCUMENT_TYPES = ("Nghị quyết", "Kết luận", "Chỉ thị", "Quyết định", "Kế hoạch", "Chương trình", "Luật", "Bộ luật",
                  "Nghị định", "Thông tư", "Quy định", "Hiến pháp", "Pháp lệnh", "Thông báo", "Hướng dẫn")
