"""Hybrid ranking: BM25 over three fields and dense cosine, each z-normalised over its candidates, then ordered by
the learned ranker (`search/ranker.py`) or fused with weights chosen by cross-validation; filters applied before
ranking; documents the query names answered first; a task pasted from an indexed programme answered from what that
programme implements."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from docsearch.search.query import Query, understand
from docsearch.search.ranker import ALL_METHODS, candidate_features, load_ranker, padded_folded, pair_share, pairs
from docsearch.search.snippets import marked, snippet_spans
from docsearch.text.analysis import analyze
from docsearch.text.vocabulary import MARKS_RE as _MARKS_RE


@dataclass
class Hit:
    clause_id: int
    doc_id: str
    address: str
    breadcrumb: str
    heading: str
    text: str
    snippet: str
    score: float
    doc_number: str | None = None
    doc_type: str | None = None
    doc_title: str | None = None
    page: int = 1
    fields: dict = field(default_factory=dict)
    tags: list = field(default_factory=list)
    components: dict = field(default_factory=dict)
    snippet_text: str = ""  # the snippet as plain text
    highlights: list[tuple[int, int]] = field(default_factory=list)  # positions of the query's terms in it


_WORD_RE = re.compile(r"[^\W\d_]{2,}")


def _zstats(values: np.ndarray) -> tuple[float, float]:
    if len(values) < 2:
        return (float(values.mean()) if len(values) else 0.0), 1.0
    sd = float(values.std())
    return float(values.mean()), (sd if sd > 1e-9 else 1.0)


def weights_for(query_has_marks: bool, settings) -> dict[str, float]:
    w = {"words": settings.w_words, "syllables": settings.w_syllables, "folded": settings.w_folded,
         "words_seg": settings.w_words_seg, "dense": settings.w_dense, "dense_seg": settings.w_dense_seg}
    if not query_has_marks:
        # typed without diacritics: the accent-folded field carries the lexical match
        w["folded"] = max(w["folded"], settings.w_folded_unaccented)
    return w


def features(index, text: str, C: int, weights: dict[str, float], allowed: set[int] | None = None,
             query_vector: np.ndarray | None = None, where=None,
             state=None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Candidate clause ids and, per method, their z-normalised scores (stats over that method's top C).
    Filters come as `where` (the engine's form, from `Generation.where`) or as a set of `allowed` clause ids.
    Everything is read from one generation (`docsearch/index/engine.py`), so a newer one swapped in meanwhile
    cannot mix with this one, and the same code ranks on the local engine and on Milvus."""
    st = state or index.snapshot()
    if allowed is not None and where is None:
        where = st.where(index.store, ids=allowed)
    if st.excludes_all(where):
        return np.zeros(0, np.int64), {}
    lexical: dict = {}
    toks = analyze(text)
    for f in ("words", "syllables", "folded"):
        if weights.get(f, 0) > 0:
            lexical[f] = st.bm25(f, toks[f], where)
    if weights.get("words_seg", 0) > 0 and st.has_segments():
        lexical["words_seg"] = st.bm25("words_seg", toks["words"], where)
    cand_sets: list[np.ndarray] = []
    stats: dict[str, tuple[float, float]] = {}
    for m, scores in lexical.items():
        top_ids, top_sc = scores.top(C)
        if len(top_ids):
            stats[m] = _zstats(top_sc)
            cand_sets.append(top_ids)
    dense_found: dict[str, dict[int, float]] = {}
    if weights.get("dense", 0) > 0 or weights.get("dense_seg", 0) > 0:
        qv = query_vector if query_vector is not None else index.cache.embed(index.embedder, [text], "query")[0]
        d_ids, d_sc = st.dense(qv, C, where)
        dense_found["dense"] = dict(zip(d_ids.tolist(), d_sc.tolist()))
        if len(d_sc):
            stats["dense"] = _zstats(d_sc)
            cand_sets.append(d_ids)
        if weights.get("dense_seg", 0) > 0 and st.has_segments():
            owners, s_sc = st.dense_segments(qv, C, where)
            best: dict[int, float] = {}
            for o, sc in zip(owners.tolist(), s_sc.tolist()):
                if sc > best.get(o, -9.0):
                    best[o] = sc
            for cid, sc in dense_found["dense"].items():  # short clauses are their own segment
                if sc > best.get(cid, -9.0):
                    best[cid] = sc
            dense_found["dense_seg"] = best
            top_vals = np.array(sorted(best.values(), reverse=True)[:C])
            if len(top_vals):
                stats["dense_seg"] = _zstats(top_vals)
                cand_sets.append(np.fromiter(best.keys(), dtype=np.int64, count=len(best)))
    if not cand_sets:
        return np.zeros(0, np.int64), {}
    cand = np.unique(np.concatenate(cand_sets))
    out: dict[str, np.ndarray] = {}
    for m, scores in lexical.items():
        if m in stats:
            mu, sd = stats[m]
            out[m] = np.maximum((scores.at(cand) - mu) / sd, -4.0)
    if "dense" in dense_found:
        exact = st.dense_at(qv, cand)
        if "dense" in stats:
            mu, sd = stats["dense"]
            out["dense"] = np.maximum((exact - mu) / sd, -4.0)
        if "dense_seg" in stats:
            best = dense_found["dense_seg"]
            vals = np.array([max(best.get(int(c), -9.0), float(e)) for c, e in zip(cand, exact)])
            mu, sd = stats["dense_seg"]
            out["dense_seg"] = np.maximum((vals - mu) / sd, -4.0)
    return cand, out


