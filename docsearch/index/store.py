"""SQLite store: documents, clauses (with their analysed tokens and vectors), references, tags and links.

It is the one source of truth: the BM25 and FAISS indexes are derived from it and can always be rebuilt.
Every document is written in one transaction, so a crash leaves either the old or the new document."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from docsearch.index import terms
from docsearch.model import Clause, Document, Metadata, Reference, Tag

SCHEMA_VERSION = 4
# schema changes, applied in order to a store of an older version (each in one transaction); new tables are made
# by _SCHEMA's CREATE TABLE IF NOT EXISTS, which runs on every open
_MIGRATIONS = {
    2: ["ALTER TABLE refs ADD COLUMN address TEXT"],  # references carry the clause they cite
    3: ["ALTER TABLE documents ADD COLUMN added_by TEXT",  # who uploaded a document, who decided a link
        "ALTER TABLE links ADD COLUMN decided_by TEXT"],
}

# {ID}, {BLOB}, {REAL}: the dialect's types (SQLite here, PostgreSQL in store_pg.py)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, source TEXT, number TEXT, type TEXT, issuer TEXT, date TEXT, year INTEGER,
    title TEXT, signer TEXT, place TEXT, content_hash TEXT, warnings TEXT, topics TEXT, added TEXT, added_by TEXT
);
CREATE TABLE IF NOT EXISTS clauses (
    id {ID}, doc_id TEXT NOT NULL, ord INTEGER, address TEXT, label TEXT,
    level INTEGER, heading TEXT, text TEXT, breadcrumb TEXT, parent TEXT, page INTEGER, kind TEXT,
    fields TEXT, tok_words TEXT, tok_syl TEXT, vec {BLOB}, UNIQUE (doc_id, address)
);
CREATE INDEX IF NOT EXISTS clauses_doc ON clauses (doc_id);
CREATE TABLE IF NOT EXISTS segments (
    id {ID}, clause_id INTEGER NOT NULL, tok_words TEXT, vec {BLOB}
);
CREATE INDEX IF NOT EXISTS segments_clause ON segments (clause_id);
CREATE TABLE IF NOT EXISTS refs (
    doc_id TEXT, clause TEXT, number TEXT, doc_type TEXT, title TEXT, year INTEGER, date TEXT,
    relation TEXT, text TEXT, address TEXT
);
CREATE INDEX IF NOT EXISTS refs_doc ON refs (doc_id);
CREATE INDEX IF NOT EXISTS refs_number ON refs (number);
CREATE TABLE IF NOT EXISTS tags (clause_id INTEGER, topic TEXT, score {REAL}, evidence TEXT);
CREATE INDEX IF NOT EXISTS tags_clause ON tags (clause_id);
CREATE INDEX IF NOT EXISTS tags_topic ON tags (topic);
CREATE TABLE IF NOT EXISTS links (
    id {ID}, task_doc TEXT, task_address TEXT, task_text TEXT,
    target_doc TEXT, clause_address TEXT, score {REAL}, status TEXT, rank INTEGER, updated TEXT, decided_by TEXT,
    UNIQUE (task_doc, task_address, task_text, target_doc, clause_address)
);
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL, created TEXT, active INTEGER DEFAULT 1
);
CREATE TABLE IF NOT EXISTS api_tokens (
    id {ID}, account TEXT NOT NULL, token_hash TEXT UNIQUE NOT NULL, label TEXT,
    created TEXT, last_used TEXT
);
CREATE TABLE IF NOT EXISTS audit (
    id {ID}, at TEXT NOT NULL, actor TEXT, action TEXT NOT NULL, target TEXT, detail TEXT
);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
-- kept only when search runs on a server engine (meta backend = milvus): the clauses whose rows the engine must
-- write or delete, in the order they changed, and the BM25 statistics (docsearch/index/terms.py)
CREATE TABLE IF NOT EXISTS outbox (seq {ID}, op TEXT NOT NULL, clause_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS term_df (id {ID}, field TEXT NOT NULL, token TEXT NOT NULL, df INTEGER NOT NULL,
    UNIQUE (field, token));
CREATE TABLE IF NOT EXISTS term_totals (field TEXT PRIMARY KEY, n INTEGER NOT NULL, length INTEGER NOT NULL);
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


SQLITE_TYPES = {"ID": "INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB": "BLOB", "REAL": "REAL"}


class Store:
    """The store on SQLite (one file beside the derived indexes). The SQL is written once for both dialects:
    `?` placeholders, INSERT … ON CONFLICT, RETURNING; PostgresStore (store_pg.py) changes only the connection,
    the types of the schema and how a write transaction is serialised."""

    dialect = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=60, isolation_level=None)
        self._x("PRAGMA journal_mode=WAL")
        self._x("PRAGMA synchronous=FULL")
        self._x("PRAGMA busy_timeout=60000")
        self.lock = threading.RLock()
        self._open()

    def _open(self) -> None:
        with self.lock:
            self._init_schema()
            if self.get_meta("schema_version") is None:
                self.set_meta("schema_version", str(SCHEMA_VERSION))
                self.set_meta("generation", "0")
            elif int(self.get_meta("schema_version") or 0) > SCHEMA_VERSION:
                raise RuntimeError(f"{self.path}: index schema {self.get_meta('schema_version')} is newer than this docsearch")
            else:
                self._migrate(int(self.get_meta("schema_version") or 1))

    @property
    def engine(self) -> str:
        """Where this index's search runs ('local' or 'milvus'); a server engine needs the outbox and the BM25
        statistics kept with every write."""
        return self.get_meta("backend") or "local"

    # -- the dialect ---------------------------------------------------------------------------------------------
    def _x(self, sql: str, args: tuple | list = ()):
        return self._db.execute(sql, args)

    def _xmany(self, sql: str, rows: list[tuple]) -> None:
        self._db.executemany(sql, rows)

    def _init_schema(self) -> None:
        self._db.executescript(_SCHEMA.format(**SQLITE_TYPES))

    def _has_column(self, table: str, column: str) -> bool:
        return any(r[1] == column for r in self._x(f"PRAGMA table_info({table})"))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on any error), serialised within the
        process; SQLite serialises it against other processes."""
        with self.lock:
            self._x("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._x("ROLLBACK")
                raise
            self._x("COMMIT")

    def _migrate(self, version: int) -> None:
        for v in range(version + 1, SCHEMA_VERSION + 1):
            with self.transaction():
                if int(self.get_meta("schema_version") or 1) < v:  # another process may have migrated meanwhile
                    for statement in _MIGRATIONS.get(v, []):
                        added = re.match(r"ALTER TABLE (\w+) ADD COLUMN (\w+)", statement)
                        if added and self._has_column(*added.groups()):
                            continue  # the table was created at the newer schema (CREATE TABLE IF NOT EXISTS)
                        self._x(statement)
                    self.set_meta("schema_version", str(v))

    # -- meta ------------------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._x("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._x("INSERT INTO meta (key, value) VALUES (?,?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value))

    def meta_setdefault(self, key: str, value: str) -> str:
        """The value of `key`, set to `value` first if it has none (the first of several processes wins)."""
        self._x("INSERT INTO meta (key, value) VALUES (?,?) ON CONFLICT (key) DO NOTHING", (key, value))
        return self.get_meta(key) or value

    def generation(self) -> int:
        return int(self.get_meta("generation") or 0)

    # -- documents ---------------------------------------------------------------------------------------
    def content_hash(self, doc_id: str) -> str | None:
        row = self._x("SELECT content_hash FROM documents WHERE id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    def doc_id_by_source(self, source: str) -> str | None:
        row = self._x("SELECT id FROM documents WHERE source=?", (source,)).fetchone()
        return row[0] if row else None

    def put_document(self, doc: Document, tokens: list[dict[str, list[str]]], vectors: np.ndarray,
                     segments: list[list[tuple[list[str], np.ndarray]]] | None = None, actor: str | None = None
                     ) -> tuple[list[int], list[int], list[int], list[int]]:
        """Replace a document in one transaction. Returns (removed clause ids, new clause ids, removed segment ids,
        new segment ids)."""
        m = doc.metadata
        with self.transaction():
            tracked = self.engine != "local"
            removed = [r[0] for r in self._x("SELECT id FROM clauses WHERE doc_id=?", (doc.id,))]
            seg_removed = self._segment_ids(doc.id)
            if tracked:
                self._count_terms(self._term_rows(doc.id), -1)
            self._delete(doc.id)
            new_segs: list[int] = []
            now = _now()
            self._x(
                "INSERT INTO documents (id, source, number, type, issuer, date, year, title, signer, place, content_hash,"
                " warnings, topics, added, added_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, doc.source, m.number, m.type, m.issuer, m.date, m.year, m.title, m.signer, m.place,
                 doc.content_hash, json.dumps(doc.warnings, ensure_ascii=False),
                 json.dumps([asdict(t) for t in doc.tags], ensure_ascii=False), now, actor),
            )
            if actor is not None:
                self._audit(actor, "upload", doc.id, doc.source, now)
            new_ids = []
            for i, (c, tok) in enumerate(zip(doc.clauses, tokens)):
                cur = self._x(
                    "INSERT INTO clauses (doc_id, ord, address, label, level, heading, text, breadcrumb, parent,"
                    " page, kind, fields, tok_words, tok_syl, vec) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                    (doc.id, i, c.address, c.label, c.level, c.heading, c.text, c.breadcrumb, c.parent, c.page,
                     c.kind, json.dumps(c.fields, ensure_ascii=False), " ".join(tok["words"]),
                     " ".join(tok["syllables"]), np.asarray(vectors[i], dtype=np.float32).tobytes()),
                )
                cid = int(cur.fetchone()[0])
                new_ids.append(cid)
                for seg_tokens, seg_vec in (segments[i] if segments else []):
                    cur = self._x("INSERT INTO segments (clause_id, tok_words, vec) VALUES (?,?,?) RETURNING id",
                                          (cid, " ".join(seg_tokens), np.asarray(seg_vec, np.float32).tobytes()))
                    new_segs.append(int(cur.fetchone()[0]))
                for t in c.tags:
                    self._x("INSERT INTO tags VALUES (?,?,?,?)",
                                    (cid, t.topic, t.score, json.dumps(t.evidence, ensure_ascii=False)))
            for r in doc.references:
                self._x("INSERT INTO refs (doc_id, clause, number, doc_type, title, year, date, relation,"
                                " text, address) VALUES (?,?,?,?,?,?,?,?,?,?)",
                                (doc.id, r.clause, r.number, r.doc_type, r.title, r.year, r.date, r.relation, r.text,
                                 r.address))
            if tracked:
                self._count_terms(self._term_rows(doc.id), +1)
                self._queue("del", removed)
                self._queue("put", new_ids)
            self.set_meta("generation", str(self.generation() + 1))
        return removed, new_ids, seg_removed, new_segs

    # -- what a server engine needs: the outbox and the BM25 statistics ------------------------------------------
    def _term_rows(self, doc_id: str) -> list[tuple[str, str, list[str]]]:
        """(tok_words, tok_syl, segment tok_words) of each clause of a document."""
        segs: dict[int, list[str]] = {}
        for cid, tw in self._x("SELECT s.clause_id, s.tok_words FROM segments s JOIN clauses c ON c.id = s.clause_id"
                               " WHERE c.doc_id=? ORDER BY s.id", (doc_id,)):
            segs.setdefault(cid, []).append(tw or "")
        return [(tw, ts, segs.get(cid, [])) for cid, tw, ts in self._x(
            "SELECT id, tok_words, tok_syl FROM clauses WHERE doc_id=? ORDER BY id", (doc_id,))]

    def _count_terms(self, rows: list[tuple[str, str, list[str]]], sign: int) -> None:
        """Add (sign +1) or take away (-1) these clauses' tokens from the BM25 statistics."""
        if not rows:
            return
        df, totals = terms.corpus_counts(rows)
        for field, counts in df.items():
            self._xmany("INSERT INTO term_df (field, token, df) VALUES (?,?,?) ON CONFLICT (field, token) DO UPDATE"
                        " SET df = term_df.df + excluded.df",
                        [(field, t, sign * c) for t, c in sorted(counts.items())])
        self._xmany("INSERT INTO term_totals (field, n, length) VALUES (?,?,?) ON CONFLICT (field) DO UPDATE"
                    " SET n = term_totals.n + excluded.n, length = term_totals.length + excluded.length",
                    [(f, sign * n, sign * length) for f, (n, length) in sorted(totals.items())])

    def _queue(self, op: str, clause_ids: list[int]) -> None:
        if clause_ids:
            self._xmany("INSERT INTO outbox (op, clause_id) VALUES (?,?)", [(op, c) for c in clause_ids])

    def track_terms(self, engine: str) -> None:
        """Make `engine` this index's search engine. For a server engine, count the BM25 statistics of everything
        stored and queue every clause for it, in one transaction (docsearch migrate)."""
        with self.transaction():
            self._x("DELETE FROM term_df")
            self._x("DELETE FROM term_totals")
            self._x("DELETE FROM outbox")
            if engine != "local":
                for (doc_id,) in self._x("SELECT id FROM documents ORDER BY id").fetchall():
                    self._count_terms(self._term_rows(doc_id), +1)
                self._queue("put", self.clause_ids())
            self.set_meta("backend", engine)
            self.set_meta("generation", str(self.generation() + 1))

    def term_stats(self, field: str, tokens: Iterable[str]) -> dict[str, tuple[int, int]]:
        """token → (term id, document frequency) of the given tokens in a BM25 field."""
        toks = sorted(set(tokens))
        out: dict[str, tuple[int, int]] = {}
        for i in range(0, len(toks), 900):
            chunk = toks[i:i + 900]
            for tid, tok, df in self._x(f"SELECT id, token, df FROM term_df WHERE field=? AND token IN "
                                        f"({','.join('?' * len(chunk))})", [field, *chunk]):
                out[tok] = (int(tid), int(df))
        return out

    def term_totals(self) -> dict[str, tuple[int, int]]:
        """field → (entries, total length) of the BM25 statistics."""
        return {f: (int(n), int(length)) for f, n, length in self._x("SELECT field, n, length FROM term_totals")}

    def outbox(self, limit: int = 100_000) -> list[tuple[int, str, int]]:
        """The oldest queued changes for the search engine: (seq, 'put' | 'del', clause id)."""
        return [(int(a), b, int(c)) for a, b, c in self._x(
            "SELECT seq, op, clause_id FROM outbox ORDER BY seq LIMIT ?", (limit,))]

    def outbox_done(self, upto: int) -> None:
        self._x("DELETE FROM outbox WHERE seq <= ?", (upto,))

    def engine_rows(self, clause_ids: list[int]) -> list[dict]:
        """What a search engine stores of each clause: its document's filter fields, its topics, its tokens and
        vector, and its segments (id, tokens, vector); clauses no longer stored are left out."""
        out: list[dict] = []
        cols = ["id", "doc_id", "address", "tok_words", "tok_syl", "vec", "type", "issuer", "year"]
        for i in range(0, len(clause_ids), 500):
            chunk = clause_ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            rows = {r[0]: dict(zip(cols, r)) for r in self._x(
                f"SELECT c.id, c.doc_id, c.address, c.tok_words, c.tok_syl, c.vec, d.type, d.issuer, d.year FROM"
                f" clauses c JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({marks})", chunk)}
            for r in rows.values():
                r["topics"], r["segments"] = [], []
            for cid, topic in self._x(f"SELECT clause_id, topic FROM tags WHERE clause_id IN ({marks})"
                                      " ORDER BY score DESC, topic", chunk):
                rows[cid]["topics"].append(topic)
            for sid, cid, tw, vec in self._x(f"SELECT id, clause_id, tok_words, vec FROM segments WHERE clause_id IN"
                                             f" ({marks}) ORDER BY id", chunk):
                rows[cid]["segments"].append((sid, tw or "", vec))
            out.extend(rows[c] for c in chunk if c in rows)
        return out

    def _segment_ids(self, doc_id: str) -> list[int]:
        return [r[0] for r in self._x(
            "SELECT s.id FROM segments s JOIN clauses c ON c.id = s.clause_id WHERE c.doc_id=?", (doc_id,))]

    def _delete(self, doc_id: str) -> None:
        self._x("DELETE FROM tags WHERE clause_id IN (SELECT id FROM clauses WHERE doc_id=?)", (doc_id,))
        self._x("DELETE FROM segments WHERE clause_id IN (SELECT id FROM clauses WHERE doc_id=?)", (doc_id,))
        self._x("DELETE FROM clauses WHERE doc_id=?", (doc_id,))
        self._x("DELETE FROM refs WHERE doc_id=?", (doc_id,))
        self._x("DELETE FROM documents WHERE id=?", (doc_id,))

    def remove_document(self, doc_id: str, actor: str | None = None) -> tuple[list[int], list[int]]:
        """Remove a document, its clauses, segments, tags, references and links in one transaction. Returns
        (removed clause ids, removed segment ids)."""
        with self.transaction():
            removed = [r[0] for r in self._x("SELECT id FROM clauses WHERE doc_id=?", (doc_id,))]
            seg_removed = self._segment_ids(doc_id)
            if not removed and not self._x("SELECT 1 FROM documents WHERE id=?", (doc_id,)).fetchone():
                return [], []
            if self.engine != "local":
                self._count_terms(self._term_rows(doc_id), -1)
                self._queue("del", removed)
            self._delete(doc_id)
            self._x("DELETE FROM links WHERE task_doc=? OR target_doc=?", (doc_id, doc_id))
            self.set_meta("generation", str(self.generation() + 1))
            if actor is not None:
                self._audit(actor, "delete", doc_id, None, _now())
        return removed, seg_removed

    def documents(self) -> list[dict]:
        cols = ["id", "source", "number", "type", "issuer", "date", "year", "title", "signer", "place",
                "content_hash", "warnings", "topics", "added", "added_by"]
        out = []
        for row in self._x(f"SELECT {', '.join(cols)} FROM documents ORDER BY date DESC NULLS LAST, id"):
            d = dict(zip(cols, row))
            d["warnings"] = json.loads(d["warnings"] or "[]")
            d["topics"] = json.loads(d["topics"] or "[]")
            d["clauses"] = self._x("SELECT COUNT(*) FROM clauses WHERE doc_id=?", (d["id"],)).fetchone()[0]
            out.append(d)
        return out

    def clause_count(self, doc_id: str) -> int:
        return self._x("SELECT COUNT(*) FROM clauses WHERE doc_id=?", (doc_id,)).fetchone()[0]

    def document_info(self, doc_id: str) -> dict | None:
        """A document's metadata row (no clauses)."""
        cols = ["id", "source", "number", "type", "issuer", "date", "year", "title", "added", "added_by"]
        row = self._x(f"SELECT {', '.join(cols)} FROM documents WHERE id=?", (doc_id,)).fetchone()
        return dict(zip(cols, row)) if row else None

    def document(self, doc_id: str) -> Document | None:
        row = self._x(
            "SELECT id, source, number, type, issuer, date, title, signer, place, content_hash, warnings, topics"
            " FROM documents WHERE id=?", (doc_id,)).fetchone()
        if not row:
            return None
        meta = Metadata(number=row[2], type=row[3], issuer=row[4], date=row[5], title=row[6], signer=row[7], place=row[8])
        doc = Document(id=row[0], source=row[1], metadata=meta, content_hash=row[9] or "",
                       warnings=json.loads(row[10] or "[]"),
                       tags=[Tag(**t) for t in json.loads(row[11] or "[]")])
        ids = []
        for r in self._x(
            "SELECT id, address, label, level, heading, text, breadcrumb, parent, page, kind, fields FROM clauses"
            " WHERE doc_id=? ORDER BY ord", (doc_id,)):
            ids.append(r[0])
            doc.clauses.append(Clause(address=r[1], label=r[2], level=r[3], heading=r[4], text=r[5], breadcrumb=r[6],
                                      parent=r[7], page=r[8], kind=r[9], fields=json.loads(r[10] or "{}")))
        tags = self.tags_for(ids)
        for cid, c in zip(ids, doc.clauses):
            c.tags = tags.get(cid, [])
        doc.references = self.references(doc_id)
        return doc

    def references(self, doc_id: str, clause: str | None = None) -> list[Reference]:
        """The references a document makes (or one of its clauses)."""
        sql = ("SELECT clause, number, doc_type, title, year, date, relation, text, address FROM refs WHERE doc_id=?"
               + (" AND clause=?" if clause is not None else ""))
        return [Reference(clause=r[0], number=r[1], doc_type=r[2], title=r[3], year=r[4], date=r[5], relation=r[6],
                          text=r[7], address=r[8])
                for r in self._x(sql, (doc_id, clause) if clause is not None else (doc_id,))]

    def implementers(self) -> dict[str, list[str]]:
        """số ký hiệu → the documents that say they implement it."""
        out: dict[str, list[str]] = {}
        for number, doc_id in self._x(
                "SELECT DISTINCT number, doc_id FROM refs WHERE relation='implements' AND number IS NOT NULL ORDER BY doc_id"):
            out.setdefault(number, []).append(doc_id)
        return out

    def incoming_references(self, number: str | None, title: str | None, exclude_doc: str) -> list[dict]:
        """References other documents make to a document, by its số ký hiệu or (laws) its title."""
        out = []
        for col, val in (("number", number), ("title", title)):
            if not val:
                continue
            out += [dict(zip(("doc_id", "number", "title", "clause", "relation", "address"), r)) for r in self._x(
                f"SELECT doc_id, number, title, clause, relation, address FROM refs WHERE {col}=? AND doc_id<>?",
                (val, exclude_doc))]
        return out

    def tags_for(self, clause_ids: Iterable[int]) -> dict[int, list[Tag]]:
        ids = list(clause_ids)
        out: dict[int, list[Tag]] = {}
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            for cid, topic, score, ev in self._x(
                f"SELECT clause_id, topic, score, evidence FROM tags WHERE clause_id IN ({','.join('?' * len(chunk))})"
                " ORDER BY score DESC, topic", chunk):
                out.setdefault(cid, []).append(Tag(topic=topic, score=score, evidence=json.loads(ev or "[]")))
        return out

    def clause_rows(self, ids: list[int]) -> dict[int, dict]:
        out: dict[int, dict] = {}
        cols = ["id", "doc_id", "address", "label", "level", "heading", "text", "breadcrumb", "parent", "page", "kind", "fields"]
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            for row in self._x(
                f"SELECT {', '.join('c.' + c for c in cols)}, d.number, d.type, d.title, d.issuer, d.date FROM clauses c"
                f" JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({','.join('?' * len(chunk))})", chunk):
                d = dict(zip(cols + ["doc_number", "doc_type", "doc_title", "doc_issuer", "doc_date"], row))
                d["fields"] = json.loads(d["fields"] or "{}")
                out[d["id"]] = d
        return out

    def clause_tokens(self, ids: list[int]) -> dict[int, tuple[str, str, str]]:
        """id → (heading, words tokens, syllable tokens) of the clauses among `ids` (the learned ranker's input)."""
        out: dict[int, tuple[str, str, str]] = {}
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            for cid, heading, tw, ts in self._x(
                    f"SELECT id, heading, tok_words, tok_syl FROM clauses WHERE id IN ({','.join('?' * len(chunk))})",
                    chunk):
                out[cid] = (heading or "", tw or "", ts or "")
        return out

    def clause_id(self, doc_id: str, address: str) -> int | None:
        row = self._x("SELECT id FROM clauses WHERE doc_id=? AND address=?", (doc_id, address)).fetchone()
        return row[0] if row else None

    def iter_segment_token_rows(self) -> Iterator[tuple[int, int, str]]:
        yield from self._x("SELECT id, clause_id, tok_words FROM segments ORDER BY id")

    def vectors_of(self, table: str, ids: list[int] | None) -> np.ndarray:
        """Vectors of `clauses` or `segments` rows (all of them, in id order, when ids is None)."""
        assert table in ("clauses", "segments")
        if ids is None:
            rows = self._x(f"SELECT vec FROM {table} ORDER BY id")
            blobs = [r[0] for r in rows]
        else:
            found: dict[int, bytes] = {}
            for i in range(0, len(ids), 900):
                chunk = ids[i:i + 900]
                for rid, vec in self._x(f"SELECT id, vec FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                    found[rid] = vec
            blobs = [found[i] for i in ids]
        if not blobs:
            return np.zeros((0, 0), np.float32)
        return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), -1).copy()

    def vectors_found(self, table: str, ids: list[int]) -> dict[int, np.ndarray]:
        """id → vector of the `clauses` or `segments` rows that exist among `ids`."""
        assert table in ("clauses", "segments")
        out: dict[int, np.ndarray] = {}
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            for rid, vec in self._x(f"SELECT id, vec FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                out[int(rid)] = np.frombuffer(vec, dtype=np.float32)
        return out

    def clause_ids_where(self, doc: list[str] | None = None, topic: str | None = None,
                         address_prefix: str | None = None) -> set[int]:
        """Ids of the clauses of the given documents (all when None) tagged with `topic` and under
        `address_prefix` (the clause itself or below it)."""
        where, args = ["1=1"], []
        if doc:
            where.append(f"c.doc_id IN ({','.join('?' * len(doc))})")
            args += list(doc)
        if address_prefix:
            where.append("(c.address = ? OR c.address LIKE ?)")
            args += [address_prefix, address_prefix + ".%"]
        if topic:
            where.append("c.id IN (SELECT clause_id FROM tags WHERE topic = ?)")
            args.append(topic)
        return {r[0] for r in self._x("SELECT c.id FROM clauses c WHERE " + " AND ".join(where), args)}

    # -- topics ----------------------------------------------------------------------------------------------
    def replace_tags(self, doc_id: str, clause_tags: dict[str, list[Tag]], doc_tags: list[Tag]) -> None:
        with self.transaction():
            ids = dict(self._x("SELECT address, id FROM clauses WHERE doc_id=?", (doc_id,)).fetchall())
            self._x("DELETE FROM tags WHERE clause_id IN (SELECT id FROM clauses WHERE doc_id=?)", (doc_id,))
            for address, tags in clause_tags.items():
                for t in tags:
                    self._x("INSERT INTO tags VALUES (?,?,?,?)",
                                     (ids[address], t.topic, t.score, json.dumps(t.evidence, ensure_ascii=False)))
            self._x("UPDATE documents SET topics=? WHERE id=?",
                             (json.dumps([asdict(t) for t in doc_tags], ensure_ascii=False), doc_id))
            if self.engine != "local":  # the engine filters by topic
                self._queue("put", sorted(ids.values()))
                self.set_meta("generation", str(self.generation() + 1))

    def topic_counts(self) -> dict[str, tuple[int, int]]:
        """topic -> (clauses, documents)."""
        return {t: (c, d) for t, c, d in self._x(
            "SELECT t.topic, COUNT(*), COUNT(DISTINCT c.doc_id) FROM tags t JOIN clauses c ON c.id = t.clause_id"
            " GROUP BY t.topic")}

    def topic_clauses(self, topic: str, limit: int = 50, doc: str | None = None) -> list[tuple[int, float]]:
        q = ("SELECT t.clause_id, t.score FROM tags t JOIN clauses c ON c.id = t.clause_id WHERE t.topic=?"
             + (" AND c.doc_id=?" if doc else "") + " ORDER BY t.score DESC, t.clause_id LIMIT ?")
        args = [topic] + ([doc] if doc else []) + [limit]
        return [(r[0], r[1]) for r in self._x(q, args)]

    def clause_tree(self, doc_id: str) -> list[dict]:
        """Every clause of a document in reading order: id, address, parent, level, heading, text, breadcrumb, kind."""
        cols = ["id", "address", "parent", "level", "heading", "text", "breadcrumb", "kind"]
        return [dict(zip(cols, r)) for r in self._x(
            f"SELECT {', '.join(cols)} FROM clauses WHERE doc_id=? ORDER BY ord", (doc_id,))]

    def clause_vectors(self, doc_id: str) -> np.ndarray:
        rows = self._x("SELECT vec FROM clauses WHERE doc_id=? ORDER BY ord", (doc_id,)).fetchall()
        return np.vstack([np.frombuffer(r[0], np.float32) for r in rows]) if rows else np.zeros((0, 0), np.float32)

    # -- links -----------------------------------------------------------------------------------------------
    def save_suggestions(self, task_doc: str, target_doc: str, links) -> None:
        """Store suggested links (TaskLinks; a suggestion names its document, else `target_doc`); confirmed or
        rejected decisions already taken are kept."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        targets = sorted({target_doc} | {s.doc_id for tl in links for s in tl.suggestions if s.doc_id})
        with self.transaction():
            self._x(f"DELETE FROM links WHERE task_doc=? AND status='suggested' AND target_doc IN "
                             f"({','.join('?' * len(targets))})", (task_doc, *targets))
            for tl in links:
                for rank, s in enumerate(tl.suggestions, start=1):
                    self._x(
                        "INSERT INTO links (task_doc, task_address, task_text, target_doc, clause_address,"
                        " score, status, rank, updated) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                        (task_doc, tl.task.address or tl.task.id, tl.task.text, s.doc_id or target_doc, s.address,
                         s.score, "suggested", rank, now))

    def set_link_status(self, link_id: int, status: str, actor: str | None = None) -> dict | None:
        """Confirm or reject a link; the decision records who took it, and the audit trail gets a line."""
        with self.transaction():
            now = _now()
            cur = self._x("UPDATE links SET status=?, updated=?, decided_by=? WHERE id=?",
                                   (status, now, actor, link_id))
            if cur.rowcount == 0:
                return None
            if actor is not None:
                row = self._x("SELECT task_doc, task_address, target_doc, clause_address FROM links WHERE id=?",
                                       (link_id,)).fetchone()
                self._audit(actor, status, f"link {link_id}", f"{row[0]} {row[1] or ''} → {row[2]} {row[3]}", now)
        return self.link(link_id)

    def link(self, link_id: int) -> dict | None:
        rows = self.links(link_id=link_id)
        return rows[0] if rows else None

    def links(self, programme: str | None = None, target: str | None = None, status: str | None = None,
              clause_address: str | None = None, link_id: int | None = None, decided: bool = False,
              active: bool = False, counted: bool = False) -> list[dict]:
        """Stored links, filtered: by programme (task document), target document, status, the target clause,
        id; `decided`: confirmed or rejected only; `active`: not rejected; `counted`: the ones coverage counts
        (confirmed, or the first suggestion of a task)."""
        cols = ["id", "task_doc", "task_address", "task_text", "target_doc", "clause_address", "score", "status",
                "rank", "updated", "decided_by"]
        where, args = ["1=1"], []
        for col, val in (("task_doc", programme), ("target_doc", target), ("status", status),
                         ("clause_address", clause_address), ("id", link_id)):
            if val is not None:
                where.append(f"{col}=?")
                args.append(val)
        if decided:
            where.append("status IN ('confirmed', 'rejected')")
        if active:
            where.append("status != 'rejected'")
        if counted:
            where.append("(status = 'confirmed' OR (status != 'rejected' AND rank = 1))")
        return [dict(zip(cols, r)) for r in self._x(
            f"SELECT {', '.join(cols)} FROM links WHERE {' AND '.join(where)} ORDER BY task_doc, id", args)]

    def decisions(self, include_suggested: bool = False) -> list[dict]:
        """Every link a person decided (confirmed or rejected), or every stored link with include_suggested."""
        return self.links() if include_suggested else self.links(decided=True)

    # -- accounts and the audit trail ---------------------------------------------------------------------------
    def _audit(self, actor: str, action: str, target: str | None, detail: str | None, at: str) -> None:
        self._x("INSERT INTO audit (at, actor, action, target, detail) VALUES (?,?,?,?,?)",
                         (at, actor, action, target, detail))

    def record(self, actor: str, action: str, target: str | None = None, detail: str | None = None) -> None:
        """One line of the audit trail (what was done, by whom, when) for a write that has no row of its own."""
        with self.transaction():
            self._audit(actor, action, target, detail, _now())

    def audit(self, actor: str | None = None, action: str | None = None, limit: int = 200) -> list[dict]:
        where, args = ["1=1"], []
        for col, val in (("actor", actor), ("action", action)):
            if val is not None:
                where.append(f"{col}=?")
                args.append(val)
        cols = ["id", "at", "actor", "action", "target", "detail"]
        return [dict(zip(cols, r)) for r in self._x(
            f"SELECT {', '.join(cols)} FROM audit WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?", (*args, limit))]

    def put_user(self, name: str, role: str, password_hash: str, actor: str) -> None:
        with self.transaction():
            existed = self._x("SELECT 1 FROM users WHERE name=?", (name,)).fetchone()
            self._x("INSERT INTO users (name, role, password_hash, created, active) VALUES (?,?,?,?,1) ON CONFLICT (name)"
                    " DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash, active = 1",
                    (name, role, password_hash, _now()))
            self._audit(actor, "user-update" if existed else "user-add", name, role, _now())

    def user(self, name: str) -> dict | None:
        row = self._x("SELECT name, role, password_hash, created, active FROM users WHERE name=?",
                               (name,)).fetchone()
        return dict(zip(("name", "role", "password_hash", "created", "active"), row)) if row else None

    def users(self) -> list[dict]:
        return [dict(zip(("name", "role", "created", "active"), r)) for r in self._x(
            "SELECT name, role, created, active FROM users ORDER BY name")]

    def remove_user(self, name: str, actor: str) -> bool:
        with self.transaction():
            cur = self._x("DELETE FROM users WHERE name=?", (name,))
            self._x("DELETE FROM api_tokens WHERE account=?", (name,))
            if cur.rowcount:
                self._audit(actor, "user-remove", name, None, _now())
        return bool(cur.rowcount)

    def add_token(self, user: str, token_hash: str, label: str, actor: str) -> None:
        with self.transaction():
            self._x("INSERT INTO api_tokens (account, token_hash, label, created) VALUES (?,?,?,?)",
                             (user, token_hash, label, _now()))
            self._audit(actor, "token-add", user, label, _now())

    def token_user(self, token_hash: str) -> str | None:
        row = self._x("SELECT account FROM api_tokens WHERE token_hash=?", (token_hash,)).fetchone()
        return row[0] if row else None

    # -- what the derived indexes are built from -------------------------------------------------------------
    def counts(self) -> tuple[int, int]:
        """(documents, clauses)."""
        return (self._x("SELECT COUNT(*) FROM documents").fetchone()[0],
                self._x("SELECT COUNT(*) FROM clauses").fetchone()[0])

    def clause_ids(self) -> list[int]:
        return [r[0] for r in self._x("SELECT id FROM clauses ORDER BY id")]

    def clause_documents(self) -> list[tuple[int, str]]:
        """(clause id, document id) of every clause, in id order."""
        return self._x("SELECT id, doc_id FROM clauses ORDER BY id").fetchall()

    def iter_clause_tokens(self, field: str, limit: int | None = None) -> Iterator[str]:
        """The analysed tokens of every clause (the first `limit`) in id order, one space-joined string each: field
        'words' (word segmentation) or 'syllables'."""
        column = {"words": "tok_words", "syllables": "tok_syl"}[field]
        sql = f"SELECT {column} FROM clauses ORDER BY id" + (f" LIMIT {int(limit)}" if limit else "")
        for (tokens,) in self._x(sql):
            yield tokens or ""

    def set_content_hash(self, doc_id: str, content_hash: str) -> None:
        with self.transaction():
            self._x("UPDATE documents SET content_hash=? WHERE id=?", (content_hash, doc_id))

    def clause_rows_for_copy(self) -> list[dict]:
        """Every clause with its document's type, tokens and vector (bulk copies: benchmarks, migration)."""
        cols = ["address", "label", "level", "heading", "text", "breadcrumb", "parent", "kind", "tok_words", "tok_syl",
                "vec", "doc_type"]
        return [dict(zip(cols, r)) for r in self._x(
            "SELECT c.address, c.label, c.level, c.heading, c.text, c.breadcrumb, c.parent, c.kind, c.tok_words,"
            " c.tok_syl, c.vec, d.type FROM clauses c JOIN documents d ON d.id = c.doc_id ORDER BY c.id")]

    def bulk_load(self, documents: list[dict], clauses: list[dict], durable: bool = True) -> None:
        """Insert many documents and their clauses (dicts with the columns' names; `vec` as float32 bytes or an
        array) in one transaction, bumping the generation once. For bulk loads where the per-document
        bookkeeping of put_document is not wanted; `durable=False` skips fsync (a benchmark's scratch index)."""
        doc_cols = ["id", "source", "number", "type", "issuer", "date", "year", "title", "content_hash"]
        cl_cols = ["doc_id", "ord", "address", "label", "level", "heading", "text", "breadcrumb", "parent", "page",
                   "kind", "tok_words", "tok_syl"]
        if not durable and self.dialect == "sqlite":
            self._x("PRAGMA synchronous=OFF")
        try:
            with self.transaction():
                self._xmany(
                    f"INSERT INTO documents ({', '.join(doc_cols)}, warnings, topics) VALUES "
                    f"({','.join('?' * len(doc_cols))}, '[]', '[]')", [tuple(d.get(c) for c in doc_cols) for d in documents])
                self._xmany(
                    f"INSERT INTO clauses ({', '.join(cl_cols)}, fields, vec) VALUES ({','.join('?' * len(cl_cols))}, '{{}}', ?)",
                    [tuple(c.get(k) for k in cl_cols) + (np.asarray(c["vec"], np.float32).tobytes()
                                                         if not isinstance(c["vec"], bytes) else c["vec"],)
                     for c in clauses])
                if self.engine != "local":
                    for d in documents:
                        self._count_terms(self._term_rows(d["id"]), +1)
                    self._queue("put", [r[0] for d in documents for r in self._x(
                        "SELECT id FROM clauses WHERE doc_id=? ORDER BY id", (d["id"],))])
                self.set_meta("generation", str(self.generation() + 1))
        finally:
            if not durable and self.dialect == "sqlite":
                self._x("PRAGMA synchronous=FULL")

    # -- backup ------------------------------------------------------------------------------------------------
    def backup_to(self, dest: str | Path) -> None:
        """A consistent copy of the whole store in `dest` (SQLite online backup: readers and a writer may go on;
        the copy is one committed state)."""
        dest = Path(dest)
        tmp = dest.with_name(dest.name + ".tmp")
        tmp.unlink(missing_ok=True)
        out = sqlite3.connect(str(tmp))
        try:
            self._db.backup(out)
            out.commit()
        finally:
            out.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)

    def restore_from(self, src: str | Path) -> None:
        """Replace the whole store with the backup `src` (the caller holds the write lock). The generation counter
        moves past both, so every reader sees a newer state and rebuilds what it serves."""
        src_db = sqlite3.connect(f"file:{Path(src)}?mode=ro", uri=True)
        try:
            version = src_db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if version is None:
                raise ValueError(f"{src}: không phải bản sao lưu của docsearch (không có bảng meta)")
            if int(version[0]) > SCHEMA_VERSION:
                raise ValueError(f"{src}: bản sao lưu có lược đồ {version[0]}, mới hơn phiên bản docsearch này")
            row = src_db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
            src_gen = int(row[0]) if row else 0
            with self.lock:
                gen = max(self.generation(), src_gen) + 1
                src_db.backup(self._db)
                self.set_meta("generation", str(gen))
        finally:
            src_db.close()

    def close(self) -> None:
        self._db.close()


def open_store(folder: str | Path, database_url: str | None = None) -> Store:
    """The store an index uses: PostgreSQL when a database URL is configured (DOCSEARCH_DATABASE_URL), else
    SQLite in the index folder."""
    if database_url:
        from docsearch.index.store_pg import PostgresStore

        return PostgresStore(database_url)
    return Store(Path(folder) / "docsearch.sqlite")
