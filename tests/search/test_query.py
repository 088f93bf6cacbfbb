from docsearch.search.query import resolve_aliases
from docsearch.search.restoration import restore_diacritics

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


def test_acronyms_numbers_and_capitals_are_left_as_typed(sample_index):
    r = restore_diacritics("NQ 57 chuyen doi so", sample_index.restore)
    assert r is not None and r.startswith("NQ 57 ") and r.endswith("chuyển đổi số")
    r = restore_diacritics("KTGS nha o xa hoi", sample_index.restore)
    assert r is not None and r.startswith("KTGS ") and "nhà ở xã hội" in r
    assert restore_diacritics("UBND 05-NQ/TU nha o xa hoi", sample_index.restore) == "UBND 05-NQ/TU nhà ở xã hội"


def test_everyday_words_come_from_the_general_dictionary(sample_index):
    # the sample corpus never writes "bao nhiêu" or "thế nào"; the dictionary of underthesea does
    assert restore_diacritics("duoc bao nhieu", sample_index.restore) == "được bao nhiêu"
    assert "thế nào" in restore_diacritics("thu tuc the nao", sample_index.restore)


def test_no_evaluation_phrases_in_the_restorer():
    import inspect

    from docsearch.search import query

    src = inspect.getsource(query)
    assert "moi toi" not in src and "_BASE_BI" not in src


def test_asking_for_what_implements_a_document():
    from docsearch.search.query import Aliases

    docs = [{"id": "57-NQ-TW", "number": "57-NQ/TW", "title": "Về đột phá", "year": 2024},
            {"id": "03-NQ-CP", "number": "03/NQ-CP", "title": "Ban hành Chương trình hành động", "year": 2025}]
    aliases = Aliases(docs, {"57-NQ/TW": ["03-NQ-CP"]})
    assert aliases.mentions("chương trình hành động thực hiện NQ 57")[0] == ["03-NQ-CP"]
    assert aliases.mentions("NQ 57 chuyển đổi số") == (["57-NQ-TW"], "chuyển đổi số")
    # a task sentence that names the resolution it carries out is about that resolution
    task = ("Đảng đoàn Quốc hội phối hợp tổ chức phổ biến, quán triệt và thực hiện Nghị quyết số 57-NQ/TW đến các "
            "tổ chức đảng trực thuộc và đảng viên trong toàn Đảng bộ")
    assert aliases.mentions(task)[0] == ["57-NQ-TW"]
