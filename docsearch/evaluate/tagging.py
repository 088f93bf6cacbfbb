"""`docsearch eval tagging`: tag every labelled text (with its document context when `file`/`locator` lead to
it) and score micro-F1, macro-F1 and precision of the first topic."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from docsearch.evaluate.retrieval import _read_jsonl
from docsearch.ingest.normalize import match_form
from docsearch.model import Clause, Document
from docsearch.text.analysis import abbreviate

if TYPE_CHECKING:
    import numpy as np

    from docsearch.tagging import Tagger

_WS = re.compile(r"\s+")


def _key(text: str) -> str:
    return _WS.sub(" ", match_form(text)).strip()[:60]


def find_clause(doc: Document, locator: str | None, text: str) -> Clause | None:
    """The clause a label points at: by the start of its text, else by the address in the locator."""
    k = _key(text.split(" | ")[1] if " | " in text[:12] else text)
    for c in doc.clauses:
        if _key(c.text).startswith(k[:50]) or _key(c.heading).startswith(k[:50]):
            return c
    if locator:
        m = re.search(r"Điều\s+(\d+)(?:\s+khoản\s+(\d+))?", locator)
        if m:
            return doc.clause(f"Điều {m.group(1)}" + (f".{m.group(2)}" if m.group(2) else ""))
        m = re.search(r"Phụ lục\s+([IVX]+),\s*TT\s+([\d.]+)", locator)
        if m:
            tail = "." + m.group(2).rstrip(".")
            return next((c for c in doc.clauses if c.address.startswith(f"PL-{m.group(1)}.") and c.address.endswith(tail)), None)
        m = re.search(r"([IVX]+(?:\.[\w\-+]+)+|[IVX]+)\b", locator)
        if m:
            return doc.clause(m.group(1))
    return None


def label_documents(labels: list[dict], docs_dir: Path | None) -> list[Document | None]:
    """The parsed document each label's `file` names under docs_dir (None where there is none), each parsed once."""
    from docsearch.structure import parse_file

    cache: dict[str, Document | None] = {}
    out: list[Document | None] = []
    for lab in labels:
        f = lab.get("file")
        if not f or docs_dir is None:
            out.append(None)
            continue
        if f not in cache:
            path = docs_dir / f
            cache[f] = parse_file(str(path)) if path.exists() else None
        out.append(cache[f])
    return out


def label_inputs(labels: list[dict], docs_dir: Path | None,
                 documents: list[Document | None] | None = None) -> list[tuple[str, str, str]]:
    """(text, context, passage text to embed) for each label, read as the product's tagger reads the clause
    (Tagger.tag_document): the label's own text with the clause's breadcrumb as context, and for a row of a task
    table the clause's cells as the product holds them (the label quotes the whole row). `documents`: the labels'
    documents when the caller has them already (label_documents; docs_dir is then not read)."""
    from docsearch.structure.passages import clause_context, passage_text, tagged_text

    if documents is None:
        documents = label_documents(labels, docs_dir)
    out = []
    for lab, doc in zip(labels, documents):
        text, ctx, passage = lab["text"], "", lab["text"]
        if doc is not None:
            c = find_clause(doc, lab.get("locator"), text)
            if c is not None:
                by_address = {x.address: x for x in doc.clauses}
                ctx = clause_context(doc, c, by_address)
                if c.fields:
                    text, passage = tagged_text(c), passage_text(doc, c, by_address)
                else:
                    passage = passage_text(doc, Clause(**{**c.__dict__, "text": text}), by_address)
        out.append((text, ctx, passage))
    return out


def label_positions(labels: list[dict], documents: list[Document | None]) -> list[int | None]:
    """Where each label's clause stands in its document's clauses (None where the label has no document or its
    clause is not found)."""
    out: list[int | None] = []
    for lab, doc in zip(labels, documents):
        c = find_clause(doc, lab.get("locator"), lab["text"]) if doc is not None else None
        out.append(next((i for i, x in enumerate(doc.clauses) if x is c), None) if c is not None else None)
    return out


