"""Every metric against values worked out by hand, and the eval runners on tiny sets written here."""

from __future__ import annotations

import json
import math

import pytest

from docsearch.evaluate.linking import evaluate as linking_scores
from docsearch.evaluate.metrics import address_hit, hit_at, mrr_at, ndcg_at, recall_at
from docsearch.evaluate.tagging import score as tagging_scores


def test_mrr():
    assert mrr_at(["a", "b", "c"], {"a"}) == 1.0
    assert mrr_at(["x", "y", "a"], {"a", "b"}) == pytest.approx(1 / 3)  # the first relevant one counts
    assert mrr_at(["x", "b", "a"], {"a", "b"}) == 0.5
    assert mrr_at(["x"] * 10 + ["a"], {"a"}, k=10) == 0.0  # rank 11 is outside @10
    assert mrr_at([], {"a"}) == 0.0


def test_recall():
    assert recall_at(["a", "x", "b"], {"a", "b", "c", "d"}, 1) == 0.25
    assert recall_at(["a", "x", "b"], {"a", "b", "c", "d"}, 3) == 0.5
    assert recall_at(["a", "a"], {"a", "b"}, 2) == 0.5  # a duplicate is found once
    assert recall_at(["a"], set(), 5) == 0.0


def test_hit():
    assert hit_at(["x", "y", "a"], {"a"}, 2) == 0.0
    assert hit_at(["x", "y", "a"], {"a"}, 3) == 1.0


def test_ndcg_by_hand():
    # relevant at ranks 2 and 3 of 2 relevant: DCG = 1/log2(3) + 1/log2(4); IDCG = 1 + 1/log2(3)
    expected = (1 / math.log2(3) + 0.5) / (1 + 1 / math.log2(3))
    assert ndcg_at(["x", "a", "b"], {"a", "b"}) == pytest.approx(expected)
    assert ndcg_at(["a", "b"], {"a", "b"}) == 1.0
    assert ndcg_at(["x", "y"], {"a"}) == 0.0
    # 12 relevant, all ranked: the ideal is cut at 10
    rel = {str(i) for i in range(12)}
    assert ndcg_at([str(i) for i in range(12)], rel, 10) == 1.0


def test_graded_ndcg_by_hand():
    from docsearch.evaluate.metrics import graded_ndcg_at

    # gains 2^rel - 1: ranked grades (1, 2, 0) → DCG = 1 + 3/log2(3); ideal (2, 1) → 3 + 1/log2(3)
    assert graded_ndcg_at(["a", "b", "c"], {"a": 1, "b": 2}) == pytest.approx(
        (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3)))
    assert graded_ndcg_at(["b", "a"], {"a": 1, "b": 2}) == 1.0
    assert graded_ndcg_at(["z"], {}) == 0.0


def test_address_matching():
    assert address_hit("III.2", "III.2")
    assert address_hit("III.2.-4", "III.2")  # below the gold counts
    assert not address_hit("III.2", "III.2.-4")  # above the gold does not
    assert not address_hit("III.21", "III.2")  # a prefix of the text is not a prefix of the address
    assert address_hit("Điều 5.2.a", "Điều 5")
    assert not address_hit("Điều 51", "Điều 5")
    assert mrr_at(["I.1", "III.2.-1"], {"III.2"}, 10, address_hit) == 0.5


def test_linking_scores_by_hand():
    ranked = [["III.1", "III.2.-1"], ["II.1"], ["III.3.a", "III.3"]]
    gold = [{"III.2"}, {"IV"}, {"III.3"}]
    res = linking_scores(ranked, gold)
    assert res == {"Hit@1": round(1 / 3, 4), "Hit@5": round(2 / 3, 4), "MRR@10": round((0.5 + 0 + 1) / 3, 4), "n": 3}


def test_tagging_scores_by_hand():
    pred = [["a", "b"], ["b"], ["c", "a"]]
    gold = [["a"], ["b", "c"], ["a"]]
    # tp: a(1) + b(2) + a(3) = 3; fp: b(1) + c(3) = 2; fn: c(2) = 1 → micro = 6 / (6 + 3) = 2/3
    # per topic: a tp2 fp0 fn0 → 1; b tp1 fp1 fn0 → 2/3; c tp0 → 0 → macro = (1 + 2/3 + 0) / 3
    # first topic right: a∈{a} yes, b∈{b,c} yes, c∈{a} no → 2/3
    res = tagging_scores(pred, gold)
    assert res["micro_f1"] == round(2 / 3, 4)
    assert res["macro_f1"] == round((1 + 2 / 3) / 3, 4)
    assert res["p_at_1"] == round(2 / 3, 4)
    assert res["n"] == 3
    assert tagging_scores([[]], [["a"]]) == {"micro_f1": 0.0, "macro_f1": 0.0, "p_at_1": 0.0, "n": 1}


