"""Bad input: a clear error naming the file and the reason, never a traceback; a batch goes on past it."""

from __future__ import annotations

import io

import pytest

from docsearch.errors import IngestError
from docsearch.ingest import extract
from docsearch.structure import parse_file
from tests.badfiles import CASES, encrypted_pdf, zip_bomb
from tests.conftest import SAMPLES


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_gives_clear_error(tmp_path, name):
    data, reason, reason_en = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as info:
        parse_file(str(path))
    assert info.value.path == str(path)
    assert reason.lower() in info.value.reason.lower(), info.value.reason
    assert reason_en.lower() in info.value.reason_in("en").lower(), info.value.reason_in("en")


def test_password_protected_pdf(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_pdf())
    with pytest.raises(IngestError, match="mật khẩu"):
        extract(path)


def test_zero_page_pdf(tmp_path):
    from pypdf import PdfWriter

    buf = io.BytesIO()
    PdfWriter().write(buf)
    path = tmp_path / "zero.pdf"
    path.write_bytes(buf.getvalue())
    with pytest.raises(IngestError, match="không có trang nào|bị hỏng"):
        extract(path)


def test_docx_zip_bomb_refused(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(zip_bomb())
    assert path.stat().st_size < 2_000_000
    with pytest.raises(IngestError, match="zip bomb"):
        extract(path)


def test_oversized_file_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:  # sparse: 200 MB on disk costs nothing
        fh.seek(200 * 1024 * 1024 - 1)
        fh.write(b"\0")
    with pytest.raises(IngestError, match="200 MB, quá giới hạn 100 MB"):
        extract(path)


def test_document_without_structure_is_one_clause_with_warning(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Ghi chép cuộc họp giao ban sáng thứ hai, các phòng báo cáo tiến độ công việc.", encoding="utf-8")
    doc = parse_file(str(path))
    assert len(doc.clauses) == 1
    assert any("không nhận ra cấu trúc" in w for w in doc.warnings)


def test_vietnamese_and_shell_characters_in_name(tmp_path):
    src = (SAMPLES / "mau-nq-05-nqtu-2025.txt").read_bytes()
    path = tmp_path / "Nghị quyết $(rm -rf) ; `x` & 'q'.txt"
    path.write_bytes(src)
    assert parse_file(str(path)).metadata.number == "05-NQ/TU"


def test_deeply_nested_html(tmp_path):
    path = tmp_path / "nested.html"
    path.write_text("<html><body>" + "<div>" * 100_000 + "Điều 1. Phạm vi" + "</div>" * 100_000 + "</body></html>", encoding="utf-8")
    try:
        doc = parse_file(str(path))
    except IngestError as exc:  # refusing it clearly is fine too
        assert exc.path == str(path)
    else:
        assert doc.clauses
