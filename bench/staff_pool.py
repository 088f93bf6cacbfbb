"""Deepen the staff-style set's judgements by pooling, as TREC does: the top 10 of several systems are pooled per
query, the clauses nobody has judged yet are listed for a person to grade (shuffled, without saying which system
found them), and the grades are merged into the query file under `pool_judgements` (0 = read and not relevant,
1 = related, 2 = answers it / carries it out; the first `judgements` stay as they were and win where both judge a
clause).

Why: the first judgements came from the pooled top 5 of three modes when the set was written. Later systems
surface clauses nobody read — two thirds of the product's top 10 were unjudged — and an unjudged clause counts as
not relevant, so every figure was a lower bound and a system was penalised for finding what nobody had judged.
`bench/staff.py` reports judged@10 beside the figures, and the figures under the first judgements alone.

The runs pooled: BM25, dense, hybrid with the learned ranker, hybrid with fusion, hybrid with fusion and no
article grouping, the product's defaults, and BM25, dense and hybrid with none of the product's query steps (the
'plain' baselines).

Usage: python bench/staff_pool.py list --index DIR [--out pool.json]   (prints the sheet to grade)
       python bench/staff_pool.py merge GRADES.tsv                       (lines: query id TAB doc address TAB grade)"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from common import ROOT, settings

from docsearch.evaluate.metrics import address_hit
from docsearch.evaluate.search import load_queries
from docsearch.index import Index

QUERIES = ROOT / "bench" / "data" / "staff_queries.jsonl"
DEPTH = 10
UNGROUPED = {"DOCSEARCH_ONE_HIT_PER_ARTICLE": "false"}
RUNS = {  # name → (mode, settings in the environment, the product's query steps on)
    "bm25": ("bm25", {}, True),
    "dense": ("dense", {}, True),
    "learned": ("hybrid", {"DOCSEARCH_RANKER": "learned"}, True),
    "fusion": ("hybrid", {"DOCSEARCH_RANKER": "fusion"}, True),
    "fusion-ungrouped": ("hybrid", {"DOCSEARCH_RANKER": "fusion", **UNGROUPED}, True),
    "product": ("hybrid", {}, True),
    "plain bm25": ("bm25", UNGROUPED, False),
    "plain dense": ("dense", UNGROUPED, False),
    "plain hybrid": ("hybrid", UNGROUPED, False),
}


def top(ix, query: str, k: int, mode: str, steps: bool) -> list[tuple[str, str, str, str]]:
    """(doc id, address, heading, text) of the first k hits; `steps=False`: no named-document or pasted-task step
    (the 'plain' baselines of bench/staff.py)."""
    from docsearch.search.hybrid import rank

    if steps:
        return [(h.doc_id, h.address, h.heading, h.text) for h in ix.search(query, k=k, mode=mode)]
    ranked, _ = rank(ix, query, k=k, mode=mode, boost_docs=False)
    rows = ix.store.clause_rows([c for c, _, _ in ranked])
    return [(rows[c]["doc_id"], rows[c]["address"], rows[c]["heading"], rows[c]["text"]) for c, _, _ in ranked
            if c in rows]


def pool(index_dir: str | Path, queries: str | Path = QUERIES, depth: int = DEPTH) -> list[dict]:
    """The unjudged clauses in the top `depth` of every run, per query in a shuffled order (seeded by the query)."""
    rows = load_queries(queries)
    found: list[dict[tuple[str, str], dict]] = [{} for _ in rows]
    ix = Index(index_dir)
    for mode, env, steps in RUNS.values():
        with settings(**env):
            for i, r in enumerate(rows):
                for doc, address, heading, text in top(ix, r["query"], depth, mode, steps):
                    if not any(jd == doc and address_hit(address, ja) for jd, ja in r["seen"]):
                        found[i].setdefault((doc, address), {"heading": heading, "text": text})
    ix.close()
    out = []
    for i, r in enumerate(rows):
        items = sorted(found[i].items())
        random.Random(r["id"]).shuffle(items)
        out += [{"id": r["id"], "kind": r.get("kind"), "query": r["query"], "clause": f"{d} {a}", **v}
                for (d, a), v in items]
    return out


def merge(grades_path: str | Path, queries: str | Path = QUERIES) -> int:
    """Write the grades into the query file's `pool_judgements`; returns how many were added."""
    grades: dict[str, dict[str, int]] = {}
    for line in Path(grades_path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            qid, clause, grade = line.split("\t")
            if int(grade) not in (0, 1, 2):
                raise ValueError(f"{grades_path}: grade {grade!r} for {qid} {clause} is not 0, 1 or 2")
            grades.setdefault(qid, {})[clause] = int(grade)
    lines = Path(queries).read_text(encoding="utf-8").splitlines()
    rows = [json.loads(x) for x in lines if x.strip()]
    known = {r["id"] for r in rows}
    if set(grades) - known:
        raise ValueError(f"{grades_path}: unknown query ids {sorted(set(grades) - known)}")
    added = 0
    for r in rows:
        new = {c: g for c, g in grades.get(r["id"], {}).items() if c not in r["judgements"]}
        if new:
            r["pool_judgements"] = {**r.get("pool_judgements", {}), **new}
            added += len(new)
    Path(queries).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return added


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("list")
    p.add_argument("--index", required=True)
    p.add_argument("--queries", default=str(QUERIES))
    p.add_argument("--out", help="also write the pool as JSON")
    p = sub.add_parser("merge")
    p.add_argument("grades")
    p.add_argument("--queries", default=str(QUERIES))
    args = ap.parse_args()
    if args.cmd == "merge":
        print(f"{merge(args.grades, args.queries)} judgements added to {args.queries}")
        return
    items = pool(args.index, args.queries)
    if args.out:
        Path(args.out).write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    last = None
    for it in items:
        if it["id"] != last:
            print(f"\n## {it['id']} [{it['kind']}] «{it['query']}»")
            last = it["id"]
        print(f"{it['id']}\t{it['clause']}\t?\t{it['text'][:300]}".replace("\n", " "))
    print(f"\n{len(items)} clauses to grade")


if __name__ == "__main__":
    main()
