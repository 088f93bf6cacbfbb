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


def coverage(clauses: list[dict], links: list[dict]) -> list[CoverageRow]:
    """Coverage rows of a resolution in reading order, from its clauses (address, heading, level) and the links
    that count (confirmed, or a task's first suggestion): a link counts for its clause and every clause above it."""
    out = {c["address"]: CoverageRow(c["address"], c["heading"], c["level"]) for c in clauses}
    for link in links:
        address = link["clause_address"]
        parts = address.split(".")
        for k in range(1, len(parts) + 1):
            a = ".".join(parts[:k])
            if a in out:
                if link["status"] == "confirmed":
                    out[a].confirmed += 1
                else:
                    out[a].suggested += 1
                if k == len(parts):
                    out[a].tasks.append(link["task_address"] or link["task_text"][:60])
    return [out[c["address"]] for c in clauses]
