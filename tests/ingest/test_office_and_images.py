"""What staff bring besides PDF and DOCX: Word 97–2003 .doc, RTF and .odt (through LibreOffice), and scans or photos
as JPEG, PNG and multi-page TIFF (through Tesseract, turned upright and deskewed). The tests make their own files
from the real documents in ../shared: LibreOffice converts the DOCX files, and the scanned PDF's pages are rendered
to images. Then the bad cases: a .doc LibreOffice cannot open, a conversion that hangs, a password-protected file,
a 0-byte image, a TIFF of 500 pages — each a clear Vietnamese error naming the file, and the batch goes on."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from docsearch.errors import IngestError
from docsearch.ingest import extract
from docsearch.structure import parse_file
from tests.conftest import SHARED, f1, need_shared

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_lo = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
needs_ocr = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
DOCX = sorted((SHARED / "corpus" / "docx").glob("*.docx")) if (SHARED / "corpus" / "docx").exists() else []


def _soffice_convert(src, fmt: str, out, profile) -> object:
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
                    "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=180)
    return out / (src.stem + "." + fmt)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Every shared DOCX saved by LibreOffice as .doc, .rtf and .odt."""
    need_shared("corpus", "docx")
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    out = tmp_path_factory.mktemp("office")
    return {(d.stem, fmt): _soffice_convert(d, fmt, out, out / "profile") for d in DOCX for fmt in ("doc", "rtf", "odt")}


@needs_lo
@pytest.mark.parametrize("fmt", ["doc", "rtf", "odt"])
def test_legacy_and_open_formats_read_like_their_docx(converted, fmt):
    assert len(DOCX) >= 4
    for docx in DOCX:
        base = parse_file(str(docx))
        doc = parse_file(str(converted[(docx.stem, fmt)]))
        assert f1([c.address for c in doc.clauses], [c.address for c in base.clauses]) == 1.0, (docx.name, fmt)
        assert doc.metadata == base.metadata, (docx.name, fmt)
        assert len(doc.clauses) == len(base.clauses) > 10


@pytest.fixture(scope="module")
def page_images(tmp_path_factory):
    """The scanned NQ 10's pages rendered at 300 dpi: one multi-page TIFF, and the first page as a PNG and as a
    photo turned a quarter and taken 4° askew (JPEG)."""
    import pdfplumber

    scanned = need_shared("corpus", "pdf", "nq-10-nqtw-2022.scanned.pdf")
    out = tmp_path_factory.mktemp("images")
    with pdfplumber.open(str(scanned)) as pdf:
        pages = [p.to_image(resolution=300).original.convert("L") for p in pdf.pages]
    pages[0].save(out / "page1.png")
    photo = pages[0].rotate(90, expand=True, fillcolor=255).rotate(4, expand=True, fillcolor=255, resample=3)
    photo.save(out / "page1-photo.jpg", quality=80)
    pages[0].save(out / "all.tiff", save_all=True, append_images=pages[1:], compression="tiff_lzw")
    return out


@needs_ocr
def test_a_multipage_tiff_of_the_scan_reads_like_the_text(page_images):
    raw = need_shared("corpus", "raw", "nq-10-nqtw-2022.txt")
    doc = parse_file(str(page_images / "all.tiff"))
    gold = [c.address for c in parse_file(str(raw)).clauses]
    assert f1([c.address for c in doc.clauses], gold) >= 0.95
    assert doc.metadata.number == "10-NQ/TW"


@needs_ocr
def test_a_photo_turned_and_askew_is_put_upright_first(page_images):
    from PIL import Image

    from docsearch.ingest.ocr import skew_angle, upright

    photo = Image.open(page_images / "page1-photo.jpg").convert("L")
    turned, degrees = upright(photo)
    assert degrees == 90
    assert 3.0 <= abs(skew_angle(turned)) <= 5.0
    straight = extract(str(page_images / "page1.png"))
    got = extract(str(page_images / "page1-photo.jpg"))
    assert any("xoay 90°" in w for w in got.warnings)
    assert "10-NQ/TW" in got.text and "NGHỊ QUYẾT" in got.text
    words = set(straight.text.split())
    assert len(words & set(got.text.split())) >= 0.9 * len(words)


