from docsearch.search.query import resolve_aliases, restore_diacritics

DOCS = [
    {"id": "06-NQ-TW", "number": "06-NQ/TW", "title": "Về quy hoạch, xây dựng, quản lý và phát triển bền vững đô thị", "year": 2022},
    {"id": "34-KL-TW", "number": "34-KL/TW", "title": "Về Chiến lược kiểm tra, giám sát", "year": 2022},
    {"id": "31-2024-QH15", "number": "31/2024/QH15", "title": "Luật Đất đai", "year": 2024},
]


def test_document_aliases():
    for q in ("NQ 06 về đô thị", "Nghị quyết 06", "06-NQ/TW", "nghị quyết số 6-NQ/TW"):
        assert resolve_aliases(q, DOCS) == ["06-NQ-TW"], q
    assert resolve_aliases("KL 34 kiểm tra", DOCS) == ["34-KL-TW"]
    assert resolve_aliases("Kết luận 34", DOCS) == ["34-KL-TW"]
    assert resolve_aliases("thu hồi đất theo Luật Đất đai", DOCS) == ["31-2024-QH15"]
    assert resolve_aliases("nhà ở xã hội", DOCS) == []


def test_diacritics_restored_from_corpus_statistics(sample_index):
    sample_index.ensure_loaded()
    assert restore_diacritics("nha o cong nhan", sample_index.restore) == "nhà ở công nhân"
    assert restore_diacritics("quy dat", sample_index.restore) == "quỹ đất"
    assert restore_diacritics("nhà ở", sample_index.restore) is None  # already has marks
