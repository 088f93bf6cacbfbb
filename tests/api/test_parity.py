"""The CLI and the API are adapters over one service: the same job run both ways on the real corpus gives the same
result. Each way works on its own copy of one index (so ids assigned by writes match), and every step's output is
compared: the document list, search (with and without diacritics, with filters), a document, a clause, topics,
linking a programme file (NQ 03/NQ-CP → NQ 57), linking a typed task list, stored links, confirm and reject,
coverage, the XLSX export, removing a document."""

from __future__ import annotations

import io
import json
import os
import shutil

import pytest

from tests.conftest import need_shared

KEY = "parity-key"


WHO_AND_WHEN = {"added", "added_by", "updated", "decided_by"}


def _basename_sources(obj):
    """A CLI ingest records the path it was given, an upload the file's name: compare by name. Who did a write
    and when differ by design (the CLI's operating-system account, the API's service key; a second apart)."""
    if isinstance(obj, list):
        return [_basename_sources(x) for x in obj]
    if isinstance(obj, dict):
        return {k: (os.path.basename(v) if k == "source" and isinstance(v, str) else _basename_sources(v))
                for k, v in obj.items() if k not in WHO_AND_WHEN}
    return obj


@pytest.fixture(scope="module")
def both(sample_index, tmp_path_factory, monkeypatch_module):
    from fastapi.testclient import TestClient

    from api import deps
    from api.main import create_app
    from docsearch.config import get_settings

    base = tmp_path_factory.mktemp("parity")
    cli_ix, api_ix = base / "cli", base / "api"
    shutil.copytree(sample_index.path, cli_ix)
    shutil.copytree(sample_index.path, api_ix)
    # one embedding cache for both copies, so each text is embedded once
    shutil.copy(sample_index.path / "embeddings.sqlite", base / "cache.sqlite")
    monkeypatch_module.setenv("DOCSEARCH_EMBEDDING_CACHE", str(base / "cache.sqlite"))
    monkeypatch_module.setenv("DOCSEARCH_INDEX", str(api_ix))
    monkeypatch_module.setenv("DOCSEARCH_API_KEY", KEY)
    get_settings.cache_clear()
    deps.reset_index()
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield cli_ix, client
    deps.reset_index()
    get_settings.cache_clear()


def _cli(capsys, index, *argv) -> object:
    from docsearch.cli import main

    capsys.readouterr()
    code = main([*argv, "--index", str(index)])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out) if "--json" in argv else out.out


def _api(client, method: str, url: str, **kw) -> object:
    r = client.request(method, url, headers={"X-API-Key": KEY}, **kw)
    assert r.status_code in (200, 201, 204), (url, r.status_code, r.text[:500])
    return r.json() if r.content and r.headers.get("content-type", "").startswith("application/json") else r.content


def test_every_job_gives_the_same_result_through_the_cli_and_the_api(both, capsys, tmp_path):
    from openpyxl import load_workbook

    cli_ix, client = both
    programme = need_shared("corpus", "raw", "nq-03-nqcp-2025.txt")

    def same(cli_argv: list[str], method: str, url: str, **kw):
        a = _cli(capsys, cli_ix, *cli_argv)
        b = _api(client, method, url, **kw)
        assert _basename_sources(a) == _basename_sources(b), (cli_argv, url)
        return a

    docs = same(["list", "--json"], "GET", "/documents")
    assert any(d["id"] == "57-NQ-TW" for d in docs)
    same(["status", "--json"], "GET", "/health")
    hits = same(["search", "chuyển đổi số trong cải cách hành chính", "--json"], "GET", "/search",
                params={"q": "chuyển đổi số trong cải cách hành chính"})["hits"]
    assert hits
    same(["search", "chuyen doi so", "-k", "5", "--doc", "57-NQ-TW", "--json"], "GET", "/search",
         params={"q": "chuyen doi so", "k": 5, "doc": "57-NQ-TW"})
    same(["show", "57-NQ-TW", "--json"], "GET", "/documents/57-NQ-TW")
    same(["show", "--clause", str(hits[0]["clause_id"]), "--json"], "GET", f"/clauses/{hits[0]['clause_id']}")
    topics = same(["topics", "--json"], "GET", "/topics")
    busiest = max(topics, key=lambda t: t["clauses"])["topic"]
    same(["topics", busiest, "-k", "20", "--json"], "GET", f"/topics/{busiest}", params={"k": 20})

    # linking a programme file: indexed, its targets found, every task linked, suggestions stored
    a = _cli(capsys, cli_ix, "link", str(programme), "--json")
    b = _api(client, "POST", "/link/upload", files={"file": (programme.name, programme.read_bytes(), "text/plain")})
    assert _basename_sources(a) == _basename_sources(b) and a["target"] == "57-NQ-TW" and len(a["tasks"]) > 20
    assert all(s["link_id"] for t in a["tasks"] for s in t["suggestions"])
    same(["list", "--json"], "GET", "/documents")

    # a typed task list
    tasks = tmp_path / "tasks.txt"
    tasks.write_text("Hoàn thiện thể chế cho phát triển khoa học, công nghệ\nPhát triển hạ tầng số quốc gia\n",
                     encoding="utf-8")
    a = _cli(capsys, cli_ix, "link", "--tasks", str(tasks), "--target", "57-NQ-TW", "--json")
    b = _api(client, "POST", "/link", json={"tasks": tasks.read_text(encoding="utf-8").split("\n")[:2],
                                            "target": "57-NQ-TW"})
    assert _basename_sources(a) == _basename_sources(b) and len(a["tasks"]) == 2

    links = same(["links", "--programme", "03-NQ-CP", "--json"], "GET", "/links", params={"programme": "03-NQ-CP"})
    first, second = links[0]["id"], links[1]["id"]
    assert same(["confirm", str(first), "--json"], "POST", f"/links/{first}/confirm")["status"] == "confirmed"
    assert same(["reject", str(second), "--json"], "POST", f"/links/{second}/reject")["status"] == "rejected"
    same(["links", "--status", "confirmed", "--json"], "GET", "/links", params={"status": "confirmed"})
    cov = same(["coverage", "57-NQ-TW", "--json"], "GET", "/coverage/57-NQ-TW")
    assert any(r["confirmed"] for r in cov["rows"])

    out = tmp_path / "links.xlsx"
    _cli(capsys, cli_ix, "export", str(out), "--programme", "03-NQ-CP")
    got = _api(client, "GET", "/export/links", params={"programme": "03-NQ-CP", "format": "xlsx"})

    def cells(data: bytes) -> list[tuple]:
        return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))

    assert cells(out.read_bytes()) == cells(got) and len(cells(got)) > 20

    _cli(capsys, cli_ix, "remove", "03-NQ-CP")
    _api(client, "DELETE", "/documents/03-NQ-CP")
    assert not [d for d in same(["list", "--json"], "GET", "/documents") if d["id"] == "03-NQ-CP"]
    same(["links", "--json"], "GET", "/links")


def test_errors_agree_too(both, capsys):
    """A missing document is a Vietnamese not-found both ways: exit code 2 with the message, HTTP 404 with it."""
    from docsearch.cli import main

    cli_ix, client = both
    capsys.readouterr()
    assert main(["coverage", "KHONG-CO", "--index", str(cli_ix)]) == 2
    err = capsys.readouterr().err
    r = client.get("/coverage/KHONG-CO")
    assert r.status_code == 404
    assert "không có văn bản 'KHONG-CO'" in err and "không có văn bản 'KHONG-CO'" in r.json()["error"]["message"]
