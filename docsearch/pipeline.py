"""Batch ingest: files → parse → (tag) → index, one bad file never stopping the batch."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from docsearch.errors import IngestError
from docsearch.ingest import SUPPORTED


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    clauses: int = 0
    retagged: int = 0  # documents tagged again first because the tagger changed (Index.retag_if_stale)

    def summary(self) -> str:
        return (f"{len(self.added)} văn bản mới hoặc cập nhật, {len(self.unchanged)} không đổi, {len(self.failed)} lỗi; "
                f"{self.clauses} điều khoản được lập chỉ mục"
                + (f"; {self.retagged} văn bản đã có được gắn lại chủ đề theo bộ gắn chủ đề mới" if self.retagged else ""))


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED
                          and not any(part.startswith(".") for part in f.relative_to(p).parts))
        else:
            out.append(p)
    return out


def read_file(path: str | Path):
    """Parse one file with the configured limits (size, OCR language); IngestError with the reason when it cannot
    be read. Needs no index: callers parse before they take the write lock."""
    from docsearch.config import get_settings
    from docsearch.structure import parse_file

    s = get_settings()
    return parse_file(str(path), max_bytes=s.max_file_bytes, ocr_lang=s.ocr_lang)


def index_document(index, doc, tagger=None, actor: str | None = None) -> bool:
    """Index a parsed document (False when it is indexed unchanged). The same file re-ingested under a new number
    replaces its old entry."""
    old = index.store.doc_id_by_source(doc.source)
    if old and old != doc.id:
        index.remove(old, actor=actor)
    return index.add(doc, tagger=tagger, actor=actor)


def ingest_one(index, path: Path, tagger=None, actor: str | None = None) -> tuple[bool, object]:
    """Parse one file and index it; (added, document)."""
    doc = read_file(path)
    return index_document(index, doc, tagger=tagger, actor=actor), doc


def ingest_files(index, files: list[Path], tagger=None, progress: Callable[[Path], None] | None = None,
                 commit_every: int = 0, actor: str | None = None) -> IngestReport:
    """Ingest a batch: every file is tried, a bad one is reported with its reason, the rest are indexed and
    published at the end (and every `commit_every` files)."""
    report = IngestReport()
    if index.store.generation() > 0:
        index.ensure_loaded()  # so that commits update the vectors in place instead of rebuilding them
    if tagger is not None:
        report.retagged = index.retag_if_stale(tagger)
    done = 0
    for f in files:
        if progress:
            progress(f)
        try:
            added, doc = ingest_one(index, f, tagger=tagger, actor=actor)
            if added:
                report.added.append(str(f))
                report.clauses += len(doc.clauses)
            else:
                report.unchanged.append(str(f))
            for w in doc.warnings:
                report.warnings.append((str(f), w))
        except IngestError as exc:
            report.failed.append((str(f), exc.reason))
        except MemoryError:
            report.failed.append((str(f), "tệp cần nhiều bộ nhớ hơn máy hiện có"))
        except RecursionError:
            report.failed.append((str(f), "cấu trúc tệp lồng nhau quá sâu, không đọc được"))
        except Exception as exc:  # one bad file must not stop the batch; the reason is kept
            report.failed.append((str(f), f"lỗi không lường trước ({type(exc).__name__}): {exc}"[:300]))
        done += 1
        if commit_every and done % commit_every == 0:
            index.commit()
    index.commit()
    return report
