"""Load: the API under 50 concurrent clients for 60 s on loopback. Bounded in time and count; stops by itself.

Usage: python bench/load.py [--index DIR] [--clients 50] [--seconds 60]"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

from common import SHARED, percentiles, start_server, write_section

MAX_REQUESTS = 200_000  # a hard bound besides the time limit


def _queries() -> list[str]:
    qs = [json.loads(x)["question"] for x in (SHARED / "eval" / "legal-retrieval" / "alqac2022" / "queries.jsonl")
          .read_text(encoding="utf-8").splitlines()[:100]]
    qs += ["nhà ở xã hội cho công nhân", "chuyen doi so", "NQ 57 nhân lực chất lượng cao", "thu hồi đất bồi thường",
           "kiểm tra, giám sát", "hạ tầng số trung tâm dữ liệu"]
    return qs


async def client(c, qs: list[str], end: float, lat: list[float], errors: list[str], offset: int, counter: list[int]) -> None:
    i = offset
    while time.perf_counter() < end and counter[0] < MAX_REQUESTS:
        counter[0] += 1
        q = qs[i % len(qs)]
        i += 7
        t = time.perf_counter()
        try:
            path = "/documents" if i % 10 == 0 else "/search"
            r = await c.get(path, params={} if path == "/documents" else {"q": q, "k": 10})
            if r.status_code != 200:
                errors.append(f"{r.status_code} {r.text[:100]}")
        except Exception as exc:  # counted, never raised: the run goes on
            errors.append(repr(exc))
        lat.append((time.perf_counter() - t) * 1000)


async def run(url: str, clients: int, seconds: float) -> tuple[list[float], list[str]]:
    import httpx

    qs = _queries()
    lat: list[float] = []
    errors: list[str] = []
    counter = [0]
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as c:
        end = time.perf_counter() + seconds
        await asyncio.gather(*(client(c, qs, end, lat, errors, k, counter) for k in range(clients)))
    return lat, errors


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", default="/tmp/docsearch-bench/raw-index")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    args = ap.parse_args()
    import httpx

    proc, url = start_server(args.index)
    try:
        n_clauses = httpx.get(url + "/health").json()["clauses"]
        httpx.get(url + "/search", params={"q": "khởi động"}, timeout=60)
        t = time.perf_counter()
        lat, errors = asyncio.run(run(url, args.clients, args.seconds))
        wall = time.perf_counter() - t
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    p50, p95, p99 = percentiles(lat)
    body = (f"| clients | duration | requests | errors | throughput | p50 | p95 | p99 |\n|---|---|---|---|---|---|---|---|\n"
            f"| {args.clients} | {wall:.0f} s | {len(lat)} | {len(errors)} | {len(lat) / wall:.1f} req/s | {p50:.0f} ms | "
            f"{p95:.0f} ms | {p99:.0f} ms |\n\nIndex: {Path(args.index).name} ({n_clauses} clauses); one uvicorn worker; "
            "90% `GET /search` with real questions (each embedded once, then cached), 10% `GET /documents`.")
    if errors:
        body += "\n\nFirst errors: " + "; ".join(errors[:3])
    write_section("Load", f"python bench/load.py --clients {args.clients} --seconds {args.seconds:.0f}", body)
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
