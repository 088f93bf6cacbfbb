"""The backends: the store on SQLite or PostgreSQL, search on the local engine or on Milvus. The same suite on each
(ingest, replace, remove, filters, search, linking, confirm/reject with who, the audit, schema version), the same
results from each, a move from one engine to the other, and a writer killed mid-batch.

PostgreSQL comes from DOCSEARCH_TEST_DATABASE_URL (a server where the test may create and drop databases; .ci/run
starts Debian's cluster and sets it); Milvus from DOCSEARCH_TEST_MILVUS_URI (.ci/run starts a Milvus Lite server),
or a Milvus Lite server the tests start. Without them those halves are skipped with the reason — a failure in CI."""

from __future__ import annotations

import json
import os

import pytest

from docsearch.structure import parse_file, parse_text
from tests.conftest import SAMPLES


def use(monkeypatch, database_url: str | None = None, milvus_uri: str | None = None) -> None:
    """Settings for the store (SQLite unless a database URL) and the engine (local unless a Milvus URI)."""
    from docsearch.config import get_settings

    for name, value in (("DOCSEARCH_DATABASE_URL", database_url), ("DOCSEARCH_MILVUS_URI", milvus_uri),
                        ("DOCSEARCH_BACKEND", "milvus" if milvus_uri else None)):
        if value:
            monkeypatch.setenv(name, value)
        else:
            monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()


@pytest.fixture(params=["sqlite", "postgresql", "postgresql+milvus"])
def backend(request, tmp_path, monkeypatch):
    """Settings that put an index on SQLite, on PostgreSQL, or on PostgreSQL with search on Milvus."""
    from docsearch.config import get_settings

    use(monkeypatch, request.getfixturevalue("database_url") if "postgresql" in request.param else None,
        request.getfixturevalue("milvus_uri") if "milvus" in request.param else None)
    yield request.param
    get_settings.cache_clear()


def _sample_docs():
    return [parse_file(str(SAMPLES / n)) for n in ("mau-nq-05-nqtu-2025.txt", "mau-ctr-12-ubnd-2025.txt",
                                                    "mau-qd-07-ubnd-2025.txt")]


def _run_suite(path) -> dict:
    """Every job the store serves, on whichever store the settings name; returns what the jobs gave."""
    from docsearch import service
    from docsearch.index import Index

    out = {}
    ix = Index(path, writable=True)
    try:
        assert ix.store.dialect in ("sqlite", "postgresql")
        assert ix.store.get_meta("schema_version") == "4"
        assert ix.store.engine == ("milvus" if ix.milvus is not None else "local")
        for d in _sample_docs():
            assert ix.add(d, tagger=service.tagger_for(ix), actor="nap")
        ix.commit()
        out["documents"] = [(d.id, d.clauses, d.added_by) for d in service.documents(ix)]
        out["search"] = [(h.doc_id, h.address, h.score) for h in service.search(ix, "quỹ đất nhà ở xã hội", k=8).hits]
        out["bm25"] = [(h.doc_id, h.address, h.score) for h in service.search(ix, "nhà ở xã hội", k=8, mode="bm25").hits]
        out["folded"] = [(h.doc_id, h.address) for h in service.search(ix, "quy dat nha o xa hoi", k=5).hits]
        out["filtered"] = [(h.doc_id, h.address) for h in service.search(
            ix, "nhà ở", k=20, doc_type="Nghị quyết", address="III").hits]
        assert out["filtered"] and all(a.startswith("III") for _d, a in out["filtered"])
        topic = max(service.topics(ix), key=lambda t: t.clauses).topic
        out["topic"] = [(t.doc_id, t.address) for t in service.topic_clauses(ix, topic, k=10)]
        out["topic_filter"] = [(h.doc_id, h.address) for h in service.search(ix, "nhà ở", k=10, topic=topic).hits]
        out["year_filter"] = [(h.doc_id, h.address) for h in service.search(ix, "nhà ở", k=10, year_to=2024).hits]
        assert out["topic_filter"]
        # replace: a changed document keeps its id, its clauses are the new ones
        changed = parse_text((SAMPLES / "mau-qd-07-ubnd-2025.txt").read_text(encoding="utf-8") + "\nĐiều 99. Điều mới thêm.",
                             source="mau-qd-07-ubnd-2025.txt")
        assert ix.add(changed, actor="nap")
        ix.commit()
        out["replaced"] = [c["address"] for c in ix.store.clause_tree(changed.id)][-2:]
        # linking, with decisions that record who took them
        view = service.link_view(ix, service.link_programme(ix, _sample_docs()[1], top=3, actor="sua"))
        out["links"] = [(t.address, [(s.address, s.score) for s in t.suggestions]) for t in view.tasks]
        first = view.tasks[0].suggestions[0].link_id
        assert service.set_link_status(ix, first, "confirmed", actor="sua").decided_by == "sua"
        second = view.tasks[1].suggestions[0].link_id
        assert service.set_link_status(ix, second, "rejected", actor="sua").status == "rejected"
        out["coverage"] = [(r.address, r.confirmed, r.suggested) for r in service.coverage_of(ix, "05-NQ-TU").rows]
        # remove: the document, its clauses and its links go in one transaction
        service.remove_document(ix, "07-2025-QĐ-UBND", actor="quan-tri")
        out["after_remove"] = sorted(d.id for d in service.documents(ix))
        out["audit"] = [(a.actor, a.action) for a in service.audit(ix)][:4]
        assert not [h for h in service.search(ix, "điều mới thêm", k=5).hits if h.doc_id == "07-2025-QĐ-UBND"]
    finally:
        ix.close()
    # a reader that opens later sees the same committed state
    reader = Index(path)
    try:
        out["reader"] = [(h.doc_id, h.address) for h in reader.search("quỹ đất nhà ở xã hội", k=5)]
    finally:
        reader.close()
    return out