def test_retrieval_runner_on_a_tiny_set(tmp_path):
    from docsearch.evaluate.retrieval import run

    passages = [
        {"id": "luat#1", "text": "Người lao động được nghỉ hằng năm 12 ngày làm việc hưởng nguyên lương."},
        {"id": "luat#2", "text": "Tội trộm cắp tài sản bị phạt tù từ sáu tháng đến ba năm."},
        {"id": "luat#3", "text": "Hợp đồng mua bán nhà ở phải được lập thành văn bản và công chứng."},
    ]
    queries = [
        {"id": "q1", "question": "Người lao động được nghỉ phép năm bao nhiêu ngày?", "relevant": ["luat#1"]},
        {"id": "q2", "question": "Trộm cắp tài sản bị phạt tù bao lâu?", "relevant": ["luat#2"]},
        {"id": "q3", "question": "Hợp đồng mua bán nhà ở có phải công chứng không?", "relevant": ["luat#3"]},
    ]
    pp, qp = tmp_path / "p.jsonl", tmp_path / "q.jsonl"
    pp.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in passages), encoding="utf-8")
    qp.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in queries), encoding="utf-8")
    res = run(pp, qp, ["bm25", "hybrid"], workdir=tmp_path / "w")
    for mode in ("bm25", "hybrid"):
        assert res[mode]["n"] == 3 and res[mode]["MRR@10"] == 1.0 and res[mode]["Recall@1"] == 1.0, res[mode]
    # a query whose relevant passage is not in the set scores zero, and the average shows it
    queries.append({"id": "q4", "question": "Thuế thu nhập cá nhân", "relevant": ["luat#99"]})
    qp.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in queries), encoding="utf-8")
    res = run(pp, qp, ["hybrid"], workdir=tmp_path / "w")
    assert res["hybrid"]["MRR@10"] == 0.75 and res["hybrid"]["n"] == 4


def test_staff_query_scoring_credits_each_judged_clause_once():
    from docsearch.evaluate.search import credit, score_query

    judged = {("57", "III.2"): 2, ("57", "III.5"): 1}
    hits = [("57", "III.2.-1"), ("57", "III.2.-3"), ("03", "II.2"), ("57", "III.5")]
    assert credit(hits, judged) == ["57 III.2", "", "", "57 III.5"]  # the second bullet of III.2 earns nothing
    s = score_query(hits, judged)
    # DCG = 3/log2(2) + 1/log2(5); IDCG = 3 + 1/log2(3)
    assert s["MRR@10"] == 1.0 and s["Hit@5"] == 1.0 and s["documents@10"] == 2
    assert s["nDCG@10"] == pytest.approx((3 + 1 / math.log2(5)) / (3 + 1 / math.log2(3)))
    assert score_query([("03", "I")], judged)["MRR@10"] == 0.0


