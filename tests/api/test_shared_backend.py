"""Several servers, one index: two API processes and an ingest process on PostgreSQL + Milvus. The writer keeps
replacing and removing documents whose every clause carries one marker word; searches for those markers, sent to
both API processes while it works, must always find a document whole or not at all."""

from __future__ import annotations

import random
import threading

from tests.api.marked import Published, check, start_writer
from tests.servers import start_api

SECONDS = 25


def test_two_api_processes_and_a_writer_see_only_whole_documents(database_url, milvus_uri, tmp_path):
    import httpx

    env = {"DOCSEARCH_DATABASE_URL": database_url, "DOCSEARCH_BACKEND": "milvus", "DOCSEARCH_MILVUS_URI": milvus_uri}
    index = tmp_path / "ix"
    apis = [start_api(index / "a", env), start_api(index / "b", env)]  # separate folders: nothing local is shared
    writer = start_writer(index / "w", SECONDS, env)
    published = Published()
    done = threading.Event()

    def follow() -> None:
        for line in writer.stdout:
            published.read(line)
        done.set()

    threading.Thread(target=follow, daemon=True).start()
    rng = random.Random(0)
    wrong: list[str] = []
    whole = {url: 0 for _p, url in apis}
    searches = 0
    try:
        with httpx.Client(timeout=60) as client:
            while not done.is_set() or searches < 60:
                latest = list(published.latest.values())
                older = list(published.older)
                if not latest and not older:
                    done.wait(0.2)
                    continue
                if older and rng.random() < 0.3:
                    marker, doc_id = rng.choice(older)
                else:
                    marker, _n, doc_id = rng.choice(latest)
                expected = next(iter(published.latest.values()))[1] if published.latest else None
                url = apis[searches % 2][1]
                if searches % 3 == 2:  # a hybrid search over the documents being replaced: no error either
                    r = client.get(url + "/search", params={"q": "hỗ trợ tiền thuê nhà cho người lao động", "k": 10})
                    searches += 1
                    if r.status_code != 200:
                        wrong.append(f"{url}: {r.status_code} {r.text[:200]}")
                    continue
                r = client.get(url + "/search", params={"q": marker, "mode": "bm25", "k": 50})
                searches += 1
                if r.status_code != 200:
                    wrong.append(f"{url}: {r.status_code} {r.text[:200]}")
                    continue
                hits = r.json()["hits"]
                problem = check(hits, doc_id, expected)
                if problem:
                    wrong.append(f"{url} {marker}: {problem}")
                elif hits:
                    whole[url] += 1
        assert writer.wait(timeout=120) == 0, writer.stderr.read()[-2000:]
    finally:
        for proc, _url in apis:
            proc.terminate()
            proc.wait(timeout=60)
        if writer.poll() is None:
            writer.kill()
    assert not wrong, wrong[:5]
    assert searches >= 60 and all(n > 0 for n in whole.values()), (searches, whole)


def test_the_check_sees_a_half_document():
    hits = [{"doc_id": "900-2025-QĐ-UBND"}] * 3
    assert check(hits, "900-2025-QĐ-UBND", 3) is None and check([], "900-2025-QĐ-UBND", 3) is None
    assert check(hits[:2], "900-2025-QĐ-UBND", 3) == "2 of 3 clauses of 900-2025-QĐ-UBND"
    assert check(hits + [{"doc_id": "khac"}], "900-2025-QĐ-UBND", 3) == "1 hits from other documents"
