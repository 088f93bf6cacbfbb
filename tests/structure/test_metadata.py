import pytest

from docsearch.structure import parse_file
from tests.conftest import SAMPLES, SHARED, need_shared, read_jsonl

FIELDS = {"so_hieu": "number", "loai": "type", "co_quan": "issuer", "ngay": "date", "trich_yeu": "title", "nguoi_ky": "signer"}


def _gold():
    path = SHARED / "eval" / "segmentation" / "metadata.jsonl"
    return read_jsonl(path) if path.exists() else []  # a malformed gold file is an error, not a skip


@pytest.mark.parametrize("row", _gold() or [pytest.param(None, marks=pytest.mark.skip(reason="../shared absent"))],
                         ids=lambda r: r["file"] if r else "none")
def test_metadata_equals_gold(row):
    meta = parse_file(str(need_shared("corpus", "raw", row["file"]))).metadata
    for gold_key, key in FIELDS.items():
        assert getattr(meta, key) == row[gold_key], (gold_key, getattr(meta, key), row[gold_key])


def test_documents_without_gold_read_sensibly():
    meta = parse_file(str(need_shared("corpus", "raw", "kh-3260-khddqh15-2025.txt"))).metadata
    assert (meta.number, meta.type, meta.issuer, meta.date, meta.signer, meta.place) == (
        "3260-KH/ĐĐQH15", "Kế hoạch", "Đảng đoàn Quốc hội", "2025-01-10", "Trần Thanh Mẫn", "Hà Nội")
    kl = parse_file(str(need_shared("corpus", "raw", "kl-69-kltw-2024.txt"))).metadata
    assert (kl.number, kl.type, kl.issuer, kl.date, kl.signer) == ("69-KL/TW", "Kết luận", "Bộ Chính trị", "2024-01-11", "Trương Thị Mai")
    assert kl.title.startswith("Về tiếp tục thực hiện Nghị quyết số 20-NQ/TW")


def test_sample_metadata():
    meta = parse_file(str(SAMPLES / "mau-nq-05-nqtu-2025.txt")).metadata
    assert (meta.number, meta.type, meta.issuer, meta.date, meta.place, meta.signer) == (
        "05-NQ/TU", "Nghị quyết", "Ban Thường vụ Tỉnh ủy", "2025-03-15", "Quảng Ninh", "Nguyễn Văn Mẫu")


@pytest.mark.parametrize("written", ["ngày 31 tháng 2 năm 2024", "ngày 30 tháng 02 năm 2024", "ngày 30/2/2024",
                                     "ngày 15 tháng 13 năm 2024", "ngày 0 tháng 5 năm 2024"])
def test_impossible_dates_are_null_with_a_warning(written):
    from docsearch.structure import parse_text

    text = (SAMPLES / "mau-nq-05-nqtu-2025.txt").read_text(encoding="utf-8")
    doc = parse_text(text.replace("ngày 15 tháng 3 năm 2025", written, 1), source="x.txt")
    assert doc.metadata.date is None and doc.metadata.year is None
    assert any("ngày không hợp lệ" in w for w in doc.warnings), doc.warnings
    assert doc.metadata.number == "05-NQ/TU"  # the rest of the header still reads


def test_valid_leap_day_is_kept():
    from docsearch.structure import parse_text

    text = (SAMPLES / "mau-nq-05-nqtu-2025.txt").read_text(encoding="utf-8")
    doc = parse_text(text.replace("ngày 15 tháng 3 năm 2025", "ngày 29 tháng 2 năm 2024", 1), source="x.txt")
    assert doc.metadata.date == "2024-02-29" and not any("ngày không hợp lệ" in w for w in doc.warnings)


def test_references_never_carry_an_impossible_date():
    from docsearch.structure.references import find_references

    refs = find_references("Thực hiện Nghị quyết số 06-NQ/TW ngày 31/02/2022 của Bộ Chính trị")
    assert refs and refs[0].number == "06-NQ/TW" and refs[0].date is None
