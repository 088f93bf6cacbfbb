"""`docsearch eval linking`: ingest the target into a temporary index, link every task, score Hit@1/5, MRR@10.

Reported side by side, so that no figure hides what it rests on:
- `structure only`: a baseline that reads no text — for a task of group N, the leaves of the target's branch N of
  its nhiệm vụ section first, in document order (what numbering alone gets);
- `hybrid`: plain hybrid search over the target's clauses, no structure;
- `linker`: the product as configured (LinkParams defaults);
- `linker, cross-validated`: parameters chosen by leave-one-group-out cross-validation — for each programme group,
  the grid point that scores best on the *other* groups ranks that group's tasks; the out-of-fold figure.
With `renumber=SEED` the programme's groups get permuted numbers first (headings and tasks unchanged): a linker
that aligns by content loses almost nothing. With `abbreviated` the tasks and group headings are written with
abbreviations first, as a provincial programme writes them ("Sở KH&CN", "CĐS"; text/analysis.py::abbreviate). With
a programme file, tasks (and their group headings) are extracted from it and task recall / precision against the
gold task addresses are reported."""

from __future__ import annotations

import hashlib
import itertools
import random
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from docsearch.evaluate.metrics import address_hit, hit_at, mrr_at
from docsearch.evaluate.retrieval import _read_jsonl
from docsearch.linking.link import LinkParams, apply_structure, heading_alignment, score_matrix
from docsearch.linking.tasks import Task, group_of
from docsearch.text.analysis import abbreviate

# the grid searched inside cross-validation
GRID = {
    "temperature": [0.5, 1.0, 2.0],
    "vote": [0.0, 0.5, 1.0, 2.0],
    "heading": [0.0, 0.5, 1.0, 2.0],
    "mirror": [0.0, 0.25, 0.5],
    "section": [0.0, 0.3, 0.6],
    "inner": [-4.0, -2.0, -1.0, -0.5],
}


def load_tasks(path: str | Path) -> tuple[list[Task], list[set[str]]]:
    rows = _read_jsonl(path)
    tasks = []
    for r in rows:
        addr = r.get("source_address")
        tasks.append(Task(id=str(r["id"]), text=r["task"], address=addr, group=group_of(addr)))
    return tasks, [set(r.get("gold", [])) for r in rows]


def with_programme(tasks: list[Task], gold: list[set[str]], programme: list[Task]) -> tuple[list[Task], list[set[str]], dict]:
    """The programme's own task list (extracted from its file), gold attached by task address. Returns the tasks
    that have gold, their gold, and task recall / precision of the extraction against the gold addresses."""
    gold_by_address = {t.address: g for t, g in zip(tasks, gold) if t.address}
    extracted = {t.address for t in programme}
    found = [t for t in programme if t.address in gold_by_address]
    stats = {"gold_tasks": len(gold_by_address), "extracted": len(programme),
             "recall": round(len(extracted & set(gold_by_address)) / max(1, len(gold_by_address)), 4),
             "precision": round(len(extracted & set(gold_by_address)) / max(1, len(extracted)), 4),
             "missed": sorted(set(gold_by_address) - extracted)[:20],
             "extra": sorted(extracted - set(gold_by_address))[:20]}
    return found, [gold_by_address[t.address] for t in found], stats


def renumber(tasks: list[Task], seed: int) -> list[Task]:
    """The same tasks with the programme's group numbers permuted within each family (II.1…II.7 among
    themselves, PL-II.I…PL-II.VII among themselves). Texts and headings are unchanged."""
    rng = random.Random(seed)
    families: dict[str, list[str]] = {}
    for t in tasks:
        if t.group and "." in t.group:
            fam, label = t.group.rsplit(".", 1)
            if label not in families.setdefault(fam, []):
                families[fam].append(label)
    mapping: dict[str, str] = {}
    for fam, labels in families.items():
        shuffled = labels[:]
        while len(labels) > 1 and shuffled == labels:
            rng.shuffle(shuffled)
        mapping.update({f"{fam}.{a}": f"{fam}.{b}" for a, b in zip(labels, shuffled)})
    out = []
    for t in tasks:
        new = mapping.get(t.group or "")
        if new is None:
            out.append(t)
            continue
        addr = new + t.address[len(t.group):] if t.address and t.address.startswith(t.group + ".") else t.address
        out.append(replace(t, group=new, address=addr, id=addr or t.id))
    return out


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


def structural_baseline(tasks: list[Task], cands: list[dict]) -> np.ndarray:
    """Scores that read no text: leaves of the branch whose number is the task's group number first."""
    from docsearch.linking.link import group_ordinal

    n = len(cands)
    S = np.tile(-np.arange(n, dtype=float) / n, (len(tasks), 1))  # document order
    for i, t in enumerate(tasks):
        g = group_ordinal(t.group)
        for j, c in enumerate(cands):
            if g is not None and c["leaf"] and c["ordinal"] == g:
                S[i, j] += 10.0
            if not c["leaf"]:
                S[i, j] -= 5.0
    return S


