"""Backup and restore of the staff's work: `docsearch backup` takes a consistent copy while searches and decisions
go on, `docsearch restore` brings back the same documents, the same search results and every link decision taken
before the backup started; `docsearch decisions` exports the decisions as JSON lines."""

from __future__ import annotations

import json
import threading
import time

import pytest

from docsearch.cli import main
from docsearch.index import Index, backup_index
from docsearch.linking.link import link_tasks
from docsearch.linking.tasks import programme_tasks
from docsearch.structure import parse_file
from tests.conftest import SAMPLES

QUERIES = ["hỗ trợ tiền thuê nhà ở cho công nhân", "chuyển đổi số", "trách nhiệm người đứng đầu", "kinh tế biển"]


def _results(ix: Index) -> list[list[tuple[str, str]]]:
    return [[(h.doc_id, h.address) for h in ix.search(q, k=10)] for q in QUERIES]


def _decisions(ix: Index) -> set[tuple]:
    return {(r["task_doc"], r["task_address"], r["clause_address"], r["status"]) for r in ix.store.decisions()}


@pytest.fixture()
def linked_index(tmp_path):
    ix = Index(tmp_path / "live", writable=True)
    resolution = parse_file(str(SAMPLES / "mau-nq-05-nqtu-2025.txt"))
    programme = parse_file(str(SAMPLES / "mau-ctr-12-ubnd-2025.txt"))
    ix.add(resolution)
    ix.add(programme)
    ix.commit()
    tasks = programme_tasks(programme)
    assert len(tasks) >= 5
    ix.store.save_suggestions(programme.id, resolution.id, link_tasks(ix, tasks, resolution.id, top=3))
    yield ix
    ix.close()


def test_backup_restore_round_trip_under_load(linked_index, tmp_path):
    ix = linked_index
    links = ix.store.decisions(include_suggested=True)
    assert len(links) >= 10
    # a first half of the decisions is taken before the backup
    for r in links[: len(links) // 2]:
        ix.store.set_link_status(r["id"], "confirmed" if r["rank"] == 1 else "rejected")
    before_backup = _decisions(ix)
    expected_results = _results(ix)
    stop = threading.Event()
    errors: list[str] = []
    decided_during: list[int] = []

    def search_load() -> None:
        reader = Index(ix.path)
        try:
            while not stop.is_set():
                if _results(reader) != expected_results:
                    errors.append("search results changed during the backup")
        except Exception as exc:  # any error fails the test
            errors.append(repr(exc))
        finally:
            reader.close()

    def decide_load() -> None:  # staff keep confirming while the backup runs
        for r in links[len(links) // 2:]:
            if stop.is_set():
                break
            ix.store.set_link_status(r["id"], "confirmed")
            decided_during.append(r["id"])
            time.sleep(0.01)

    threads = [threading.Thread(target=search_load) for _ in range(2)] + [threading.Thread(target=decide_load)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    manifest = backup_index(ix.path, tmp_path / "backup")
    stop.set()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    assert manifest["documents"] == 2 and manifest["links"] == len(links)
    assert manifest["decisions"] >= len(before_backup)

    restored = Index(tmp_path / "restored", writable=True)
    try:
        info = restored.restore_backup(tmp_path / "backup")
        assert info["documents"] == 2
        got = _decisions(restored)
        assert before_backup <= got, f"decisions lost: {before_backup - got}"  # 0 decisions lost
        assert len(got) == manifest["decisions"]
        assert _results(restored) == expected_results
    finally:
        restored.close()
    # a reader opened afterwards (another process would do the same) serves the published restore
    reader = Index(tmp_path / "restored")
    try:
        assert _results(reader) == expected_results
    finally:
        reader.close()


def test_restore_replaces_newer_content_and_readers_follow(linked_index, tmp_path):
    ix = linked_index
    backup_index(ix.path, tmp_path / "b")
    reader = Index(ix.path)
    expected = _results(reader)
    ix.remove(parse_file(str(SAMPLES / "mau-nq-05-nqtu-2025.txt")).id)
    ix.commit()
    assert _results(reader) != expected, "the reader follows the removal"
    ix.restore_backup(tmp_path / "b")
    assert _results(reader) == expected, "the reader follows the restore (the generation moved forward)"
    reader.close()


def test_backup_restore_and_decisions_commands(linked_index, tmp_path, capsys):
    ix = linked_index
    rows = ix.store.decisions(include_suggested=True)
    ix.store.set_link_status(rows[0]["id"], "confirmed")
    ix.store.set_link_status(rows[1]["id"], "rejected")
    assert main(["backup", str(tmp_path / "bk"), "--index", str(ix.path)]) == 0
    assert main(["decisions", "--index", str(ix.path), "--out", str(tmp_path / "d.jsonl")]) == 0
    lines = [json.loads(x) for x in (tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {(x["id"], x["status"]) for x in lines} == {(rows[0]["id"], "confirmed"), (rows[1]["id"], "rejected")}
    assert {"task_doc", "task_address", "task_text", "target_doc", "clause_address", "updated"} <= set(lines[0])
    capsys.readouterr()
    assert main(["restore", str(tmp_path / "bk"), "--index", str(tmp_path / "r")]) == 0
    assert "2 quyết định liên kết" in capsys.readouterr().out
    # a folder that holds no backup is refused with a message naming it
    assert main(["restore", str(tmp_path / "nothing"), "--index", str(tmp_path / "r")]) == 2
    assert "nothing" in capsys.readouterr().err
