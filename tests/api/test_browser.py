"""The staff page in headless Chromium: search, open a document, link a programme, download the XLSX.

Screenshots go to docs/screenshots/ when DOCSEARCH_SCREENSHOTS=1 (to refresh the ones in the repo)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, SAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def uvicorn_server(index_path):
    """`uvicorn api.main:app` over an index on a free loopback port; yields its URL."""
    port = _free_port()
    env = {**os.environ, "DOCSEARCH_INDEX": str(index_path), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    import httpx

    try:
        for _ in range(120):
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail("the server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server(sample_index):
    with uvicorn_server(sample_index.path) as url:
        yield url


def test_staff_workflow_in_chromium(server, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    shots = ROOT / "docs" / "screenshots" if os.environ.get("DOCSEARCH_SCREENSHOTS") == "1" else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
        page.goto(server)
        page.fill("#q", "nha o cong nhan")
        page.click("#search-form button[type=submit]")
        page.wait_for_selector("#results li")
        assert "kết quả" in page.inner_text("#status")
        assert page.locator("#results li mark").count() > 0
        page.screenshot(path=str(shots / "search.png"), full_page=True)
        # open the document of the first result
        page.click("#results li .doc a")
        page.wait_for_selector("#doc-view .clause")
        assert "Trích yếu" in page.inner_text("#doc-view")
        page.screenshot(path=str(shots / "document.png"), full_page=True)
        # link a programme
        page.click("#nav-link")
        page.set_input_files("#l-file", str(SAMPLES / "mau-ctr-12-ubnd-2025.txt"))
        page.click("#link-form button[type=submit]")
        page.wait_for_selector("#l-table tbody tr", timeout=120_000)
        assert page.locator("#l-table tbody tr").count() == 10
        page.locator("#l-table button.ok").first.click()
        page.wait_for_selector(".sugg.confirmed")
        page.wait_for_selector(".cov .bar, .cov .h")
        page.screenshot(path=str(shots / "linking.png"), full_page=True)
        with page.expect_download() as info:
            page.click("#l-xlsx")
        target = tmp_path / "links.xlsx"
        info.value.save_as(target)
        assert target.read_bytes()[:2] == b"PK"
        # a phone-sized screen still shows the search
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(server)
        phone.fill("#q", "chuyển đổi số")
        phone.click("#search-form button[type=submit]")
        phone.wait_for_selector("#results li")
        phone.screenshot(path=str(shots / "phone.png"), full_page=False)
        browser.close()


def test_a_failing_request_shows_its_error_in_the_view(server):
    """One error path per view: when /topics or /search fails, the page says so in Vietnamese instead of going
    blank; the marks in results come from the API's positions, not from server-made HTML."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.route("**/topics", lambda route: route.fulfill(
            status=500, content_type="application/json",
            body='{"error": {"code": "internal", "message": "lỗi thử nghiệm chủ đề"}}'))
        page.goto(server)
        page.wait_for_function("document.querySelector('#status').textContent.includes('lỗi thử nghiệm')")
        assert "Lỗi: lỗi thử nghiệm chủ đề" in page.inner_text("#status")
        page.unroute("**/topics")
        page.route("**/search?*", lambda route: route.fulfill(
            status=200, content_type="application/json",
            body='{"query": "x", "k": 1, "restored": null, "hits": [{"clause_id": 1, "doc_id": "d", "address": "1",'
                 ' "breadcrumb": "", "heading": "", "snippet": "<img src=x onerror=alert(1)>",'
                 ' "snippet_text": "<b>giao</b> đất", "highlights": [[12, 15]], "score": 1, "tags": []}]}'))
        page.fill("#q", "giao đất")
        page.click("#search-form button[type=submit]")
        page.wait_for_selector("#results li mark")
        assert page.inner_text("#results li mark") == "đất"
        assert "<b>giao</b>" in page.inner_text("#results li .snip")  # text, never markup
        assert page.locator("#results li img").count() == 0
        browser.close()