def _ranked(S: np.ndarray, cands: list[dict], k: int = 10) -> list[list[str]]:
    return [[cands[j]["address"] for j in np.argsort(-S[i], kind="stable")[:k]] for i in range(len(S))]


def _per_task(S: np.ndarray, hits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reciprocal rank @10 and Hit@5 of every task, from scores and the candidates that hit its gold."""
    best = np.where(hits, S, -np.inf).max(axis=1)
    rank = 1 + (S > best[:, None]).sum(axis=1)
    found = np.isfinite(best)
    rr = np.where(found & (rank <= 10), 1.0 / rank, 0.0)
    return rr, (found & (rank <= 5)).astype(float)


def cross_validated(tasks: list[Task], cands: list[dict], M: np.ndarray, headings: dict, gold: list[set[str]],
                    cited: np.ndarray) -> tuple[np.ndarray, list[dict]]:
    """Leave-one-group-out: scores of each group's tasks under the grid point best on the other groups."""
    from docsearch.evaluate.crossval import cross_validate, group_folds

    hits = np.array([[any(address_hit(c["address"], g) for g in gs) for c in cands] for gs in gold])
    combos = [dict(zip(GRID, v)) for v in itertools.product(*GRID.values())]

    def scores(c: int) -> np.ndarray:
        return apply_structure(tasks, cands, M, LinkParams(**combos[c]), headings) + cited

    objective = np.array([np.add(*_per_task(scores(c), hits)) for c in range(len(combos))])  # RR@10 + Hit@5
    groups = [t.group or t.id for t in tasks]
    choice, chosen = cross_validate(objective, group_folds(groups))
    out = np.zeros_like(M)
    for c in set(chosen):  # only the chosen grid points are scored again (not every grid point kept in memory)
        held = choice == c
        out[held] = scores(c)[held]
    names = list(dict.fromkeys(groups))
    return out, [{"group": g, **combos[c]} for g, c in zip(names, chosen)]


def _cited_matrix(tasks: list[Task], cands: list[dict], docs: list[dict]) -> np.ndarray:
    """The linker puts a cited clause first: a large bonus on those columns ranks them the same way."""
    from docsearch.linking.link import cited_columns

    C = np.zeros((len(tasks), len(cands)))
    for i, cols in enumerate(cited_columns(tasks, cands, docs)):
        C[i, cols] = 1e3
    return C


def run(tasks_path: str | Path, target: str | Path, workdir=None, params: LinkParams | None = None,
        programme: str | Path | None = None, renumber_seed: int | None = None, cv: bool = True,
        abbreviated: bool = False) -> dict[str, dict]:
    from docsearch.linking.tasks import programme_tasks
    from docsearch.structure import parse_file

    tasks, gold = load_tasks(tasks_path)
    extraction = None
    if programme is not None:
        tasks, gold, extraction = with_programme(tasks, gold, programme_tasks(parse_file(str(programme))))
    if renumber_seed is not None:
        tasks = renumber(tasks, renumber_seed)
    changed = None
    if abbreviated:
        short = [replace(t, text=abbreviate(t.text), group_heading=abbreviate(t.group_heading)) for t in tasks]
        changed = sum(a.text != b.text for a, b in zip(short, tasks))
        tasks = short
    ix, doc = target_index(target, workdir)
    try:
        cands, M = score_matrix(ix, tasks, doc.id)
        headings = heading_alignment(ix, tasks, cands)
        cited = _cited_matrix(tasks, cands, [ix.store.document_info(doc.id)])
    finally:
        ix.close()
    systems = {
        "structure only": structural_baseline(tasks, cands),
        "hybrid": M + cited,
        "linker": apply_structure(tasks, cands, M, params or LinkParams(), headings) + cited,
    }
    chosen = None
    if cv:
        systems["linker, cross-validated"], chosen = cross_validated(tasks, cands, M, headings, gold, cited)
    out: dict[str, dict] = {}
    for name, S in systems.items():
        res = evaluate(_ranked(S, cands), gold)
        res["mode"] = name
        res["renumbered"] = renumber_seed
        res["abbreviated"] = abbreviated
        out[name] = res
    if extraction is not None:
        out["tasks"] = extraction
    if changed is not None:
        out["abbreviation"] = {"tasks_changed": changed, "tasks": len(tasks)}
    if chosen is not None:
        out["cv_choices"] = {"folds": len(chosen), "choices": chosen}
    return out

