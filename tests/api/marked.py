"""Documents whose every clause carries one marker word, written by a separate ingest process while API processes
serve searches: a search for a marker must find all of that document's clauses or none — never part of them. Used
by tests/api/test_shared_backend.py and by bench/load.py (--backend milvus)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.servers import ROOT

TEMPLATE = ROOT / "corpus" / "mau-qd-07-ubnd-2025.txt"
SLOTS = 6  # documents the writer cycles through (each written again with a new marker, now and then removed)

WRITER = r"""
import sys, time
from pathlib import Path
from docsearch.index import Index
from docsearch.structure import parse_text
path, seconds, template = sys.argv[1], float(sys.argv[2]), Path(sys.argv[3]).read_text(encoding="utf-8")
slots = int(sys.argv[4])
ix = Index(path, writable=True)
end = time.monotonic() + seconds
i = 0
while time.monotonic() < end:
    slot, version = i % slots, i // slots
    doc_id = None
    if i % 7 == 6:  # now and then a document is removed instead
        number = f"{900 + slot}-2025-QĐ-UBND"
        ix.remove(number)
        ix.commit()
        print("REMOVED", slot, flush=True)
    else:
        doc = parse_text(template.replace("07/2025/QĐ-UBND", f"{900 + slot}/2025/QĐ-UBND"), source=f"slot-{slot}.txt")
        marker = f"moc{slot}v{version}"
        for c in doc.clauses:
            c.text = f"{c.text} {marker}"
        doc.content_hash += ":" + marker
        ix.add(doc)
        ix.commit()
        print("PUBLISHED", slot, version, len(doc.clauses), doc.id, flush=True)
    i += 1
ix.close()
"""


def start_writer(index: Path, seconds: float, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(index), str(seconds), str(TEMPLATE), str(SLOTS)],
                            env={**os.environ, "PYTHONPATH": str(ROOT), **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


class Published:
    """What the writer has announced: the latest marker of each slot and its clause count."""

    def __init__(self) -> None:
        self.latest: dict[int, tuple[str, int, str]] = {}  # slot → (marker, clauses, document id)
        self.older: list[tuple[str, str]] = []  # (marker, document id) replaced or removed since

    def read(self, line: str) -> None:
        parts = line.split()
        if parts and parts[0] == "PUBLISHED":
            slot, version, n, doc_id = int(parts[1]), int(parts[2]), int(parts[3]), parts[4]
            if slot in self.latest:
                self.older.append(self.latest[slot][::2])
            self.latest[slot] = (f"moc{slot}v{version}", n, doc_id)
        elif parts and parts[0] == "REMOVED":
            slot = int(parts[1])
            if slot in self.latest:
                self.older.append(self.latest.pop(slot)[::2])


def check(hits: list[dict], marker_doc: str, expected: int | None) -> str | None:
    """None when the hits of one marker search are whole: all `expected` clauses of the document or none (an
    older marker: none or, until the reader moves on, all); else what was wrong."""
    mine = [h for h in hits if h["doc_id"] == marker_doc]
    others = [h for h in hits if h["doc_id"] != marker_doc]
    if others:
        return f"{len(others)} hits from other documents"
    if mine and expected is not None and len(mine) != expected:
        return f"{len(mine)} of {expected} clauses of {marker_doc}"
    return None
