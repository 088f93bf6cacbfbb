"""Crash safety: kill -9 a writer at moments spread over a whole batch — while it embeds and writes a document's
transaction, while it publishes the derived files, right after — and check after *every* kill that the index
opens, every committed document is searchable with the same results, no half-written document is visible, and a
new ingest completes. The writer prints a timestamped line before and after each step, so the test knows where
each kill landed; the timeline is in the failure message."""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from docsearch.index import Index
from docsearch.index.generations import writer_active
from docsearch.structure import parse_text
from tests.conftest import ROOT, SAMPLES

TEMPLATE = SAMPLES / "mau-qd-07-ubnd-2025.txt"
QUERY = "hỗ trợ tiền thuê nhà ở cho công nhân"
WRITER = r"""
import sys, time
from pathlib import Path
from docsearch.index import Index
from docsearch.structure import parse_text
path, start, stop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
template = Path(sys.argv[4]).read_text(encoding="utf-8")
ops = sys.argv[5] if len(sys.argv) > 5 else "add"
def say(*a):
    print(*a, time.time(), flush=True)
ix = Index(path, writable=True)
say("OPENED")
for i in range(start, stop):
    doc = parse_text(template.replace("07/2025/QĐ-UBND", f"{i}/2025/QĐ-UBND"), source=f"copy-{i}.txt")
    say("ADD", doc.id)
    ix.add(doc)  # embeds, then writes the document in one SQLite transaction
    say("STORED", doc.id)
    if ops == "mixed" and i % 3 == 2 and i - 2 >= start:  # replace an earlier document, remove another
        prev = template.replace("07/2025/QĐ-UBND", f"{i - 1}/2025/QĐ-UBND").replace("500.000", "600.000")
        ix.add(parse_text(prev, source=f"copy-{i - 1}.txt"))
        say("REPLACED", f"{i - 1}-2025-QĐ-UBND")
        ix.remove(f"{i - 2}-2025-QĐ-UBND")
        say("REMOVED", f"{i - 2}-2025-QĐ-UBND")
    ix.commit()  # publishes the derived BM25/FAISS files of this generation
    say("PUBLISHED", doc.id)
ix.close()
say("DONE")
"""


def _writer(path: Path, start: int, stop: int, ops: str = "add") -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(start), str(stop), str(TEMPLATE), ops],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


class Lines:
    """The writer's stdout, line by line with the time each arrived, read on a thread."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.q: queue.Queue = queue.Queue()
        self.lines: list[list[str]] = []
        threading.Thread(target=self._pump, args=(proc,), daemon=True).start()

    def _pump(self, proc) -> None:
        for line in proc.stdout:
            self.q.put(line.split())
        self.q.put(None)

    def wait_for(self, word: str, nth: int = 1, timeout: float = 120) -> bool:
        seen = sum(1 for x in self.lines if x[0] == word)
        end = time.time() + timeout
        while seen < nth and time.time() < end:
            try:
                item = self.q.get(timeout=0.5)
            except queue.Empty:
                continue
            if item is None:
                return False
            self.lines.append(item)
            seen += item[0] == word
        return seen >= nth

    def drain(self) -> list[list[str]]:
        while True:
            try:
                item = self.q.get(timeout=2)
            except queue.Empty:
                break
            if item is None:
                break
            self.lines.append(item)
        return self.lines


def _phase(lines: list[list[str]]) -> str:
    """Where the kill landed, from the last line printed before it."""
    last = lines[-1][0] if lines else "START"
    return {"OPENED": "between documents", "ADD": "embedding/storing", "STORED": "publishing",
            "REPLACED": "publishing", "REMOVED": "publishing", "PUBLISHED": "between documents"}.get(last, last)


def _addresses(ix: Index, doc_id: str) -> list[str]:
    return [h.address for h in ix.search(QUERY, k=5, doc=doc_id)]


def test_kill_nine_during_ingest_loses_nothing_committed(tmp_path):
    template = TEMPLATE.read_text(encoding="utf-8")
    n_clauses = len(parse_text(template).clauses)
    base = Index(tmp_path, writable=True)
    first = parse_text(template, source="base.txt")
    base.add(first)
    base.commit()
    baseline = _addresses(base, first.id)
    base.close()
    assert baseline
    rng = random.Random(1234)
    committed: set[str] = {first.id}
    timeline: list[str] = []
    phases: list[str] = []
    next_id = 100
    trials = int(os.environ.get("DOCSEARCH_CRASH_TRIALS", "20"))
    for trial in range(trials):
        proc = _writer(tmp_path, next_id, next_id + 50)
        lines = Lines(proc)
        assert lines.wait_for("OPENED"), proc.stderr.read()[-2000:]
        if trial % 2 == 0:  # a random moment in the batch
            time.sleep(rng.uniform(0.0, 4.0))
        else:  # right after the k-th document's transaction, i.e. inside its publishing
            lines.wait_for("STORED", nth=rng.randint(1, 3))
            time.sleep(rng.uniform(0.0, 0.03))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        seen = lines.drain()
        phases.append(_phase(seen))
        timeline.append(f"trial {trial}: killed {phases[-1]} after " + " | ".join(" ".join(x[:2]) for x in seen[-3:]))
        committed |= {x[1] for x in seen if x[0] == "STORED"}
        next_id += 50
        # 1. the index opens
        reader = Index(tmp_path)
        try:
            docs = {d["id"]: d for d in reader.store.documents()}
            # 2. every committed document is there and searchable with the same results
            assert committed <= set(docs), (committed - set(docs), timeline)
            for doc_id in committed:
                assert _addresses(reader, doc_id) == baseline, (doc_id, timeline)
            # 3. nothing half-written
            for d in docs.values():
                assert d["clauses"] == n_clauses, (d["id"], d["clauses"], timeline)
        finally:
            reader.close()
        # 4. a new ingest completes: the lock is free (the kernel released it) and a write goes through
        assert not writer_active(tmp_path), "a dead writer still holds the lock"
        w = Index(tmp_path, writable=True, lock_timeout=0)  # raises IndexBusyError if the lock were held
        extra = parse_text(template.replace("07/2025/QĐ-UBND", f"{90_000 + trial}/2025/QĐ-UBND"), source=f"x{trial}.txt")
        assert w.add(extra)
        w.commit()
        w.close()
        committed.add(extra.id)
    detail = "\n".join(timeline)
    assert phases.count("publishing") >= 3, f"kills inside publishing: {phases.count('publishing')}\n{detail}"
    assert phases.count("embedding/storing") >= 3, f"kills inside a document's write: {detail}"
    assert len(committed) >= trials + 10, f"the batches must commit between the kills\n{detail}"
