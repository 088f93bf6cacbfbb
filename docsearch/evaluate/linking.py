"""`docsearch eval linking`: ingest the target into a temporary index, link every task, score Hit@1/5, MRR@10."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from docsearch.evaluate.metrics import address_hit, hit_at, mrr_at
from docsearch.evaluate.retrieval import _read_jsonl
from docsearch.linking.link import LinkParams, apply_structure, score_matrix
from docsearch.linking.tasks import Task, group_of


def load_tasks(path: str | Path) -> tuple[list[Task], list[set[str]]]:
    rows = _read_jsonl(path)
    tasks = []
    for r in rows:
        addr = r.get("source_address")
        tasks.append(Task(id=str(r["id"]), text=r["task"], address=addr, group=group_of(addr)))
    return tasks, [set(r.get("gold", [])) for r in rows]


def target_index(target: str | Path, workdir: str | Path | None = None):
    from docsearch.index import Index
    from docsearch.structure import parse_file

    doc = parse_file(str(target))
    key = hashlib.sha1(Path(target).read_bytes()).hexdigest()[:12]
    base = Path(workdir) if workdir else Path(tempfile.gettempdir()) / "docsearch-eval"
    ix = Index(base / f"linking-{key}", writable=True)
    ix.add(doc)
    ix.commit()
    return ix, doc


def evaluate(ranked: list[list[str]], gold: list[set[str]]) -> dict:
    n = len(gold)
    return {
        "Hit@1": round(sum(hit_at(r, g, 1, address_hit) for r, g in zip(ranked, gold)) / n, 4),
        "Hit@5": round(sum(hit_at(r, g, 5, address_hit) for r, g in zip(ranked, gold)) / n, 4),
        "MRR@10": round(sum(mrr_at(r, g, 10, address_hit) for r, g in zip(ranked, gold)) / n, 4),
        "n": n,
    }


def run(tasks_path: str | Path, target: str | Path, workdir=None, params: LinkParams | None = None) -> dict[str, dict]:
    import numpy as np

    tasks, gold = load_tasks(tasks_path)
    ix, doc = target_index(target, workdir)
    leaves, M = score_matrix(ix, tasks, doc.id)
    out = {}
    for name, S in (("hybrid", M), ("structure", apply_structure(tasks, leaves, M, params or LinkParams()))):
        ranked = [[leaves[j]["address"] for j in np.argsort(-S[i])[:10]] for i in range(len(tasks))]
        res = evaluate(ranked, gold)
        res["mode"] = name
        out[name] = res
    ix.close()
    return out
