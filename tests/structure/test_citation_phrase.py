"""The phrase staff write to cite a clause, made from its address and its document."""

from docsearch.structure.citations import citation_phrase, vn_date

NQ57 = {"type": "Nghị quyết", "number": "57-NQ/TW", "date": "2024-12-22", "issuer": "Bộ Chính trị"}


def test_party_resolution_clauses():
    assert citation_phrase("III.2.a", NQ57) == "điểm a khoản 2 Mục III Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị"
    assert citation_phrase("III.5.-2", NQ57).startswith("ý thứ 2 khoản 5 Mục III")
    assert citation_phrase("PL-II.V.97", None) == "khoản 97 Mục V Phụ lục II"


def test_law_articles():
    law = {"type": "Luật", "number": "31/2024/QH15", "title": "Luật Đất đai", "date": "2024-01-18", "issuer": "Quốc hội"}
    assert citation_phrase("Điều 58.2.a", law) == "điểm a khoản 2 Điều 58 Luật Đất đai số 31/2024/QH15"


def test_dates_as_documents_write_them():
    assert vn_date("2024-12-22") == "22/12/2024" and vn_date(None) == ""
