"""The tasks of an action programme: items of its nhiệm vụ / giải pháp part and the rows of its task tables."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docsearch.ingest.normalize import fold
from docsearch.model import Clause, Document

_TASK_SECTION_RE = re.compile(r"nhiem vu|giai phap|phan cong", re.I)
_NOT_TASK_TABLE_RE = re.compile(r"chi tieu", re.I)


@dataclass
class Task:
    id: str
    text: str
    address: str | None = None  # in the programme
    group: str | None = None  # the programme heading it sits under ("II.3", "PL-II.III")
    group_heading: str = ""
    breadcrumb: str = ""


def _children(doc: Document) -> dict[str | None, list[Clause]]:
    out: dict[str | None, list[Clause]] = {}
    for c in doc.clauses:
        out.setdefault(c.parent, []).append(c)
    return out


def programme_tasks(doc: Document) -> list[Task]:
    """Every task of a programme, in document order."""
    kids = _children(doc)
    by_address = {c.address: c for c in doc.clauses}
    tasks: list[Task] = []
    for top in kids.get(None, []):
        head = fold(top.heading.lower())
        if top.kind == "appendix":
            caption = fold(top.text.lower())
            if _NOT_TASK_TABLE_RE.search(caption) and not re.search(r"nhiem vu", caption):
                continue
            for c in doc.clauses:
                if c.kind == "row" and (c.address + ".").startswith(top.address + "."):
                    group = c.parent if c.parent and by_address[c.parent].kind == "rowgroup" else top.address
                    tasks.append(Task(id=c.address, text=c.text, address=c.address, group=group,
                                      group_heading=by_address[group].text if group in by_address else "",
                                      breadcrumb=c.breadcrumb))
            continue
        if top.kind not in ("roman", "lsec") or not _TASK_SECTION_RE.search(head):
            continue
        for g in kids.get(top.address, []):
            sub = [c for c in doc.clauses if c.address.startswith(g.address + ".")]
            if not sub:
                tasks.append(Task(id=g.address, text=g.text, address=g.address, group=top.address,
                                  group_heading=top.heading, breadcrumb=g.breadcrumb))
                continue
            for c in sub:
                tasks.append(Task(id=c.address, text=c.text, address=c.address, group=g.address,
                                  group_heading=g.heading, breadcrumb=c.breadcrumb))
    return tasks


def group_of(address: str | None) -> str | None:
    """The programme group of a task address: "II.3.a.-1" → "II.3"; "PL-II.III.43" → "PL-II.III"."""
    if not address:
        return None
    parts = address.split(".")
    if parts[0].startswith(("PL-", "DM")):
        return ".".join(parts[:2]) if len(parts) > 2 else parts[0]
    return ".".join(parts[:2]) if len(parts) > 2 else parts[0]
