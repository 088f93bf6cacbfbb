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

# Common administrative abbreviations (lower-case keys, matched regardless of case, not inside a longer word) and
# what they stand for. Expanded on both sides — clause text when it is indexed or tagged, and queries — so "CĐS",
# "Sở KH&CN" or "UBND tỉnh" in a provincial programme or a staff query reach the clauses that write the words out.
# Only abbreviations that stand for one thing in administrative writing; none that is also a word ("ai").
ABBREVIATIONS: dict[str, str] = {
    # bodies and offices
    "hđnd": "hội đồng nhân dân",
    "ubnd": "ủy ban nhân dân",
    "ubmttq": "ủy ban mặt trận tổ quốc",
    "mttq": "mặt trận tổ quốc",
    "bch": "ban chấp hành",
    "bct": "bộ chính trị",
    "tw": "trung ương",
    "cp": "chính phủ",
    "ttg": "thủ tướng",
    "qh": "quốc hội",
    "ubtvqh": "ủy ban thường vụ quốc hội",
    "đbqh": "đại biểu quốc hội",
    "ubkt": "ủy ban kiểm tra",
    "đvhc": "đơn vị hành chính",
    "cbccvc": "cán bộ, công chức, viên chức",
    "ccvc": "công chức, viên chức",
    # ministries and provincial departments ("Bộ KH&CN", "Sở TN&MT")
    "kh&cn": "khoa học và công nghệ",
    "tt&tt": "thông tin và truyền thông",
    "tn&mt": "tài nguyên và môi trường",
    "tnmt": "tài nguyên và môi trường",
    "gd&đt": "giáo dục và đào tạo",
    "gdđt": "giáo dục và đào tạo",
    "kh&đt": "kế hoạch và đầu tư",
    "khđt": "kế hoạch và đầu tư",
    "nn&ptnt": "nông nghiệp và phát triển nông thôn",
    "nn-ptnt": "nông nghiệp và phát triển nông thôn",
    "lđtb&xh": "lao động - thương binh và xã hội",
    "lđ-tb&xh": "lao động - thương binh và xã hội",
    "vh,tt&dl": "văn hóa, thể thao và du lịch",
    "vhttdl": "văn hóa, thể thao và du lịch",
    "gtvt": "giao thông vận tải",
    # fields of work
    "kt-xh": "kinh tế - xã hội",
    "ktxh": "kinh tế - xã hội",
    "kktgs": "kiểm tra giám sát",
    "ktgs": "kiểm tra giám sát",
    "qlnn": "quản lý nhà nước",
    "cchc": "cải cách hành chính",
    "tthc": "thủ tục hành chính",
    "dvc": "dịch vụ công",
    "dvctt": "dịch vụ công trực tuyến",
    "cpđt": "chính phủ điện tử",
    "cqđt": "chính quyền điện tử",
    "khcn": "khoa học công nghệ",
    "nckh": "nghiên cứu khoa học",
    "đmst": "đổi mới sáng tạo",
    "cđs": "chuyển đổi số",
    "cntt": "công nghệ thông tin",
    "csdl": "cơ sở dữ liệu",
    "kcn": "khu công nghiệp",
    "dnnn": "doanh nghiệp nhà nước",
    "dnnvv": "doanh nghiệp nhỏ và vừa",
    "ppp": "hợp tác công tư",
    "nsnn": "ngân sách nhà nước",
    "ngân sách nn": "ngân sách nhà nước",
    "xdcb": "xây dựng cơ bản",
    "tctd": "tổ chức tín dụng",
    "bhxh": "bảo hiểm xã hội",
    "bhyt": "bảo hiểm y tế",
    "ntm": "nông thôn mới",
    "nơxh": "nhà ở xã hội",
    "bđs": "bất động sản",
    "gpmb": "giải phóng mặt bằng",
    "tđc": "tái định cư",
    "qsdđ": "quyền sử dụng đất",
    "đtm": "đánh giá tác động môi trường",
    "bđkh": "biến đổi khí hậu",
    "atgt": "an toàn giao thông",
    "atvstp": "an toàn vệ sinh thực phẩm",
    "qpan": "quốc phòng an ninh",
    "pctn": "phòng, chống tham nhũng",
    "tđkt": "thi đua, khen thưởng",
    "xhcn": "xã hội chủ nghĩa",
    "cnh": "công nghiệp hóa",
    "hđh": "hiện đại hóa",
}

# Names of state and Party bodies whose words name a field ("Bộ Khoa học và Công nghệ", "Sở Tài chính", "Ban Tuyên
# giáo Trung ương"). A body named in a task says who carries it out, not what it is about, so the topic tagger counts
# the field words inside such a name only when nothing else names a field (tagging/tagger.py; bench/RESULTS.md). From
# the structure of the Government and the Party (ministries before and after the 2025 mergers), not from any
# evaluation set.
# the field of a ministry ("Bộ …") and of its provincial department ("Sở …")
MINISTRY_FIELDS = (
    "khoa học và công nghệ", "thông tin và truyền thông", "tài nguyên và môi trường",
    "nông nghiệp và phát triển nông thôn", "nông nghiệp và môi trường", "kế hoạch và đầu tư", "tài chính", "xây dựng",
    "giao thông vận tải", "công thương", "giáo dục và đào tạo", "lao động - thương binh và xã hội",
    "lao động, thương binh và xã hội", "nội vụ", "tư pháp", "ngoại giao", "ngoại vụ", "quốc phòng", "công an", "y tế",
    "văn hóa, thể thao và du lịch", "văn hóa - thể thao và du lịch", "văn hóa và thể thao", "du lịch",
    "dân tộc và tôn giáo",
)
# other bodies, by their whole name
NAMED_BODIES = (
    "ngân hàng nhà nước", "thanh tra chính phủ", "kiểm toán nhà nước", "ủy ban dân tộc", "ngân hàng chính sách xã hội",
    "ngân hàng phát triển việt nam", "bảo hiểm xã hội việt nam", "đài truyền hình việt nam", "đài tiếng nói việt nam",
    "thông tấn xã việt nam", "viện hàn lâm khoa học và công nghệ việt nam", "viện hàn lâm khoa học xã hội việt nam",
    "ủy ban quản lý vốn nhà nước tại doanh nghiệp", "ủy ban kiểm tra", "ủy ban mặt trận tổ quốc",
)
# bodies with an office at each level, named with the level ("Bảo hiểm xã hội tỉnh", "Công an huyện")
LEVELLED_BODIES = ("bảo hiểm xã hội", "kho bạc nhà nước", "công an", "bộ chỉ huy quân sự", "cục thuế", "cục hải quan",
                   "thanh tra")
LEVELS = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "cấp tỉnh", "cấp huyện", "cấp xã", "các cấp")
# the Party's boards ("Ban … Trung ương", "Ban … Tỉnh ủy") by their field, and the committee level that follows
PARTY_BOARD_FIELDS = ("tuyên giáo", "tuyên giáo và dân vận", "tổ chức", "kinh tế", "nội chính", "đối ngoại", "dân vận",
                      "chính sách, chiến lược")
PARTY_COMMITTEES = ("trung ương", "tỉnh ủy", "thành ủy", "huyện ủy", "quận ủy", "thị ủy", "đảng ủy")

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
