"""Crash safety: kill -9 a writer at random points; the index opens, every committed document is searchable
with the same results, no half-written document is visible, and a new ingest completes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from docsearch.index import Index
from docsearch.structure import parse_text
from tests.conftest import ROOT, SAMPLES

TEMPLATE = SAMPLES / "mau-qd-07-ubnd-2025.txt"
WRITER = r"""
import sys
from pathlib import Path
from docsearch.index import Index
from docsearch.structure import parse_text
path, start, stop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
template = Path(sys.argv[4]).read_text(encoding="utf-8")
ix = Index(path, writable=True)
for i in range(start, stop):
    doc = parse_text(template.replace("07/2025/QĐ-UBND", f"{i}/2025/QĐ-UBND"), source=f"copy-{i}.txt")
    ix.add(doc)
    ix.commit()
    print("COMMITTED", doc.id, flush=True)
ix.close()
"""


def _writer(path: Path, start: int, stop: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(start), str(stop), str(TEMPLATE)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)


def test_kill_nine_during_ingest_loses_nothing_committed(tmp_path):
    n_clauses = len(parse_text(TEMPLATE.read_text(encoding="utf-8")).clauses)
    base = Index(tmp_path, writable=True)
    first = parse_text(TEMPLATE.read_text(encoding="utf-8"), source="base.txt")
    base.add(first)
    base.commit()
    baseline = [h.clause_id for h in base.search("hỗ trợ tiền thuê nhà ở cho công nhân", k=5, doc=first.id)]
    base.close()
    rng = random.Random(1234)
    committed: set[str] = set()
    next_id = 100
    trials = int(os.environ.get("DOCSEARCH_CRASH_TRIALS", "20"))
    for _trial in range(trials):
        proc = _writer(tmp_path, next_id, next_id + 50)
        time.sleep(rng.uniform(0.5, 5.0))
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        committed |= {line.split()[1] for line in out.splitlines() if line.startswith("COMMITTED")}
        next_id += 50
        reader = Index(tmp_path)
        docs = {d["id"]: d for d in reader.store.documents()}
        assert committed <= set(docs), committed - set(docs)
        for d in docs.values():  # no half-written document
            assert d["clauses"] == n_clauses, d
        assert [h.clause_id for h in reader.search("hỗ trợ tiền thuê nhà ở cho công nhân", k=5, doc=first.id)] == baseline
        for doc_id in list(committed)[-3:]:
            assert reader.search("mức hỗ trợ", k=1, doc=doc_id), doc_id
        reader.close()
    assert len(committed) >= trials // 2, "the kills should fall between and inside commits"
    # a new ingest after all the kills completes
    proc = _writer(tmp_path, 10_000, 10_003)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0 and out.count("COMMITTED") == 3
