"""Coverage of a resolution: how many tasks (confirmed, or suggested as first choice) fall under each of its
clauses, section by section."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CoverageRow:
    address: str
    heading: str
    level: int
    confirmed: int = 0
    suggested: int = 0
    tasks: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.confirmed + self.suggested


def coverage(index, doc_id: str) -> list[CoverageRow]:
    rows = list(index.store.db.execute(
        "SELECT address, heading, level FROM clauses WHERE doc_id=? ORDER BY ord", (doc_id,)))
    out = {a: CoverageRow(a, h, lv) for a, h, lv in rows}
    links = index.store.db.execute(
        "SELECT clause_address, status, rank, task_address, task_text FROM links WHERE target_doc=? AND status != 'rejected'",
        (doc_id,)).fetchall()
    for address, status, rank, task_address, task_text in links:
        if status != "confirmed" and rank != 1:
            continue
        # a link counts for the clause and for every clause above it
        parts = address.split(".")
        for k in range(1, len(parts) + 1):
            a = ".".join(parts[:k])
            if a in out:
                if status == "confirmed":
                    out[a].confirmed += 1
                else:
                    out[a].suggested += 1
                if k == len(parts):
                    out[a].tasks.append(task_address or task_text[:60])
    return [out[a] for a, _, _ in rows]
