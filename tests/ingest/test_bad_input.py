"""Bad input: a clear error naming the file and the reason, never a traceback; a batch goes on past it."""

from __future__ import annotations

import io
import zipfile

import pytest

from docsearch.errors import IngestError
from docsearch.ingest import extract
from docsearch.structure import parse_file
from tests.conftest import SAMPLES


def _minimal_pdf(n_pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(n_pages):
        w.add_blank_page(width=200, height=200)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(_minimal_pdf())))
    w.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            block = b"<w:t>" + b"A" * (1024 * 1024) + b"</w:t>"
            for _ in range(260):  # 260 MB inflated from a few hundred KB
                fh.write(block)
    return buf.getvalue()


CASES = {
    "empty.pdf": (b"", "empty"),
    "empty.txt": (b"", "empty"),
    "truncated.pdf": (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pa", "corrupt"),
    "garbage.pdf": (b"%PDF-1.4\n" + bytes(range(256)) * 40, "corrupt"),
    "image.pdf": (_png(), "PNG image"),
    "image.txt": (_png(), "PNG image"),
    "junk.txt": (bytes(range(256)) * 200, "binary"),
    "notzip.docx": (b"This is not a Word file at all, just text pretending.", "plain text"),
    "fakezip.docx": (b"PK\x03\x04" + b"\x00" * 200, "not a valid DOCX"),
    "unknown-encoding.txt": ("ニュースの本文です。".encode("shift_jis") * 50, "unknown encoding"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_gives_clear_error(tmp_path, name):
    data, reason = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as info:
        parse_file(str(path))
    assert info.value.path == str(path)
    assert reason.lower() in info.value.reason.lower(), info.value.reason


def test_password_protected_pdf(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted_pdf())
    with pytest.raises(IngestError, match="password"):
        extract(path)


def test_zero_page_pdf(tmp_path):
    from pypdf import PdfWriter

    buf = io.BytesIO()
    PdfWriter().write(buf)
    path = tmp_path / "zero.pdf"
    path.write_bytes(buf.getvalue())
    with pytest.raises(IngestError, match="no pages|corrupt"):
        extract(path)


def test_docx_zip_bomb_refused(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(_zip_bomb())
    assert path.stat().st_size < 2_000_000
    with pytest.raises(IngestError, match="zip bomb"):
        extract(path)


def test_oversized_file_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:  # sparse: 200 MB on disk costs nothing
        fh.seek(200 * 1024 * 1024 - 1)
        fh.write(b"\0")
    with pytest.raises(IngestError, match="200 MB, over the 100 MB limit"):
        extract(path)


def test_document_without_structure_is_one_clause_with_warning(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Ghi chép cuộc họp giao ban sáng thứ hai, các phòng báo cáo tiến độ công việc.", encoding="utf-8")
    doc = parse_file(str(path))
    assert len(doc.clauses) == 1
    assert any("no recognisable structure" in w for w in doc.warnings)


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
