"""Task extraction from the programmes themselves: every task of the gold found and nothing outside the task
parts taken (NQ 03/NQ-CP), rows cut by a page break joined to their row, unnumbered rows with their own cells kept,
generic captions not used as group headings (NQ 88/NQ-CP, KH 3260)."""

from __future__ import annotations

from docsearch.linking.tasks import programme_tasks
from docsearch.structure import parse_file
from tests.conftest import need_shared, read_jsonl


def test_nq03_tasks_equal_the_gold_task_list():
    gold = read_jsonl(need_shared("eval", "linking", "nq03-to-nq57.jsonl"))
    tasks = programme_tasks(parse_file(str(need_shared("corpus", "raw", "nq-03-nqcp-2025.txt"))))
    assert [t.address for t in tasks] == [g["source_address"] for g in gold]
    row = next(t for t in tasks if t.address == "PL-II.V.108")
    assert "(5) Ứng dụng dữ liệu dân cư" in row.text  # the row's continuation after the page break
    assert all(t.group_heading for t in tasks)  # every NQ 03 group has a topical heading


def test_other_programmes_take_tasks_only_from_their_task_parts():
    nq88 = parse_file(str(need_shared("corpus", "raw", "nq-88-nqcp-2022.txt")))
    tasks = programme_tasks(nq88)
    assert {t.address.split(".")[0] for t in tasks} == {"II", "DM"}
    assert "DM.5b" in {t.address for t in tasks}  # an unnumbered row with its own cells is a task
    assert all(t.group_heading == "" for t in tasks if t.group == "DM")  # "DANH MỤC …" is no topic
    kh = programme_tasks(parse_file(str(need_shared("corpus", "raw", "kh-3260-khddqh15-2025.txt"))))
    assert len(kh) == 61 and {t.group for t in kh} == {"II.1", "II.2"}
