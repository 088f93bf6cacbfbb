"""The local engine and Milvus side by side: the same quality runs through each (ALQAC 2022 retrieval, with and
without diacritics, and linking NQ 03/NQ-CP → NQ 57), then ingest and search latency at 10k and 100k clauses.

Quality: the same code ranks on both engines (docsearch/index/engine.py); the figures must agree within 0.005.
Speed: the large sets are bench/latency.py's (real clauses copied with variant markers, real vectors perturbed),
loaded into one store per engine; "ingest" is what a commit costs after a bulk load (local: building the BM25
files and the vector index; Milvus: writing the rows from the outbox), and search is warm, k=10, each query's
vector cached, the two engines asked in turn. Milvus here is Milvus Lite (pure Python, one process, started by
this script unless DOCSEARCH_MILVUS_URI names a server), which says how the code behaves against the Milvus API,
not how fast a Milvus cluster is (see docs/SCALE.md).

Usage: python bench/backends.py [--sizes 10000,100000] [--queries 200] [--workdir DIR] [--skip-quality]"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import SHARED, percentiles, settings, write_section

from tests.servers import start_milvus_lite

os.environ.setdefault("DOCSEARCH_EMBEDDING_CACHE", str(Path.home() / ".cache" / "docsearch" / "eval.sqlite"))


def engine(name: str, uri: str | None):
    """Settings for one engine (the local one, or Milvus at `uri`) for the duration of a `with` block."""
    return settings(DOCSEARCH_BACKEND=name, **({"DOCSEARCH_MILVUS_URI": uri} if uri else {}))


def milvus_server(data: Path) -> tuple[subprocess.Popen | None, str]:
    if os.environ.get("DOCSEARCH_MILVUS_URI"):
        return None, os.environ["DOCSEARCH_MILVUS_URI"]
    return start_milvus_lite(data)


def quality(uri: str, work: Path) -> tuple[str, dict]:
    from docsearch.evaluate import linking, retrieval

    corpus = SHARED / "eval" / "legal-retrieval" / "alqac2022" / "corpus.jsonl"
    queries = corpus.parent / "queries.jsonl"
    raw = SHARED / "corpus" / "raw"
    gold = SHARED / "eval" / "linking" / "nq03-to-nq57.jsonl"
    out: dict[str, dict] = {}
    for name in ("local", "milvus"):
        with engine(name, uri):
            t = time.perf_counter()
            r = retrieval.run(corpus, queries, ["hybrid"], workdir=work / f"alqac-{name}")["hybrid"]
            f = retrieval.run(corpus, queries, ["hybrid"], workdir=work / f"alqac-{name}", fold_queries=True)["hybrid"]
            lk = linking.run(gold, raw / "nq-57-nqtw-2024.txt", workdir=work / f"link-{name}",
                             programme=raw / "nq-03-nqcp-2025.txt", cv=False)["linker"]
            out[name] = {"MRR@10": r["MRR@10"], "nDCG@10": r["nDCG@10"], "folded MRR@10": f["MRR@10"],
                         "link Hit@5": lk["Hit@5"], "link MRR@10": lk["MRR@10"], "s": time.perf_counter() - t}
    rows = ["| | local (bm25s + FAISS) | Milvus (Milvus Lite server) | difference |", "|---|---|---|---|"]
    worst = 0.0
    for key in ("MRR@10", "nDCG@10", "folded MRR@10", "link Hit@5", "link MRR@10"):
        a, b = out["local"][key], out["milvus"][key]
        worst = max(worst, abs(a - b))
        label = {"MRR@10": "ALQAC 2022 hybrid MRR@10", "nDCG@10": "ALQAC 2022 hybrid nDCG@10",
                 "folded MRR@10": "ALQAC 2022, no diacritics, MRR@10", "link Hit@5": "linking NQ 03 → NQ 57 Hit@5",
                 "link MRR@10": "linking NQ 03 → NQ 57 MRR@10"}[key]
        rows.append(f"| {label} | {a:.4f} | {b:.4f} | {b - a:+.4f} |")
    rows.append(f"| whole run (index, 520 + 520 questions, 248 tasks) | {out['local']['s']:.0f} s | "
                f"{out['milvus']['s']:.0f} s | |")
    text = ("In-sample defaults on both sides (nothing is tuned here: the question is only whether the engines agree). "
            f"Largest difference: **{worst:.4f}** (bound 0.005).\n\n" + "\n".join(rows))
    return text, out


def speed(uri: str, sizes: list[int], work: Path, src: Path, n_queries: int) -> str:
    import latency

    from docsearch.index import Index
    from docsearch.index.store import Store

    qs = latency.queries(n_queries)
    rows = ["| clauses | engine | indexing after the bulk load | search p50 / p95 (warm, k=10) | with year filter p50 / p95 |",
            "|---|---|---|---|---|"]
    for n in sizes:
        ix_by: dict[str, Index] = {}
        commit_s: dict[str, float] = {}
        for name in ("local", "milvus"):
            path = work / f"speed-{name}-{n}"
            latency.build(src, n, path)
            t = time.perf_counter()
            if name == "milvus":  # as `docsearch migrate --to milvus`: count the BM25 statistics, queue every clause
                s = Store(path / "docsearch.sqlite")
                s.track_terms("milvus")
                s.close()
            with engine(name, uri):
                ix = Index(path, writable=True)
                ix.commit()
                commit_s[name] = time.perf_counter() - t
                ix_by[name] = ix
        times: dict[str, dict[str, list[float]]] = {e: {"plain": [], "year": []} for e in ix_by}
        for name, ix in ix_by.items():  # warm: every query's vector cached, first searches discarded
            with engine(name, uri):
                for q in qs[:20]:
                    ix.search(q, k=10)
        for q in qs:
            for name, ix in ix_by.items():
                with engine(name, uri):
                    for kind, filters in (("plain", {}), ("year", {"year_from": 2020})):
                        t = time.perf_counter()
                        ix.search(q, k=10, **filters)
                        times[name][kind].append((time.perf_counter() - t) * 1000)
        for name in ("local", "milvus"):
            p = percentiles(times[name]["plain"])
            y = percentiles(times[name]["year"])
            rows.append(f"| {n:,} | {name} | {commit_s[name]:.1f} s | {p[0]:.1f} / {p[1]:.1f} ms | "
                        f"{y[0]:.1f} / {y[1]:.1f} ms |")
            print(rows[-1], flush=True)
        for ix in ix_by.values():
            ix.close()
        if ix_by.get("milvus") is not None:
            with engine("milvus", uri):
                with Index(work / f"speed-milvus-{n}") as ix:
                    ix.milvus.drop()
    return "\n".join(rows)


def per_clause(src: Path) -> str:
    """What one clause costs a Milvus engine, counted on bench/ingest.py's index of the real corpus: vector rows
    per clause and distinct tokens per BM25 field (each a posting). docs/SCALE.md sizes a cluster from these."""
    from docsearch.index import terms
    from docsearch.index.store import Store

    store = Store(src / "docsearch.sqlite")
    try:
        segments: dict[int, list[str]] = {}
        for _sid, cid, tw in store.iter_segment_token_rows():
            segments.setdefault(cid, []).append(tw or "")
        n, distinct = 0, dict.fromkeys(terms.FIELDS, 0)
        for cid, tw, ts in zip(store.clause_ids(), store.iter_clause_tokens("words"),
                               store.iter_clause_tokens("syllables")):
            n += 1
            for field, toks in terms.clause_fields(tw, ts).items():
                distinct[field] += len(set(toks))
            distinct["words_seg"] += sum(len(set(e)) for e in terms.seg_entries(tw, segments.get(cid, [])))
    finally:
        store.close()
    n_seg = sum(len(v) for v in segments.values())
    rows = ["| per clause | value |", "|---|---|",
            f"| clauses counted | {n:,} |",
            f"| vector rows (the clause, plus {n_seg:,} segments of {len(segments):,} long clauses) | "
            f"{(n + n_seg) / n:.2f} |"]
    rows += [f"| distinct tokens, {f} field | {distinct[f] / n:.1f} |" for f in terms.FIELDS]
    rows.append(f"| postings in all four fields | {sum(distinct.values()) / n:.0f} |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--workdir", default="/tmp/docsearch-bench/backends")
    ap.add_argument("--source", default="/tmp/docsearch-bench/raw-index", help="bench/ingest.py's index")
    ap.add_argument("--skip-quality", action="store_true")
    ap.add_argument("--queries", type=int, default=200, help="queries per size and engine (ALQAC questions, NQ 03 tasks)")
    args = ap.parse_args()
    work = Path(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    proc, uri = milvus_server(work / "milvus-data")
    try:
        command = "python bench/backends.py " + " ".join(sys.argv[1:])
        write_section("Backends: what a clause costs an engine", command, per_clause(Path(args.source)))
        if not args.skip_quality:
            text, _ = quality(uri, work)
            write_section("Backends: quality through local and Milvus", command, text)
        sizes = [int(x) for x in args.sizes.split(",") if x]
        if sizes:
            write_section("Backends: speed of local and Milvus side by side", command,
                          "Same store content for both engines; the two engines asked in turn for each query. Milvus "
                          "Lite is a pure-Python single process: these rows say that filters, BM25 and the dense "
                          "search run inside the engine through the Milvus API, not what a Milvus cluster costs "
                          "(docs/SCALE.md sizes that from Milvus's published figures).\n\n"
                          + speed(uri, sizes, work, Path(args.source), args.queries))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=60)


if __name__ == "__main__":
    main()