def fuse(feats: dict[str, np.ndarray], weights: dict[str, float], n: int) -> np.ndarray:
    """The weighted sum of the z-normalised scores `features` returned (n candidates)."""
    fused = np.zeros(n)
    for m, z in feats.items():
        fused += weights.get(m, 0) * z
    return fused


def score_candidates(index, text: str, cand: np.ndarray, feats: dict[str, np.ndarray], weights: dict[str, float],
                     has_marks: bool, ranker=None) -> np.ndarray:
    """The ranking score of each candidate: the learned ranker's when one is given (`search/ranker.py`), else the
    weighted fusion of the z-scores."""
    if ranker is None:
        return fuse(feats, weights, len(cand))
    from docsearch.config import get_settings

    s = get_settings()
    X = candidate_features(cand, feats, analyze(text), index.store.clause_tokens(cand.tolist()), not has_marks)
    return ranker.score(X, fuse(feats, weights_for(has_marks, s), len(cand)), s.ranker_strength)


def _best(cand: np.ndarray, fused: np.ndarray, feats: dict[str, np.ndarray], k: int,
          offset: float = 0.0) -> list[tuple[int, float, dict]]:
    """The k best candidates as (clause id, score, per-method z-scores)."""
    return [(int(cand[i]), float(fused[i]) + offset, {m: round(float(z[i]), 3) for m, z in feats.items()})
            for i in np.argsort(-fused)[:k]]


def rank(index, query: str, k: int = 10, mode: str = "hybrid", filters: dict | None = None,
         weights: dict | None = None, candidates: int | None = None, query_vector: np.ndarray | None = None,
         boost_docs: bool = True) -> tuple[list[tuple[int, float, dict]], Query]:
    """Return [(clause id, fused score, components)] best first, and the understood query."""
    from docsearch.config import get_settings

    s = get_settings()
    C = candidates or s.candidates
    st = index.snapshot()
    q = understand(query, index.aliases() if boost_docs else [], st.restore)
    # typed without marks: restored for the accented fields and the embedder, and the folded field weighs in
    has_marks = bool(_MARKS_RE.search(query))
    w = dict(weights) if weights else weights_for(has_marks, s)
    if mode == "bm25":  # BM25 over underthesea words (and the folded field for a query without marks)
        w = {"words": 1.0} if has_marks else {"words": 0.5, "folded": 0.5}
    elif mode == "dense":
        w = {"dense": 1.0}
    # the learned ranker orders hybrid searches made with the default weights (with ranker = "auto": only those
    # typed without marks, see config.py); it reads every method's score
    use = s.ranker == "learned" or (s.ranker == "auto" and not has_marks)
    ranker = load_ranker() if mode == "hybrid" and not weights and use else None
    if ranker is not None:
        w = ALL_METHODS
    where = st.where(index.store, filters)
    if st.excludes_all(where):
        return [], q
    cand, feats = features(index, q.text, C, w, query_vector=query_vector, where=where, state=st)
    if not len(cand):
        return [], q
    grouped = s.one_hit_per_article
    depth = k * GROUP_DEPTH if grouped else k
    ranked = _best(cand, score_candidates(index, q.text, cand, feats, w, has_marks, ranker), feats, depth)
    if grouped:
        ranked = one_per_article(index.store, ranked)
    if s.pasted_tasks and not q.doc_ids and boost_docs and (not filters or not filters.get("doc")):
        _pasted_task(index, q, ranked[:PASTED_LOOK], has_marks)
    if q.doc_ids and boost_docs and (not filters or not filters.get("doc")):
        ranked = _named_documents_first(index, st, q, ranked, k, C, w, query_vector, filters, has_marks, ranker,
                                        depth, grouped)
    return ranked[:k], q


GROUP_DEPTH = 5  # how far down the list (× k) `one_per_article` looks for other articles
_ARTICLE_RE = re.compile(r"^(Điều \d+[a-zđ]?)(?:\.|$)")


def one_per_article(store, ranked: list[tuple[int, float, dict]]) -> list[tuple[int, float, dict]]:
    """Every article's best hit first, in rank order; further hits inside an article already shown come after
    them, in rank order. Five khoản of one Điều would otherwise fill the first page with one provision (the
    article's hit shows its whole text anyway) and push other articles that answer the query out of sight.
    Addresses that are not under an article (the sections of a resolution) are each their own group."""
    rows = store.clause_rows([c for c, _, _ in ranked])
    seen: set[tuple[str, str]] = set()
    first, later = [], []
    for hit in ranked:
        r = rows.get(hit[0])
        m = _ARTICLE_RE.match(r["address"]) if r else None
        if m is None:
            first.append(hit)
            continue
        key = (r["doc_id"], m.group(1))
        (later if key in seen else first).append(hit)
        seen.add(key)
    return first + later


