"""Task → clause linking: rank the clauses of the target document(s) for every task of a programme.

Each task is first scored against every clause of the targets with the hybrid features of the index (the same
fusion as search). Then the programme's structure is used, by content rather than by numbering:

- **Alignment of groups with branches.** A programme group (II.3, or the rows under Phụ lục II › III) usually
  carries out one branch of the resolution (a second-level heading such as III.3). Each group is aligned with the
  branches by what it says: its heading is scored against the branch headings (hybrid, z-normalised, a soft
  assignment by softmax), and the other tasks of the group vote for the branch they point to (leave-one-out, so a
  task cannot lift itself). Both become a prior over branches for every task of the group.
- **Numbers only where content agrees.** A programme numbered like its resolution (group 3 → branch III.3) gets a
  small bonus for the branch of the same number, but only when the content alignment already puts that branch
  first; a programme grouped differently is never pushed to the wrong branch by its numbers.
- **Any level.** Inner clauses (a whole branch or heading) are ranked beside the leaves, with an offset, so a task
  that carries out a whole branch can link to it.
- **Several targets.** A programme that carries out two documents is linked against the clauses of both; every
  suggestion names its document.

bench/quality.py reports the linker with parameters chosen by leave-one-group-out cross-validation on the
development pair (the out-of-fold figure) beside these defaults (in-sample). Citations inside a task ("điểm b
khoản 2 Mục III Nghị quyết số 57-NQ/TW") decide the link outright (docsearch/structure/citations.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from docsearch.errors import NotFoundError
from docsearch.ingest.normalize import fold
from docsearch.linking.tasks import Task
from docsearch.search.snippets import snippet
from docsearch.text.analysis import expand_abbreviations
from docsearch.text.vocabulary import TASK_SECTION_RE, ordinal


@dataclass
class LinkParams:
    """Defaults picked on the development pair (in-sample) from the region the cross-validation folds choose,
    preferring a point that loses nothing when the programme's groups are renumbered; the figures to quote are the
    out-of-fold ones of bench/quality.py (docsearch.evaluate.linking.GRID is the grid)."""

    temperature: float = 0.5  # softmax temperature turning a task's scores into where it points
    vote: float = 1.0  # weight of the leave-one-out vote of the group's other tasks
    heading: float = 1.0  # weight of the group heading ↔ branch alignment
    mirror: float = 0.25  # bonus for the branch of the group's number, only where the content alignment agrees
    section: float = 0.3  # bonus for clauses of the target's nhiệm vụ / giải pháp section
    inner: float = -2.0  # offset of inner clauses (a whole branch) against leaves


@dataclass
class Suggestion:
    address: str
    clause_id: int
    score: float
    breadcrumb: str
    heading: str
    snippet: str
    doc_id: str = ""
    reason: str = "text"  # "text" (hybrid + structure) or "citation" (the task cites the clause)


@dataclass
class TaskLinks:
    task: Task
    suggestions: list[Suggestion] = field(default_factory=list)


def _branch(address: str) -> str:
    parts = address.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else address


def target_candidates(index, doc_ids: list[str]) -> list[dict]:
    """Every clause of the target documents, with what the structure step needs: its branch, whether it is a
    leaf, whether it lies in the nhiệm vụ / giải pháp section, the ordinal of its branch there."""
    out: list[dict] = []
    for doc_id in doc_ids:
        rows = index.store.clause_tree(doc_id)
        if not rows:
            raise NotFoundError(f"no document '{doc_id}' in the index")
        parents = {r["parent"] for r in rows if r["parent"]}
        task_sections = {r["address"] for r in rows
                         if r["parent"] is None and TASK_SECTION_RE.search(fold(r["heading"].lower()))}
        for r in rows:
            a = r["address"]
            top = a.split(".")[0]
            b = _branch(a)
            in_tasks = top in task_sections
            ordn = ordinal(b.split(".")[1]) if in_tasks and "." in b else None
            out.append({**r, "doc_id": doc_id, "leaf": a not in parents, "branch": (doc_id, b) if "." in a else None,
                        "in_tasks": in_tasks, "ordinal": ordn})
    return out


def _fused(index, text: str, allowed: set[int], w: dict, qv) -> dict[int, float]:
    from docsearch.search.hybrid import features, fuse

    cand, feats = features(index, text, len(allowed), w, allowed, qv)
    return dict(zip(cand.tolist(), fuse(feats, w, len(cand)).tolist()))


def _weights(weights: dict | None) -> dict:
    from docsearch.config import get_settings
    from docsearch.search.hybrid import weights_for

    return weights or weights_for(True, get_settings())


def query_text(text: str) -> str:
    """What the linker embeds for a task or a group heading: the text as search embeds a query typed with marks
    (search/query.py::understand), abbreviations written out ("KCN" → "KCN khu công nghiệp"); the BM25 fields
    expand them too (text/analysis.py::analyze)."""
    return expand_abbreviations(text)


def score_matrix(index, tasks: list[Task], doc_ids: str | list[str], weights: dict | None = None):
    """Hybrid z-scores of every task against every clause of the targets: (candidates, matrix)."""
    if isinstance(doc_ids, str):
        doc_ids = [doc_ids]
    index.ensure_loaded()
    cands = target_candidates(index, doc_ids)
    allowed = {c["id"] for c in cands}
    col = {c["id"]: j for j, c in enumerate(cands)}
    w = _weights(weights)
    qvecs = index.cache.embed(index.embedder, [query_text(t.text) for t in tasks], "query")
    M = np.full((len(tasks), len(cands)), -4.0)
    for i, (t, qv) in enumerate(zip(tasks, qvecs)):
        for c, s in _fused(index, t.text, allowed, w, qv).items():
            M[i, col[c]] = s
    return cands, M


def heading_alignment(index, tasks: list[Task], cands: list[dict], weights: dict | None = None) -> dict[str, np.ndarray]:
    """For each programme group with a heading: z-scores of that heading against the head clause of every branch
    (order: `branch_keys(cands)`). Groups without a heading get nothing (their prior is the task vote alone)."""
    keys = branch_keys(cands)
    head_id = {}
    for c in cands:
        if c["branch"] is not None and c["address"] == c["branch"][1]:
            head_id[c["branch"]] = c["id"]
    ids = [head_id.get(k) for k in keys]
    allowed = {i for i in ids if i is not None}
    headings: dict[str, str] = {}
    for t in tasks:
        text = _LABEL_RE.sub("", t.group_heading).strip()
        if t.group and text:
            headings.setdefault(t.group, text[:1000])
    if not allowed or not headings:
        return {}
    w = _weights(weights)
    texts = list(headings.values())
    qvecs = index.cache.embed(index.embedder, [query_text(t) for t in texts], "query")
    out = {}
    for g, text, qv in zip(headings, texts, qvecs):
        z = _fused(index, text, allowed, w, qv)
        out[g] = np.array([z.get(i, -4.0) if i is not None else -4.0 for i in ids])
    return out


_LABEL_RE = re.compile(r"^\s*(?:[IVXLC]+|\d+)\s*[.\-–)]\s*")  # "3. " before a heading: numbering, not content


def branch_keys(cands: list[dict]) -> list[tuple[str, str]]:
    return sorted({c["branch"] for c in cands if c["branch"] is not None})


def _softmax(z: np.ndarray, temperature: float) -> np.ndarray:
    z = z / max(temperature, 1e-6)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def group_ordinal(group: str | None) -> int | None:
    """The number of a programme group: "II.3" → 3, "PL-II.III" → 3."""
    if not group:
        return None
    return ordinal(group.split(".")[-1])


def apply_structure(tasks: list[Task], cands: list[dict], M: np.ndarray, p: LinkParams,
                    headings: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Scores with the group ↔ branch priors added (see the module docstring)."""
    if not len(cands) or not len(tasks):
        return M
    keys = branch_keys(cands)
    bidx = {b: k for k, b in enumerate(keys)}
    cand_branch = np.array([bidx[c["branch"]] if c["branch"] is not None else -1 for c in cands])
    leaf = np.array([c["leaf"] for c in cands])
    out = M.copy()
    out[:, ~leaf] += p.inner
    out += np.array([p.section if c["in_tasks"] else 0.0 for c in cands])
    if not keys:
        return out
    # where each task points: softmax over the leaves, summed per branch
    voting = leaf & (cand_branch >= 0)
    P = _softmax(M[:, voting], p.temperature)
    vb = cand_branch[voting]
    to_branch = np.zeros((len(tasks), len(keys)))
    for k in range(len(keys)):
        to_branch[:, k] = P[:, vb == k].sum(axis=1)
    groups: dict[str, list[int]] = {}
    for i, t in enumerate(tasks):
        groups.setdefault(t.group or f"#task{i}", []).append(i)
    ord_of_branch = np.array([next((c["ordinal"] for c in cands if c["branch"] == k and c["ordinal"] is not None), -1)
                              for k in keys])
    has_branch = cand_branch >= 0
    for g, members in groups.items():
        head = headings.get(g) if headings else None
        head_prior = _softmax(head, 1.0) if head is not None else np.zeros(len(keys))
        total = to_branch[members].sum(axis=0)
        g_ord = group_ordinal(g) if not g.startswith("#task") else None
        for i in members:
            # leave the task's own vote out, so one task cannot lift itself
            own = (total - to_branch[i]) / (len(members) - 1) if len(members) > 1 else np.zeros(len(keys))
            prior = p.vote * own + p.heading * head_prior
            if g_ord is not None and p.mirror and prior.any():
                best = int(np.argmax(prior))
                if ord_of_branch[best] == g_ord:  # the numbers agree with what the content says
                    prior = prior.copy()
                    prior[best] += p.mirror
            out[i, has_branch] += prior[cand_branch[has_branch]]
    return out


