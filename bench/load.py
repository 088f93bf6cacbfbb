"""Load: the API under 50 concurrent clients for 60 s on loopback. Bounded in time and count; stops by itself.

With `--backend milvus` the index lives in PostgreSQL (DOCSEARCH_DATABASE_URL, or a scratch database made on the
server DOCSEARCH_TEST_DATABASE_URL names) with search on Milvus (DOCSEARCH_MILVUS_URI, or a Milvus Lite server
started here); the shared corpus is ingested into it first. `--workers N` runs N uvicorn workers. While the
clients search, an ingest process (tests/api/marked.py) keeps replacing and removing documents whose every clause
carries a marker word, and one request in ten searches a marker: it must find that document whole or not at all
("half documents seen" counts the times it did not).

Usage: python bench/load.py [--index DIR] [--clients 50] [--seconds 60] [--workers 1] [--backend local|milvus]"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from common import ROOT, SHARED, percentiles, write_section

from tests.api.marked import Published, check, start_writer
from tests.servers import start_api, start_milvus_lite

MAX_REQUESTS = 200_000  # a hard bound besides the time limit


def _queries() -> list[str]:
    qs = [json.loads(x)["question"] for x in (SHARED / "eval" / "legal-retrieval" / "alqac2022" / "queries.jsonl")
          .read_text(encoding="utf-8").splitlines()[:100]]
    qs += ["nhà ở xã hội cho công nhân", "chuyen doi so", "NQ 57 nhân lực chất lượng cao", "thu hồi đất bồi thường",
           "kiểm tra, giám sát", "hạ tầng số trung tâm dữ liệu"]
    return qs


async def client(c, qs: list[str], end: float, lat: list[float], errors: list[str], offset: int,
                 counter: list[int], published: Published | None, half: list[str], whole: list[int]) -> None:
    i = offset
    rng = random.Random(offset)
    while time.perf_counter() < end and counter[0] < MAX_REQUESTS:
        counter[0] += 1
        q = qs[i % len(qs)]
        i += 7
        t = time.perf_counter()
        try:
            latest = list(published.latest.values()) if published is not None else []
            if latest and i % 10 == 3:  # a marker: the document whole or not at all
                marker, n, doc_id = rng.choice(latest)
                r = await c.get("/search", params={"q": marker, "mode": "bm25", "k": 50})
                if r.status_code == 200:
                    problem = check(r.json()["hits"], doc_id, n)
                    if problem:
                        half.append(f"{marker}: {problem}")
                    elif r.json()["hits"]:
                        whole[0] += 1
            else:
                path = "/documents" if i % 10 == 0 else "/search"
                r = await c.get(path, params={} if path == "/documents" else {"q": q, "k": 10})
            if r.status_code != 200:
                errors.append(f"{r.status_code} {r.text[:100]}")
        except Exception as exc:  # counted, never raised: the run goes on
            errors.append(repr(exc))
        lat.append((time.perf_counter() - t) * 1000)


async def run(url: str, clients: int, seconds: float, published: Published | None
              ) -> tuple[list[float], list[str], list[str], int]:
    import httpx

    qs = _queries()
    lat: list[float] = []
    errors: list[str] = []
    half: list[str] = []
    whole = [0]
    counter = [0]
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as c:
        end = time.perf_counter() + seconds
        await asyncio.gather(*(client(c, qs, end, lat, errors, k, counter, published, half, whole)
                               for k in range(clients)))
    return lat, errors, half, whole[0]


def shared_backend(args) -> tuple[dict, list]:
    """Settings for PostgreSQL + Milvus, the servers started here when none is named, the corpus ingested."""
    import shutil

    cleanup: list = []
    env = {"DOCSEARCH_BACKEND": "milvus"}
    shutil.rmtree(args.index, ignore_errors=True)
    cached = Path("/tmp/docsearch-bench/raw-index/embeddings.sqlite")  # bench/ingest.py's: the corpus embedded once
    if cached.exists() and "DOCSEARCH_EMBEDDING_CACHE" not in os.environ:
        env["DOCSEARCH_EMBEDDING_CACHE"] = str(cached)
    url = os.environ.get("DOCSEARCH_DATABASE_URL")
    if not url:
        import psycopg

        admin = os.environ.get("DOCSEARCH_TEST_DATABASE_URL", "postgresql:///postgres")
        name = "ds_load_" + uuid.uuid4().hex[:8]
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name}")
        url = admin.rpartition("/")[0] + "/" + name

        def drop() -> None:
            with psycopg.connect(admin, autocommit=True) as db:
                db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cleanup.append(drop)
    env["DOCSEARCH_DATABASE_URL"] = url
    uri = os.environ.get("DOCSEARCH_MILVUS_URI")
    if not uri:
        server, uri = start_milvus_lite(Path(args.index) / "milvus-data")
        cleanup.insert(0, lambda: (server.terminate(), server.wait(timeout=60)))
    env["DOCSEARCH_MILVUS_URI"] = uri
    subprocess.run([sys.executable, "-m", "docsearch.cli", "ingest", "--quiet", "--index", str(args.index),
                    str(SHARED / "corpus" / "raw")], env={**os.environ, **env, "PYTHONPATH": str(ROOT)}, check=True)
    return env, cleanup


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", default=None, help="default: bench/ingest.py's index (local), a scratch one (milvus)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--backend", choices=("local", "milvus"), default="local")
    args = ap.parse_args()
    import httpx

    env: dict = {}
    cleanup: list = []
    if args.backend == "milvus":
        args.index = args.index or "/tmp/docsearch-bench/load-milvus"
        env, cleanup = shared_backend(args)
    index = Path(args.index or "/tmp/docsearch-bench/raw-index")
    published, writer = None, None
    procs = []
    try:
        proc, url = start_api(index, env, args.workers, log=Path("/tmp/docsearch-load-api.log"))
        procs.append(proc)
        n_clauses = httpx.get(url + "/health").json()["clauses"]
        for _ in range(2 * args.workers):
            httpx.get(url + "/search", params={"q": "khởi động"}, timeout=120)
        if args.backend == "milvus":
            published = Published()
            writer = start_writer(index / "writer", args.seconds, env)
            procs.append(writer)
            threading.Thread(target=lambda: [published.read(line) for line in writer.stdout], daemon=True).start()
        t = time.perf_counter()
        lat, errors, half, whole = asyncio.run(run(url, args.clients, args.seconds, published))
        wall = time.perf_counter() - t
        if writer is not None and writer.wait(timeout=300) != 0:
            errors.append("the ingest process failed: " + writer.stderr.read()[-300:])
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
                p.wait(timeout=60)
        for f in cleanup:
            f()
    p50, p95, p99 = percentiles(lat)
    written = published is not None and (len(published.older) + len(published.latest))
    body = (f"| clients | workers | duration | requests | errors | half documents seen | throughput | p50 | p95 | p99 |\n"
            f"|---|---|---|---|---|---|---|---|---|---|\n"
            f"| {args.clients} | {args.workers} | {wall:.0f} s | {len(lat)} | {len(errors)} | "
            f"{len(half) if published is not None else '—'} | {len(lat) / wall:.1f} req/s | {p50:.0f} ms | "
            f"{p95:.0f} ms | {p99:.0f} ms |\n\n")
    if args.backend == "milvus":
        body += (f"Store on PostgreSQL, search on Milvus (Milvus Lite server, one process); the shared corpus "
                 f"({n_clauses} clauses) ingested first. One ingest process wrote or removed a marked document "
                 f"{written} times during the run while the {args.workers} API workers served; {whole} marker "
                 f"searches found their document whole, {len(half)} found part of one. 80% `GET /search` with real "
                 "questions, 10% marker searches (BM25), 10% `GET /documents`.")
    else:
        body += (f"Index: {index.name} ({n_clauses} clauses); {args.workers} uvicorn worker(s); 90% `GET /search` "
                 "with real questions (each embedded once, then cached), 10% `GET /documents`.")
    if errors or half:
        body += "\n\nFirst errors: " + "; ".join((errors + half)[:3])
    name = "Load" if args.backend == "local" and args.workers == 1 else f"Load, {args.workers} workers on {args.backend}"
    write_section(name, "python bench/load.py " + " ".join(sys.argv[1:]), body)
    if errors or half:
        sys.exit(1)


if __name__ == "__main__":
    main()
