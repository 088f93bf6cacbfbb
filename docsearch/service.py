"""The jobs staff ask for, in one place: the CLI commands and the API routes are thin adapters over these
functions, so the two cannot disagree (which targets a programme is linked to, whether it is indexed first, how
suggestions are stored, which clauses count for coverage)."""

from __future__ import annotations

from dataclasses import dataclass, field

from docsearch.errors import DocsearchError, NotFoundError
from docsearch.linking.link import TaskLinks, find_targets, link_tasks
from docsearch.linking.tasks import Task, programme_tasks
from docsearch.model import Document
from docsearch.text.vocabulary import TASK_SECTION_RE


@dataclass
class LinkResult:
    programme: str  # id under which the suggestions are stored
    targets: list[str]
    links: list[TaskLinks] = field(default_factory=list)


@dataclass
class TaskInput:
    """One task of a plain list: its text and, when the client knows it, the programme group it belongs to (tasks
    of one group vote together for the branch they carry out; a task without a group stands alone)."""

    text: str
    group: str | None = None
    group_heading: str = ""


def _check_targets(index, targets: list[str]) -> None:
    for t in targets:
        if index.store.document_info(t) is None:
            raise NotFoundError(f"no document '{t}' in the index (docsearch list shows the ids)")


def programme_targets(index, programme: Document, targets: list[str] | None) -> list[str]:
    """The given targets, else the indexed documents the programme says it implements."""
    if targets:
        _check_targets(index, targets)
        return list(dict.fromkeys(targets))
    found = find_targets(index, programme)
    if found:
        return found
    implements = [r.number for r in programme.references if r.relation == "implements" and r.number]
    if implements:
        raise DocsearchError(f"the programme implements {', '.join(implements)}, which is not in the index; "
                             "ingest it first, or choose the target")
    raise DocsearchError("the programme names no document it implements; choose the target")


def link_programme(index, programme: Document, targets: list[str] | None = None, top: int = 5,
                   tagger=None) -> LinkResult:
    """Index the programme (so its tasks can be read and searched beside the resolution), find its targets, link
    every task and store the suggestions (decisions already taken are kept). `index` must be writable."""
    if index.add(programme, tagger=tagger):
        index.commit()
    target_ids = programme_targets(index, programme, targets)
    tasks = programme_tasks(programme)
    if not tasks:
        raise DocsearchError(f"{programme.source}: no tasks found (no nhiệm vụ / giải pháp part and no task table)")
    links = link_tasks(index, tasks, target_ids, top=top)
    index.store.save_suggestions(programme.id, target_ids[0], links)
    return LinkResult(programme.id, target_ids, links)


def list_tasks(items: list[TaskInput]) -> list[Task]:
    """Tasks of a plain list: numbered by position for display, grouped only as the client says."""
    out = []
    for i, item in enumerate(items):
        text = item.text.strip()[:5000]
        if text:
            out.append(Task(id=str(i + 1), text=text, address=None, group=(item.group or None),
                            group_heading=item.group_heading))
    return out


def link_task_list(index, items: list[TaskInput], targets: list[str], top: int = 5) -> LinkResult:
    """Link a plain list of tasks (typed or pasted by staff) to the target documents and store the suggestions
    under an id made from the texts. `index` must be writable."""
    import hashlib

    _check_targets(index, targets)
    tasks = list_tasks(items)
    if not tasks:
        raise DocsearchError("no task text given")
    programme = "danh-sach-" + hashlib.sha1("\n".join(t.text for t in tasks).encode()).hexdigest()[:10]
    links = link_tasks(index, tasks, targets, top=top)
    index.store.save_suggestions(programme, targets[0], links)
    return LinkResult(programme, list(targets), links)


def task_leaves(rows) -> list:
    """The coverage rows that count: leaves of the resolution's nhiệm vụ / giải pháp sections."""
    from docsearch.ingest.normalize import fold

    sections = {r.address for r in rows if "." not in r.address and TASK_SECTION_RE.search(fold(r.heading.lower()))}
    parents = {r.address.rsplit(".", 1)[0] for r in rows if "." in r.address}
    return [r for r in rows if r.address.split(".")[0] in sections and r.address not in parents
            and r.address not in sections]


def reference_targets(index, refs) -> list[tuple[str | None, int | None]]:
    """For each reference: the indexed document it names (by số ký hiệu, or a law by its title) and the id of the
    clause it cites there, when both are indexed."""
    from docsearch.ingest.normalize import match_form
    from docsearch.structure.citations import nearest_existing

    by_number = {d["number"]: d["id"] for d in index.documents() if d.get("number")}
    by_title = {match_form(d["title"]): d["id"] for d in index.documents() if d.get("title")}
    clauses: dict[str, dict[str, int]] = {}  # target → address → clause id, read once per target
    out = []
    for r in refs:
        target = by_number.get(r.number) if r.number else None
        if target is None and r.title:
            target = by_title.get(match_form(r.title))
        clause_id = None
        if target and r.address:
            if target not in clauses:
                clauses[target] = {c["address"]: c["id"] for c in index.store.clause_tree(target)}
            found = nearest_existing(r.address, clauses[target].keys())
            clause_id = clauses[target].get(found) if found else None
        out.append((target, clause_id))
    return out
