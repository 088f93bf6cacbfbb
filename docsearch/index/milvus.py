"""Search on Milvus (DOCSEARCH_BACKEND=milvus, DOCSEARCH_MILVUS_URI): the clauses and their segments as rows of two
collections, written from the store's outbox, and the ranking's questions (engine.py) answered by the engine.

Layout. `<name>_clauses`: one row per clause — the dense vector, the three BM25 fields (words, syllables, folded)
as sparse vectors, the segment-level BM25 entry of a short clause (its own words; long clauses hold a reserved
dimension no query has, as Milvus refuses an empty sparse vector), and the filter fields (doc, type, issuer, year,
address, topics) as scalar fields, so a filter runs inside the engine and a search returns k results whenever k
pass it. `<name>_segments`: one row per segment of a long clause, with its vector, its BM25 entry and its clause's
filter fields; "a clause counts by its best segment" is Milvus's grouping search there, merged with the short
clauses' entries. Every vector is stored once. The name is kept in the store (meta `milvus_name`), so one Milvus
serves many indexes.

BM25. Vietnamese analysis stays in docsearch: the sparse vectors hold token ids from the store's `term_df` table,
clause-side weights tf/(tf + k1·(1 − b + b·dl/avgdl)) and query-side weights idf — their inner product is the BM25
the local engine computes (docsearch/index/terms.py). Document frequencies are updated in the transaction that
writes each document, so idf is exact however the corpus grows.

Writes. The store queues every changed clause in its `outbox` in the transaction that changes it. `sync` drains
the queue inside a store write transaction (serialised with every writer on every machine): it upserts the new
rows with the store generation they belong to, deletes the removed ones, then records `milvus_generation`. A
search only sees rows of generation ≤ `milvus_generation`, and drops hits on clauses the store no longer holds, so
it never sees half of a document; a writer killed mid-sync leaves its rows invisible and the queue intact for the
next writer."""

from __future__ import annotations

import json
import time
import uuid

import numpy as np

from docsearch.errors import DocsearchError, EngineUnavailableError
from docsearch.index import terms
from docsearch.index.engine import Generation, Scores
from docsearch.index.store import Store
from docsearch.search.restoration import SAMPLE, statistics

MAX_LIMIT = 16_384  # Milvus's largest top-k
NO_ENTRY = {0: 1.0}  # the segment-level field of a long clause: dimension 0, which no term id takes
BATCH = 1_000  # rows per upsert
SEGMENTS_PER_CLAUSE = 4  # segment hits asked per clause wanted (long clauses have 2–3 segments: bench/RESULTS.md)
FLUSH_FROM = 1_000  # a sync that wrote this many clauses seals them (smaller ones stay in the growing segment)
LEXICAL = ("words", "syllables", "folded")
RESTORE_DRIFT = 0.05  # diacritic statistics are recounted when the clause count moved by more than this

_NOTHING = False  # the `where` of a filter that lets no clause through


def _vec(blob: bytes) -> list[float]:
    return np.frombuffer(blob, dtype=np.float32).tolist()


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _unreachable(exc: Exception) -> bool:
    """Whether a pymilvus failure means the server does not answer (rather than a refused request)."""
    try:
        import grpc

        if isinstance(exc, grpc.RpcError):
            return True
    except ImportError:
        pass
    text = str(exc).lower()
    return any(w in text for w in ("fail connecting", "unavailable", "deadline exceeded", "timed out", "timeout"))


# pymilvus shares one gRPC connection per address among its clients and by default pings it every 10 s even while
# no call is in flight; a server that enforces gRPC's default ping policy (Milvus Lite does) answers an idle
# connection with GOAWAY "too_many_pings", and a client created at that moment can fail to connect. Pings while
# calls are in flight are kept; pymilvus health-checks an idle connection before it reuses it. Every client this
# module creates passes these options, so the shared connection has them whichever client opened it.
GRPC_OPTIONS = {"grpc.keepalive_permit_without_calls": False}


