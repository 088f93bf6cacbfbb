"""Task → clause linking: rank the target resolution's clauses for every task of a programme.

Each task is first scored against every clause of the target with the hybrid features of the index. Then the
structure is used: programmes mirror their resolution, so the tasks of one programme group (II.3, or the rows
under Phụ lục II › III) mostly carry out one branch of the resolution (III.3). The share of a group's tasks that
point into each branch becomes a prior for every task of that group, plus a small prior when the group's number
matches the branch's number inside the resolution's nhiệm vụ section. Only leaf clauses are ranked: a link to a
bullet is at or below its heading, which the matching rule counts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from docsearch.ingest.normalize import fold
from docsearch.linking.tasks import Task, group_of
from docsearch.search.hybrid import features
from docsearch.search.snippets import snippet

_TASK_SECTION_RE = re.compile(r"nhiem vu|giai phap", re.I)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12}


@dataclass
class LinkParams:
    """Tuned on shared/eval/linking (see bench/RESULTS.md)."""

    temperature: float = 1.0  # softmax temperature turning a task's scores into where it points
    align: float = 1.0  # weight of the group → branch prior
    mirror: float = 1.0  # bonus when the group's number equals the branch's number
    section: float = 0.3  # bonus for clauses of the target's nhiệm vụ / giải pháp section


@dataclass
class Suggestion:
    address: str
    clause_id: int
    score: float
    breadcrumb: str
    heading: str
    snippet: str


@dataclass
class TaskLinks:
    task: Task
    suggestions: list[Suggestion] = field(default_factory=list)


def _ordinal(label: str) -> int | None:
    label = label.rstrip(".")
    if label.isdigit():
        return int(label)
    return _ROMAN.get(label)


def _target_structure(index, doc_id: str):
    rows = list(index.store.db.execute(
        "SELECT id, address, parent, level, heading, text, breadcrumb, kind FROM clauses WHERE doc_id=? ORDER BY ord",
        (doc_id,)))
    if not rows:
        from docsearch.errors import NotFoundError

        raise NotFoundError(f"no document '{doc_id}' in the index")
    parents = {r[2] for r in rows if r[2]}
    task_sections = {r[1] for r in rows if r[2] is None and _TASK_SECTION_RE.search(fold(r[4].lower()))}
    leaves = [r for r in rows if r[1] not in parents]

    def branch(address: str) -> str:
        parts = address.split(".")
        return ".".join(parts[:2]) if len(parts) >= 2 else address

    info = []
    for r in leaves:
        b = branch(r[1])
        top = r[1].split(".")[0]
        ordinal = _ordinal(b.split(".")[1]) if top in task_sections and "." in b else None
        info.append({"id": r[0], "address": r[1], "branch": b, "in_tasks": top in task_sections, "ordinal": ordinal,
                     "breadcrumb": r[6], "heading": r[4], "text": r[5]})
    return info


def task_group_ordinal(task: Task) -> int | None:
    g = task.group or group_of(task.address)
    if not g:
        return None
    return _ordinal(g.split(".")[-1])


def score_matrix(index, tasks: list[Task], doc_id: str, weights: dict | None = None):
    """Hybrid z-scores of every task against every leaf clause of the target: (leaf info, matrix)."""
    from docsearch.config import get_settings
    from docsearch.search.hybrid import weights_for

    index.ensure_loaded()
    leaves = _target_structure(index, doc_id)
    allowed = {leaf["id"] for leaf in leaves}
    col = {leaf["id"]: j for j, leaf in enumerate(leaves)}
    w = weights or weights_for(True, get_settings())
    qvecs = index.cache.embed(index.embedder, [t.text for t in tasks], "query")
    M = np.full((len(tasks), len(leaves)), -4.0)
    for i, (t, qv) in enumerate(zip(tasks, qvecs)):
        cand, feats = features(index, t.text, len(allowed), w, allowed, qv)
        fused = np.zeros(len(cand))
        for m, z in feats.items():
            fused += w.get(m, 0) * z
        for c, s in zip(cand.tolist(), fused):
            M[i, col[c]] = s
    return leaves, M


def apply_structure(tasks: list[Task], leaves: list[dict], M: np.ndarray, p: LinkParams) -> np.ndarray:
    if not len(leaves) or not len(tasks):
        return M
    branches = sorted({leaf["branch"] for leaf in leaves})
    bidx = {b: k for k, b in enumerate(branches)}
    leaf_branch = np.array([bidx[leaf["branch"]] for leaf in leaves])
    Z = M / max(p.temperature, 1e-6)
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    to_branch = np.zeros((len(tasks), len(branches)))
    for k in range(len(branches)):
        to_branch[:, k] = P[:, leaf_branch == k].sum(axis=1)
    groups: dict[str, list[int]] = {}
    for i, t in enumerate(tasks):
        groups.setdefault(t.group or group_of(t.address) or f"#{i}", []).append(i)
    out = M.copy()
    section_bonus = np.array([p.section if leaf["in_tasks"] else 0.0 for leaf in leaves])
    leaf_ord = [leaf["ordinal"] for leaf in leaves]
    for members in groups.values():
        prior = to_branch[members].mean(axis=0)  # where the group's tasks point
        for i in members:
            # leave the task's own vote out, so one task cannot lift itself
            own = (prior * len(members) - to_branch[i]) / (len(members) - 1) if len(members) > 1 else np.zeros_like(prior)
            g_ord = task_group_ordinal(tasks[i])
            mirror = np.array([p.mirror if g_ord is not None and o == g_ord else 0.0 for o in leaf_ord])
            out[i] += p.align * own[leaf_branch] + mirror + section_bonus
    return out


def link_tasks(index, tasks: list[Task], doc_id: str, top: int = 5, params: LinkParams | None = None,
               structure: bool = True) -> list[TaskLinks]:
    leaves, M = score_matrix(index, tasks, doc_id)
    S = apply_structure(tasks, leaves, M, params or LinkParams()) if structure else M
    out = []
    for i, t in enumerate(tasks):
        order = np.argsort(-S[i])[:top]
        out.append(TaskLinks(t, [
            Suggestion(address=leaves[j]["address"], clause_id=leaves[j]["id"], score=round(float(S[i, j]), 4),
                       breadcrumb=leaves[j]["breadcrumb"], heading=leaves[j]["heading"][:300],
                       snippet=snippet(leaves[j]["text"], t.text))
            for j in order]))
    return out


def find_target(index, programme) -> str | None:
    """The indexed document a programme implements (its `implements` reference), if any."""
    numbers = [r.number for r in programme.references if r.relation == "implements" and r.number]
    docs = {d["number"]: d["id"] for d in index.documents() if d.get("number")}
    for n in numbers:
        if n in docs:
            return docs[n]
    return None
