"""Multi-label topic tagger: lexicon evidence (the clause's own words, and its breadcrumb when context_weight > 0)
combined with the embedding similarity of the clause's passage (title, breadcrumb and text) to each topic's
description; each tag has a score in [0, 1] and its evidence.

A clause's first topic is the best of those scores. Its further topics are chosen on the same scores with part of
the document's background taken off the lexicon evidence (the mean over the document's other clauses, `background`):
what the whole document is about (science and technology in a resolution on science and technology, housing in the housing
law) is evidence for every clause of it, and says little about which further topics this clause has."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from functools import cached_property

import numpy as np

from docsearch.ingest.normalize import match_form
from docsearch.model import Clause, Document, Tag
from docsearch.structure.passages import clause_context, tagged_text
from docsearch.tagging.taxonomy import Taxonomy, load_taxonomy
from docsearch.text.analysis import body_names, expand_abbreviations, without_body_names
from docsearch.text.vocabulary import ABBREVIATIONS

# Raise when the tagger reads text differently (its data — taxonomy, parameters, body names, abbreviations — is in
# the fingerprint already): an index whose tags another version made is tagged again at its next ingest.
TAGGER_VERSION = 3


@dataclass
class TaggerParams:
    """Defaults tuned on shared/eval/topics (see bench/RESULTS.md for the figures and the cross-validation)."""

    alpha: float = 0.6  # weight of the lexicon against the embedding similarity
    context_weight: float = 0.0  # lexicon evidence found only in the breadcrumb counts this much (the embedded
    # passage carries the breadcrumb too; every fold of bench/tune_tagging.py chooses 0 since body names count no more)
    lex_scale: float = 3.0
    emb_shift: float = 1.5
    emb_slope: float = 1.5
    floor: float = 0.15  # the first topic needs at least this score
    threshold: float = 0.3  # further topics need this score …
    ratio: float = 0.5  # … and this share of the best further score
    max_tags: int = 3
    background: float = 0.5  # share of the mean lexicon evidence of the document's other clauses taken off a clause's
    # before its further topics are chosen (its first topic is chosen without it)


def combine(p: TaggerParams, raw: np.ndarray, cos: np.ndarray | None) -> np.ndarray:
    """Each topic's score in [0, 1] from its raw lexicon evidence and (when there is one) the clause's cosine to
    each topic's prototype, z-normalised over the topics: for one clause (a row) or many (rows, as the tuning in
    bench/tune_tagging.py scores them). The tagger and its tuning both score with this."""
    lex = 1.0 - np.exp(-raw / p.lex_scale)
    if cos is None:
        return lex
    sd = cos.std(axis=-1, keepdims=True)
    z = (cos - cos.mean(axis=-1, keepdims=True)) / np.where(sd > 0, sd, 1.0)
    emb = 1.0 / (1.0 + np.exp(-p.emb_slope * (z - p.emb_shift)))
    return p.alpha * lex + (1 - p.alpha) * emb


def further_scores(p: TaggerParams, raw: np.ndarray, cos: np.ndarray | None,
                   background: np.ndarray | None) -> np.ndarray:
    """The scores that choose the topics after the first: `combine` with `background` (the mean raw lexicon evidence
    per topic of the document's other clauses, Tagger.backgrounds) times p.background taken off the raw evidence,
    never below zero."""
    if background is None or p.background <= 0:
        return combine(p, raw, cos)
    return combine(p, np.maximum(raw - p.background * background, 0.0), cos)


def keep(p: TaggerParams, score: np.ndarray, further: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The topics kept, for one clause (a row) or many (rows, as bench/tune_tagging.py decides them): a mask of the
    kept topics and each row's first topic (-1 where none is kept). The first is the best by `score` if it reaches
    `floor`; then up to `max_tags` - 1 more, best first by `further` (`score` when None), that reach `threshold` and
    `ratio` of the best further score."""
    s2 = np.atleast_2d(score)
    f2 = s2 if further is None else np.atleast_2d(further)
    if s2.shape[-1] == 0:  # a taxonomy without topics keeps none
        mask, first = np.zeros(s2.shape, dtype=bool), np.full(len(s2), -1)
        return (mask[0], first[0]) if np.ndim(score) == 1 else (mask, first)
    rows = np.arange(len(s2))
    first = s2.argmax(axis=-1)
    ok = s2[rows, first] >= p.floor
    mask = np.zeros(s2.shape, dtype=bool)
    mask[rows[ok], first[ok]] = True
    others = f2.astype(float).copy()
    others[rows, first] = -np.inf
    n_more = min(p.max_tags - 1, s2.shape[-1] - 1)
    if n_more > 0:
        order = np.argsort(-others, axis=-1, kind="stable")[:, :n_more]
        cand = np.take_along_axis(others, order, axis=-1)
        top = f2.max(axis=-1, keepdims=True)
        good = ok[:, None] & (cand >= p.threshold) & (cand >= p.ratio * top)
        np.put_along_axis(mask, order, good, axis=-1)
    first = np.where(ok, first, -1)
    if np.ndim(score) == 1:
        return mask[0], first[0]
    return mask, first


def select(p: TaggerParams, score: np.ndarray, further: np.ndarray | None = None) -> list[int]:
    """The topics one clause keeps (`keep`), in order: the first, then the others best first by `further`."""
    mask, first = keep(p, score, further)
    if first < 0:
        return []
    f = score if further is None else further
    return [int(first)] + [int(i) for i in np.argsort(-f, kind="stable") if mask[i] and i != first]


class Tagger:
    def __init__(self, taxonomy: Taxonomy | None = None, embedder=None, cache=None, params: TaggerParams | None = None):
        self.taxonomy = taxonomy or load_taxonomy()
        self.embedder = embedder
        self.cache = cache
        self.params = params or TaggerParams()
        self._compile()

    # -- lexicon ---------------------------------------------------------------------------------------------
    def _compile(self) -> None:
        self._term_topics: dict[str, list[tuple[int, float]]] = {}
        for ti, topic in enumerate(self.taxonomy.topics):
            for term, w in topic.terms.items():
                self._term_topics.setdefault(match_form(term), []).append((ti, w))
        terms = sorted(self._term_topics, key=len, reverse=True)
        self._re = re.compile(r"(?<![\w&])(" + "|".join(re.escape(t) for t in terms) + r")(?![\w&])")
        self._exclude = []
        for ti, topic in enumerate(self.taxonomy.topics):
            if topic.exclude:
                self._exclude.append((ti, re.compile("|".join(re.escape(match_form(x)) for x in topic.exclude))))

    def lexicon(self, text: str) -> tuple[np.ndarray, list[list[str]]]:
        """Per topic: raw lexicon score and the terms matched (the sum and the keys of `terms`)."""
        n = len(self.taxonomy.topics)
        scores = np.zeros(n)
        evidence: list[list[str]] = [[] for _ in range(n)]
        for (ti, term), value in self.terms(text).items():
            scores[ti] += value
            evidence[ti].append(term)
        return scores, evidence

    def terms(self, text: str) -> dict[tuple[int, str], float]:
        """What each term of the lexicon found in a text adds to its topic's raw score, by (topic index, term as
        shown). Abbreviations count as the words they stand for ("CĐS", "CCHC"; text/vocabulary.py), as they do in
        search. The name of a body ("Bộ Khoa học và Công nghệ", "Sở TN&MT", "Ban Tuyên giáo Trung ương";
        text/analysis.py::without_body_names) says who carries a task out, not what the task is about, so its words
        count only when nothing else in the text names a field ("Triển khai đề án | Sở Y tế"), and are then shown
        as a body's name. bench/tagging_probes.py weighs the terms one by one with this."""
        low = match_form(expand_abbreviations(text))
        without_bodies = without_body_names(low)
        found = self._match(without_bodies)
        if without_bodies != low and not found:
            return {(ti, f"{term} (tên cơ quan)"): v for (ti, term), v in self._match(low).items()}
        return found

    def _match(self, low: str) -> dict[tuple[int, str], float]:
        excluded = {ti: [m.span() for m in rx.finditer(low)] for ti, rx in self._exclude}
        counts: dict[tuple[int, str], int] = {}
        for m in self._re.finditer(low):
            term = m.group(1)
            for ti, _w in self._term_topics[term]:
                if any(a <= m.start() < b for a, b in excluded.get(ti, [])):
                    continue
                key = (ti, term)
                counts[key] = counts.get(key, 0) + 1
        return {(ti, term): dict(self._term_topics[term])[ti] * (1 + 0.25 * (min(c, 5) - 1))
                for (ti, term), c in counts.items()}

    @cached_property
    def fingerprint(self) -> str:
        """What the tags depend on: this code's version, the taxonomy, the parameters, the names of bodies and the
        abbreviations, the embedder. An index keeps the fingerprint of the tagger that made its tags
        (Index.retag_if_stale)."""
        what = {"version": TAGGER_VERSION, "params": asdict(self.params),
                "topics": [asdict(t) for t in self.taxonomy.topics], "bodies": body_names().pattern,
                "abbreviations": ABBREVIATIONS, "embedder": getattr(self.embedder, "name", None)}
        return hashlib.sha256(json.dumps(what, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]

    # -- embeddings ------------------------------------------------------------------------------------------
    @cached_property
    def prototypes(self) -> np.ndarray | None:
        if self.embedder is None:
            return None
        texts = [t.prototype for t in self.taxonomy.topics]
        if self.cache is not None:
            return self.cache.embed(self.embedder, texts, "passage")
        return self.embedder.embed_passages(texts)

    # -- scoring ---------------------------------------------------------------------------------------------
    def evidence(self, text: str, context: str = "") -> tuple[np.ndarray, list[list[str]]]:
        """The raw lexicon evidence per topic the tagger weighs for a text with its breadcrumb, and the terms
        matched. At context_weight 0 the breadcrumb reaches the tags through the embedded passage only."""
        raw, ev = self.lexicon(text)
        if context and self.params.context_weight > 0:
            ctx, ctx_ev = self.lexicon(context)
            raw = raw + self.params.context_weight * ctx
            for i, terms in enumerate(ctx_ev):
                ev[i] += [f"{t} (ngữ cảnh)" for t in terms if t not in ev[i]]
        return raw, ev

    def backgrounds(self, doc: Document, rows: np.ndarray | None = None) -> np.ndarray | None:
        """Each clause's background, a row per clause in order: the mean raw lexicon evidence per topic over the
        document's other clauses, read as tag_document reads them (what the rest of the document is about). None
        for a document of fewer than two clauses, which has no rest. `rows`: each clause's raw evidence when the
        caller has read it already (tag_document)."""
        if len(doc.clauses) < 2:
            return None
        if rows is None:
            by_address = {c.address: c for c in doc.clauses}
            rows = np.array([self.evidence(*self._reading(doc, c, by_address))[0] for c in doc.clauses])
        return (rows.sum(axis=0) - rows) / (len(rows) - 1)

    @staticmethod
    def _reading(doc: Document, clause: Clause, by_address: dict[str, Clause]) -> tuple[str, str]:
        """(text, breadcrumb) of a clause as the tagger reads it (structure/passages.py)."""
        return tagged_text(clause), clause_context(doc, clause, by_address)

    def scores(self, text: str, context: str = "", vector: np.ndarray | None = None,
               background: np.ndarray | None = None,
               evidence: tuple[np.ndarray, list[list[str]]] | None = None,
               ) -> tuple[np.ndarray, np.ndarray, list[list[str]], np.ndarray | None]:
        """(score, further score, evidence, cosines) per topic; see `further_scores` for `background`.
        `evidence`: what Tagger.evidence gives for this text and context, when the caller has it already."""
        p = self.params
        raw, ev = evidence if evidence is not None else self.evidence(text, context)
        cos = None
        if vector is not None and self.prototypes is not None:
            cos = self.prototypes @ np.asarray(vector, dtype=np.float32)
        return combine(p, raw, cos), further_scores(p, raw, cos, background), ev, cos

    def select(self, score: np.ndarray, further: np.ndarray | None = None) -> list[int]:
        return select(self.params, score, further)

    def tag_text(self, text: str, context: str = "", vector: np.ndarray | None = None,
                 background: np.ndarray | None = None,
                 evidence: tuple[np.ndarray, list[list[str]]] | None = None) -> list[Tag]:
        """Tags of one text. Without a vector the text is embedded here with its abbreviations written out, as a
        search query is; a clause's tags use its index vector (tag_document). `background`: the mean evidence of
        the rest of the text's document (Tagger.backgrounds); a text alone has none."""
        if vector is None and self.embedder is not None:
            passage = expand_abbreviations(f"{context}\n{text}" if context else text)
            vector = (self.cache.embed(self.embedder, [passage], "passage") if self.cache else
                      self.embedder.embed_passages([passage]))[0]
        score, further, ev, cos = self.scores(text, context, vector, background, evidence)
        tags = []
        for k, i in enumerate(self.select(score, further)):
            t = self.taxonomy.topics[i]
            value = score[i] if k == 0 else further[i]
            evidence = [f"từ khóa: {x}" for x in ev[i][:8]]
            if cos is not None:
                evidence.append(f"gần với mô tả chủ đề (cosine {cos[i]:.2f})")
            tags.append(Tag(topic=t.id, name=t.name, score=round(float(min(1.0, value)), 4), evidence=evidence))
        return tags

    def tag_document(self, doc: Document, vectors: np.ndarray | None = None) -> None:
        """Tag every clause (its text and table cells, with its breadcrumb headings as context; see
        structure/passages.py, which `docsearch eval tagging` reads the same way; further topics against the
        document's background) and aggregate document topics."""
        by_address = {c.address: c for c in doc.clauses}
        readings = [self._reading(doc, c, by_address) for c in doc.clauses]
        evidence = [self.evidence(text, context) for text, context in readings]  # each clause's lexicon read once
        backgrounds = (self.backgrounds(doc, np.array([raw for raw, _ in evidence]))
                       if self.params.background > 0 and evidence else None)
        counts: dict[str, float] = {}
        for i, c in enumerate(doc.clauses):
            c.tags = self.tag_text(*readings[i], None if vectors is None else vectors[i],
                                   None if backgrounds is None else backgrounds[i], evidence[i])
            for t in c.tags:
                counts[t.topic] = counts.get(t.topic, 0) + 1
        n = max(1, len(doc.clauses))
        doc.tags = [
            Tag(topic=tid, name=self.taxonomy.get(tid).name, score=round(cnt / n, 4),
                evidence=[f"{int(cnt)} / {n} điều khoản"])
            for tid, cnt in sorted(counts.items(), key=lambda kv: -kv[1])
        ]
