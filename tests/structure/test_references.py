import pytest

from docsearch.structure import parse_file
from docsearch.structure.references import find_references
from tests.conftest import need_shared


@pytest.mark.parametrize(
    "text,number",
    [
        ("Nghị quyết số 18-NQ/TW ngày 16/6/2022 của Ban Chấp hành Trung ương", "18-NQ/TW"),
        ("theo tinh thần Nghị quyết 18 của Trung ương", "18-NQ/TW"),
        ("triển khai NQ 18 về đất đai", "18-NQ/TW"),
        ("thực hiện Kết luận 34 của Bộ Chính trị", "34-KL/TW"),
        ("KL 34-KL/TW về chiến lược kiểm tra", "34-KL/TW"),
        ("Nghị quyết số 03/NQ-CP của Chính phủ", "03/NQ-CP"),
        ("Nghị định số 100/2024/NĐ-CP", "100/2024/NĐ-CP"),
        ("Quyết định số 645/QĐ-TTg ngày 06 tháng 5 năm 2014", "645/QĐ-TTg"),
    ],
)
def test_mentions_normalised_to_number(text, number):
    refs = find_references(text)
    assert [r.number for r in refs] == [number]


def test_full_mention_keeps_its_date():
    (ref,) = find_references("Căn cứ Nghị quyết số 18-NQ/TW ngày 16/6/2022 của Ban Chấp hành Trung ương")
    assert ref.date == "2022-06-16" and ref.relation == "based_on"


def test_law_by_name():
    (ref,) = find_references("phù hợp với Luật Đất đai năm 2024 và quy hoạch")
    assert (ref.title, ref.year, ref.number) == ("Luật Đất đai", 2024, None)


def test_programme_implements_its_resolution():
    doc = parse_file(str(need_shared("corpus", "raw", "nq-03-nqcp-2025.txt")))
    implements = {r.number for r in doc.references if r.relation == "implements"}
    assert implements == {"57-NQ/TW"}
    doc88 = parse_file(str(need_shared("corpus", "raw", "nq-88-nqcp-2022.txt")))
    assert {r.number for r in doc88.references if r.relation == "implements"} == {"10-NQ/TW"}
    # a mention inside a clause records the clause it occurs in
    assert any(r.clause == "II.1.a" and r.number == "10-NQ/TW" for r in doc88.references)


def test_own_number_is_not_a_reference():
    doc = parse_file(str(need_shared("corpus", "raw", "nq-57-nqtw-2024.txt")))
    assert all(r.number != "57-NQ/TW" for r in doc.references)


def test_references_carry_the_clause_they_cite():
    from docsearch.structure import parse_file
    from tests.conftest import need_shared

    nd = parse_file(str(need_shared("corpus", "raw", "nd-100-2024-ndcp.txt")))
    cited = {(r.clause, r.title or r.number, r.address) for r in nd.references if r.address}
    assert ("Điều 3.1", "Luật Nhà ở", "Điều 77") in cited
    luat = parse_file(str(need_shared("corpus", "raw", "luat-dat-dai-31-2024-qh15.txt")))
    assert any(r.clause == "Điều 244" and r.number == "18/2017/QH14" and r.address == "Điều 44.4" for r in luat.references)
    # a mention with no clause before it cites none
    assert all(r.address is None for r in parse_file(str(need_shared("corpus", "raw", "nq-03-nqcp-2025.txt"))).references)
