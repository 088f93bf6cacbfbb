"""Shared fixtures. Real documents come from ../shared (tests that need them skip cleanly when it is absent).

Skips are reported with their reason (`-rs`). In CI (`CI=true`) a skip is a failure: there the shared data, the
OCR engine, the browser and the database engines must all be present, so a test never passes by not running."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DOCSEARCH_SHARED", ROOT.parent / "shared"))
RAW = SHARED / "corpus" / "raw"
SAMPLES = ROOT / "corpus"
IN_CI = os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if IN_CI and rep.skipped and not hasattr(rep, "wasxfail"):
        reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
        rep.outcome = "failed"
        rep.longrepr = f"skipped in CI (CI=true), where every tool and data set must be present: {reason}"


def need_shared(*parts: str) -> Path:
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is absent (the shared data set is not beside this checkout)")
    return p


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def f1(pred, gold) -> float:
    p, g = set(pred), set(gold)
    tp = len(p & g)
    if not tp:
        return 0.0
    prec, rec = tp / len(p), tp / len(g)
    return 2 * prec * rec / (prec + rec)


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return need_shared("corpus", "raw")


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory):
    """An index of the sample corpus (and NQ 57 / KL 69 when ../shared is present), with topic tags."""
    from docsearch.index import Index
    from docsearch.pipeline import collect_files, ingest_files
    from docsearch.tagging import get_tagger

    path = tmp_path_factory.mktemp("index")
    files = collect_files([SAMPLES])
    for name in ("nq-57-nqtw-2024.txt", "kl-69-kltw-2024.txt"):
        if (RAW / name).exists():
            files.append(RAW / name)
    ix = Index(path, writable=True)
    report = ingest_files(ix, files, tagger=get_tagger(embedder=ix.embedder, cache=ix.cache))
    assert not report.failed, report.failed
    ix.close()  # release the writer lock: tests read, and the API writes through its own writer
    reader = Index(path)
    yield reader
    reader.close()


@pytest.fixture(scope="session")
def milvus_uri(tmp_path_factory):
    """A running Milvus: DOCSEARCH_TEST_MILVUS_URI when set (.ci/run starts a Milvus Lite server and sets it),
    else a Milvus Lite server started here for the session; skipped with the reason when neither can be had."""
    url = os.environ.get("DOCSEARCH_TEST_MILVUS_URI")
    if url:
        yield url
        return
    try:
        import milvus_lite  # noqa: F401
        import pymilvus  # noqa: F401
    except ImportError:
        pytest.skip("no Milvus: set DOCSEARCH_TEST_MILVUS_URI, or install the 'milvus' extra (.ci/run does)")
    from tests.servers import start_milvus_lite

    proc, url = start_milvus_lite(tmp_path_factory.mktemp("milvus"))
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def database_url():
    """A fresh PostgreSQL database for one test, dropped after it (DOCSEARCH_TEST_DATABASE_URL names a server where
    the tests may create and drop databases; .ci/run starts Debian's cluster and sets it)."""
    admin_url = os.environ.get("DOCSEARCH_TEST_DATABASE_URL")
    if not admin_url:
        pytest.skip("no PostgreSQL server: set DOCSEARCH_TEST_DATABASE_URL (.ci/run starts one)")
    import psycopg

    name = "ds_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    base, _, _ = admin_url.rpartition("/")
    yield f"{base}/{name}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
