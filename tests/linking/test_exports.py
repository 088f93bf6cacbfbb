"""Word and spreadsheet exports staff file their work with: the linking appendix of a programme (STT | Nhiệm vụ |
Điều khoản được thực hiện | Trạng thái, under a header naming the programme), the coverage report of a resolution,
search results as XLSX. Each Word file is opened by LibreOffice (converted to PDF, its first page rendered) to
prove it is a valid document, and its text is checked."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest

from tests.conftest import need_shared

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def linked(sample_index, tmp_path_factory):
    """A copy of the sample index with NQ 03/NQ-CP linked to NQ 57, one link confirmed and one rejected."""
    from docsearch import service
    from docsearch.index import Index

    programme = need_shared("corpus", "raw", "nq-03-nqcp-2025.txt")
    path = tmp_path_factory.mktemp("exports") / "ix"
    shutil.copytree(sample_index.path, path)
    ix = Index(path, writable=True)
    view = service.link_programme_file(ix, programme, top=3)
    first, second = view.tasks[0].suggestions[0], view.tasks[1].suggestions[0]
    service.set_link_status(ix, first.link_id, "confirmed")
    service.set_link_status(ix, second.link_id, "rejected")
    yield ix, view
    ix.close()


def _pdf_of(docx: bytes, tmp_path) -> str:
    """LibreOffice opens the DOCX and writes a PDF; the first page is rendered; the PDF's text is returned."""
    import pdfplumber

    src = tmp_path / "x.docx"
    src.write_bytes(docx)
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=180)
    with pdfplumber.open(str(tmp_path / "x.pdf")) as pdf:
        image = pdf.pages[0].to_image(resolution=60).original
        assert image.width > 100 and image.getextrema() != ((255, 255),) * len(image.getbands())  # not blank
        return " ".join(" ".join(p.extract_text() or "" for p in pdf.pages).split())


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
def test_linking_appendix_as_word(linked, tmp_path):
    from docx import Document

    from docsearch import service

    ix, view = linked
    data = service.export_links(ix, "docx", programme=view.programme)
    doc = Document(io.BytesIO(data))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["STT", "Nhiệm vụ", "Điều khoản được thực hiện", "Trạng thái"]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(rows) == len(view.tasks)
    assert rows[0][0] == "1" and rows[0][3] == "Đã xác nhận" and view.tasks[0].text[:40] in rows[0][1]
    assert rows[1][3] in ("Đề xuất", "Đã loại") and rows[2][3] == "Đề xuất"
    first = view.tasks[0].suggestions[0].address
    assert rows[0][2].startswith(service.citation_phrase(first, None).split(" Nghị quyết")[0])
    header = "\n".join(p.text for p in doc.paragraphs[:3])
    assert "03/NQ-CP" in header and "57-NQ/TW" in header
    text = _pdf_of(data, tmp_path)
    for words in ("BẢNG ĐỐI CHIẾU", "STT", "Nhiệm vụ", "Điều khoản được", "Đã xác", view.tasks[0].text[:20]):
        assert words in text, words  # (a header cell may wrap inside its column)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
def test_coverage_report_as_word(linked, tmp_path):
    from docx import Document

    from docsearch import service

    ix, _view = linked
    cov = service.coverage_of(ix, "57-NQ-TW")
    data = service.export_coverage_docx(ix, "57-NQ-TW")
    doc = Document(io.BytesIO(data))
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows[1:]]
    assert [r[0] for r in rows] == [r.address for r in cov.rows]
    bullets = [p.text.split(":")[0] for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert bullets == cov.uncovered
    text = _pdf_of(data, tmp_path)
    assert "57-NQ/TW" in text and "chưa có nhiệm vụ" in text


def test_search_results_as_xlsx(linked):
    from openpyxl import load_workbook

    from docsearch import service

    ix, _view = linked
    out = service.search(ix, "hạ tầng số", k=5)
    data = service.export_search(ix, "hạ tầng số", k=5)
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert [r[2] for r in rows] == [h.address for h in out.hits]
    assert all(" số " in r[3] for r in rows)  # a citation phrase naming the document


def test_cli_writes_the_same_word_files(linked, tmp_path):
    from docx import Document

    from docsearch.cli import main

    ix, view = linked
    out = tmp_path / "cov.docx"
    assert main(["coverage", "57-NQ-TW", "--docx", str(out), "--index", str(ix.path)]) == 0
    assert Document(str(out)).tables[0].rows[1].cells[0].text == "I"
    out2 = tmp_path / "links.docx"
    assert main(["export", str(out2), "--programme", view.programme, "--index", str(ix.path)]) == 0
    assert len(Document(str(out2)).tables[0].rows) == len(view.tasks) + 1


def test_a_query_with_control_characters_still_exports(linked):
    """Found by the fuzz test: a search query with characters a worksheet cannot hold made a 500."""
    from openpyxl import load_workbook

    from docsearch import service

    ix, _view = linked
    data = service.export_search(ix, "hạ tầng\x01 số\x0b", k=3)
    assert load_workbook(io.BytesIO(data)).active["B1"].value == "hạ tầng số"
