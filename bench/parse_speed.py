"""Parse-only speed: all ten raw documents, and pages/s of the laid-out PDFs (text layer only).

Usage: python bench/parse_speed.py"""

from __future__ import annotations

import statistics
import time

from common import SHARED, write_section

from docsearch.structure import parse_file


def main() -> None:
    raw = sorted((SHARED / "corpus" / "raw").glob("*.txt"))
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        clauses = sum(len(parse_file(str(f)).clauses) for f in raw)
        runs.append(time.perf_counter() - t)
    pdfs = [p for p in sorted((SHARED / "corpus" / "pdf").glob("*.pdf")) if "scanned" not in p.name]
    import pdfplumber

    pages = 0
    t = time.perf_counter()
    for p in pdfs:
        parse_file(str(p))
        with pdfplumber.open(p) as pdf:
            pages += len(pdf.pages)
    pdf_time = time.perf_counter() - t
    body = (
        f"| what | figure |\n|---|---|\n"
        f"| parse all {len(raw)} raw documents ({clauses} clauses), median of 3 | {statistics.median(runs):.2f} s (target < 30 s) |\n"
        f"| laid-out PDFs with a text layer: {len(pdfs)} files, {pages} pages | {pages / pdf_time:.1f} pages/s |\n"
    )
    write_section("Parse speed", "python bench/parse_speed.py", body)


if __name__ == "__main__":
    main()
