"""Each reader on the real documents: PDF and DOCX give the same clause addresses as the TXT version."""

import shutil

import pytest

from docsearch.ingest import extract
from docsearch.structure import parse_file, parse_text
from tests.conftest import SAMPLES, f1, need_shared

LAYOUTS = ["kl-69-kltw-2024", "nd-100-2024-ndcp", "nq-10-nqtw-2022", "nq-88-nqcp-2022"]


def _addresses(path) -> list[str]:
    return [c.address for c in parse_file(str(path)).clauses]


@pytest.mark.parametrize("stem", LAYOUTS)
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_layout_versions_match_text(stem, kind):
    laid_out = need_shared("corpus", kind, f"{stem}.{kind}")
    raw = need_shared("corpus", "raw", f"{stem}.txt")
    assert f1(_addresses(laid_out), _addresses(raw)) >= 0.98
    assert parse_file(str(laid_out)).metadata == parse_file(str(raw)).metadata


def test_pdf_drops_page_numbers_and_keeps_header_columns():
    pdf = need_shared("corpus", "pdf", "nq-10-nqtw-2022.pdf")
    text = extract(pdf).text
    lines = text.replace("\f", "\n").split("\n")
    assert "Số: 10-NQ/TW | Hà Nội, ngày 10 tháng 02 năm 2022" in lines
    assert not any(line.strip().isdigit() for line in lines), "page numbers must be dropped"
    assert text.count("\f") == 7  # eight pages
    # a paragraph wrapped over several lines is joined back
    assert any(line.startswith("Sau 10 năm thực hiện") and line.endswith("đã đạt được nhiều kết quả tích cực. "
               "Nhận thức của các cấp ủy đảng, chính quyền, doanh nghiệp và người dân về tài nguyên khoáng sản "
               "được nâng lên. Công tác điều tra cơ bản về địa chất, khoáng sản đã điều tra, thăm dò, làm rõ "
               "tiềm năng, trữ lượng của nhiều loại khoáng sản quan trọng. Hệ thống pháp luật về địa chất, "
               "khoáng sản cơ bản hoàn thiện; hiệu lực, hiệu quả quản lý nhà nước được nâng cao. Công nghiệp "
               "khai thác, chế biến khoáng sản đóng góp đáng kể cho phát triển kinh tế - xã hội. Công tác thanh "
               "tra, kiểm tra được chú trọng, góp phần nâng cao trách nhiệm của các tổ chức, cá nhân trong công "
               "tác bảo vệ môi trường, an toàn lao động, khắc phục tình trạng khai thác khoáng sản trái phép.")
               for line in lines)


def test_pdf_task_table_rows_keep_their_cells():
    pdf = need_shared("corpus", "pdf", "nq-88-nqcp-2022.pdf")
    doc = parse_file(str(pdf))
    rows = [c for c in doc.clauses if c.address.startswith("DM.")]
    assert len(rows) == 19  # 18 numbered tasks and one row without STT (5b)
    dm16 = doc.clause("DM.16")
    assert "645/QĐ-TTg" in dm16.text
    assert any("chủ trì" in k for k in dm16.fields)


def test_docx_header_table_is_read():
    docx = need_shared("corpus", "docx", "nq-88-nqcp-2022.docx")
    meta = parse_file(str(docx)).metadata
    assert (meta.number, meta.issuer, meta.date, meta.signer) == ("88/NQ-CP", "Chính phủ", "2022-07-22", "Lê Văn Thành")


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)")
def test_scanned_pdf_through_ocr():
    scanned = need_shared("corpus", "pdf", "nq-10-nqtw-2022.scanned.pdf")
    raw = need_shared("corpus", "raw", "nq-10-nqtw-2022.txt")
    doc = parse_file(str(scanned))
    assert any("OCR" in w for w in doc.warnings)
    assert f1([c.address for c in doc.clauses], _addresses(raw)) >= 0.95
    assert doc.metadata.number == "10-NQ/TW"


def test_html_strips_navigation(tmp_path):
    sample = (SAMPLES / "mau-nq-05-nqtu-2025.txt").read_text(encoding="utf-8")
    body = "".join(f"<p>{line}</p>" for line in sample.split("\n") if line.strip())
    page = f"<html><head><script>var x=1;</script></head><body><nav><a>Trang chủ</a><a>Tin tức</a></nav>{body}<footer>Bản quyền</footer></body></html>"
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    doc = parse_file(str(path))
    assert "Trang chủ" not in doc.text and "Bản quyền" not in doc.text and "var x" not in doc.text
    assert [c.address for c in doc.clauses] == [c.address for c in parse_text(sample).clauses]


@pytest.mark.parametrize("encoding", ["utf-16", "cp1258", "utf-8-sig"])
def test_text_encodings_detected(tmp_path, encoding):
    sample = (SAMPLES / "mau-nq-05-nqtu-2025.txt").read_text(encoding="utf-8")
    path = tmp_path / f"doc-{encoding}.txt"
    if encoding == "cp1258":
        import unicodedata

        # Windows-1258 stores tones as combining marks after a precomposed base letter (â, ơ, ư …)
        tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}

        def split_tone(ch: str) -> str:
            d = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
            return base + "".join(c for c in d if c in tones)

        data = "".join(split_tone(ch) for ch in sample).encode("cp1258")
    else:
        data = sample.encode(encoding)
    path.write_bytes(data)
    doc = parse_file(str(path))
    assert doc.metadata.number == "05-NQ/TU"
    assert [c.address for c in doc.clauses] == [c.address for c in parse_text(sample).clauses]
