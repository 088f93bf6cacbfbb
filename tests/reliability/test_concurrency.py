"""Searches while a batch ingests: reader threads in this process and a reader in a second process, one writer.
Zero errors, and every result refers to a complete document (readers see the last committed index)."""

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
from tests.index.test_crash import TEMPLATE, _writer

READER = r"""
import json, sys, time
from docsearch.index import Index
ix = Index(sys.argv[1])
n = errors = 0
bad = []
end = time.time() + float(sys.argv[2])
while time.time() < end:
    try:
        for h in ix.search("hỗ trợ tiền thuê nhà ở cho công nhân", k=10):
            count = ix.store.db.execute("SELECT COUNT(*) FROM clauses WHERE doc_id=?", (h.doc_id,)).fetchone()[0]
            if count != int(sys.argv[3]):
                bad.append(h.doc_id)
        n += 1
    except Exception as exc:
        errors += 1
        bad.append(repr(exc))
print(json.dumps({"searches": n, "errors": errors, "bad": bad[:5]}))
"""


def test_searches_during_ingest(tmp_path):
    n_clauses = len(parse_text(TEMPLATE.read_text(encoding="utf-8")).clauses)
    seed = Index(tmp_path, writable=True)
    seed.add(parse_text(TEMPLATE.read_text(encoding="utf-8"), source="seed.txt"))
    seed.commit()
    seed.close()
    writer = _writer(tmp_path, 1, 25)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    other = subprocess.Popen([sys.executable, "-c", READER, str(tmp_path), "20", str(n_clauses)], stdout=subprocess.PIPE,
                             text=True, env=env)
    reader = Index(tmp_path)
    errors: list[str] = []
    counts = [0, 0, 0]

    def search_loop(slot: int) -> None:
        end = time.time() + 20
        while time.time() < end:
            try:
                for h in reader.search("mức hỗ trợ tiền thuê nhà", k=10):
                    total = reader.store.db.execute("SELECT COUNT(*) FROM clauses WHERE doc_id=?", (h.doc_id,)).fetchone()[0]
                    if total != n_clauses:
                        errors.append(f"incomplete document {h.doc_id}: {total} clauses")
                counts[slot] += 1
            except Exception as exc:  # any error fails the test
                errors.append(repr(exc))

    threads = [threading.Thread(target=search_loop, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out, _ = writer.communicate(timeout=600)
    result = json.loads(other.communicate(timeout=120)[0].strip().splitlines()[-1])
    reader.close()
    assert not errors, errors[:5]
    assert result["errors"] == 0 and not result["bad"], result
    assert min(counts) > 5 and result["searches"] > 5
    assert out.count("COMMITTED") >= 5, "the writer must have committed while the readers searched"
    final = Index(tmp_path)
    assert len(final.store.documents()) == 1 + out.count("COMMITTED")
    final.close()
