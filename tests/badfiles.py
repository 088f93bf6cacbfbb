"""Bad input files, generated (no committed binaries): shared by the ingest and reliability tests."""

from __future__ import annotations

import io
import zipfile


def minimal_pdf(n_pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(n_pages):
        w.add_blank_page(width=200, height=200)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(minimal_pdf())))
    w.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            block = b"<w:t>" + b"A" * (1024 * 1024) + b"</w:t>"
            for _ in range(260):  # 260 MB inflated from a few hundred KB
                fh.write(block)
    return buf.getvalue()


# file → (content, a phrase of the Vietnamese reason, a phrase of the English one)
CASES = {
    "empty.pdf": (b"", "tệp rỗng", "empty"),
    "empty.txt": (b"", "tệp rỗng", "empty"),
    "truncated.pdf": (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pa", "bị hỏng",
                      "corrupt"),
    "garbage.pdf": (b"%PDF-1.4\n" + bytes(range(256)) * 40, "bị hỏng", "corrupt"),
    "image.pdf": (png(), "không tìm thấy chữ nào trong ảnh", "no text in the image"),  # read as an image, by content
    "junk.txt": (bytes(range(256)) * 200, "dữ liệu nhị phân", "binary"),
    "notzip.docx": (b"This is not a Word file at all, just text pretending.", "văn bản thuần", "plain text"),
    "fakezip.docx": (b"PK\x03\x04" + b"\x00" * 200, "không phải DOCX hợp lệ", "not a valid DOCX"),
    "unknown-encoding.txt": ("ニュースの本文です。".encode("shift_jis") * 50, "bảng mã không nhận ra", "unknown encoding"),
    "program.doc": (b"\x7fELF\x02\x01\x01" + bytes(300), "một chương trình chạy được", "executable"),
}