class _Guarded:
    """The pymilvus client; a server that does not answer becomes EngineUnavailableError naming it (the API
    answers 503), other failures pass through."""

    def __init__(self, client, uri: str) -> None:
        self._client, self._uri = client, uri

    def __getattr__(self, name: str):
        fn = getattr(self._client, name)
        if not callable(fn):
            return fn

        def call(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:
                if _unreachable(exc):
                    raise EngineUnavailableError(
                        f"máy chủ tìm kiếm Milvus ({self._uri}) không trả lời; vui lòng thử lại sau",
                        en=f"the Milvus search server ({self._uri}) does not answer; try again shortly") from None
                raise
        return call


class MilvusEngine:
    """The two collections of one index on one Milvus, and the writer's sync from the store's outbox."""

    def __init__(self, uri: str, store: Store, dim: int, index_type: str = "HNSW", token: str | None = None,
                 shards: int = 1, replicas: int = 1) -> None:
        try:
            from pymilvus import MilvusClient
        except ImportError:
            raise DocsearchError("thiếu gói pymilvus: pip install 'docsearch[milvus]'",
                                 en="pymilvus is not installed: pip install 'docsearch[milvus]'") from None
        self.uri = uri
        try:
            self.client = _Guarded(MilvusClient(uri=uri, token=token or "", grpc_options=GRPC_OPTIONS), uri)
        except Exception as exc:  # pymilvus raises its own MilvusException subclasses
            raise EngineUnavailableError(f"không kết nối được Milvus ({uri}): {str(exc)[:300]}",
                                         en=f"cannot connect to Milvus ({uri})") from None
        name = store.meta_setdefault("milvus_name", "ds_" + uuid.uuid4().hex[:12])
        self.clauses, self.segments = name + "_clauses", name + "_segments"
        self.dim, self.index_type = dim, index_type.upper()
        self.shards, self.replicas = shards, replicas
        self._ensure_collections()

    # -- the collections ------------------------------------------------------------------------------------------
    def _schema(self, segments: bool):
        from pymilvus import DataType

        s = self.client.create_schema(auto_id=False, enable_dynamic_field=False)
        if segments:
            s.add_field("pk", DataType.INT64, is_primary=True)  # the segment's id
            s.add_field("clause", DataType.INT64)
        else:
            s.add_field("clause", DataType.INT64, is_primary=True)
        s.add_field("gen", DataType.INT64)
        s.add_field("doc", DataType.VARCHAR, max_length=512)
        s.add_field("type", DataType.VARCHAR, max_length=256)
        s.add_field("issuer", DataType.VARCHAR, max_length=1024)
        s.add_field("year", DataType.INT64)
        s.add_field("address", DataType.VARCHAR, max_length=512)
        s.add_field("topics", DataType.ARRAY, element_type=DataType.VARCHAR, max_capacity=64, max_length=128)
        s.add_field("vec", DataType.FLOAT_VECTOR, dim=self.dim)
        for f in (("words_seg",) if segments else LEXICAL + ("words_seg",)):
            s.add_field(f, DataType.SPARSE_FLOAT_VECTOR)
        return s

    def _index_params(self, segments: bool):
        ip = self.client.prepare_index_params()
        params = {"M": 16, "efConstruction": 200} if self.index_type == "HNSW" else (
            {"nlist": 1024} if self.index_type.startswith("IVF") else {})
        ip.add_index("vec", index_type=self.index_type, metric_type="IP", params=params)
        for f in (("words_seg",) if segments else LEXICAL + ("words_seg",)):
            ip.add_index(f, index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
        for f in ("doc", "year"):
            ip.add_index(f, index_type="INVERTED")
        return ip

    def _ensure_collections(self) -> None:
        for name, segments in ((self.clauses, False), (self.segments, True)):
            if self.client.has_collection(name):
                continue
            extra = {"num_shards": self.shards} if self.shards > 1 else {}
            try:
                self.client.create_collection(name, schema=self._schema(segments), consistency_level="Strong",
                                              index_params=self._index_params(segments), **extra)
            except Exception:
                if not self.client.has_collection(name):  # another process made it meanwhile: fine
                    raise
            self.client.load_collection(name, **({"replica_number": self.replicas} if self.replicas > 1 else {}))

    def drop(self) -> None:
        for name in (self.clauses, self.segments):
            if self.client.has_collection(name):
                self.client.drop_collection(name)

    def count(self) -> tuple[int, int]:
        """(clause rows, segment rows) in the engine, of every generation."""
        return tuple(int(self.client.query(n, filter="", output_fields=["count(*)"])[0]["count(*)"])
                     for n in (self.clauses, self.segments))  # type: ignore[return-value]

    # -- writing ----------------------------------------------------------------------------------------------
    def sync(self, store: Store, batch: int = 50_000) -> int:
        """Write what the store's outbox queues into Milvus; returns the clauses written or deleted. Each round
        runs inside one store write transaction (writers everywhere wait for it), so a crash leaves the queue as
        it was and the rows it wrote invisible."""
        done = 0
        while True:
            with store.transaction():
                box = store.outbox(batch)
                gen = store.generation()
                if not box:
                    if int(store.get_meta("milvus_generation") or -1) != gen:
                        store.set_meta("milvus_generation", str(gen))
                    return done
                last: dict[int, str] = {}
                for _seq, op, cid in box:
                    last[cid] = op
                puts = [c for c, op in last.items() if op == "put"]
                rows = store.engine_rows(puts)
                found = {r["id"] for r in rows}
                dels = [c for c, op in last.items() if op == "del" or c not in found]
                self._upsert(store, rows, gen)
                self._delete(dels)
                if len(last) >= FLUSH_FROM:  # seal what was written: searches then use the engine's built indexes
                    for name in (self.clauses, self.segments):
                        self.client.flush(name)
                store.outbox_done(box[-1][0])
                store.set_meta("milvus_generation", str(gen))
                done += len(last)

    def _delete(self, clause_ids: list[int]) -> None:
        for i in range(0, len(clause_ids), BATCH):
            chunk = clause_ids[i:i + BATCH]
            self.client.delete(self.clauses, ids=chunk)
            self.client.delete(self.segments, filter=f"clause in {chunk}")

    def _upsert(self, store: Store, rows: list[dict], gen: int) -> None:
        if not rows:
            return
        totals = store.term_totals()
        avgdl = {f: (length / n if n else 1.0) for f, (n, length) in totals.items()}
        entries: list[tuple[dict, dict[str, list[str]], list[tuple[int, list[str], bytes | None]]]] = []
        vocab: dict[str, set[str]] = {f: set() for f in terms.FIELDS}
        for r in rows:
            fields = terms.clause_fields(r["tok_words"], r["tok_syl"])
            segs = [(sid, tw.split(), vec) for sid, tw, vec in r["segments"]]
            for f, toks in fields.items():
                vocab[f].update(toks or [terms.EMPTY])
            for toks in terms.seg_entries(r["tok_words"], [tw for _sid, tw, _v in r["segments"]]):
                vocab["words_seg"].update(toks or [terms.EMPTY])
            entries.append((r, fields, segs))
        ids = {f: {t: tid for t, (tid, _df) in store.term_stats(f, toks).items()} for f, toks in vocab.items()}

        def sparse(field: str, toks: list[str]) -> dict[int, float]:
            return {ids[field][t]: w for t, w in terms.doc_weights(toks, avgdl.get(field, 1.0)).items()}

        clause_rows, seg_rows = [], []
        for r, fields, segs in entries:
            common = {"gen": gen, "doc": r["doc_id"], "type": (r["type"] or "").casefold(),
                      "issuer": (r["issuer"] or "").casefold(), "year": int(r["year"] or 0),
                      "address": r["address"] or "", "topics": r["topics"][:64]}
            vec = _vec(r["vec"])
            clause_rows.append({"clause": r["id"], **common, "vec": vec,
                                **{f: sparse(f, toks) for f, toks in fields.items()},
                                "words_seg": NO_ENTRY if segs else sparse("words_seg", fields["words"])})
            for sid, toks, seg_vec in segs:
                seg_rows.append({"pk": sid, "clause": r["id"], **common, "vec": _vec(seg_vec),
                                 "words_seg": sparse("words_seg", toks)})
        for name, data in ((self.clauses, clause_rows), (self.segments, seg_rows)):
            for i in range(0, len(data), BATCH):
                self.client.upsert(name, data[i:i + BATCH])

    # -- reading ------------------------------------------------------------------------------------------------
    def state(self, store: Store, previous: MilvusState | None = None) -> MilvusState:
        """The generation Milvus serves now, with what the ranking reads beside it."""
        gen = int(store.get_meta("milvus_generation") or 0)
        n = store.counts()[1]
        restore = None
        if previous is not None and abs(n - previous.clause_count) <= RESTORE_DRIFT * max(previous.clause_count, 1):
            restore, n = previous.restore, previous.clause_count
        if restore is None:
            restore = statistics(s.split() for s in store.iter_clause_tokens("syllables", limit=SAMPLE))
        return MilvusState(self, store, gen, restore, n)


class _MilvusScores(Scores):
    def __init__(self, st: MilvusState, field: str, tokens: list[str], where) -> None:
        self.st, self.field, self.where = st, field, where
        n = st.totals.get(field, (0, 0))[0]
        self.query = terms.query_weights(tokens, st.store.term_stats(field, tokens), n) if n else {}

    def _search(self, limit: int, expr: str, exact: bool = False) -> dict[int, float]:
        """clause id → score of the best entries; the segment field asks both collections (short clauses are
        entries of the clause collection, long ones count by their best segment) and keeps each clause's best.
        `exact`: one best segment per clause by a grouping search; else SEGMENTS_PER_CLAUSE× as many segment hits
        as clauses wanted (faster on Milvus Lite, and the best `limit` clauses are among them unless one clause's
        segments crowd the list)."""
        e = self.st.engine
        asks: list[tuple[str, int, dict]] = [(e.clauses, limit, {})]
        if self.field == "words_seg":
            asks.append((e.segments, limit, {"group_by_field": "clause", "group_size": 1}) if exact else
                        (e.segments, limit * SEGMENTS_PER_CLAUSE, {}))
        best: dict[int, float] = {}
        for name, n, kwargs in asks:
            res = e.client.search(name, [self.query], anns_field=self.field, limit=min(n, MAX_LIMIT),
                                  filter=expr, output_fields=["clause"], search_params={"metric_type": "IP"},
                                  **kwargs)
            for h in res[0] if res else []:
                c, d = int(h["entity"]["clause"]), float(h["distance"])
                if d > 0 and d > best.get(c, 0.0):
                    best[c] = d
        return best

    def top(self, c: int) -> tuple[np.ndarray, np.ndarray]:
        if not self.query or c <= 0:
            return np.zeros(0, np.int64), np.zeros(0)
        hits = sorted(self._search(c, self.st.expr(self.where)).items(), key=lambda kv: -kv[1])[:c]
        return (np.fromiter((k for k, _ in hits), np.int64, len(hits)),
                np.fromiter((v for _, v in hits), np.float64, len(hits)))

    def at(self, ids: np.ndarray) -> np.ndarray:
        if not self.query or not len(ids):
            return np.zeros(len(ids))
        found = self._search(len(ids), self.st.expr(self.where, extra=f"clause in {[int(c) for c in ids]}"),
                             exact=True)
        return np.array([found.get(int(c), 0.0) for c in ids])


class MilvusState(Generation):
    """One generation as Milvus serves it. Filters are boolean expressions over the rows' scalar fields."""

    def __init__(self, engine: MilvusEngine, store: Store, generation: int, restore: dict, clause_count: int) -> None:
        self.engine, self.store, self.generation, self.restore = engine, store, generation, restore
        self.clause_count = clause_count
        self.totals = store.term_totals()

    def where(self, store, filters: dict | None = None, ids=None):
        f = filters or {}
        parts: list[str] = []
        if f.get("doc"):
            parts.append(f"doc in {_quote(list(f['doc']))}")
        if f.get("doc_type"):
            parts.append(f"type == {_quote(f['doc_type'].casefold())}")
        if f.get("issuer"):
            parts.append(f"issuer like {_quote('%' + f['issuer'].casefold() + '%')}")
        if f.get("year_from"):
            parts.append(f"year >= {int(f['year_from'])}")
        if f.get("year_to"):
            parts.append(f"(year > 0 and year <= {int(f['year_to'])})")
        if f.get("topic"):
            parts.append(f"array_contains(topics, {_quote(f['topic'])})")
        if f.get("address_prefix"):
            a = f["address_prefix"]
            parts.append(f"(address == {_quote(a)} or address like {_quote(a + '.%')})")
        if ids is not None:
            ids = sorted(int(i) for i in ids)
            if not ids:
                return _NOTHING
            parts.append(f"clause in {ids}")
        return " and ".join(parts) or None

    def excludes_all(self, where) -> bool:
        return where is _NOTHING

    def expr(self, where, extra: str | None = None) -> str:
        """The full filter of a search: this generation's rows, the caller's filter, and `extra`."""
        return " and ".join(p for p in (f"gen <= {self.generation}", where or None, extra) if p)

    def bm25(self, field: str, tokens: list[str], where) -> Scores:
        return _MilvusScores(self, field, tokens, where)

    def has_segments(self) -> bool:
        return self.totals.get("words_seg", (0, 0))[0] > 0

    def _dense(self, name: str, qv: np.ndarray, c: int, expr: str) -> tuple[np.ndarray, np.ndarray]:
        e = self.engine
        if c <= 0:
            return np.zeros(0, np.int64), np.zeros(0)
        params: dict = {"metric_type": "IP"}
        if e.index_type == "HNSW":
            params["params"] = {"ef": max(2 * c, 128)}
        elif e.index_type.startswith("IVF"):
            params["params"] = {"nprobe": 64}
        res = e.client.search(name, [np.asarray(qv, np.float32).tolist()], anns_field="vec",
                              limit=min(c, MAX_LIMIT), filter=expr, output_fields=["clause"], search_params=params)
        hits = res[0] if res else []
        return (np.fromiter((h["entity"]["clause"] for h in hits), np.int64, len(hits)),
                np.fromiter((h["distance"] for h in hits), np.float64, len(hits)))

    def dense(self, qv: np.ndarray, c: int, where) -> tuple[np.ndarray, np.ndarray]:
        return self._dense(self.engine.clauses, qv, c, self.expr(where))

    def dense_segments(self, qv: np.ndarray, c: int, where) -> tuple[np.ndarray, np.ndarray]:
        return self._dense(self.engine.segments, qv, c, self.expr(where))

    def dense_at(self, qv: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Exact cosines from the store's vectors; a clause removed from the store since its row was published
        (the sync that deletes the row has not run yet) gets -1, and the search drops it."""
        if not len(ids):
            return np.zeros(0)
        found = self.store.vectors_found("clauses", [int(i) for i in ids])
        q = np.asarray(qv, dtype=np.float32)
        return np.array([float(found[int(i)] @ q) if int(i) in found else -1.0 for i in ids])


def wait_for(uri: str, seconds: float = 60.0) -> None:
    """Wait until a Milvus server answers (a server started just before, as .ci/run and the tests do)."""
    from pymilvus import MilvusClient

    deadline = time.monotonic() + seconds
    while True:
        try:
            MilvusClient(uri=uri, timeout=5, grpc_options=GRPC_OPTIONS).list_collections()
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
