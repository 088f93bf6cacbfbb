"""`docsearch eval search`: staff-style queries with graded judgements over an index of real documents.

A query file holds JSON lines `{"id", "query", "kind", "judgements": {"<doc id> <address>": 2 | 1 | 0}}` (2 = answers
it / carries it out, 1 = related, 0 = read and judged not relevant), optionally with `"pool_judgements"` of the same
form: judgements added later from a pool of several systems' results, merged with the first ones (the first ones win
where both judge a clause). A hit counts for the judged clause it lies at or below (a bullet of a judged section
counts for the section), and every judged clause is credited once, so a list that repeats one section is not
rewarded. Reported per kind and overall: MRR@10 (first hit judged ≥ 1), graded nDCG@10, Hit@5 (a hit judged ≥ 1 in
the top 5), how many documents the top 10 come from, and judged@10: the share of the top 10 that lies at or below a
judged clause of any grade. A low judged@10 says the figures are a lower bound: the system found clauses nobody has
judged, and they count as not relevant."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from docsearch.evaluate.metrics import address_hit, graded_ndcg_at


def load_queries(path: str | Path, pooled: bool = True) -> list[dict]:
    """The query rows, each with `judged` ((doc, address) → grade ≥ 1) and `seen` (every judged (doc, address),
    grade 0 included). `pooled=False` reads only the first judgements (to compare with figures made before a
    pooling pass)."""
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    for r in rows:
        merged = {**((r.get("pool_judgements") or {}) if pooled else {}), **r["judgements"]}
        grades = {tuple(k.split(" ", 1)): int(v) for k, v in merged.items()}
        r["judged"] = {k: g for k, g in grades.items() if g > 0}
        r["seen"] = set(grades)
    return rows


def credit(hits: list[tuple[str, str]], judged: dict[tuple[str, str], int]) -> list[str]:
    """For each hit, the judged clause it earns (or ""), each judged clause earned once."""
    used: set[tuple[str, str]] = set()
    out = []
    for doc, address in hits:
        best = None
        for (jdoc, jaddr), grade in judged.items():
            if jdoc == doc and (jdoc, jaddr) not in used and address_hit(address, jaddr):
                if best is None or grade > judged[best] or (grade == judged[best] and len(jaddr) > len(best[1])):
                    best = (jdoc, jaddr)
        if best is None:
            out.append("")
        else:
            used.add(best)
            out.append(f"{best[0]} {best[1]}")
    return out


def score_query(hits: list[tuple[str, str]], judged: dict[tuple[str, str], int],
                seen: set[tuple[str, str]] | None = None) -> dict:
    """`judged`: the clauses graded ≥ 1; `seen`: every clause judged, grade 0 included (for judged@10)."""
    judged = {k: g for k, g in judged.items() if g > 0}
    earned = credit(hits[:10], judged)
    grades = {f"{d} {a}": g for (d, a), g in judged.items()}
    rr = next((1.0 / i for i, e in enumerate(earned, start=1) if e), 0.0)
    seen = set(judged) | set(seen or ())
    covered = [any(jd == d and address_hit(a, ja) for jd, ja in seen) for d, a in hits[:10]]
    return {"MRR@10": rr, "nDCG@10": graded_ndcg_at(earned, grades, 10),
            "Hit@5": float(any(e for e in earned[:5])), "documents@10": len({d for d, _ in hits[:10]}),
            "judged@10": sum(covered) / len(covered) if covered else 1.0}


def run(queries_path: str | Path, index, mode: str = "hybrid", k: int = 10, pooled: bool = True) -> dict:
    """Scores per kind and overall; `index` is an open Index."""
    rows = load_queries(queries_path, pooled)
    per_kind: dict[str, list[dict]] = defaultdict(list)
    details = []
    for r in rows:
        hits = [(h.doc_id, h.address) for h in index.search(r["query"], k=k, mode=mode)]
        s = score_query(hits, r["judged"], r["seen"])
        per_kind[r.get("kind", "other")].append(s)
        per_kind["all"].append(s)
        details.append({"id": r["id"], "kind": r.get("kind"), **s, "top": [f"{d} {a}" for d, a in hits[:5]]})
    out = {kind: {m: round(sum(x[m] for x in xs) / len(xs), 4) for m in ("MRR@10", "nDCG@10", "Hit@5", "documents@10", "judged@10")}
           | {"n": len(xs)} for kind, xs in per_kind.items()}
    return {"mode": mode, "kinds": out, "queries": details}