def test_the_backend_suite(backend, tmp_path):
    out = _run_suite(tmp_path / "ix")
    assert out["replaced"][-1].startswith("Điều 99")
    assert out["audit"][0] == ("quan-tri", "delete") and ("sua", "confirmed") in out["audit"]
    assert "07-2025-QĐ-UBND" not in out["after_remove"] and len(out["after_remove"]) == 2
    assert out["reader"] == [x[:2] for x in out["search"][:5]]


def _same(a, b, tol: float = 2e-3) -> bool:
    """Equal, except floats (scores) may differ by `tol`: Milvus sums BM25 in another order than bm25s."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= tol
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k], tol) for k in a)
    return a == b


def test_every_backend_gives_the_same_results(database_url, milvus_uri, tmp_path, monkeypatch):
    from docsearch.config import get_settings

    try:
        use(monkeypatch)
        on_sqlite = _run_suite(tmp_path / "sqlite")
        use(monkeypatch, database_url)
        on_postgres = _run_suite(tmp_path / "postgres")
        use(monkeypatch, None, milvus_uri)
        on_milvus = _run_suite(tmp_path / "milvus")
    finally:
        get_settings.cache_clear()
    assert on_postgres == on_sqlite
    diff = [k for k in on_sqlite if not _same(on_sqlite[k], on_milvus[k])]
    assert not diff, [(k, on_sqlite[k], on_milvus[k]) for k in diff]


def test_an_index_moves_to_milvus_and_back(milvus_uri, tmp_path, monkeypatch, capsys):
    """docsearch migrate --to milvus on a local index: nothing re-embedded, the same answers; and back."""
    from docsearch import service
    from docsearch.config import get_settings
    from docsearch.errors import IndexMismatchError
    from docsearch.index import Index, migrate_engine

    path = tmp_path / "ix"
    queries = ["quỹ đất nhà ở xã hội", "chuyen doi so", "hỗ trợ tiền thuê nhà"]
    try:
        use(monkeypatch)
        with Index(path, writable=True) as ix:
            for d in _sample_docs():
                ix.add(d, tagger=service.tagger_for(ix))
            ix.commit()
            before = [[(h.doc_id, h.address) for h in ix.search(q, k=5)] for q in queries]
        use(monkeypatch, None, milvus_uri)
        with pytest.raises(IndexMismatchError, match="migrate --to milvus"):
            Index(path)
        from docsearch.cli import main

        assert main(["migrate", "--to", "milvus", "--index", str(path), "--json"]) == 0
        moved = json.loads(capsys.readouterr().out)
        assert moved["from"] == "local" and moved["written"] == moved["clauses"] > 0
        with Index(path) as ix:
            assert ix.milvus.count()[0] == moved["clauses"]
            assert [[(h.doc_id, h.address) for h in ix.search(q, k=5)] for q in queries] == before
        use(monkeypatch)
        assert migrate_engine(path, "local")["to"] == "local"
        with Index(path) as ix:
            assert [[(h.doc_id, h.address) for h in ix.search(q, k=5)] for q in queries] == before
    finally:
        get_settings.cache_clear()


def test_an_old_postgres_schema_is_migrated(database_url):
    import psycopg

    from docsearch.index.store_pg import PostgresStore

    with psycopg.connect(database_url, autocommit=True) as db:  # a version-2 store, as an older docsearch left it
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('schema_version', '2'), ('generation', '5')")
        db.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, source TEXT, number TEXT, type TEXT, issuer TEXT,"
                   " date TEXT, year INTEGER, title TEXT, signer TEXT, place TEXT, content_hash TEXT, warnings TEXT,"
                   " topics TEXT, added TEXT)")
    store = PostgresStore(database_url)
    try:
        assert store.get_meta("schema_version") == "4" and store.generation() == 5
        assert store.documents() == []
    finally:
        store.close()


@pytest.mark.parametrize("engine", ["local", "milvus"])
def test_an_ingest_killed_mid_batch_on_postgres(engine, database_url, tmp_path, request):
    """kill -9 of a writer on the PostgreSQL store (searching locally or on Milvus): every committed document is
    whole, and the next writer goes on — on Milvus it first writes what the killed one had queued."""
    import signal
    import subprocess
    import sys
    import time

    from docsearch.config import get_settings
    from docsearch.index import Index
    from tests.conftest import ROOT
    from tests.index.test_crash import TEMPLATE, WRITER

    settings = {"DOCSEARCH_DATABASE_URL": database_url}
    if engine == "milvus":
        settings |= {"DOCSEARCH_BACKEND": "milvus", "DOCSEARCH_MILVUS_URI": request.getfixturevalue("milvus_uri")}
    env = {**os.environ, "PYTHONPATH": str(ROOT), **settings}
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path / "ix"), "1000", "1040", str(TEMPLATE)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    added = 0
    deadline = time.monotonic() + 300
    for line in proc.stdout:
        added += line.startswith("STORED")
        if added >= 3 or time.monotonic() > deadline:
            break
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert added >= 3, proc.stderr.read()[-2000:]
    os.environ.update(settings)
    get_settings.cache_clear()
    try:
        ix = Index(tmp_path / "ix", writable=True, lock_timeout=5)
        try:
            n = len(parse_text(TEMPLATE.read_text(encoding="utf-8")).clauses)
            docs = ix.store.documents()
            assert len(docs) >= 3 and all(d["clauses"] == n for d in docs)
            extra = parse_text(TEMPLATE.read_text(encoding="utf-8").replace("07/2025/QĐ-UBND", "88888/2025/QĐ-UBND"),
                               source="moi.txt")
            assert ix.add(extra)
            ix.commit()
            assert ix.search("hỗ trợ tiền thuê nhà", k=3)
            if engine == "milvus":
                assert ix.store.outbox() == []
                assert ix.milvus.count()[0] == ix.store.counts()[1] == (len(docs) + 1) * n
                found = {h.doc_id for h in ix.search("hỗ trợ tiền thuê nhà", k=50, mode="bm25")}
                assert found == {d["id"] for d in docs} | {extra.id}
        finally:
            ix.close()
    finally:
        for name in settings:
            del os.environ[name]
        get_settings.cache_clear()


def test_a_milvus_that_does_not_answer_is_a_clear_503(tmp_path, monkeypatch):
    """The Milvus server going away: the service names it (EngineUnavailableError), the API answers 503 with that
    message, in Vietnamese and in English."""
    pytest.importorskip("milvus_lite")
    from fastapi.testclient import TestClient

    from api import deps
    from api.main import create_app
    from docsearch import service
    from docsearch.config import get_settings
    from docsearch.errors import EngineUnavailableError
    from docsearch.index import Index
    from tests.servers import start_milvus_lite

    proc, uri = start_milvus_lite(tmp_path / "milvus")
    try:
        use(monkeypatch, None, uri)
        path = tmp_path / "ix"
        with Index(path, writable=True) as ix:
            for d in _sample_docs():
                ix.add(d)
            ix.commit()
            assert service.search(ix, "nhà ở xã hội", k=3).hits
            proc.kill()
            proc.wait()
            with pytest.raises(EngineUnavailableError, match=uri.split("//")[1]):
                service.search(ix, "nhà ở xã hội", k=3)
        monkeypatch.setenv("DOCSEARCH_INDEX", str(path))
        get_settings.cache_clear()
        deps.reset_index()
        with TestClient(create_app(), raise_server_exceptions=False) as client:
            r = client.get("/search", params={"q": "nhà ở xã hội"})
            assert r.status_code == 503 and r.json()["error"]["code"] == "unavailable"
            assert "Milvus" in r.json()["error"]["message"] and "không trả lời" in r.json()["error"]["message"]
            r = client.get("/search", params={"q": "nhà ở xã hội"}, headers={"Accept-Language": "en"})
            assert r.status_code == 503 and "does not answer" in r.json()["error"]["message"]
    finally:
        if proc.poll() is None:
            proc.kill()
        deps.reset_index()
        get_settings.cache_clear()