PASTED_MIN_SYLLABLES = 20  # a passage (a sentence of a programme), not a phrase or a question …
PASTED_MIN_SHARE = 0.8  # … whose adjacent syllable pairs one clause holds nearly all of
PASTED_LOOK = 3  # the first hits looked at for that clause


def _pasted_task(index, q: Query, top: list[tuple[int, float, dict]], has_marks: bool) -> None:
    """A query copied from an indexed clause (a programme's task pasted whole into the search box) is asked to
    find what that text carries out: when the clause's document says it implements indexed documents (a
    Government programme → the Party resolution it implements), those documents are answered first, as if the
    query had named them, and `q.pasted_from` says where the text came from (the page shows it above the hits).
    The copy itself would otherwise fill the list with the programme's own items. A clause of a document that
    implements nothing indexed (a law) changes nothing but `pasted_from`."""
    toks = analyze(q.text)
    seq = toks["syllables"] if has_marks else toks["folded"]
    if len(seq) < PASTED_MIN_SYLLABLES or not top:
        return
    want = pairs(seq)
    clauses = index.store.clause_tokens([c for c, _, _ in top])
    rows = index.store.clause_rows([c for c, _, _ in top])
    for cid, _, _ in top:
        _, _, syl = clauses.get(cid, ("", "", ""))
        padded = f" {syl} " if has_marks else padded_folded(syl)
        if pair_share(want, padded) < PASTED_MIN_SHARE * len(want) or cid not in rows:
            continue
        source = rows[cid]["doc_id"]
        q.pasted_from = (source, rows[cid]["address"])
        targets = index.aliases().implemented_by(source)
        if targets:
            q.doc_ids, q.rest = targets, q.text
        return


def _named_documents_first(index, st, q, ranked, k, C, w, query_vector, filters, has_marks, ranker, depth, grouped):
    """A query that names documents ("NQ 57", "Luật Đất đai thu hồi đất") is answered from those documents first:
    the rest of the query ranked inside them, then everything else. A query that is only a name gets the
    document's outline (its sections in reading order), as opening it would."""
    named = st.where(index.store, {**(filters or {}), "doc": q.doc_ids})
    if st.excludes_all(named):
        return ranked
    if not _WORD_RE.search(q.rest):
        rows = [r for d in q.doc_ids for r in index.store.clause_tree(d)]
        rows.sort(key=lambda r: r["level"])  # stable: reading order within each level
        first = [(r["id"], 1.0, {"outline": 1.0}) for r in rows[:k]]
    else:
        cand, feats = features(index, q.rest, C, w, query_vector=None if q.rest != q.text else query_vector,
                               where=named, state=st)
        # the offset only keeps the displayed scores of the named documents above the others
        scores = score_candidates(index, q.rest, cand, feats, w, has_marks, ranker)
        first = _best(cand, scores, feats, depth, offset=10.0 + max(0.0, -float(scores.min(initial=0.0))))
        if grouped:
            first = one_per_article(index.store, first)[:k]
    seen = {c for c, _, _ in first}
    return (first + [r for r in ranked if r[0] not in seen])[:k]


class Hits(list):
    """A list of Hit that also says how the query was understood."""

    restored: str | None = None
    doc_ids: list[str] = []
    pasted_from: tuple[str, str] | None = None  # (doc id, address) the query was copied from


def search(index, query: str, k: int = 10, mode: str = "hybrid", doc: list[str] | str | None = None,
           doc_type: str | None = None, issuer: str | None = None, year_from: int | None = None,
           year_to: int | None = None, topic: str | None = None, address_prefix: str | None = None) -> Hits:
    if isinstance(doc, str):
        doc = [doc]
    filters = {"doc": doc, "doc_type": doc_type, "issuer": issuer, "year_from": year_from, "year_to": year_to,
               "topic": topic, "address_prefix": address_prefix}
    filters = {k2: v for k2, v in filters.items() if v}
    ranked, q = rank(index, query, k=k, mode=mode, filters=filters)
    rows = index.store.clause_rows([c for c, _, _ in ranked])
    tags = index.store.tags_for([c for c, _, _ in ranked])
    hits = Hits()
    hits.restored = getattr(q, "restored", None)
    hits.doc_ids = list(getattr(q, "doc_ids", []))
    hits.pasted_from = getattr(q, "pasted_from", None)
    for cid, score, comps in ranked:
        r = rows.get(cid)
        if r is None:  # removed since the derived index was built
            continue
        plain, spans = snippet_spans(r["text"], q.text)
        hits.append(Hit(
            snippet_text=plain, highlights=spans, clause_id=cid, doc_id=r["doc_id"], address=r["address"], breadcrumb=r["breadcrumb"], heading=r["heading"],
            text=r["text"], snippet=marked(plain, spans), score=round(score, 4), doc_number=r["doc_number"],
            doc_type=r["doc_type"], doc_title=r["doc_title"], page=r["page"] or 1, fields=r["fields"],
            tags=[{"topic": t.topic, "score": t.score} for t in tags.get(cid, [])], components=comps,
        ))
    return hits
