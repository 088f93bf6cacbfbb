"""Clause addresses against the gold of ../shared/eval/segmentation, and the law summaries."""

from __future__ import annotations

import json
import re

import pytest

from docsearch.structure import parse_file, parse_text
from tests.conftest import SAMPLES, f1, need_shared, read_jsonl


@pytest.mark.parametrize("stem", ["nq-57-nqtw-2024", "nq-20-nqtw-2012"])
def test_party_style_addresses_exact(stem):
    gold = read_jsonl(need_shared("eval", "segmentation", f"{stem}.jsonl"))
    doc = parse_file(str(need_shared("corpus", "raw", f"{stem}.txt")))
    pred = [c.address for c in doc.clauses]
    assert f1(pred, [g["address"] for g in gold]) == 1.0
    by_addr = {c.address: c for c in doc.clauses}
    for g in gold:  # each clause starts on the gold line
        assert by_addr[g["address"]].line == g["line"], g


@pytest.mark.parametrize("stem", ["luat-dat-dai-31-2024-qh15", "luat-nha-o-27-2023-qh15", "nd-100-2024-ndcp"])
def test_law_summaries(stem):
    gold = json.loads(need_shared("eval", "segmentation", f"{stem}.summary.json").read_text(encoding="utf-8"))
    doc = parse_file(str(need_shared("corpus", "raw", f"{stem}.txt")))
    articles = [c for c in doc.clauses if c.kind == "dieu"]
    assert len(articles) == gold["so_dieu"]
    per_chapter: dict[str, list[int]] = {}
    for c in articles:
        chapter = c.breadcrumb.split(" › ")[0].removeprefix("Chương ")
        per_chapter.setdefault(chapter, []).append(int(re.sub(r"\D", "", c.label)))
    expected = {k: list(range(int(v.split("-")[0]), int(v.split("-")[1]) + 1)) for k, v in gold["dieu_theo_chuong_range"].items()}
    assert per_chapter == expected
    sections = {" › ".join(c.breadcrumb.split(" › ")[:2]) for c in articles if "Mục" in c.breadcrumb}
    assert len(sections) == gold["so_muc"]
    assert len({c.breadcrumb.split(" › ")[0] for c in articles}) == gold["so_chuong"]
    for article, n in gold["so_khoan_dieu_1_10"].items():
        assert sum(1 for c in doc.clauses if c.parent == article and c.kind == "num") == n, article


def test_quoted_articles_in_amending_law_are_not_clauses():
    doc = parse_file(str(need_shared("corpus", "raw", "luat-dat-dai-31-2024-qh15.txt")))
    addresses = {c.address for c in doc.clauses}
    assert "Điều 245.5" in addresses and "Điều 245.6" not in addresses
    # "5. Sửa đổi, bổ sung Điều 129 như sau: “Điều 129. … 1. … 2. … 3. …”" quotes another law's article
    assert "“Điều 129." in doc.clause("Điều 245.5").text
    assert [c.label for c in doc.clauses if c.parent == "Điều 245"] == ["1", "2", "3", "4", "5"]
    assert [c.label for c in doc.clauses if c.parent == "Điều 248"] == [str(i) for i in range(1, 10)]


def test_every_raw_document_has_unique_addresses_and_breadcrumbs(raw_dir):
    for path in sorted(raw_dir.glob("*.txt")):
        doc = parse_file(str(path))
        addresses = [c.address for c in doc.clauses]
        assert len(addresses) == len(set(addresses)), path.name
        assert len(doc.clauses) > 5, path.name
        for c in doc.clauses:
            assert c.breadcrumb and c.text.startswith(c.heading.split("\n")[0][:20]) or c.kind in ("row", "rowgroup")
            if c.parent:
                assert c.parent in addresses


def test_programme_and_appendix_addresses():
    doc = parse_file(str(need_shared("corpus", "raw", "nq-03-nqcp-2025.txt")))
    addresses = {c.address for c in doc.clauses}
    gold = read_jsonl(need_shared("eval", "linking", "nq03-to-nq57.jsonl"))
    assert {g["source_address"] for g in gold} <= addresses
    assert {"Điều 1", "Điều 3", "I", "II.2.đ.-1", "PL-I.I.11.1", "PL-II.VII.140"} <= addresses
    row = doc.clause("PL-II.I.1")
    assert row.fields and "Cơ quan chủ trì" in row.fields


def test_danh_muc_row_without_stt():
    doc = parse_file(str(need_shared("corpus", "raw", "nq-88-nqcp-2022.txt")))
    assert doc.clause("DM.5b").text.startswith("Thống kê, kiểm kê nguồn lực")
    assert [c.address for c in doc.clauses if c.parent == "DM"][:7] == ["DM.1", "DM.2", "DM.3", "DM.4", "DM.5", "DM.5b", "DM.6"]


def test_sample_corpus_structure():
    doc = parse_file(str(SAMPLES / "mau-nq-05-nqtu-2025.txt"))
    addresses = [c.address for c in doc.clauses]
    assert addresses[:4] == ["I", "II", "II.1", "II.1.-1"]
    assert "III.2.-2.+1" in addresses and "III.3.b" in addresses
    assert doc.clause("III.2.-2.+1").breadcrumb == "III › 2 › -2 › +1"
    law = parse_file(str(SAMPLES / "mau-qd-07-ubnd-2025.txt"))
    assert law.clause("Điều 3.2.a").breadcrumb == "Chương II › Điều 3 › khoản 2 › điểm a"


def test_closing_sentence_is_not_a_clause():
    doc = parse_text("I- NỘI DUNG\n1. Một việc.\n2. Việc khác.\nNghị quyết này phổ biến đến chi bộ.\n")
    assert [c.address for c in doc.clauses] == ["I", "I.1", "I.2"]
    assert "phổ biến" not in doc.clause("I.2").text
