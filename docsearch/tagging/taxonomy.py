"""The topic taxonomy as data (YAML), validated on load with errors that name the file and the entry."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from docsearch.errors import DocsearchError

DEFAULT_PATH = Path(__file__).with_name("taxonomy.yaml")
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class TaxonomyError(DocsearchError):
    def __init__(self, path: str | Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = str(path)
        self.message = message


@dataclass
class Topic:
    id: str
    name: str
    description: str
    terms: dict[str, float] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)

    @property
    def prototype(self) -> str:
        top = sorted(self.terms.items(), key=lambda kv: -kv[1])[:25]
        return f"{self.name}. {self.description} Từ khóa: {', '.join(t for t, _ in top)}."


@dataclass
class Taxonomy:
    topics: list[Topic]
    path: str
    version: int = 1

    def get(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.topics]


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    path = Path(path) if path else DEFAULT_PATH
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TaxonomyError(path, "không có tệp này") from exc
    except yaml.YAMLError as exc:
        raise TaxonomyError(path, f"không phải YAML hợp lệ ({exc.__class__.__name__}: {str(exc).splitlines()[0]})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list) or not data["topics"]:
        raise TaxonomyError(path, "cần một bảng có danh sách 'topics' không rỗng")
    topics: list[Topic] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["topics"], start=1):
        where = f"topic #{i}"
        if not isinstance(raw, dict):
            raise TaxonomyError(path, f"{where}: cần một bảng gồm id, name, description, terms")
        tid = raw.get("id")
        if not isinstance(tid, str) or not _ID_RE.match(tid):
            raise TaxonomyError(path, f"{where}: 'id' phải là chữ thường nối bằng gạch ngang (đang là {tid!r})")
        where = f"topic '{tid}'"
        if tid in seen:
            raise TaxonomyError(path, f"{where}: id bị trùng")
        seen.add(tid)
        for key in ("name", "description"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise TaxonomyError(path, f"{where}: '{key}' phải là một đoạn chữ không rỗng")
        terms_raw = raw.get("terms")
        if not isinstance(terms_raw, list) or not terms_raw:
            raise TaxonomyError(path, f"{where}: 'terms' phải là một danh sách không rỗng")
        terms: dict[str, float] = {}
        for t in terms_raw:
            if isinstance(t, str):
                terms[t.strip()] = 1.0
            elif isinstance(t, dict) and len(t) == 1:
                (k, v), = t.items()
                if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 < float(v) <= 10:
                    raise TaxonomyError(path, f"{where}: thuật ngữ '{k}' có trọng số {v!r}; hãy dùng một số trong (0, 10]")
                terms[str(k).strip()] = float(v)
            else:
                raise TaxonomyError(path, f"{where}: mỗi thuật ngữ là một cụm từ hoặc 'cụm từ: trọng số' (đang là {t!r})")
        exclude = raw.get("exclude", []) or []
        if not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude):
            raise TaxonomyError(path, f"{where}: 'exclude' phải là một danh sách cụm từ")
        unknown = set(raw) - {"id", "name", "description", "terms", "exclude"}
        if unknown:
            raise TaxonomyError(path, f"{where}: khóa không biết {sorted(unknown)}")
        topics.append(Topic(tid, raw["name"].strip(), " ".join(raw["description"].split()), terms, exclude))
    return Taxonomy(topics=topics, path=str(path), version=int(data.get("version", 1)))
