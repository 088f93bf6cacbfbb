"""Clause-level references in both directions: a clause that cites "điểm a khoản 3 Mục III Nghị quyết số
05-NQ/TU" links to that clause (GET /clauses/{id}, GET /documents/{id}), and the cited clause lists it."""

from __future__ import annotations

import pytest

CITING = """ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH
-------
Số: 77/KH-UBND | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Quảng Ninh, ngày 10 tháng 6 năm 2025

KẾ HOẠCH
Chỉnh trang đô thị năm 2025

I. NHIỆM VỤ
1. Lập quy hoạch phân khu theo điểm a khoản 3 Mục III Nghị quyết số 05-NQ/TU của Ban Thường vụ Tỉnh ủy.
2. Cải tạo chung cư cũ.
"""


@pytest.fixture(scope="module")
def citing(client, monkeypatch_module):
    from docsearch.config import get_settings

    monkeypatch_module.setenv("DOCSEARCH_API_KEY", "k")
    get_settings.cache_clear()
    r = client.post("/documents", files={"file": ("ke-hoach-77.txt", CITING.encode("utf-8"), "text/plain")},
                    headers={"X-API-Key": "k"})
    assert r.status_code == 201, r.text
    yield r.json()["id"]
    client.delete(f"/documents/{r.json()['id']}", headers={"X-API-Key": "k"})
    monkeypatch_module.delenv("DOCSEARCH_API_KEY")
    get_settings.cache_clear()


def test_a_clause_links_to_the_clause_it_cites_and_back(client, citing):
    doc = client.get(f"/documents/{citing}").json()
    ref = next(r for r in doc["references"] if r["clause"] == "I.1")
    assert (ref["target_id"], ref["address"]) == ("05-NQ-TU", "III.3.a") and ref["target_clause_id"]
    source = next(c for c in doc["clauses"] if c["address"] == "I.1")
    detail = client.get(f"/clauses/{source['id']}").json()
    assert [(r["target_id"], r["address"]) for r in detail["references"]] == [("05-NQ-TU", "III.3.a")]
    cited = client.get(f"/clauses/{ref['target_clause_id']}").json()
    assert cited["address"] == "III.3.a"
    assert [(x["doc_id"], x["clause"]) for x in cited["cited_by"]] == [(citing, "I.1")]
    target = client.get("/documents/05-NQ-TU").json()
    assert any(x["doc_id"] == citing and x["address"] == "III.3.a" for x in target["referenced_by"])