def label_backgrounds(tagger: Tagger, labels: list[dict], documents: list[Document | None],
                      positions: list[int | None] | None = None,
                      rows: dict[int, np.ndarray] | None = None) -> list[np.ndarray | None]:
    """Each label's background as the product gives its clause one (Tagger.backgrounds: the mean evidence of the
    document's other clauses; None where the label has no document). A label whose clause is not found gets the
    mean over the whole document. The product tags a clause against the rest of its document, so the evaluation
    does too. `positions`: label_positions, when the caller has them; `rows`: each document's clauses' raw
    evidence by id(document), when the caller reads them otherwise (bench/tagging_probes.py weighs terms)."""
    positions = label_positions(labels, documents) if positions is None else positions
    cache: dict[int, np.ndarray | None] = {}
    out: list[np.ndarray | None] = []
    for doc, at in zip(documents, positions):
        if doc is None:
            out.append(None)
            continue
        if id(doc) not in cache:
            cache[id(doc)] = tagger.backgrounds(doc, None if rows is None else rows[id(doc)])
        background = cache[id(doc)]
        if background is None:
            out.append(None)
            continue
        out.append(background[at] if at is not None else background.mean(axis=0))
    return out


def score(pred: list[list[str]], gold: list[list[str]]) -> dict:
    tp = fp = fn = 0
    per: dict[str, list[int]] = {}
    p1 = 0
    for p, g in zip(pred, gold):
        ps, gs = set(p), set(g)
        tp += len(ps & gs)
        fp += len(ps - gs)
        fn += len(gs - ps)
        for t in ps | gs:
            c = per.setdefault(t, [0, 0, 0])
            c[0] += t in ps and t in gs
            c[1] += t in ps and t not in gs
            c[2] += t in gs and t not in ps
        p1 += bool(p) and p[0] in gs
    micro = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    f1s = [2 * a / (2 * a + b + c) if a else 0.0 for a, b, c in per.values()]
    return {"micro_f1": round(micro, 4), "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
            "p_at_1": round(p1 / len(gold), 4) if gold else 0.0, "n": len(gold)}


def per_topic(pred: list[list[str]], gold: list[list[str]]) -> dict[str, dict]:
    """topic → precision, recall, F1 and support (gold labels) of each topic seen in the predictions or the gold,
    so that weak topics are visible behind the averages."""
    out: dict[str, dict] = {}
    for t in sorted({t for p in pred for t in p} | {t for g in gold for t in g}):
        tp = sum(t in p and t in g for p, g in zip(pred, gold))
        n_pred = sum(t in p for p in pred)
        n_gold = sum(t in g for g in gold)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        out[t] = {"precision": round(prec, 4), "recall": round(rec, 4),
                  "f1": round(2 * prec * rec / (prec + rec), 4) if tp else 0.0, "support": n_gold}
    return out


def run(labels_path: str | Path, docs_dir: str | Path | None = None, mode: str = "combined", params=None,
        abbreviated: bool = False) -> dict:
    """Tag the labelled texts and score them; with `abbreviated` each text, breadcrumb and embedded passage is first
    written with abbreviations (`abbreviate`)."""
    from docsearch.index.cache import EmbeddingCache
    from docsearch.index.embedders import get_embedder
    from docsearch.tagging import Tagger, TaggerParams, load_taxonomy

    labels = _read_jsonl(labels_path)
    if docs_dir is None:
        guess = Path(labels_path).resolve().parent.parent.parent / "corpus" / "raw"
        docs_dir = guess if guess.exists() else None
    documents = label_documents(labels, Path(docs_dir) if docs_dir else None)
    inputs = label_inputs(labels, None, documents)
    if abbreviated:
        inputs = [(abbreviate(t), abbreviate(c), abbreviate(p)) for t, c, p in inputs]
    embedder = get_embedder()
    import tempfile

    from docsearch.config import get_settings

    cache = EmbeddingCache(get_settings().cache_path(Path(tempfile.gettempdir()) / "docsearch-eval" / "tagging-cache.sqlite"))
    p = params or TaggerParams()
    if mode == "lexicon":
        p = TaggerParams(**{**p.__dict__, "alpha": 1.0})
    elif mode == "embedding":
        p = TaggerParams(**{**p.__dict__, "alpha": 0.0})
    tagger = Tagger(load_taxonomy(), embedder=embedder if mode != "lexicon" else None, cache=cache, params=p)
    vectors = cache.embed(embedder, [x[2] for x in inputs], "passage") if mode != "lexicon" else [None] * len(inputs)
    # the rest of the document as written is the background, also for abbreviated labels (the lexicon reads abbreviations as words)
    backgrounds = label_backgrounds(tagger, labels, documents)
    pred = [[t.topic for t in tagger.tag_text(text, ctx, vec, bg)]
            for (text, ctx, _), vec, bg in zip(inputs, vectors, backgrounds)]
    gold = [lab["topics"] for lab in labels]
    res = score(pred, gold)
    res["mode"] = mode
    res["abbreviated"] = abbreviated
    res["per_topic"] = per_topic(pred, gold)
    return res
