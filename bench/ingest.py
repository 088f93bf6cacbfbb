"""Ingest speed: all ../shared/corpus/raw documents cold (empty index and embedding cache), again with nothing
changed, the embedder's own throughput on the same passages (the ratio is the figure), and what tagging adds.

Usage: python bench/ingest.py [--workdir DIR]   (leaves the index in DIR/raw-index for bench/latency.py)"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from common import SHARED, write_section

from docsearch.index import Index
from docsearch.index.embedders import get_embedder
from docsearch.pipeline import collect_files, ingest_files
from docsearch.structure import parse_file
from docsearch.structure.passages import passage_text
from docsearch.tagging import Tagger, load_taxonomy
from docsearch.text.analysis import segments


class TimedTagger(Tagger):
    seconds = 0.0

    def tag_document(self, doc, vectors=None):
        t = time.perf_counter()
        super().tag_document(doc, vectors)
        TimedTagger.seconds += time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workdir", default="/tmp/docsearch-bench")
    args = ap.parse_args()
    work = Path(args.workdir)
    path = work / "raw-index"
    shutil.rmtree(path, ignore_errors=True)
    files = collect_files([SHARED / "corpus" / "raw"])
    docs = [parse_file(str(f)) for f in files]
    n_clauses = sum(len(d.clauses) for d in docs)
    texts = []
    for d in docs:
        by = {c.address: c for c in d.clauses}
        texts += [passage_text(d, c, by) for c in d.clauses]
        texts += [s for c in d.clauses for s in segments(c.text)]
    # the embedder alone on the same passages
    emb = get_embedder()
    sample = texts[:: max(1, len(texts) // 400)][:400]
    t = time.perf_counter()
    emb.embed_passages(sample)
    embed_rate = len(sample) / (time.perf_counter() - t)

    ix = Index(path, writable=True)
    tagger = TimedTagger(load_taxonomy(), embedder=ix.embedder, cache=ix.cache)
    t = time.perf_counter()
    report = ingest_files(ix, files, tagger=tagger)
    cold = time.perf_counter() - t
    t = time.perf_counter()
    again = ingest_files(ix, files, tagger=tagger)
    warm = time.perf_counter() - t
    ix.close()
    embedded = len(texts)
    body = f"""| what | figure |
|---|---|
| documents / clauses / passages embedded (clauses + segments of long clauses) | {len(files)} / {n_clauses} / {embedded} |
| cold ingest (empty index and cache): parse, analyse, embed, tag, index | {cold:.1f} s ({report.summary()}) |
| embedder alone on a sample of the same passages | {embed_rate:.1f} passages/s |
| cold ingest throughput | {embedded / cold:.1f} passages/s = **{embedded / cold / embed_rate:.2f}×** the embedder's own (target ≥ 0.8×) |
| tagging during the cold ingest | {TimedTagger.seconds:.1f} s = {100 * TimedTagger.seconds / cold:.1f}% of it (target < 20%) |
| re-ingest with nothing changed | {warm:.1f} s ({again.summary()}; target < 10 s) |
"""
    write_section("Ingest", "python bench/ingest.py", body)


if __name__ == "__main__":
    main()
