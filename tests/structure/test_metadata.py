import pytest

from docsearch.structure import parse_file
from tests.conftest import SAMPLES, need_shared, read_jsonl

FIELDS = {"so_hieu": "number", "loai": "type", "co_quan": "issuer", "ngay": "date", "trich_yeu": "title", "nguoi_ky": "signer"}


def _gold():
    try:
        return read_jsonl(need_shared("eval", "segmentation", "metadata.jsonl"))
    except BaseException:
        return []


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
