"""Hostile documents: a programme whose title, clause texts and file name carry markup and spreadsheet formulas
shows them as text on every page and in every export. The browser test fails if any injected script runs."""

from __future__ import annotations

import csv
import io

import pytest

SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '"><img src=x onerror="window.__pwned = 2">'
FORMULA = '=HYPERLINK("http://evil.example/","bấm vào đây")'
HOSTILE = f"""ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH
-------
Số: 99/CTr-UBND | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Quảng Ninh, ngày 02 tháng 4 năm 2025

CHƯƠNG TRÌNH
Hành động thực hiện Nghị quyết số 05-NQ/TU {SCRIPT} về nhà ở xã hội {IMG}

I. MỤC ĐÍCH
1. Cụ thể hóa Nghị quyết số 05-NQ/TU.
II. NHIỆM VỤ CỤ THỂ
1. Nhà ở xã hội {IMG}
a) {FORMULA} rà soát quỹ đất 20% trong dự án nhà ở thương mại dành cho nhà ở xã hội.
b) Tuyên truyền chính sách nhà ở xã hội {SCRIPT} cho công nhân.
c) +cmd|' /C calc'!A0 xây dựng cơ sở dữ liệu nhà ở.

DANH MỤC
CÁC NHIỆM VỤ TRỌNG TÂM
TT | Nhiệm vụ | Cơ quan chủ trì | Thời hạn
1 | {FORMULA} | Sở Xây dựng {SCRIPT} | 2025
2 | @SUM(1+1) bố trí quỹ đất 20% cho nhà ở xã hội | Sở Tài nguyên và Môi trường | 2026
"""
# a file name with markup (a browser encodes double quotes in multipart names, so none here)
NAME = "chuong-trinh <img src=x onerror=window.__pwned=3>.txt"


@pytest.fixture(scope="module")
def hostile(client, monkeypatch_module):
    monkeypatch_module.setenv("DOCSEARCH_API_KEY", "k")
    from docsearch.config import get_settings

    get_settings.cache_clear()
    r = client.post("/link/upload", files={"file": (NAME, HOSTILE.encode("utf-8"), "text/plain")},
                    data={"target": "05-NQ-TU", "top": "3"})
    assert r.status_code == 200, r.text
    body = r.json()
    yield body
    client.delete(f"/documents/{body['programme']}", headers={"X-API-Key": "k"})
    monkeypatch_module.delenv("DOCSEARCH_API_KEY")
    get_settings.cache_clear()


def test_api_returns_the_texts_verbatim(client, hostile):
    texts = [t["text"] for t in hostile["tasks"]]
    assert any(FORMULA in t for t in texts) and any(SCRIPT in t for t in texts)
    doc = client.get(f"/documents/{hostile['programme']}").json()
    assert SCRIPT in doc["metadata"]["title"] and doc["source"] == NAME


def test_exports_write_formulas_as_text(client, hostile):
    from openpyxl import load_workbook

    x = client.get("/export/links", params={"format": "xlsx", "programme": hostile["programme"]})
    ws = load_workbook(io.BytesIO(x.content)).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]
    assert any(c.value == FORMULA for c in risky), "the task text keeps its text"
    assert all(c.data_type == "s" for c in risky), "a cell that starts like a formula is typed as text"
    rows = list(csv.reader(io.StringIO(client.get("/export/links", params={
        "format": "csv", "programme": hostile["programme"]}).text.lstrip("\ufeff"))))
    first_cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in first_cells)
    assert "'" + FORMULA in first_cells and "'@SUM(1+1) bố trí quỹ đất 20% cho nhà ở xã hội" in first_cells


def test_no_injected_script_runs_in_the_page(sample_index, hostile, tmp_path):
    from docsearch import service
    from tests.api.test_browser import CHROMIUM, _login, uvicorn_server

    if CHROMIUM is None:
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    service.add_user(sample_index, "bien-tap-2", "editor", "mat-khau-du-dai", actor="test")
    with uvicorn_server(sample_index.path) as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        page.fill("#q", "tuyên truyền chính sách nhà ở xã hội cho công nhân")
        page.click("#search-form button[type=submit]")
        page.wait_for_selector("#results li")
        page.goto(f"{url}/#doc/{hostile['programme']}")
        page.wait_for_selector("#doc-view .clause")
        assert SCRIPT in page.inner_text("#doc-view"), "the markup shows as text"
        _login(page, "bien-tap-2", "mat-khau-du-dai")
        page.click("#nav-link")
        page.set_input_files("#l-file", files=[{"name": NAME, "mimeType": "text/plain",
                                                "buffer": HOSTILE.encode("utf-8")}])
        page.select_option("#l-target", "05-NQ-TU")
        page.click("#link-form button[type=submit]")
        page.wait_for_selector("#l-table tbody tr", timeout=120_000)
        assert FORMULA in page.inner_text("#l-table")
        assert page.evaluate("window.__pwned") is None and not dialogs
        assert page.locator("#doc-view img, #l-table img, #results img").count() == 0
        browser.close()
