"""Searches while a batch ingests, replaces and removes documents: reader threads in this process and a reader
in a second process search from before the writer starts until after it ends, so every commit provably falls
inside the read window (the writer's commit times are checked against it). Zero errors, and every hit belongs to a
complete document: at the moment it is read its document has all its clauses (or was removed since, by the
writer), and the hit's text is that of one whole version of the clause."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

from docsearch.index import Index
from docsearch.structure import parse_text
from tests.conftest import ROOT
from tests.index.test_crash import TEMPLATE, Lines, _writer

READER = r"""
import json, sys, time
from docsearch.index import Index
ix = Index(sys.argv[1])
n_clauses, stop_file = int(sys.argv[2]), sys.argv[3]
texts = set(json.loads(open(sys.argv[4], encoding="utf-8").read()))
n = errors = 0
bad = []
start = time.time()
import os
while not os.path.exists(stop_file) and time.time() - start < 600:
    try:
        for h in ix.search("mức hỗ trợ tiền thuê nhà ở cho công nhân", k=10):
            count = ix.store.clause_count(h.doc_id)
            if count not in (n_clauses, 0) or h.text not in texts:
                bad.append((h.doc_id, count))
        n += 1
    except Exception as exc:
        errors += 1
        bad.append(repr(exc))
print(json.dumps({"searches": n, "errors": errors, "bad": bad[:5], "window": [start, time.time()]}))
"""


def test_searches_during_ingest_replace_and_remove(tmp_path):
    template = TEMPLATE.read_text(encoding="utf-8")
    n_clauses = len(parse_text(template).clauses)
    variants = [template, template.replace("500.000", "600.000")]
    texts = {c.text for v in variants for c in parse_text(v).clauses}
    (tmp_path / "texts.json").write_text(json.dumps(sorted(texts), ensure_ascii=False), encoding="utf-8")
    seed = Index(tmp_path / "ix", writable=True)
    seed.add(parse_text(template, source="seed.txt"))
    seed.commit()
    seed.close()
    stop_file = tmp_path / "stop"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    other = subprocess.Popen([sys.executable, "-c", READER, str(tmp_path / "ix"), str(n_clauses), str(stop_file),
                              str(tmp_path / "texts.json")], stdout=subprocess.PIPE, text=True, env=env)
    reader = Index(tmp_path / "ix")
    errors: list[str] = []
    counts = [0, 0, 0]
    stop = threading.Event()

    def search_loop(slot: int) -> None:
        while not stop.is_set():
            try:
                for h in reader.search("mức hỗ trợ tiền thuê nhà", k=10):
                    total = reader.store.clause_count(h.doc_id)
                    # 0: removed by the writer since the search read it (the document row is gone too)
                    if total != n_clauses and not (total == 0 and reader.store.document_info(h.doc_id) is None):
                        errors.append(f"incomplete document {h.doc_id}: {total} clauses")
                    if h.text not in texts:
                        errors.append(f"a clause text of no committed version: {h.text[:80]}")
                counts[slot] += 1
            except Exception as exc:  # any error fails the test
                errors.append(repr(exc))

    window_start = time.time()
    threads = [threading.Thread(target=search_loop, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    time.sleep(3)  # the second process has started searching too
    writer = _writer(tmp_path / "ix", 1, 16, ops="mixed")
    lines = Lines(writer)
    lines.wait_for("DONE", timeout=900)
    seen = lines.drain()
    removed = {x[1] for x in seen if x[0] == "REMOVED"}
    time.sleep(2)  # a last round of searches after the final commit
    stop.set()
    stop_file.write_text("stop")
    for t in threads:
        t.join()
    window_end = time.time()
    result = json.loads(other.communicate(timeout=120)[0].strip().splitlines()[-1])
    reader.close()
    writer.wait(timeout=60)
    assert writer.returncode == 0, writer.stderr.read()[-2000:]
    assert not errors, errors[:5]
    assert result["errors"] == 0 and not result["bad"], result
    assert min(counts) > 5 and result["searches"] > 5, (counts, result)
    commits = [(x[0], float(x[-1])) for x in seen if x[0] in ("STORED", "REPLACED", "REMOVED", "PUBLISHED")]
    kinds = {k for k, _ in commits}
    assert {"STORED", "REPLACED", "REMOVED", "PUBLISHED"} <= kinds, kinds
    # every commit fell inside the read window of both readers
    lo, hi = max(window_start, result["window"][0]), min(window_end, result["window"][1])
    assert all(lo < t < hi for _, t in commits), (lo, hi, commits[:3], commits[-3:])
    assert len(commits) >= 20
    final = Index(tmp_path / "ix")
    ids = {d["id"] for d in final.store.documents()}
    assert not ids & removed and len(ids) == 1 + 15 - len(removed)
    final.close()