# -- bad input ------------------------------------------------------------------------------------------------
def test_a_zero_byte_image_is_refused_by_name(tmp_path):
    empty = tmp_path / "anh-trong.png"
    empty.write_bytes(b"")
    with pytest.raises(IngestError, match="tệp rỗng") as exc:
        extract(str(empty))
    assert exc.value.path.endswith("anh-trong.png")


@needs_ocr
def test_a_tiff_of_500_pages_is_refused(tmp_path):
    from PIL import Image

    frames = [Image.new("L", (40, 40), 255) for _ in range(500)]
    path = tmp_path / "500-trang.tiff"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    t = time.monotonic()
    with pytest.raises(IngestError, match="500 trang, quá giới hạn 200 trang"):
        extract(str(path))
    assert time.monotonic() - t < 10  # refused before any page is read


@needs_lo
def test_a_doc_libreoffice_cannot_open(tmp_path):
    bad = tmp_path / "hong.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4000))
    with pytest.raises(IngestError, match="LibreOffice không mở được tệp Word 97–2003") as exc:
        extract(str(bad))
    assert exc.value.path.endswith("hong.doc")


def test_a_password_protected_office_file(tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    docx = DOCX[0] if DOCX else need_shared("corpus", "docx", "nq-10-nqtw-2022.docx")
    locked = tmp_path / "co-mat-khau.doc"
    with open(docx, "rb") as src, open(locked, "wb") as dst:
        OOXMLFile(src).encrypt("mat-khau", dst)
    assert msoffcrypto.olefile.isOleFile(str(locked))
    with pytest.raises(IngestError, match="được đặt mật khẩu"):
        extract(str(locked))


def test_a_hanging_conversion_is_killed_at_the_time_limit(tmp_path, monkeypatch):
    """A converter that never finishes (a stand-in for LibreOffice stuck on a file) is killed with its process
    group at DOCSEARCH_OFFICE_TIMEOUT, and the file is reported."""
    from docsearch.config import get_settings

    hang = tmp_path / "soffice-hang"
    pidfile = tmp_path / "pid"
    hang.write_text(f"#!/bin/sh\necho $$ > {pidfile}\nsleep 300\n")
    hang.chmod(0o755)
    monkeypatch.setenv("DOCSEARCH_SOFFICE", str(hang))
    monkeypatch.setenv("DOCSEARCH_OFFICE_TIMEOUT", "2")
    get_settings.cache_clear()
    doc = tmp_path / "treo.rtf"
    doc.write_text(r"{\rtf1\ansi Nghi quyet}", encoding="ascii")
    t = time.monotonic()
    try:
        with pytest.raises(IngestError, match="quá 2 giây và đã bị dừng"):
            extract(str(doc))
    finally:
        get_settings.cache_clear()
    assert time.monotonic() - t < 20
    pid = int(pidfile.read_text())
    time.sleep(0.2)
    assert not os.path.exists(f"/proc/{pid}") or "Z" in open(f"/proc/{pid}/stat").read().split()[2]


def test_without_libreoffice_the_error_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCSEARCH_SOFFICE", str(tmp_path / "khong-co"))
    doc = tmp_path / "van-ban.rtf"
    doc.write_text(r"{\rtf1\ansi Nghi quyet}", encoding="ascii")
    with pytest.raises(IngestError, match="apt-get install libreoffice-writer-nogui"):
        extract(str(doc))


@needs_lo
def test_one_bad_file_never_stops_the_batch(converted, tmp_path):
    """A batch with a good .doc beside the bad cases: every bad file reported by name, the good one indexed."""
    from docsearch.index import Index
    from docsearch.pipeline import collect_files, ingest_files

    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(converted[(DOCX[0].stem, "doc")], folder / "tot.doc")
    (folder / "hong.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2000))
    (folder / "rong.jpg").write_bytes(b"")
    ix = Index(tmp_path / "ix", writable=True)
    try:
        report = ingest_files(ix, collect_files([folder]))
    finally:
        ix.close()
    failed = {os.path.basename(f): r for f, r in report.failed}
    assert set(failed) == {"hong.doc", "rong.jpg"} and all(failed.values())
    assert [os.path.basename(f) for f in report.added] == ["tot.doc"]
