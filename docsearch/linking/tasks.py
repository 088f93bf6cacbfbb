"""The tasks of an action programme: items of its nhiệm vụ / giải pháp part and the rows of its task tables."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docsearch.ingest.normalize import fold
from docsearch.model import Clause, Document
from docsearch.text.vocabulary import INDICATOR_TABLE_RE as _NOT_TASK_TABLE_RE
from docsearch.text.vocabulary import TASK_SECTION_RE as _TASK_SECTION_RE


@dataclass
class Task:
    id: str
    text: str
    address: str | None = None  # in the programme
    group: str | None = None  # the programme heading it sits under ("II.3", "PL-II.III"); None: a task of its own
    group_heading: str = ""
    breadcrumb: str = ""


def _children(doc: Document) -> dict[str | None, list[Clause]]:
    out: dict[str | None, list[Clause]] = {}
    for c in doc.clauses:
        out.setdefault(c.parent, []).append(c)
    return out


_SUFFIXED_RE = re.compile(r"^(.*\.\d+)[a-z]$")


def _continues(row: Clause, previous: Task) -> bool:
    """A table row without its own STT that carries on the row before it (cut by a page break): it has no cells
    of its own, or it starts in lower case, or one of its cells does. A row with its own full cells (a task the
    table left unnumbered) is a task of its own."""
    m = _SUFFIXED_RE.match(row.address)
    if not m or previous.address != m.group(1):
        return False
    starts_lower = [v.strip()[:1].islower() for v in (row.text, *row.fields.values()) if v.strip()]
    return not row.fields or any(starts_lower)


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
                    if tasks and _continues(c, tasks[-1]):
                        tasks[-1].text += " " + c.text  # the row goes on after a page break
                        continue
                    in_rowgroup = bool(c.parent) and by_address[c.parent].kind == "rowgroup"
                    group = c.parent if in_rowgroup else top.address
                    # a table's caption ("DANH MỤC CÁC NHIỆM VỤ …") says nothing about what its rows carry out
                    tasks.append(Task(id=c.address, text=c.text, address=c.address, group=group,
                                      group_heading=by_address[group].text if in_rowgroup else "",
                                      breadcrumb=c.breadcrumb))
            continue
        if top.kind not in ("roman", "lsec") or not _TASK_SECTION_RE.search(head):
            continue
        for g in kids.get(top.address, []):
            sub = [c for c in doc.clauses if c.address.startswith(g.address + ".")]
            if not sub:  # an item straight under the section: the section's title ("NHIỆM VỤ") is no topic
                tasks.append(Task(id=g.address, text=g.text, address=g.address, group=top.address,
                                  group_heading="", breadcrumb=g.breadcrumb))
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
    return ".".join(parts[:2]) if len(parts) > 2 else parts[0]
