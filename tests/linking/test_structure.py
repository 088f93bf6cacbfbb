"""The linker's structure step on small programmes written here: a group that mirrors its resolution, one that
does not, the leave-one-out vote, inner clauses, renumbering, citations."""

from __future__ import annotations

import numpy as np
import pytest

from docsearch.evaluate.linking import renumber, structural_baseline
from docsearch.linking.link import LinkParams, apply_structure
from docsearch.linking.tasks import Task
from docsearch.structure.citations import cited_clauses, find_citations, nearest_existing


def _cands() -> list[dict]:
    """A resolution with a nhiệm vụ section III of two branches, two leaves each, and the branch heads."""
    out = []
    for b in (1, 2):
        out.append({"id": 10 * b, "doc_id": "R", "address": f"III.{b}", "leaf": False, "branch": ("R", f"III.{b}"),
                    "in_tasks": True, "ordinal": b})
        for k in (1, 2):
            out.append({"id": 10 * b + k, "doc_id": "R", "address": f"III.{b}.-{k}", "leaf": True,
                        "branch": ("R", f"III.{b}"), "in_tasks": True, "ordinal": b})
    return out


def _top(S: np.ndarray, cands: list[dict]) -> list[str]:
    return [cands[int(np.argmax(row))]["address"] for row in S]


P = LinkParams(temperature=1.0, vote=1.0, heading=1.0, mirror=0.5, section=0.0, inner=-2.0)


def test_a_group_numbered_against_its_content_is_not_pushed_to_the_branch_of_its_number():
    cands = _cands()
    tasks = [Task(id=str(i), text="t", group="II.1") for i in range(3)]
    # text alone slightly prefers branch 2 for every task; the heading of group II.1 says branch 2 as well
    M = np.array([[0.0, 0.4, 0.3, 0.0, 0.6, 0.5]] * 3)
    headings = {"II.1": np.array([-1.0, 2.0])}
    S = apply_structure(tasks, cands, M, P, headings)
    assert all(a.startswith("III.2.") for a in _top(S, cands))
    # the number bonus went nowhere: III.1 leaves gained nothing over a run without it
    no_mirror = apply_structure(tasks, cands, M, LinkParams(**{**P.__dict__, "mirror": 0.0}), headings)
    assert np.allclose(S, no_mirror)


def test_a_mirroring_group_gets_the_number_bonus_where_content_agrees():
    cands = _cands()
    tasks = [Task(id=str(i), text="t", group="II.1") for i in range(3)]
    M = np.array([[0.0, 0.5, 0.4, 0.0, 0.45, 0.3]] * 3)
    headings = {"II.1": np.array([2.0, -1.0])}
    S = apply_structure(tasks, cands, M, P, headings)
    no_mirror = apply_structure(tasks, cands, M, LinkParams(**{**P.__dict__, "mirror": 0.0}), headings)
    gain = S - no_mirror
    assert np.allclose(gain[:, [1, 2]], 0.5) and np.allclose(gain[:, [4, 5]], 0.0)
    assert all(a.startswith("III.1.") for a in _top(S, cands))


def test_leave_one_out_vote_lifts_a_task_toward_its_groups_branch_but_not_by_itself():
    cands = _cands()
    # tasks 0 and 1 point clearly at branch 1; task 2 is ambiguous, slightly toward branch 2
    M = np.array([[0, 3.0, 2.5, 0, 0.0, 0.0], [0, 2.8, 2.9, 0, 0.0, 0.1], [0, 0.50, 0.40, 0, 0.6, 0.55]])
    grouped = [Task(id=str(i), text="t", group="II.4") for i in range(3)]
    alone = [Task(id=str(i), text="t", group=None) for i in range(3)]
    p = LinkParams(temperature=1.0, vote=1.0, heading=0.0, mirror=0.0, section=0.0, inner=-2.0)
    assert _top(apply_structure(alone, cands, M, p), cands)[2] == "III.2.-1"
    assert _top(apply_structure(grouped, cands, M, p), cands)[2] == "III.1.-1"
    # a task alone in its group gets no vote at all (it cannot lift itself)
    single = [Task(id="0", text="t", group="II.9")]
    leaves = [1, 2, 4, 5]
    assert np.allclose(apply_structure(single, cands, M[2:], p)[:, leaves], M[2:, leaves])