def cited_columns(tasks: list[Task], cands: list[dict], docs: list[dict]) -> list[list[int]]:
    """For each task, the candidates it cites (a citation of a clause the target lacks falls on its nearest
    ancestor: "điểm b khoản 2 Mục III" → III.2 when III.2 has no points)."""
    from docsearch.structure.citations import cited_clauses, nearest_existing

    by_key = {(c["doc_id"], c["address"]): j for j, c in enumerate(cands)}
    existing: dict[str, set[str]] = {}
    for c in cands:
        existing.setdefault(c["doc_id"], set()).add(c["address"])
    out = []
    for t in tasks:
        cols = []
        for doc_id, address in cited_clauses(t.text, docs):
            found = nearest_existing(address, existing.get(doc_id, set()))
            if found is not None:
                cols.append(by_key[(doc_id, found)])
        out.append(list(dict.fromkeys(cols)))
    return out


def link_tasks(index, tasks: list[Task], doc_ids: str | list[str], top: int = 5, params: LinkParams | None = None,
               structure: bool = True) -> list[TaskLinks]:
    """Ranked suggestions for every task; a clause the task cites (in a target) comes first."""
    if isinstance(doc_ids, str):
        doc_ids = [doc_ids]
    cands, M = score_matrix(index, tasks, doc_ids)
    S = apply_structure(tasks, cands, M, params or LinkParams(), heading_alignment(index, tasks, cands)) \
        if structure else M
    cited = cited_columns(tasks, cands, [index.store.document_info(d) for d in doc_ids])
    out = []
    for i, t in enumerate(tasks):
        order = list(dict.fromkeys(cited[i] + np.argsort(-S[i]).tolist()))[:top]
        out.append(TaskLinks(t, [
            Suggestion(address=cands[j]["address"], clause_id=cands[j]["id"], score=round(float(S[i, j]), 4),
                       breadcrumb=cands[j]["breadcrumb"], heading=cands[j]["heading"][:300],
                       snippet=snippet(cands[j]["text"], t.text), doc_id=cands[j]["doc_id"],
                       reason="citation" if j in cited[i] else "text")
            for j in order]))
    return out


def find_targets(index, programme) -> list[str]:
    """The indexed documents a programme implements (its `implements` references), in the order it names them."""
    numbers = [r.number for r in programme.references if r.relation == "implements" and r.number]
    docs = {d["number"]: d["id"] for d in index.documents() if d.get("number")}
    return list(dict.fromkeys(docs[n] for n in numbers if n in docs))


def find_target(index, programme) -> str | None:
    """The first indexed document a programme implements, if any."""
    found = find_targets(index, programme)
    return found[0] if found else None
