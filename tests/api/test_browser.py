"""The staff page in headless Chromium: search, open a document, link a programme, download the XLSX.

Screenshots go to docs/screenshots/ when DOCSEARCH_SCREENSHOTS=1 (to refresh the ones in the repo)."""

from __future__ import annotations

import contextlib
import os
import shutil

import pytest

from tests.conftest import ROOT, SAMPLES
from tests.servers import start_api

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)")


@contextlib.contextmanager
def uvicorn_server(index_path):
    """`uvicorn api.main:app` over an index on a free loopback port; yields its URL."""
    proc, url = start_api(index_path, {})
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


EDITOR, VIEWER, PASSWORD = "bien-tap", "nguoi-xem", "mat-khau-du-dai"


@pytest.fixture(scope="module")
def server(sample_index):
    from docsearch import service

    service.add_user(sample_index, EDITOR, "editor", PASSWORD, actor="test")
    service.add_user(sample_index, VIEWER, "viewer", PASSWORD, actor="test")
    with uvicorn_server(sample_index.path) as url:
        yield url


def _login(page, name: str, password: str = PASSWORD) -> None:
    page.click("#login-link")
    page.fill("#login-name", name)
    page.fill("#login-password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#who")


def test_staff_workflow_in_chromium(server, tmp_path):
    """Read without logging in; a viewer cannot confirm (403, in Vietnamese); an editor logs in, links a programme,
    confirms a link, downloads the Word appendix, and the audit trail shows who confirmed what."""
    import httpx

    playwright = pytest.importorskip("playwright.sync_api")
    shots = ROOT / "docs" / "screenshots" if os.environ.get("DOCSEARCH_SCREENSHOTS") == "1" else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
        page = context.new_page()
        page.goto(server)
        page.fill("#q", "nha o cong nhan")
        page.click("#search-form button[type=submit]")
        page.wait_for_selector("#results li")
        assert "kết quả" in page.inner_text("#status")
        assert page.locator("#results li mark").count() > 0
        page.screenshot(path=str(shots / "search.png"), full_page=True)
        # a document's number typed in the search box: that document comes first
        page.fill("#q", "NQ 57")
        page.click("#search-form button[type=submit]")
        page.wait_for_selector("#results li.named")
        assert "57-NQ/TW" in page.inner_text("#results li:first-child")
        # a task pasted from the sample programme: where the text is, then the resolution it implements
        page.fill("#q", "Sở Tài nguyên và Môi trường rà soát quỹ đất 20% trong dự án nhà ở thương mại dành cho nhà "
                        "ở xã hội.")
        page.click("#search-form button[type=submit]")
        page.wait_for_selector("#results li.named")
        first = page.inner_text("#results li:first-child")
        assert "Đoạn này có trong 12/CTr-UBND · mục II.2.a" in first
        assert page.locator("#results li.hit").first.inner_text().startswith("Nghị quyết 05-NQ/TU")
        # the document: collapsible tree, a permalink and the citation of every clause
        page.goto(f"{server}/#/doc/57-NQ-TW/III.2")
        page.wait_for_selector("#doc-view .clause.target")
        assert "Trích yếu" in page.inner_text("#doc-view")
        page.locator("#c-III\\.2 > summary button.copy, #c-III\\.2 > .tools button.copy, #c-III\\.2 button.copy").first.click()
        page.wait_for_function("document.querySelector('#copied').textContent.length > 0")
        assert page.inner_text("#copied").startswith("khoản 2 Mục III Nghị quyết số 57-NQ/TW ngày 22/12/2024")
        page.click("#fold-all")
        assert page.locator("#doc-view details.clause[open]").count() == 0
        page.screenshot(path=str(shots / "document.png"), full_page=False)
        # a viewer reads but cannot confirm
        viewer = httpx.post(f"{server}/login/access-token", data={"username": VIEWER, "password": PASSWORD}).json()
        links = httpx.get(f"{server}/links").json()
        if links:
            refused = httpx.post(f"{server}/links/{links[0]['id']}/confirm",
                                 headers={"Authorization": "Bearer " + viewer["access_token"]})
            assert refused.status_code == 403
            assert "không có quyền" in refused.json()["error"]["message"]
        # the editor logs in and links a programme
        page.goto(server)
        _login(page, EDITOR)
        page.screenshot(path=str(shots / "login.png"))
        page.click("#nav-link")
        page.set_input_files("#l-file", str(SAMPLES / "mau-ctr-12-ubnd-2025.txt"))
        page.click("#link-form button[type=submit]")
        page.wait_for_selector("#l-table tbody tr", timeout=120_000)
        assert page.locator("#l-table tbody tr").count() == 10
        undecided = page.locator("#l-table .sugg:not(.confirmed):not(.rejected)").first
        link_id = undecided.locator("button.ok").get_attribute("data-id")
        undecided.locator("button.ok").click()
        mine = page.locator(f"#l-table .sugg:has(button[data-id='{link_id}'])").first
        mine.locator(".who").filter(has_text=f"xác nhận bởi {EDITOR}").wait_for()
        assert "confirmed" in mine.get_attribute("class")
        page.wait_for_selector(".cov .bar, .cov .h")
        page.screenshot(path=str(shots / "linking.png"), full_page=True)
        with page.expect_download() as info:
            page.click("#l-docx")
        target = tmp_path / "phu-luc.docx"
        info.value.save_as(target)
        from docx import Document

        table = Document(str(target)).tables[0]
        assert [c.text for c in table.rows[0].cells][:2] == ["STT", "Nhiệm vụ"]
        assert "Đã xác nhận" in [c.text for r in table.rows for c in r.cells]
        # the viewer's refusal, with a confirm button the viewer never sees: the API says so in Vietnamese
        link_id = page.locator("#l-table .sugg:not(.confirmed) button.ok").first.get_attribute("data-id")
        refused = httpx.post(f"{server}/links/{link_id}/confirm",
                             headers={"Authorization": "Bearer " + viewer["access_token"]})
        assert refused.status_code == 403 and "biên tập viên" in refused.json()["error"]["message"]
        # the audit trail shows the editor's decision
        page.click("#nav-audit")
        page.wait_for_selector("#audit-table tbody tr")
        audit = page.inner_text("#audit-table")
        assert EDITOR in audit and "xác nhận" in audit and "chạy liên kết" in audit
        page.screenshot(path=str(shots / "audit.png"), full_page=False)
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
