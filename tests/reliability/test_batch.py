"""The whole bad-input suite in one batch: every bad file reported with its name and reason, every good one
indexed, the process never crashes, and its memory stays under a stated bound."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import unicodedata

from tests.badfiles import CASES, encrypted_pdf, zip_bomb
from tests.conftest import ROOT, SAMPLES

MEMORY_BOUND_MB = 1500  # peak RSS of the ingest process (embedder, underthesea and FAISS included)


def _cp1258(text: str) -> bytes:
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(c for c in d if c not in tones)) + "".join(c for c in d if c in tones))
    return "".join(out).encode("cp1258")


def test_bad_input_batch(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for name, (data, _reason, _en) in CASES.items():
        (folder / name).write_bytes(data)
    (folder / "locked.pdf").write_bytes(encrypted_pdf())
    (folder / "bomb.docx").write_bytes(zip_bomb())
    (folder / "nested.html").write_text("<html><body>" + "<div>" * 100_000 + "Điều 1. Phạm vi" + "</div>" * 100_000 + "</body></html>", encoding="utf-8")
    with open(folder / "huge.txt", "wb") as fh:
        fh.seek(200 * 1024 * 1024 - 1)
        fh.write(b"\0")
    (folder / "no-structure.txt").write_text("Ghi chép cuộc họp giao ban sáng thứ hai.", encoding="utf-8")
    good = {
        "Nghị quyết $(echo x); `y` & 'z'.txt": (SAMPLES / "mau-nq-05-nqtu-2025.txt").read_bytes(),
        "chuong-trinh-utf16.txt": (SAMPLES / "mau-ctr-12-ubnd-2025.txt").read_text(encoding="utf-8").encode("utf-16"),
        "quyet-dinh-1258.txt": _cp1258((SAMPLES / "mau-qd-07-ubnd-2025.txt").read_text(encoding="utf-8")),
    }
    for name, data in good.items():
        (folder / name).write_bytes(data)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "docsearch.cli", "ingest", str(folder), "--index", str(tmp_path / "ix"),
                           "--json", "--quiet"], capture_output=True, text=True, env=env, timeout=900)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    failed = {os.path.basename(f): reason for f, reason in report["failed"]}
    expected_bad = set(CASES) | {"locked.pdf", "bomb.docx", "huge.txt"}
    assert expected_bad <= set(failed), expected_bad - set(failed)
    for name, reason in failed.items():  # each reported with its file name (in stderr too) and a reason
        assert reason and f"{name}: " in proc.stderr
    added = {os.path.basename(f) for f in report["added"]}
    assert set(good) | {"no-structure.txt"} <= added
    assert "nested.html" in added or "nested.html" in failed
    print(f"peak RSS of the batch ingest: {peak_mb:.0f} MB")
    assert peak_mb < MEMORY_BOUND_MB
