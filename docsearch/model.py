"""The one data model every stage passes on: Document, Clause, Reference, Tag."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Metadata:
    number: str | None = None  # số ký hiệu, e.g. "10-NQ/TW"
    type: str | None = None  # loại văn bản, e.g. "Nghị quyết"
    issuer: str | None = None  # cơ quan ban hành, e.g. "Bộ Chính trị"
    date: str | None = None  # ngày ban hành, ISO
    title: str | None = None  # trích yếu
    signer: str | None = None  # người ký
    place: str | None = None  # địa danh

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None


@dataclass
class Tag:
    topic: str
    score: float
    name: str = ""
    evidence: list[str] = field(default_factory=list)


@dataclass
class Clause:
    address: str  # canonical address, unique within the document ("III.2.a", "Điều 5.2.a", "PL-II.5")
    label: str  # own label ("a", "-3", "Điều 5", "5")
    level: int  # depth in the tree, 1 = top
    heading: str  # its own first line, marker included
    text: str  # own line(s) plus unmarked body paragraphs
    breadcrumb: str  # "III › 2 › a", "Chương II › Mục 1 › Điều 5 › khoản 2"
    parent: str | None = None
    page: int = 1
    line: int = 0  # 1-based line in the extracted text
    kind: str = "item"  # section | item | article | clause | point | bullet | appendix | row
    fields: dict[str, str] = field(default_factory=dict)
    tags: list[Tag] = field(default_factory=list)


@dataclass
class Reference:
    text: str  # the mention as written
    number: str | None  # normalised số ký hiệu when one can be formed
    doc_type: str | None = None
    date: str | None = None
    title: str | None = None  # e.g. "Luật Đất đai" when no number is written
    year: int | None = None
    clause: str | None = None  # address of the clause it occurs in (None: header/preamble)
    relation: str = "mentions"  # mentions | implements | based_on
    address: str | None = None  # the clause of the referenced document it cites ("III.2.b", "Điều 5.2"), if any



@dataclass
class Document:
    id: str
    source: str  # file name or path it came from
    metadata: Metadata
    clauses: list[Clause] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    text: str = ""  # normalised full text, pages separated by form feeds
    warnings: list[str] = field(default_factory=list)
    content_hash: str = ""
    tags: list[Tag] = field(default_factory=list)  # document-level topics

    def clause(self, address: str) -> Clause | None:
        for c in self.clauses:
            if c.address == address:
                return c
        return None

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "metadata": asdict(self.metadata),
            "clauses": [
                {k: v for k, v in asdict(c).items()} for c in self.clauses
            ],
            "references": [asdict(r) for r in self.references],
            "warnings": list(self.warnings),
        }
        if self.tags:
            d["topics"] = [asdict(t) for t in self.tags]
        if with_text:
            d["text"] = self.text
        return d
