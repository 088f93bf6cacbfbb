"""Accounts and roles: viewer reads, editor uploads / links / confirms / rejects, admin deletes and manages
accounts. Every route that changes data refuses a request without the right role (the test walks the OpenAPI
routes, so a route added later is checked too); passwords are stored as Argon2 hashes; API tokens are per user and
die with the account; every write records who and when; errors in Vietnamese, in English on request."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PASSWORD = "mot-mat-khau-dai"
WRITES = {"post", "put", "patch", "delete"}
OPEN_WRITES = {("post", "/login/access-token")}
OPEN_READS = {"/health", "/me", "/"}


@pytest.fixture(scope="module")
def people(client, sample_index):
    from docsearch import service

    tokens = {}
    for name, role in (("xem", "viewer"), ("sua", "editor"), ("quan-tri", "admin")):
        service.add_user(sample_index, name, role, PASSWORD, actor="test")
        r = client.post("/login/access-token", data={"username": name, "password": PASSWORD})
        assert r.status_code == 200, r.text
        tokens[role] = {"Authorization": "Bearer " + r.json()["access_token"], "X-API-Key": ""}
    tokens["nobody"] = {"X-API-Key": ""}
    return tokens


def _routes(client):
    spec = client.get("/openapi.json").json()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            needs = "admin" if method == "delete" or path.startswith("/users") else "editor"
            yield method, path, needs, op


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda m: "1" if m.group(0) in ("{link_id}", "{clause_id}") else "x", path)


def test_every_route_that_changes_data_refuses_without_the_role(client, people):
    checked = 0
    for method, path, needs, _op in _routes(client):
        if method not in WRITES or (method, path) in OPEN_WRITES:
            continue
        url = _url(path)
        r = client.request(method.upper(), url, headers=people["nobody"])
        assert r.status_code == 401, (method, path, r.status_code)
        assert r.json()["error"]["message"] == "cần đăng nhập để làm việc này"
        r = client.request(method.upper(), url, headers=people["viewer"])
        assert r.status_code == 403, (method, path, r.status_code)
        assert "không có quyền" in r.json()["error"]["message"]
        if needs == "admin":
            r = client.request(method.upper(), url, headers=people["editor"])
            assert r.status_code == 403, (method, path, r.status_code)
        checked += 1
    assert checked >= 9  # upload, delete, link, link/upload, confirm, reject, users (add, remove, token)


def test_reading_can_be_closed_by_configuration(client, people, monkeypatch):
    from docsearch.config import get_settings

    assert client.get("/documents", headers=people["nobody"]).status_code == 200  # DOCSEARCH_PUBLIC_READ=1
    monkeypatch.setattr(get_settings(), "public_read", False)
    for method, path, _needs, _op in _routes(client):
        if method == "get" and path not in OPEN_READS:
            assert client.get(_url(path), headers=people["nobody"]).status_code == 401, path
    assert client.get("/documents", headers=people["viewer"]).status_code == 200
    assert client.get("/health", headers=people["nobody"]).status_code == 200


def test_decisions_record_who_and_the_audit_shows_them(client, people):
    r = client.post("/link", json={"tasks": ["Xây dựng cơ sở dữ liệu nhà ở"], "target": "05-NQ-TU", "top": 2},
                    headers=people["editor"])
    assert r.status_code == 200, r.text
    link_id = r.json()["tasks"][0]["suggestions"][0]["link_id"]
    done = client.post(f"/links/{link_id}/confirm", headers=people["editor"]).json()
    assert done["status"] == "confirmed" and done["decided_by"] == "sua" and done["updated"]
    stored = [x for x in client.get("/links").json() if x["id"] == link_id][0]
    assert stored["decided_by"] == "sua"
    assert client.get("/audit", headers=people["viewer"]).status_code == 403
    trail = client.get("/audit", headers=people["editor"]).json()
    assert {"actor": "sua", "action": "confirmed", "target": f"link {link_id}"}.items() <= trail[0].items()
    assert any(a["actor"] == "sua" and a["action"] == "link" for a in trail)


def test_upload_records_who_added_the_document(client, people):
    from tests.conftest import SAMPLES

    text = (SAMPLES / "mau-qd-07-ubnd-2025.txt").read_text(encoding="utf-8").replace("07/2025/QĐ-UBND", "77/2025/QĐ-UBND")
    r = client.post("/documents", files={"file": ("qd77.txt", text.encode(), "text/plain")}, headers=people["editor"])
    assert r.status_code == 201, r.text
    doc = client.get("/documents/77-2025-QĐ-UBND").json()
    assert doc["added_by"] == "sua" and doc["added"]
    assert client.delete("/documents/77-2025-QĐ-UBND", headers=people["editor"]).status_code == 403
    assert client.delete("/documents/77-2025-QĐ-UBND", headers=people["admin"]).status_code == 204
    trail = client.get("/audit?actor=quan-tri", headers=people["admin"]).json()
    assert trail[0]["action"] == "delete" and trail[0]["target"] == "77-2025-QĐ-UBND"


def test_passwords_are_argon2_hashes_and_wrong_ones_fail(client, sample_index, people):
    row = sample_index.store.user("sua")
    assert row["password_hash"].startswith("$argon2id$") and PASSWORD not in row["password_hash"]
    r = client.post("/login/access-token", data={"username": "sua", "password": "sai-mat-khau"})
    assert r.status_code == 401 and r.json()["error"]["message"] == "sai tên tài khoản hoặc mật khẩu"
    r = client.post("/login/access-token", data={"username": "sua", "password": "sai"},
                    headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert r.json()["error"]["message"] == "wrong account name or password"
    bad = client.get("/documents", headers={"Authorization": "Bearer a.b.c", "X-API-Key": ""})
    assert bad.status_code == 401 and "đăng nhập lại" in bad.json()["error"]["message"]


def test_accounts_from_the_command_line_and_tokens_for_scripts(client, sample_index):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def cli(*args, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "docsearch.cli", *args, "--index", str(sample_index.path)],
                              input=stdin, capture_output=True, text=True, env=env, timeout=120)

    assert cli("user", "add", "kich-ban", "--role", "editor", stdin=PASSWORD + "\n").returncode == 0
    short = cli("user", "add", "ngan", "--role", "editor", stdin="123\n")
    assert short.returncode == 2 and "mật khẩu cần ít nhất 8 ký tự" in short.stderr
    listed = json.loads(cli("user", "list", "--json").stdout)
    assert {"name": "kich-ban", "role": "editor"}.items() <= next(u for u in listed if u["name"] == "kich-ban").items()
    token = cli("user", "token", "kich-ban", "--label", "đồng bộ").stdout.strip()
    assert token.startswith("ds_")
    for headers in ({"X-API-Key": token}, {"Authorization": "Bearer " + token, "X-API-Key": ""}):
        me = client.get("/me", headers=headers).json()
        assert me["user"] == "kich-ban" and me["role"] == "editor"
    assert cli("user", "remove", "kich-ban").returncode == 0
    assert client.get("/me", headers={"X-API-Key": token}).status_code == 401  # the token died with the account
    trail = json.loads(cli("audit", "--json").stdout)
    assert [a["action"] for a in trail[:3]] == ["user-remove", "token-add", "user-add"]