def test_staff_queries_read_zero_grades_and_pooled_judgements(tmp_path):
    from docsearch.evaluate.search import load_queries, score_query

    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({
        "id": "t1", "kind": "topic", "query": "nhà ở xã hội",
        "judgements": {"27 Điều 76": 2, "27 Điều 2": 0},
        "pool_judgements": {"27 Điều 91": 1, "27 Điều 80": 0, "27 Điều 76": 0}}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    row = load_queries(path)[0]
    # the first judgements win where both judge a clause; 0 is judged, not relevant
    assert row["judged"] == {("27", "Điều 76"): 2, ("27", "Điều 91"): 1}
    assert row["seen"] == {("27", "Điều 76"), ("27", "Điều 2"), ("27", "Điều 91"), ("27", "Điều 80")}
    first = load_queries(path, pooled=False)[0]
    assert first["judged"] == {("27", "Điều 76"): 2} and first["seen"] == {("27", "Điều 76"), ("27", "Điều 2")}
    hits = [("27", "Điều 80.1"), ("27", "Điều 2.7"), ("27", "Điều 76.3"), ("27", "Điều 5")]
    s = score_query(hits, row["judged"], row["seen"])
    # a hit under a clause graded 0 earns nothing; one under no judged clause lowers judged@10
    assert s["MRR@10"] == pytest.approx(1 / 3) and s["Hit@5"] == 1.0
    assert s["judged@10"] == pytest.approx(3 / 4)
    assert score_query(hits[:2], row["judged"], row["seen"])["Hit@5"] == 0.0


def test_linking_runner_on_a_tiny_programme(tmp_path):
    from docsearch.evaluate.linking import run
    from tests.conftest import SAMPLES

    gold = [
        {"id": "1", "task": "Tuyên truyền chính sách nhà ở xã hội cho công nhân", "source_address": "II.1.a",
         "gold": ["III.1"]},
        {"id": "2", "task": "Rà soát quỹ đất 20% trong dự án nhà ở thương mại cho nhà ở xã hội",
         "source_address": "II.2.a", "gold": ["III.2"]},
        {"id": "3", "task": "Xây dựng cơ sở dữ liệu nhà ở và thị trường bất động sản", "source_address": "II.4.a",
         "gold": ["III.4.-1"]},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold), encoding="utf-8")
    res = run(path, SAMPLES / "mau-nq-05-nqtu-2025.txt", workdir=tmp_path / "w",
              programme=SAMPLES / "mau-ctr-12-ubnd-2025.txt")
    assert {"structure only", "hybrid", "linker", "linker, cross-validated", "tasks"} <= set(res)
    assert res["tasks"]["recall"] == 1.0 and res["tasks"]["gold_tasks"] == 3 and res["tasks"]["extracted"] == 10
    assert res["linker"]["n"] == 3 and res["linker"]["Hit@5"] == 1.0
    assert res["cv_choices"]["folds"] == 3  # one per programme group
    renum = run(path, SAMPLES / "mau-nq-05-nqtu-2025.txt", workdir=tmp_path / "w",
                programme=SAMPLES / "mau-ctr-12-ubnd-2025.txt", renumber_seed=1, cv=False)
    assert renum["hybrid"] == {**res["hybrid"], "renumbered": 1}  # text alone does not see the numbers


def test_tagging_runner_on_tiny_labels(tmp_path, capsys):
    from docsearch.evaluate.tagging import run

    labels = [{"id": "1", "text": "Đẩy mạnh chuyển đổi số, xây dựng chính phủ số và dịch vụ công trực tuyến toàn trình.",
               "topics": ["chuyen-doi-so"]},
              {"id": "2", "text": "Phát triển nhà ở xã hội cho công nhân khu công nghiệp.", "topics": ["nha-o"]}]
    path = tmp_path / "labels.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in labels), encoding="utf-8")
    res = run(path, mode="lexicon")
    assert res["n"] == 2 and res["p_at_1"] == 1.0 and res["micro_f1"] > 0.5
    assert res["per_topic"]["nha-o"]["recall"] == 1.0 and res["per_topic"]["chuyen-doi-so"]["support"] == 1
    from docsearch.cli import main

    assert main(["eval", "tagging", "--labels", str(path), "--mode", "lexicon", "--per-topic"]) == 0
    assert "nha-o" in capsys.readouterr().out


def test_per_topic_precision_and_recall():
    from docsearch.evaluate.tagging import per_topic

    pred = [["a", "b"], ["a"], ["c"]]
    gold = [["a"], ["b"], ["c", "a"]]
    r = per_topic(pred, gold)
    assert r["a"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert r["b"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert r["c"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}


def test_eval_search_command_reports_how_much_of_the_top_10_was_judged(sample_index, tmp_path, capsys):
    from docsearch.cli import main

    top = sample_index.search("quỹ đất 20% nhà ở xã hội", k=10)
    # the first hit judged relevant, the second judged not, the rest never read
    row = {"id": "q1", "kind": "topic", "query": "quỹ đất 20% nhà ở xã hội",
           "judgements": {f"{top[0].doc_id} {top[0].address}": 2},
           "pool_judgements": {f"{top[1].doc_id} {top[1].address}": 0}}
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["eval", "search", "--queries", str(path), "--index", str(sample_index.path), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    from docsearch.evaluate.metrics import address_hit

    judged = sum(any(h.doc_id == j.doc_id and address_hit(h.address, j.address) for j in top[:2]) for h in top)
    assert res["kinds"]["all"]["MRR@10"] == 1.0
    assert res["kinds"]["all"]["judged@10"] == pytest.approx(judged / len(top)) and judged < len(top)
    assert main(["eval", "search", "--queries", str(path), "--index", str(sample_index.path)]) == 0
    assert "judged@10" in capsys.readouterr().out