def test_inner_clauses_are_ranked_when_their_own_text_is_clearly_best():
    cands = _cands()
    tasks = [Task(id="0", text="t")]
    M = np.array([[5.0, 0.2, 0.1, 0.0, 0.0, 0.0]])  # the branch head III.1 itself matches far better
    assert _top(apply_structure(tasks, cands, M, P), cands) == ["III.1"]
    M = np.array([[1.0, 0.2, 0.1, 0.0, 0.0, 0.0]])  # a small lead is not enough against the leaves
    assert _top(apply_structure(tasks, cands, M, P), cands) != ["III.1"]


def test_renumber_permutes_groups_within_each_family_and_keeps_texts():
    tasks = [Task(id=f"II.{g}.a", text=f"task {g}", address=f"II.{g}.a", group=f"II.{g}", group_heading=f"{g}. H{g}")
             for g in range(1, 6)]
    tasks += [Task(id=f"PL-II.{r}.{k}", text=f"row {r}", address=f"PL-II.{r}.{k}", group=f"PL-II.{r}")
              for k, r in enumerate(["I", "II", "III"], start=1)]
    out = renumber(tasks, seed=3)
    assert [t.text for t in out] == [t.text for t in tasks]
    assert [t.group_heading for t in out] == [t.group_heading for t in tasks]
    assert sorted(t.group for t in out[:5]) == [f"II.{g}" for g in range(1, 6)]
    assert [t.group for t in out[:5]] != [t.group for t in tasks[:5]]
    assert {t.group for t in out[5:]} == {"PL-II.I", "PL-II.II", "PL-II.III"}
    assert all(t.address.startswith(t.group + ".") for t in out)


def test_structural_baseline_reads_only_numbers():
    cands = _cands()
    tasks = [Task(id="0", text="anything", group="II.2"), Task(id="1", text="anything", group=None)]
    S = structural_baseline(tasks, cands)
    assert _top(S[:1], cands) == ["III.2.-1"]
    assert _top(S[1:], cands) == ["III.1.-1"]  # no group: document order


@pytest.mark.parametrize("text, expected", [
    ("Thực hiện điểm b khoản 2 Mục III Nghị quyết số 06-NQ/TW ngày 24/01/2022 của Bộ Chính trị", [("06", "III.2.b")]),
    ("Sửa đổi, bổ sung Điều 5 Luật Đất đai năm 2024", [("LDD", "Điều 5")]),
    ("Quy định tại khoản 1, Điều 79 của Luật Đất đai", [("LDD", "Điều 79.1")]),
    ("Triển khai nhiệm vụ 3 Phần III", []),  # names no document: counts for no target when there are two
    ("Theo khoản 2 Điều 3 Nghị quyết này", []),  # the citing document itself
    ("Thực hiện Mục III Nghị quyết số 57-NQ/TW", []),  # another document
])
def test_citations_resolve_to_the_document_they_name(text, expected):
    docs = [{"id": "06", "number": "06-NQ/TW", "title": "Về quy hoạch đô thị", "type": "Nghị quyết"},
            {"id": "LDD", "number": "31/2024/QH15", "title": "Luật Đất đai", "type": "Luật"}]
    assert cited_clauses(text, docs) == expected


def test_a_party_style_citation_without_a_document_counts_for_the_only_target():
    docs = [{"id": "57", "number": "57-NQ/TW", "title": "Về khoa học", "type": "Nghị quyết"}]
    assert cited_clauses("Triển khai nhiệm vụ 3 Phần III", docs) == [("57", "III.3")]
    assert cited_clauses("sửa đổi Điều 5", docs) == []  # a bare article could be any law's


def test_citation_parts_and_nearest_existing_address():
    (c,) = find_citations("theo điểm a khoản 2 Mục IV Kết luận số 34-KL/TW")
    assert (c.address, c.number) == ("IV.2.a", "34-KL/TW")
    assert nearest_existing("IV.2.a", {"IV", "IV.2", "IV.2.-1"}) == "IV.2"
    assert nearest_existing("V.1", {"IV"}) is None
